"""The "Accès rapides" portlet: the published quick links, for the left column."""

from communesplone import _
from communesplone.website import listings
from plone.app.portlets.portlets import base
from plone.portlets.interfaces import IPortletDataProvider
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.interface import implementer


class IQuickLinksPortlet(IPortletDataProvider):
    """The quick links portlet (no settings: it lists the published quick links)."""


@implementer(IQuickLinksPortlet)
class Assignment(base.Assignment):
    title = _("Quick links")


class Renderer(base.Renderer):
    render = ViewPageTemplateFile("templates/quicklinks_portlet.pt")

    @property
    def available(self):
        return bool(self.links())

    def links(self):
        return [brain.getObject() for brain in listings.quick_links(limit=10)]


class AddForm(base.NullAddForm):
    def create(self):
        return Assignment()
