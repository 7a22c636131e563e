"""Quick link: a frequent destination shown on the home page and in "Accès rapides"."""

from communesplone import _
from communesplone.website.validation import check_link
from plone import api
from plone.dexterity.content import Item
from plone.supermodel import model
from zope import schema
from zope.interface import implementer


class IQuickLink(model.Schema):
    url = schema.TextLine(
        title=_("Address (URL)"),
        description=_(
            "Where the link leads: a full address (https://…), or a path on this site "
            "starting with / (it follows the site when its address changes)."
        ),
        required=True,
        constraint=check_link,
    )


@implementer(IQuickLink)
class QuickLink(Item):
    """A quick link."""

    def href(self):
        """The link's address; a path is taken from the site's root."""
        if self.url and self.url.startswith("/"):
            return api.portal.get().absolute_url() + self.url
        return self.url
