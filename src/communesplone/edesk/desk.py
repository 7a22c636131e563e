"""The online desk of the site, and its request types as citizens see them."""

from communesplone import _
from communesplone.core import services
from plone import api


DESK_ID = "guichet"
DESK_TITLE = _("Online services")


def get_desk():
    """The site's online desk (created by the profile), or None."""
    portal = api.portal.get()
    desk = portal.get(DESK_ID)
    return desk if desk is not None and desk.portal_type == "request_desk" else None


def active_types_by_service():
    """[(service title, [request type brains])] of the active types, in the services' order."""
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog(portal_type="request_type", sort_on="sortable_title")
    grouped = {}
    for brain in brains:
        request_type = brain.getObject()
        if request_type.active:
            grouped.setdefault(request_type.service, []).append(request_type)
    result = []
    for service in services.get_all():
        if service["id"] in grouped:
            result.append((service["title"], grouped.pop(service["id"])))
    result += list(grouped.items())
    return result
