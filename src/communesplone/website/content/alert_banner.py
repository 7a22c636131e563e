"""Alert banner: a message shown on every page from its start to its end."""

from communesplone import _
from communesplone.website.content.dates import computed
from plone.dexterity.content import Item
from plone.supermodel import model
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant


class IAlertBanner(model.Schema):
    message = schema.Text(title=_("Message"), required=True)
    level = schema.Choice(
        title=_("Level"),
        vocabulary="communesplone.website.alert_levels",
        default="info",
        required=True,
    )
    start = schema.Datetime(title=_("Shown from"), required=True)
    end = schema.Datetime(title=_("Shown until"), required=True)

    @invariant
    def end_after_start(data):
        start, end = getattr(data, "start", None), getattr(data, "end", None)
        if start and end and end <= start:
            raise Invalid(_("The banner must end after it starts."))


@implementer(IAlertBanner)
class AlertBanner(Item):
    """An alert banner; current (catalog ``effectiveRange``) between its start and end."""

    effective_date = computed("start")
    expiration_date = computed("end")
