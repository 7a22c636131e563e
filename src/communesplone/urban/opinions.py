"""An opinion request's life: sent to its body, its opinion received.

The workflow (``workflow_spec.OPINION``: prepared -> sent -> received) holds
the state; this module holds the rules of its dates and opinion, checked
before anything is written, for the opinion request's page and for code:

- :func:`send` records the sent date (today unless given; not before the
  request's own date) and runs ``send``;
- :func:`receive` records the received date (not before the sent date), the
  opinion given (one of ``constants.OPINIONS``: required) and its text, and
  runs ``receive``;
- :func:`due` and :func:`overdue`: the answer is due ``delay`` days after the
  sent date, as the deadlines module counts it (``deadlines.py``, one rule
  for every opinion request); overdue is computed, it is not a state.

Each refusal is a :class:`~communesplone.core.validation.Refusal` with its
reason. The rule of ``receive`` is also the workflow's guard (``@@urban-guards``,
:class:`Guards`): whoever runs the transition (the page, the state menu,
plone.restapi's ``@workflow/receive``) must have recorded the opinion given
first, else the transition is not available. When a transition is run without
its dates, :func:`after_transition` records those that are missing (today).
"""

from communesplone import _
from communesplone.core.validation import Refusal
from communesplone.urban import constants
from datetime import date
from datetime import datetime
from plone import api
from Products.Five.browser import BrowserView


SEND = "send"
RECEIVE = "receive"


def _as_date(value):
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _format(value):
    return value.strftime("%d/%m/%Y")


def check_send(request, sent_date):
    """Raise Refusal if ``request`` may not be recorded as sent on ``sent_date``."""
    if api.content.get_state(request, default=None) != "prepared":
        raise Refusal(_("This opinion request has been sent already."))
    event_date = _as_date(request.event_date)
    if sent_date is None:
        raise Refusal(_("Give the date on which the request was sent."))
    if event_date is not None and sent_date < event_date:
        raise Refusal(
            _(
                "The request cannot be sent on ${sent}, before its own date (${date}).",
                mapping={"sent": _format(sent_date), "date": _format(event_date)},
            )
        )


def receive_problem(request, received_date, opinion):
    """The reason why ``request`` may not be recorded as answered with ``opinion`` on
    ``received_date``, or None."""
    if api.content.get_state(request, default=None) != "sent":
        return _("Only a request that was sent can receive its opinion.")
    if opinion not in constants.OPINIONS:
        return _("Choose the opinion given: favorable, favorable with conditions or unfavorable.")
    if received_date is None:
        return _("Give the date on which the opinion was received.")
    sent = _as_date(request.sent_date)
    if sent is not None and received_date < sent:
        return _(
            "The opinion cannot be received on ${received}, before the request was sent (${sent}).",
            mapping={"received": _format(received_date), "sent": _format(sent)},
        )
    return None


def check_receive(request, received_date, opinion):
    """Raise Refusal if ``request`` may not be recorded as answered with ``opinion``."""
    message = receive_problem(request, received_date, opinion)
    if message is not None:
        raise Refusal(message)


def may_receive(request):
    """The guard of ``receive``: the opinion recorded on ``request`` (and its received
    date, else today, not before the sending) passes :func:`receive_problem`."""
    received = _as_date(request.received_date) or date.today()
    return receive_problem(request, received, request.opinion) is None


class Guards(BrowserView):
    """``@@urban-guards``: ``allows(name)`` for the urban workflows' guard expressions."""

    def allows(self, name):
        return bool(GUARDS[name](self.context))


GUARDS = {RECEIVE: may_receive}


def send(request, sent_date=None):
    """Record ``request`` as sent on ``sent_date`` (today if None), as the current user."""
    sent_date = sent_date or date.today()
    check_send(request, sent_date)
    request.sent_date = sent_date
    api.content.transition(obj=request, transition=SEND)
    request.reindexObject()


def receive(request, opinion, received_date=None, text=None):
    """Record the body's ``opinion`` received on ``received_date`` (today if None)."""
    received_date = received_date or date.today()
    check_receive(request, received_date, opinion)
    request.received_date = received_date
    request.opinion = opinion
    if text is not None:
        request.opinion_text = text.strip() or None
    api.content.transition(obj=request, transition=RECEIVE)
    request.reindexObject()


def after_transition(request, event):
    """A ``send`` or ``receive`` run without a date (REST, the state menu) dates it today."""
    transition = getattr(event.transition, "id", None)
    if transition == SEND and request.sent_date is None:
        request.sent_date = date.today()
    elif transition == RECEIVE and request.received_date is None:
        request.received_date = date.today()


def deadline(request):
    """The deadlines module's :class:`Deadline` of ``request``, or None (not sent)."""
    from communesplone.urban import deadlines

    licence = request.licence()
    for found in deadlines.deadlines_of(licence):
        if found.rule == deadlines.OPINION and found.key == request.getId():
            return found
    return None


def due(request):
    found = deadline(request)
    return found.due if found is not None else None


def overdue(request, today=None):
    """Sent, not answered, and past its due date."""
    found = deadline(request)
    if found is None or request.received_date is not None:
        return False
    return (today or date.today()) > found.due
