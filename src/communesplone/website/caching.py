"""The caching operation of personal pages: kept by no cache, not even on disk.

plone.app.caching's "No caching" (``max-age=0, must-revalidate, private``)
still lets a browser store the page and show it again from its history. A
page with one person's data (the e-desk's "Mes demandes", the request forms,
the staff listing) asks for more: ``no-store``.
"""

from communesplone import _
from plone.app.caching.interfaces import IETagValue
from plone.app.caching.operations.utils import formatDateTime
from plone.app.caching.operations.utils import getExpiration
from plone.caching.interfaces import ICachingOperation
from plone.caching.interfaces import ICachingOperationType
from zope.component import adapter
from zope.interface import implementer
from zope.interface import Interface
from zope.interface import provider
from zope.publisher.interfaces.http import IHTTPRequest

import time


NO_STORE = "private, no-cache, no-store, max-age=0"


@implementer(ICachingOperation)
@provider(ICachingOperationType)
@adapter(Interface, IHTTPRequest)
class NoStore:
    title = _("Personal data: never stored")
    description = _(
        "Keeps the response out of every cache, the browser's included: for pages that "
        "show one person's data."
    )
    prefix = "communesplone.website.noStore"
    sort = 6
    options = ()

    def __init__(self, published, request):
        self.published = published
        self.request = request

    def interceptResponse(self, rulename, response):
        return None

    def modifyResponse(self, rulename, response):
        for header in ("ETag", "Last-Modified"):
            if response.getHeader(header):
                del response.headers[header.lower()]
        response.setHeader("Expires", formatDateTime(getExpiration(0)))
        response.setHeader("Cache-Control", NO_STORE)


# What the catalog's counter does not see changes a page too: the settings
# (colours, banner, footer), an alert banner or an event whose time has come
# or gone. The ETag of a page includes the current ten minutes, so a browser
# or a proxy shows such a change within ten minutes (the proxies' s-maxage).
WINDOW = 600


def now():
    return time.time()


@implementer(IETagValue)
@adapter(Interface, Interface)
class TimeWindow:
    """The ``communesplone.timeWindow`` ETag component: the current ten minutes."""

    def __init__(self, published, request):
        self.published = published
        self.request = request

    def __call__(self):
        return str(int(now()) // WINDOW)
