"""The Zope root's default page leads to the commune's site.

Plone shows its "Plone is up and running" overview at the Zope root (the
traverser of plone.distribution answers ``index_html`` with
``@@plone-overview``). Where the instance holds exactly one Plone site, as
the one ``make run`` builds, a visitor opening http://localhost:8080/ is
sent to that site instead. With no site or several, the overview stays; it
is always at ``/@@plone-overview``, and the ZMI at ``/manage``.
"""

from OFS.interfaces import IApplication
from plone.base.interfaces import IPloneSiteRoot
from plone.distribution.browser.admin import RestTraverser
from Products.Five.browser import BrowserView
from ZODB.broken import Broken
from zope.component import adapter
from zope.publisher.interfaces.browser import IBrowserRequest


DEFAULT_PAGE = "index_html"


def plone_sites(app):
    """The Plone sites at the root of ``app``."""
    return [
        obj
        for obj in app.objectValues()
        if not isinstance(obj, Broken) and IPloneSiteRoot.providedBy(obj)
    ]


@adapter(IApplication, IBrowserRequest)
class RootTraverser(RestTraverser):
    """plone.distribution's root traverser, whose default page is the only site.

    Registered for browser requests, it is more specific than
    plone.distribution's (for any request): no override is needed.
    """

    def browserDefault(self, request):
        # Zope publishes the root's index_html object by default, where there
        # is one (Zope creates it in a new database): name it in any case.
        if len(plone_sites(self.context)) == 1:
            return self.context, (DEFAULT_PAGE,)
        return super().browserDefault(request)

    def publishTraverse(self, request, name):
        if name == DEFAULT_PAGE:
            sites = plone_sites(self.context)
            if len(sites) == 1:
                return ToSite(sites[0], request)
        return super().publishTraverse(request, name)


class ToSite(BrowserView):
    """A redirect to the site (its URL, as the request sees it)."""

    __name__ = DEFAULT_PAGE
    __roles__ = None  # public: anyone may be sent to the site

    def __call__(self):
        self.request.response.redirect(self.context.absolute_url(), status=302)
        return ""
