"""Catalog indexers of the requests."""

from communesplone.edesk import worklists
from communesplone.edesk.content.citizen_request import ICitizenRequest
from plone.indexer import indexer


@indexer(ICitizenRequest)
def request_type(obj):
    return obj.request_type


@indexer(ICitizenRequest)
def tracking_number(obj):
    return obj.tracking_number


@indexer(ICitizenRequest)
def requester(obj):  # indexed and metadata: the listing sorts by it
    return obj.requester()


@indexer(ICitizenRequest)
def assigned_agent(obj):
    """The agent's login, or "" (indexed: the unassigned requests are found)."""
    return obj.assigned_agent or ""


@indexer(ICitizenRequest)
def submitted(obj):
    """The submission date, or the creation date of a draft (so that every request sorts)."""
    return worklists.submission_date(obj) or obj.created()


@indexer(ICitizenRequest)
def due_date(obj):
    """The due date, or ``NO_DUE_DATE`` (which the listing shows as none)."""
    return worklists.due_date(obj) or worklists.NO_DUE_DATE
