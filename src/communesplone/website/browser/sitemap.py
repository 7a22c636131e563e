"""``sitemap.xml``: Plone's own site map (``sitemap.xml.gz``), uncompressed.

Plone serves the site map gzipped, as an index of pages of 5,000 addresses,
when *Site Setup → Site → Expose sitemap.xml.gz* is on (the website profile
turns it on). Crawlers and people also look for ``/sitemap.xml``: this is the
same list of addresses (Plone's query and template), in one plain XML file,
up to the 50,000 addresses the protocol allows in one file.
"""

from plone.app.layout.sitemap.sitemap import SiteMapView
from plone.base.interfaces import ISiteSchema
from plone.registry.interfaces import IRegistry
from zope.component import getUtility
from zope.publisher.interfaces import NotFound

import itertools


MAX_URLS = 50000


class PlainSiteMapView(SiteMapView):
    def __init__(self, context, request):
        super().__init__(context, request)
        self.filename = "sitemap.xml"

    def objects(self):
        return list(itertools.islice(self._objects(), MAX_URLS))

    def __call__(self):
        settings = getUtility(IRegistry).forInterface(ISiteSchema, prefix="plone")
        if not settings.enable_sitemap:
            raise NotFound(self.context, self.filename, self.request)
        self.request.response.setHeader("Content-Type", "application/xml; charset=utf-8")
        return self.template()
