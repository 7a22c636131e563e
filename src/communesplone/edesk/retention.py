"""Retention of personal data: closed requests anonymised once past their type's period.

Each request type keeps the personal data of its requests for
``retention_months`` after they are closed (24 by default). The date a
request was closed comes from its workflow history (the first entry in the
``closed`` state) and is indexed as ``closed_on``; ``anonymised`` says in the
catalog which requests have been anonymised already.

:func:`anonymise` clears what identifies the citizen, and keeps what the
statistics need:

- cleared: the form's values, the contact email, the address, the internal
  notes, the reason of a refusal, the description, the Open311 media URL, the
  message thread, the attachments and certificates (the request's files),
  the comments of the history and the requester's name in it, the creators
  and the Owner local role (the requester's identity);
- kept: the type, the service, the state, the tracking number, the dates
  (created, submitted, closed), the assigned agent, the history's actions,
  states and dates, and the point rounded to :data:`COORDINATE_DECIMALS`
  decimals (about a kilometre: enough for the map of a district, not for a
  house).

It marks the request (``anonymised_on``), reindexes it (object, security,
metadata), writes an entry in its history and logs what it did. It does
nothing to a request already anonymised: :func:`run`, the daily task
(``scripts/edesk_retention.py``), may run any number of times. :func:`run`
commits in batches when asked to, and retries a batch that meets a ZODB
conflict.
"""

from communesplone import _
from communesplone.core.i18n import translate_for_site
from communesplone.edesk.content.citizen_request import ICitizenRequest
from communesplone.edesk.content.request_type import DEFAULT_RETENTION_MONTHS as DEFAULT_MONTHS
from DateTime import DateTime
from plone import api
from plone.indexer import indexer
from ZODB.POSException import ConflictError

import calendar
import logging
import transaction


logger = logging.getLogger("communesplone.edesk.retention")

PORTAL_TYPE = "citizen_request"
WORKFLOW = "communesplone_citizen_request_workflow"
CLOSED = "closed"
COORDINATE_DECIMALS = 2
BATCH_SIZE = 100
RETRIES = 3
HISTORY_ACTION = "anonymise"
INDEXES = ("closed_on", "anonymised")  # their metadata columns too
# Text fields of the request that may hold personal data: set to None.
CLEARED_FIELDS = (
    "contact_email",
    "address",
    "internal_notes",
    "rejection_reason",
    "media_url",
    "requester_fullname",  # the member's name, kept at submission (indexers.requester_name)
)


def retention_months(request_type):
    """The months ``request_type`` keeps personal data after closing (the default if None)."""
    months = getattr(request_type, "retention_months", None) if request_type is not None else None
    return DEFAULT_MONTHS if months is None else months


def months_before(when, months):
    """The DateTime ``months`` calendar months before ``when`` (the day clamped to the month)."""
    moment = when.asdatetime()
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return DateTime(moment.replace(year=year, month=month + 1, day=day))


def _history(request):
    return list((getattr(request, "workflow_history", None) or {}).get(WORKFLOW, ()))


def closed_on(request):
    """When ``request`` reached ``closed`` (a DateTime), or None if it is not closed."""
    if api.content.get_state(request, default=None) != CLOSED:
        return None
    for entry in _history(request):
        if entry.get("review_state") == CLOSED:
            return entry.get("time")
    return None


def is_anonymised(request):
    return getattr(request, "anonymised_on", None) is not None


@indexer(ICitizenRequest)
def closed_on_indexer(obj):
    return closed_on(obj)


@indexer(ICitizenRequest)
def anonymised_indexer(obj):
    return is_anonymised(obj)


def due(now=None):
    """Paths of the closed requests past their type's retention, not anonymised yet."""
    now = now or DateTime()
    catalog = api.portal.get_tool("portal_catalog")
    months = {
        brain.UID: retention_months(brain._unrestrictedGetObject())
        for brain in catalog.unrestrictedSearchResults(portal_type="request_type")
    }
    shortest = min([DEFAULT_MONTHS, *months.values()])
    brains = catalog.unrestrictedSearchResults(
        portal_type=PORTAL_TYPE,
        review_state=CLOSED,
        anonymised=False,
        closed_on={"query": months_before(now, shortest), "range": "max"},
        sort_on="closed_on",
    )
    found = []
    for brain in brains:
        limit = months_before(now, months.get(brain.request_type, DEFAULT_MONTHS))
        if brain.closed_on is not None and brain.closed_on <= limit:
            found.append(brain.getPath())
    return found


def anonymise(request, reason=None, actor=None):
    """Clear the personal data of ``request``; return what was cleared, or None if done before.

    ``reason`` is the history's comment (a message), ``actor`` the user id
    written in the history (the current user's by default).
    """
    if is_anonymised(request):
        return None
    creators = tuple(request.listCreators())
    cleared = {"values": len(request.values or {}), "messages": len(request.messages or ())}
    with api.env.adopt_roles(["Manager"]):
        request.values = {}
        for name in CLEARED_FIELDS:
            if getattr(request, name, None):
                cleared[name] = 1
            setattr(request, name, None)
        request.description = ""
        for name in ("latitude", "longitude"):
            value = getattr(request, name, None)
            if value is not None:
                setattr(request, name, round(value, COORDINATE_DECIMALS))
        request.messages = ()
        files = list(request.objectIds())
        cleared["files"] = len(files)
        if files:
            request.manage_delObjects(files)
        request.setCreators(())
        owners = [p for p, roles in request.get_local_roles() if "Owner" in roles]
        if owners:
            request.manage_delLocalRoles(owners)
        if "_owner" in request.__dict__:
            del request._owner  # then the desk's owner, by acquisition
        _clear_history(request, creators)
        request.anonymised_on = DateTime()
        _note(request, reason or _default_reason(request), actor)
        request.reindexObjectSecurity()
        # every index and the metadata, named: without a name, Plone would mark
        # the request modified, which makes the current user its creator again
        request.reindexObject(idxs=api.portal.get_tool("portal_catalog").indexes())
    logger.info(
        "Anonymised %s (%s): %s",
        "/".join(request.getPhysicalPath()),
        request.tracking_number or "no number",
        ", ".join(f"{key} {value}" for key, value in sorted(cleared.items()) if value),
    )
    return cleared


def _default_reason(request):
    return _(
        "Personal data removed: the retention period of ${months} months after closing is over.",
        mapping={"months": retention_months(request.get_request_type())},
    )


def _clear_history(request, creators):
    """No comment, and not the requester's login, in the history (states and dates kept)."""
    history = getattr(request, "workflow_history", None)
    if not history:
        return
    for workflow_id, entries in list(history.items()):
        cleaned = []
        for entry in entries:
            entry = dict(entry)
            entry["comments"] = ""
            if entry.get("actor") in creators:
                entry["actor"] = ""
            cleaned.append(entry)
        history[workflow_id] = tuple(cleaned)


def _note(request, message, actor=None):
    """An entry in the history, the state unchanged."""
    workflow_tool = api.portal.get_tool("portal_workflow")
    status = dict(workflow_tool.getStatusOf(WORKFLOW, request) or {})
    status.update(
        action=HISTORY_ACTION,
        actor=actor if actor is not None else api.user.get_current().getId(),
        time=DateTime(),
        comments=translate_for_site(message),
    )
    workflow_tool.setStatusOf(WORKFLOW, request, status)


def run(now=None, batch_size=BATCH_SIZE, commit=False, actor=None):
    """Anonymise every request past its retention; return how many were anonymised.

    With ``commit``, each batch of ``batch_size`` requests is committed on its
    own (a large run holds no giant transaction), and a batch that meets a
    ZODB conflict is aborted and done again, :data:`RETRIES` times at most.
    """
    paths = due(now)
    logger.info("Retention: %s request(s) past their retention period", len(paths))
    portal = api.portal.get()
    done = 0
    for start in range(0, len(paths), batch_size):
        batch = paths[start : start + batch_size]
        for attempt in range(1, RETRIES + 1):
            try:
                count = 0
                for path in batch:
                    request = portal.unrestrictedTraverse(path, None)
                    if request is not None and anonymise(request, actor=actor) is not None:
                        count += 1
                if commit:
                    transaction.commit()
                done += count
                break
            except ConflictError:
                transaction.abort()
                logger.warning("Retention: conflict in batch %s, attempt %s", start, attempt)
        else:
            logger.error("Retention: batch from %s given up after %s conflicts", start, RETRIES)
    logger.info("Retention: %s request(s) anonymised", done)
    return done
