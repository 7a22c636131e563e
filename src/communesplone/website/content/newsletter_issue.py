"""Newsletter issue: an introduction and a choice of news items and events."""

from communesplone import _
from communesplone.core.validation import Refusal
from plone.app.textfield import RichText
from plone.app.z3cform.widgets.contentbrowser import ContentBrowserFieldWidget
from plone.autoform import directives
from plone.dexterity.content import Item
from plone.supermodel import model
from z3c.relationfield.schema import RelationChoice
from z3c.relationfield.schema import RelationList
from zope.interface import implementer


TYPES = ("News Item", "Event")


def check_item(value):
    """A news item or an event."""
    if getattr(value, "portal_type", None) not in TYPES:
        raise Refusal(
            _(
                '"${title}" is neither a news item nor an event: an issue is made of those.',
                mapping={"title": getattr(value, "title", "") or repr(value)},
            )
        )
    return True


class INewsletterIssue(model.Schema):
    intro = RichText(
        title=_("Introduction"),
        description=_("The text at the top of the mail, before the news and events."),
        required=False,
    )
    items = RelationList(
        title=_("News and events"),
        description=_("The news items and events the issue presents, in this order."),
        value_type=RelationChoice(
            title=_("News item or event"),
            vocabulary="plone.app.vocabularies.Catalog",
            constraint=check_item,
        ),
        default=[],
        required=False,
    )
    directives.widget(
        "items",
        ContentBrowserFieldWidget,
        vocabulary="plone.app.vocabularies.Catalog",
        pattern_options={"selectableTypes": list(TYPES), "recentlyUsed": True},
    )


@implementer(INewsletterIssue)
class NewsletterIssue(Item):
    """An issue of a newsletter; ``communesplone.website.sending`` sends it."""

    def newsletter(self):
        return self.__parent__

    def selected(self):
        """The selected news items and events that still exist, in their order."""
        found = []
        for relation in self.items or ():
            obj = None if relation.isBroken() else relation.to_object
            if obj is not None:
                found.append(obj)
        return found
