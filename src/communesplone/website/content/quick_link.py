"""Quick link: a frequent destination shown on the home page and in "Accès rapides"."""

from communesplone import _
from plone.dexterity.content import Item
from plone.supermodel import model
from zope import schema
from zope.interface import implementer


class IQuickLink(model.Schema):
    url = schema.URI(
        title=_("Address (URL)"),
        description=_("Where the link leads, on this site or elsewhere."),
        required=True,
    )


@implementer(IQuickLink)
class QuickLink(Item):
    """A quick link."""
