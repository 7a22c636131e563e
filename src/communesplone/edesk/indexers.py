"""Catalog indexers of the requests."""

from Acquisition import aq_base
from communesplone.edesk import worklists
from communesplone.edesk.content.citizen_request import ICitizenRequest
from plone import api
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
def requester_name(obj):
    """The requester's full name (metadata: the staff listing's "By", read without
    waking the member), else their login; an anonymous request's contact email.

    The name is kept on the request at submission (``submission.create``); a
    request made otherwise (REST) or before it was kept has it from the member.
    """
    login = obj.requester()
    if not login or obj.contact_email:
        return login or ""
    name = getattr(aq_base(obj), "requester_fullname", None)
    if name is None:
        member = api.user.get(userid=login)
        name = member.getProperty("fullname", "") if member is not None else ""
    return name or login


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
    """The due day (a ``date``), or ``NO_DUE_DATE`` (which the listing shows as none)."""
    return worklists.due_date(obj) or worklists.NO_DUE_DATE
