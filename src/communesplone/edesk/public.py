"""What the public may know of the problem reports: the Open311 API and the map.

A *problem report* is a request of a type that anonymous visitors may use
and that needs a location (the seed's Travaux reports). Its page stays
private (the workflow gives no View to Anonymous: it holds the contact's
email, the values, internal notes, messages); what is public is a fixed set
of facts chosen here, read from the catalog: its number, type, state, dates,
address and point. Nothing else leaves this module, so no personal data can
reach the map nor the Open311 answers by accident. The catalog is searched
unrestricted because the public facts are published on purpose, while the
objects themselves stay protected.

Open311 exposes the problem-report types that have an Open311 service code
(the services list: only the active ones).
"""

from communesplone.core import services
from communesplone.edesk.notifications import STATE_TITLES  # noqa: F401 (the states' names)
from communesplone.edesk.workflow_spec import OPEN
from plone import api


FINISHED = ("done", "rejected", "closed")
PUBLIC_STATES = OPEN + FINISHED  # never a draft


def is_problem_type(request_type):
    return bool(request_type.anonymous_allowed and request_type.needs_location)


def problem_types(*, open311=False, active_only=False):
    """The problem-report types, by title; with ``open311``, only those with a service code."""
    catalog = api.portal.get_tool("portal_catalog")
    result = []
    for brain in catalog.unrestrictedSearchResults(
        portal_type="request_type", sort_on="sortable_title"
    ):
        request_type = brain._unrestrictedGetObject()
        if not is_problem_type(request_type):
            continue
        if open311 and not request_type.open311_code:
            continue
        if active_only and not request_type.active:
            continue
        result.append(request_type)
    return result


def open311_type(code):
    """The active Open311 problem type of service code ``code``, or None."""
    for request_type in problem_types(open311=True, active_only=True):
        if request_type.open311_code == code:
            return request_type
    return None


def service_title(service_id):
    return services.title(service_id, unknown="")


def status(review_state):
    """Open311's status of a state: ``open`` or ``closed``."""
    return "open" if review_state in OPEN else "closed"


def reports(types, **query):
    """Catalog brains of the submitted reports of ``types`` (unrestricted), newest first.

    ``query`` adds catalog criteria (``review_state``, ``created``,
    ``tracking_number``, ``UID``...); drafts are never returned.
    """
    if not types:
        return []
    catalog = api.portal.get_tool("portal_catalog")
    criteria = {
        "portal_type": "citizen_request",
        "request_type": [t.UID() for t in types],
        "review_state": list(PUBLIC_STATES),
        "sort_on": ["created", "tracking_number"],  # numbers break ties within a second
        "sort_order": "descending",
    }
    criteria.update(query)
    if isinstance(criteria["review_state"], str):
        criteria["review_state"] = [criteria["review_state"]]
    criteria["review_state"] = [s for s in criteria["review_state"] if s in PUBLIC_STATES]
    return catalog.unrestrictedSearchResults(**criteria)


def coordinates(brain):
    """(latitude, longitude) of a report's brain, or None when it has no point."""
    latitude = getattr(brain, "latitude", None)
    longitude = getattr(brain, "longitude", None)
    if isinstance(latitude, float | int) and isinstance(longitude, float | int):
        return float(latitude), float(longitude)
    return None
