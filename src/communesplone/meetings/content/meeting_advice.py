"""An advice given by an adviser service on an item, stored inside the item."""

from communesplone import _
from plone.autoform import directives
from plone.dexterity.content import Item
from plone.supermodel import model
from zope import schema
from zope.interface import implementer


class IMeetingAdvice(model.Schema):
    """An advice on a meeting item."""

    service = schema.Choice(
        title=_("Adviser service"),
        vocabulary="communesplone.meetings.advice_services",
        required=True,
    )
    advice_type = schema.Choice(
        title=_("Advice"),
        vocabulary="communesplone.meetings.advice_types",
        required=True,
    )
    comment = schema.Text(title=_("Comment"), required=False)
    directives.mode(given_on="display")
    given_on = schema.Date(title=_("Given on"), required=False)


@implementer(IMeetingAdvice)
class MeetingAdvice(Item):
    """An advice."""

    @property
    def title(self):
        from communesplone.core import services

        service = services.get(self.service) if getattr(self, "service", None) else None
        return service["title"] if service else ""

    @title.setter
    def title(self, value):
        """The title is the service's name."""
