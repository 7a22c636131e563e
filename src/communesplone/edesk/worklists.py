"""The staff's worklists: due dates, overdue requests, agents of a service.

- A request's submission date is the time of its ``submit`` transition (in its
  workflow history); its due date is a day: the day of its submission (in
  the site's time zone) plus its type's target processing time in days (none
  for a draft, or for a type without one). Both are indexed (``submitted``,
  ``due_date``) and kept as metadata, so the listings read and sort them
  from the brains. The ``due_date`` index holds days (a ``datetime.date``,
  its precision is a day): a range query on it unites one set per day, not
  one per minute.
- A request is overdue when it is open (``workflow_spec.OPEN``) and its due
  day is over: a request due today is overdue from tomorrow.
- The agents of a service are the members of its editors' and reviewers'
  groups (core's services); a request is assigned to one of its service's
  agents only, which the ``assigned_agent`` field checks (forms and REST).
"""

from communesplone import _
from communesplone.core import services
from communesplone.edesk.workflow_spec import OPEN
from DateTime import DateTime
from datetime import date
from datetime import timedelta
from plone import api
from zoneinfo import ZoneInfo
from zoneinfo import ZoneInfoNotFoundError
from zope.interface import provider
from zope.schema.interfaces import IContextSourceBinder
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


WORKFLOW = "communesplone_citizen_request_workflow"
# What the ``due_date`` index holds for a request without a due date (a draft,
# a type without a target): the catalog leaves out of a sorted result what its
# sort index lacks, so every request is indexed, and this one sorts last.
NO_DUE_DATE = date(2499, 12, 31)
AGENT_FUNCTIONS = ("editors", "reviewers")
STAFF_FUNCTIONS = ("editors", "reviewers", "observers")


def submission_date(request):
    """The DateTime of the request's (first) submission, or None for a draft."""
    history = (getattr(request, "workflow_history", None) or {}).get(WORKFLOW) or ()
    for entry in history:
        if entry.get("action") == "submit":
            return entry.get("time")
    return None


def site_timezone():
    """The site's time zone (Site Setup → Date and Time), or None for the server's."""
    name = api.portal.get_registry_record("plone.portal_timezone", default=None)
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_day(when, timezone=None):
    """The day (a ``date``) of the DateTime ``when`` in the site's time zone."""
    return when.asdatetime().astimezone(timezone or site_timezone()).date()


def today():
    """Today, in the site's time zone."""
    return local_day(DateTime())


def due_date(request, request_type=None):
    """The day the request is due (a ``date``): the day of its submission + the
    type's target processing days, or None."""
    submitted = submission_date(request)
    if submitted is None:
        return None
    request_type = request_type or request.get_request_type()
    days = getattr(request_type, "processing_days", None)
    if days is None:
        return None
    return local_day(submitted) + timedelta(days=days)


def request_type_modified(request_type, event):
    """A type's target processing time changed: its requests' due dates follow."""
    days = getattr(request_type, "processing_days", None)
    if getattr(request_type, "_indexed_processing_days", None) == days:
        return
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(
        portal_type="citizen_request", request_type=request_type.UID()
    ):
        brain._unrestrictedGetObject().reindexObject(idxs=["due_date"])
    request_type._indexed_processing_days = days


def is_overdue(review_state, due, day=None):
    """Whether a request in ``review_state``, due on the day ``due``, is overdue on
    ``day`` (today by default): its due day is over."""
    if due is None or due >= NO_DUE_DATE or review_state not in OPEN:
        return False
    return due < (day or today())


def overdue_query(day=None):
    """The catalog criteria of the requests overdue on ``day`` (today by default):
    open, and due at the latest the day before."""
    last = (day or today()) - timedelta(days=1)
    return {"review_state": list(OPEN), "due_date": {"query": last, "range": "max"}}


def agents(service_id):
    """{login: full name} of the agents of ``service_id`` (its editors and reviewers)."""
    found = {}
    if not service_id:
        return found
    for function in AGENT_FUNCTIONS:
        group = api.group.get(groupname=services.group_id(service_id, function))
        if group is None:
            continue
        for member in group.getGroupMembers():
            found.setdefault(member.getId(), member.getProperty("fullname") or member.getId())
    return found


def user_services(user=None):
    """The ids of the services whose staff ``user`` (the current one by default) is."""
    user = user or api.user.get_current()
    groups = set(user.getGroups() or ()) if hasattr(user, "getGroups") else set()
    return [
        service["id"]
        for service in services.get_all()
        if any(services.group_id(service["id"], f) in groups for f in STAFF_FUNCTIONS)
    ]


@provider(IContextSourceBinder)
def service_agents(context):
    """The agents of the request's service (the ``assigned_agent`` field's choices)."""
    members = agents(getattr(context, "service", None))
    return SimpleVocabulary(
        [SimpleTerm(login, login, title) for login, title in sorted(members.items())]
    )


def agent_refusal(context, value):
    """Why ``value`` may not be the agent of the request ``context``."""
    service = services.get(getattr(context, "service", None) or "")
    return _(
        'The agent "${agent}" is not staff of the service "${service}" that handles this request.',
        mapping={"agent": value, "service": service["title"] if service else "—"},
    )
