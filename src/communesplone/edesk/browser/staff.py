"""The staff's "Administration des demandes en ligne": listing, filters, batch, CSV.

Everything comes from the catalog, which returns only the requests the user
may view (their service's, through core's local roles): nothing is filtered
by hand. Batch transitions run as the user, so the workflow's guards decide.

The listing stays fast with 100,000 requests: one catalog query sorted with
``sort_limit`` (the page's end), a :class:`plone.batching.Batch` over the lazy
brains, every column from the brains' metadata (no object is woken), and the
states' names translated once per request, not once per row.
"""

from communesplone import _
from communesplone.core import services
from communesplone.edesk import worklists
from communesplone.edesk.browser.citizen import require_post
from communesplone.edesk.content.citizen_request import ICitizenRequest
from communesplone.edesk.content.citizen_request import REVIEW
from communesplone.edesk.notifications import STATE_TITLES
from communesplone.edesk.workflow_spec import OPEN
from communesplone.edesk.worklists import NO_DUE_DATE
from DateTime import DateTime
from datetime import datetime
from plone import api
from plone.batching import Batch
from plone.memoize.view import memoize
from plone.protect.authenticator import createToken
from Products.CMFCore.WorkflowCore import WorkflowException
from Products.Five.browser import BrowserView
from urllib.parse import urlencode
from zope.i18n import translate
from zope.schema import ValidationError
from zope.security import checkPermission

import csv
import io


PAGE_SIZE = 50
# the listing's sortable columns: form value -> catalog index
SORTS = {
    "title": "sortable_title",
    "submitted": "submitted",
    "created": "created",
    "requester": "requester_name",  # the "By" column shows the name
    "state": "review_state",
    "due_date": "due_date",
}
# the sortable columns, in the listing's order: (form value, header)
COLUMNS = (
    ("title", _("Title")),
    ("submitted", _("Submission date")),
    ("requester", _("By")),
    ("state", _("State")),
    ("due_date", _("Due date")),
)
STATES = (
    "submitted",
    "in_progress",
    "waiting_citizen",
    "transmitted",
    "done",
    "rejected",
    "closed",
    "draft",
)
# worklist -> its name (the open requests of each)
WORKLISTS = {
    "mine": _("My worklist"),
    "service": _("My services"),
    "unassigned": _("Unassigned"),
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def parse_date(value):
    """The date typed as YYYY-MM-DD (or DD/MM/YYYY), or None; ValueError if not a date."""
    value = (value or "").strip()
    if not value:
        return None
    for date_format in DATE_FORMATS:
        try:
            return datetime.strptime(value, date_format).date()
        except ValueError:
            continue
    raise ValueError(value)


class RequestsAdmin(BrowserView):
    @memoize
    def date_range(self):
        """(from, to, error messages): the submission dates asked, checked."""
        form, errors, found = self.request.form, [], {}
        labels = {"date_from": _("Submitted from"), "date_to": _("Submitted until")}
        for key, label in labels.items():
            try:
                found[key] = parse_date(form.get(key))
            except ValueError:
                errors.append(
                    _(
                        '"${value}" is not a date (${field}): write it as YYYY-MM-DD, '
                        "for example 2026-03-31.",
                        mapping={"value": form.get(key), "field": label},
                    )
                )
        start, end = found.get("date_from"), found.get("date_to")
        if start and end and start > end:
            errors.append(
                _(
                    "The period ends (${end}) before it starts (${start}).",
                    mapping={"start": start.isoformat(), "end": end.isoformat()},
                )
            )
        return start, end, errors

    def errors(self):
        """The filters' errors, translated."""
        return [translate(error, context=self.request) for error in self.date_range()[2]]

    def query(self):
        """The catalog query of the form's filters, or None when none can match."""
        form = self.request.form
        query = {"portal_type": "citizen_request"}
        if form.get("service"):
            query["service"] = form["service"]
        if form.get("request_type"):
            query["request_type"] = form["request_type"]
        states = list(STATES)
        if form.get("state"):
            states = [form["state"]]
        worklist = form.get("worklist")
        if worklist in WORKLISTS or form.get("overdue"):
            states = [state for state in states if state in OPEN]
        if worklist == "mine":
            query["assigned_agent"] = api.user.get_current().getId()
        elif worklist == "service":
            mine = worklists.user_services()
            if form.get("service"):
                mine = [service for service in mine if service == form["service"]]
            if not mine:
                return None
            query["service"] = mine
        elif worklist == "unassigned":
            query["assigned_agent"] = ""
        if form.get("overdue"):
            query["due_date"] = worklists.overdue_query()["due_date"]
        if not states:
            return None
        if len(states) < len(STATES):
            query["review_state"] = states
        start, end, errors = self.date_range()
        if errors:
            return None
        if start or end:
            bounds = [
                DateTime(f"{start.isoformat()} 00:00:00") if start else None,
                DateTime(f"{end.isoformat()} 23:59:59") if end else None,
            ]
            ranges = {(True, True): "min:max", (True, False): "min", (False, True): "max"}
            query["submitted"] = {
                "query": [bound for bound in bounds if bound is not None],
                "range": ranges[(bool(start), bool(end))],
            }
        query["sort_on"] = SORTS.get(form.get("sort_on"), "submitted")
        query["sort_order"] = "ascending" if form.get("sort_order") == "ascending" else "descending"
        return query

    def start(self):
        try:
            return max(int(self.request.form.get("b_start") or 0), 0)
        except ValueError:
            return 0

    @memoize
    def results(self):
        """The page's :class:`Batch` of brains (newest first unless sorted otherwise)."""
        start = self.start()
        query = self.query()
        if query is None:
            return Batch([], PAGE_SIZE, 0)
        brains = api.portal.get_tool("portal_catalog")(**query, sort_limit=start + PAGE_SIZE)
        return Batch(brains, PAGE_SIZE, start)

    def rows(self):
        """The page's rows, from the brains' metadata only."""
        titles = self.state_titles()
        today = worklists.today()
        rows = []
        for brain in self.results():
            due = brain.due_date
            if due is not None and due >= NO_DUE_DATE:
                due = None
            submitted = brain.submitted or brain.created
            rows.append(
                {
                    "uid": brain.UID,
                    "url": brain.getURL(),
                    "title": brain.Title,
                    "number": brain.tracking_number or "",
                    "submitted": submitted.strftime("%d/%m/%Y %H:%M") if submitted else "",
                    "by": brain.requester_name or brain.requester or "",
                    "state": titles.get(brain.review_state, brain.review_state),
                    "agent": brain.assigned_agent or "",
                    "due": due.strftime("%d/%m/%Y") if due else "",
                    "overdue": worklists.is_overdue(brain.review_state, due, today),
                }
            )
        return rows

    def sort_url(self, column):
        """The listing's URL sorted on ``column`` (reversed if it is already sorted on it)."""
        form = {
            key: value
            for key, value in self.request.form.items()
            if key not in ("sort_on", "sort_order", "b_start", "-C") and isinstance(value, str)
        }
        current = self.request.form.get("sort_on") or "submitted"
        ascending = self.request.form.get("sort_order") == "ascending"
        order = "descending" if current == column and ascending else "ascending"
        if current != column and column in ("submitted", "due_date"):
            order = "descending" if column == "submitted" else "ascending"
        form.update(sort_on=column, sort_order=order)
        return f"{self.context.absolute_url()}/@@requests-admin?{urlencode(form)}"

    def columns(self):
        """(form value, translated header, aria-sort, URL) of each sortable column."""
        return [
            (
                column,
                translate(title, context=self.request),
                self.sort_state(column),
                self.sort_url(column),
            )
            for column, title in COLUMNS
        ]

    def sort_state(self, column):
        """The ``aria-sort`` of ``column``'s header: ascending, descending or none."""
        if (self.request.form.get("sort_on") or "submitted") != column:
            return "none"
        return "ascending" if self.request.form.get("sort_order") == "ascending" else "descending"

    @memoize
    def state_titles(self):
        """{state id: its name, translated}, once per request."""
        return {
            state: translate(title, context=self.request) for state, title in STATE_TITLES.items()
        }

    def state_title(self, state):
        return self.state_titles().get(state, state)

    def service_title(self, service_id):
        return services.title(service_id)

    def filters(self):
        types = api.content.find(portal_type="request_type", sort_on="sortable_title")
        return {
            "services": services.get_all(),
            "types": [(b.UID, b.Title) for b in types],
            "states": [(state, self.state_title(state)) for state in STATES],
            "worklists": [
                (key, translate(title, context=self.request)) for key, title in WORKLISTS.items()
            ],
        }

    @memoize
    def agents(self):
        """(login, name) of the agents of the user's services, to assign from the listing."""
        found = {}
        for service_id in worklists.user_services():
            found.update(worklists.agents(service_id))
        if not found and api.user.has_permission("Manage portal"):
            for service in services.get_all():
                found.update(worklists.agents(service["id"]))
        return sorted(found.items(), key=lambda pair: pair[1].lower())

    def transitions(self):
        spec = api.portal.get_tool("portal_workflow")["communesplone_citizen_request_workflow"]
        return [(t.id, t.title) for t in spec.transitions.values() if t.id != "submit"]

    def token(self):
        return createToken()


class BatchTransition(BrowserView):
    """POST: one transition on the chosen requests, each as the user."""

    def __call__(self):
        require_post(self.request)
        form = self.request.form
        transition = form.get("transition")
        uids = form.get("uids") or []
        uids = [uids] if isinstance(uids, str) else [uid for uid in uids if uid]
        done, refused = 0, []
        brains = api.content.find(portal_type="citizen_request", UID=uids) if uids else []
        for brain in brains:
            request = brain.getObject()
            try:
                api.content.transition(
                    obj=request, transition=transition, comment=form.get("comment", "")
                )
                done += 1
            except (api.exc.InvalidParameterError, WorkflowException):
                refused.append(request.tracking_number or request.getId())
        api.portal.show_message(
            _("${count} requests changed.", mapping={"count": done}), request=self.request
        )
        if refused:
            api.portal.show_message(
                _(
                    "Not allowed for: ${numbers}.",
                    mapping={"numbers": ", ".join(refused)},
                ),
                request=self.request,
                type="warning",
            )
        self.request.response.redirect(listing_url(self.context, form))
        return ""


def listing_url(desk, form):
    """The listing as it was (its filters and page, kept in the form's ``listing``)."""
    query = form.get("listing") or ""
    query = query if isinstance(query, str) else ""
    return f"{desk.absolute_url()}/@@requests-admin" + (f"?{query}" if query else "")


class AssignAgent(BrowserView):
    """POST: assign the chosen requests to an agent (or to nobody), each as the user.

    The user needs the review permission on each request (the field's write
    permission) and the agent must be staff of its service: the field's own
    validation, as in the edit form and REST, says why not.
    """

    def __call__(self):
        require_post(self.request)
        form = self.request.form
        agent = form.get("agent") or None
        uids = form.get("uids") or []
        uids = [uids] if isinstance(uids, str) else [uid for uid in uids if uid]
        field = ICitizenRequest["assigned_agent"]
        done, refused = 0, []
        brains = api.content.find(portal_type="citizen_request", UID=uids) if uids else []
        for brain in brains:
            request = brain.getObject()
            number = request.tracking_number or request.getId()
            if not checkPermission(REVIEW, request):
                refused.append(_("${number}: not allowed.", mapping={"number": number}))
                continue
            try:
                field.bind(request).validate(agent)
            except ValidationError as error:
                message = translate(error.doc(), context=self.request)
                refused.append(
                    _("${number}: ${reason}", mapping={"number": number, "reason": message})
                )
                continue
            request.assigned_agent = agent
            request.reindexObject(idxs=["assigned_agent"])
            done += 1
        api.portal.show_message(
            _("${count} requests assigned.", mapping={"count": done}), request=self.request
        )
        for message in refused:
            api.portal.show_message(message, request=self.request, type="warning")
        self.request.response.redirect(listing_url(self.context, form))
        return ""


class RequestsCSV(RequestsAdmin):
    """The listing's requests (all pages) as CSV, with the listing's filters."""

    def __call__(self):
        out = io.StringIO()
        writer = csv.writer(out)
        header = [
            _("Tracking number"),
            _("Title"),
            _("Submission date"),
            _("By"),
            _("State"),
            _("Service"),
            _("Assigned agent"),
            _("Due date"),
            _("Overdue"),
        ]
        writer.writerow([translate(h, context=self.request) for h in header])
        query = self.query()
        brains = api.portal.get_tool("portal_catalog")(**query) if query is not None else []
        today, yes = worklists.today(), translate(_("Overdue"), context=self.request)
        for brain in brains:
            due = brain.due_date if brain.due_date and brain.due_date < NO_DUE_DATE else None
            submitted = brain.submitted or brain.created
            writer.writerow(
                [
                    brain.tracking_number or "",
                    brain.Title,
                    submitted.ISO8601(),
                    brain.requester_name or brain.requester or "",
                    self.state_title(brain.review_state),
                    self.service_title(brain.service),
                    brain.assigned_agent or "",
                    due.strftime("%Y-%m-%d") if due else "",
                    yes if worklists.is_overdue(brain.review_state, due, today) else "",
                ]
            )
        response = self.request.response
        response.setHeader("Content-Type", "text/csv; charset=utf-8")
        response.setHeader("Content-Disposition", 'attachment; filename="demandes.csv"')
        return out.getvalue()
