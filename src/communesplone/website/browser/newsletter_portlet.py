"""The "Our newsletter" portlet: the subscription form of the site's newsletter."""

from communesplone import _
from communesplone.website.browser.newsletter import newsletters
from plone.app.portlets.portlets import base
from plone.portlets.interfaces import IPortletDataProvider
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.interface import implementer


class INewsletterPortlet(IPortletDataProvider):
    """The newsletter portlet (no settings: it offers the first newsletter the visitor sees)."""


@implementer(INewsletterPortlet)
class Assignment(base.Assignment):
    title = _("Our newsletter")


class Renderer(base.Renderer):
    render = ViewPageTemplateFile("templates/newsletter_portlet.pt")

    @property
    def available(self):
        return self.newsletter() is not None

    def newsletter(self):
        if not hasattr(self, "_newsletter"):
            found = newsletters()
            self._newsletter = found[0].getObject() if found else None
        return self._newsletter


class AddForm(base.NullAddForm):
    def create(self):
        return Assignment()
