"""An event's page, and the forms that send an opinion request and record its opinion.

Every event shows its type, date, key dates, its licence and the files it
holds (generated letters, attachments); the internal notes only for those
with ``VIEW_INTERNAL_NOTES``. An opinion request shows its body, delay, sent
and received dates, its due date and whether it is overdue (computed by
``opinions.py`` from the deadlines module), and the opinion given; the
staff send it and record the opinion from here (``opinions.send`` /
``opinions.receive``, which refuse bad input with the reason). An inquiry
shows its dates and the number of claims, and the claimants to those who
may read personal data. A decision shows the decision it recorded on the
licence.
"""

from communesplone import _
from communesplone.core.validation import Refusal
from communesplone.urban import constants
from communesplone.urban import opinions
from communesplone.urban import timeline
from communesplone.urban.browser.licence import format_date
from communesplone.urban.browser.licence import term_title
from communesplone.urban.content.event import IUrbanEvent
from communesplone.urban.desk import get_event_type
from datetime import datetime
from plone import api
from plone.protect import CheckAuthenticator
from plone.protect.authenticator import createToken
from Products.Five.browser import BrowserView
from Products.statusmessages.interfaces import IStatusMessage
from z3c.form.interfaces import IAddForm
from z3c.form.widget import ComputedWidgetAttribute
from zExceptions import BadRequest
from zope.i18n import translate


OPINIONS_VOCABULARY = "communesplone.urban.opinions"


def _chosen_event_type(adapter):
    """The event type the "Ajouter un événement" menu chose (``?event_type=``), if known."""
    chosen = adapter.request.get("event_type")
    return chosen if isinstance(chosen, str) and get_event_type(chosen) is not None else None


# The add form's default event type: the one chosen in the licence's menu
EventTypeDefault = ComputedWidgetAttribute(
    _chosen_event_type, field=IUrbanEvent["event_type"], view=IAddForm
)


def may_transition(obj, transition_id):
    """Whether the current user may run ``transition_id`` on ``obj`` now."""
    workflow_tool = api.portal.get_tool("portal_workflow")
    return any(
        workflow.isActionSupported(obj, transition_id)
        for workflow in workflow_tool.getWorkflowsFor(obj)
    )


class EventView(BrowserView):
    """The ``view`` of the four event types."""

    def tr(self, message):
        return translate(message, context=self.request)

    def licence(self):
        licence = timeline.licence_of(self.context)
        return {"title": licence.Title(), "url": licence.absolute_url()} if licence else None

    def fields(self):
        """[(label, value)] of the event's common fields."""
        event = self.context
        rows = [(_("Date"), format_date(event.event_date))]
        if event.portal_type != constants.EVENT:
            workflow = api.portal.get_tool("portal_workflow")
            state = api.content.get_state(event, default="")
            title = workflow.getTitleForStateOnType(state, event.portal_type) or state
            rows.append((_("State"), self.tr(title)))
        return [{"label": self.tr(label), "value": value} for label, value in rows if value]

    def key_dates(self):
        return [
            {"label": row.get("label") or "", "date": format_date(row.get("date"))}
            for row in self.context.key_dates or ()
        ]

    def notes(self):
        if not api.user.has_permission(constants.VIEW_INTERNAL_NOTES, obj=self.context):
            return None
        return self.context.notes or None

    def files(self):
        """The files and images in the event that the user may view."""
        return [
            {"title": brain.Title or brain.getId, "url": brain.getURL()}
            for brain in api.content.find(
                context=self.context, depth=1, sort_on="getObjPositionInParent"
            )
        ]

    # Opinion requests

    def is_opinion_request(self):
        return self.context.portal_type == constants.OPINION_REQUEST

    def opinion(self):
        """What the page shows of an opinion request."""
        request = self.context
        event_type = request.get_event_type()
        due = opinions.due(request)
        opinion = request.opinion
        delay = request.delay if request.delay is not None else getattr(event_type, "delay", None)
        return {
            "body": request.body or getattr(event_type, "body", None) or "",
            "delay": delay,
            "sent": format_date(request.sent_date),
            "due": format_date(due),
            "overdue": opinions.overdue(request),
            "received": format_date(request.received_date),
            "opinion": opinion,
            "opinion_title": self.tr(term_title(OPINIONS_VOCABULARY, request, opinion))
            if opinion
            else "",  # fmt: skip
            "text": request.opinion_text or "",
        }

    def can_send(self):
        return self.is_opinion_request() and may_transition(self.context, opinions.SEND)

    def can_receive(self):
        """Sent, and the user may run its transitions (whose guard, the opinion given,
        the form below records)."""
        return (
            self.is_opinion_request()
            and api.content.get_state(self.context, default=None) == "sent"
            and api.user.has_permission(constants.MODIFY, obj=self.context)
        )

    def opinion_choices(self):
        return [
            {"value": value, "title": self.tr(term_title(OPINIONS_VOCABULARY, None, value))}
            for value in constants.OPINIONS
        ]

    def today(self):
        return datetime.now().date().isoformat()

    def token(self):
        return createToken()

    # Inquiries

    def is_inquiry(self):
        return self.context.portal_type == constants.INQUIRY

    def inquiry(self):
        inquiry = self.context
        may_read = api.user.has_permission(constants.VIEW_PERSONAL_DATA, obj=inquiry)
        return {
            "start": format_date(inquiry.start_date),
            "end": format_date(inquiry.end_date),
            "notice": inquiry.notice or "",
            "count": inquiry.claims_count(),
            "claimants": [
                {
                    "name": row.get("name") or "",
                    "address": row.get("address") or "",
                    "date": format_date(row.get("date")),
                    "claim": row.get("claim") or "",
                }
                for row in inquiry.claimants or ()
            ]
            if may_read
            else None,
        }

    # Decisions

    def decision(self):
        if self.context.portal_type != constants.DECISION or not self.context.decision:
            return None
        value = self.context.decision
        return {
            "value": value,
            "title": self.tr(term_title("communesplone.urban.decisions", self.context, value)),
        }


def _parse_date(value):
    value = (value or "").strip()
    if not value:
        return None
    for date_format in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, date_format).date()
        except ValueError:
            continue
    raise Refusal(
        _(
            '"${value}" is not a date: write it as YYYY-MM-DD, for example 2026-03-31.',
            mapping={"value": value},
        )
    )


class _OpinionAction(BrowserView):
    """A POST of the opinion request's page; back to it with the outcome."""

    def __call__(self):
        if self.request.method != "POST":
            raise BadRequest("POST only")
        CheckAuthenticator(self.request)
        messages = IStatusMessage(self.request)
        try:
            self.act(self.request.form)
        except Refusal as error:
            messages.add(translate(error.message, context=self.request), type="error")
        else:
            messages.add(translate(self.done, context=self.request), type="info")
        self.request.response.redirect(self.context.absolute_url())
        return ""


class SendOpinionRequest(_OpinionAction):
    """``@@opinion-send``: the request is sent to its body."""

    done = _("The opinion request is recorded as sent.")

    def act(self, form):
        opinions.send(self.context, _parse_date(form.get("sent_date")))


class ReceiveOpinion(_OpinionAction):
    """``@@opinion-receive``: the body's opinion is received."""

    done = _("The opinion is recorded.")

    def act(self, form):
        opinions.receive(
            self.context,
            form.get("opinion") or None,
            _parse_date(form.get("received_date")),
            form.get("opinion_text"),
        )
