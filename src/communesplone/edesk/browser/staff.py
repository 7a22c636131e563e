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
from communesplone.edesk.browser.citizen import require_post
from communesplone.edesk.notifications import STATE_TITLES
from plone import api
from plone.batching import Batch
from plone.memoize.view import memoize
from plone.protect.authenticator import createToken
from Products.CMFCore.WorkflowCore import WorkflowException
from Products.Five.browser import BrowserView
from zope.i18n import translate

import csv
import io


PAGE_SIZE = 50
SORTS = {"created": "created", "title": "sortable_title", "state": "review_state"}
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


class RequestsAdmin(BrowserView):
    def query(self):
        form = self.request.form
        query = {"portal_type": "citizen_request"}
        if form.get("service"):
            query["service"] = form["service"]
        if form.get("request_type"):
            query["request_type"] = form["request_type"]
        if form.get("state"):
            query["review_state"] = form["state"]
        sort = SORTS.get(form.get("sort_on"), "created")
        query["sort_on"] = sort
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
        brains = api.portal.get_tool("portal_catalog")(**self.query(), sort_limit=start + PAGE_SIZE)
        return Batch(brains, PAGE_SIZE, start)

    def rows(self):
        """The page's rows, from the brains' metadata only."""
        titles = self.state_titles()
        return [
            {
                "uid": brain.UID,
                "url": brain.getURL(),
                "title": brain.Title,
                "number": brain.tracking_number or "",
                "created": brain.created.strftime("%d/%m/%Y %H:%M") if brain.created else "",
                "by": brain.requester or "",
                "state": titles.get(brain.review_state, brain.review_state),
            }
            for brain in self.results()
        ]

    @memoize
    def state_titles(self):
        """{state id: its name, translated}, once per request."""
        return {
            state: translate(title, context=self.request) for state, title in STATE_TITLES.items()
        }

    def state_title(self, state):
        return self.state_titles().get(state, state)

    def service_title(self, service_id):
        service = services.get(service_id) if service_id else None
        return service["title"] if service else service_id or ""

    def filters(self):
        types = api.content.find(portal_type="request_type", sort_on="sortable_title")
        return {
            "services": services.get_all(),
            "types": [(b.UID, b.Title) for b in types],
            "states": [(state, self.state_title(state)) for state in STATES],
        }

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
        if isinstance(uids, str):
            uids = [uids]
        done, refused = 0, []
        for brain in api.content.find(portal_type="citizen_request", UID=uids):
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
        self.request.response.redirect(f"{self.context.absolute_url()}/@@requests-admin")
        return ""


class RequestsCSV(RequestsAdmin):
    """The listing's requests (all pages) as CSV, with the listing's filters."""

    def __call__(self):
        out = io.StringIO()
        writer = csv.writer(out)
        header = [
            _("Tracking number"),
            _("Title"),
            _("Created"),
            _("By"),
            _("State"),
            _("Service"),
            _("Assigned agent"),
        ]
        writer.writerow([translate(h, context=self.request) for h in header])
        for brain in api.portal.get_tool("portal_catalog")(**self.query()):
            writer.writerow(
                [
                    brain.tracking_number or "",
                    brain.Title,
                    brain.created.ISO8601(),
                    brain.requester or "",
                    self.state_title(brain.review_state),
                    self.service_title(brain.service),
                    brain.assigned_agent or "",
                ]
            )
        response = self.request.response
        response.setHeader("Content-Type", "text/csv; charset=utf-8")
        response.setHeader("Content-Disposition", 'attachment; filename="demandes.csv"')
        return out.getvalue()
