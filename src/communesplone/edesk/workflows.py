"""Side effects of the requests' transitions and content events, in one module.

- at submission, the request takes the next number of its year's sequence
  (core's numbering on the desk: unique and gap-free, concurrent
  submissions conflict and are retried);
- a refusal needs a reason (the transition's comment), kept on the request;
- after every transition the citizen is told by email (``notifications``);
- a request gets its type's service (its staff's local roles) when it is
  added; a file attached to a request must pass the attachment limits.
"""

from Acquisition import aq_parent
from communesplone import _
from communesplone.core.numbering import next_number
from communesplone.edesk import attachments
from communesplone.edesk import notifications
from datetime import date
from Products.CMFCore.WorkflowCore import WorkflowException
from zExceptions import BadRequest
from zope.i18n import translate
from zope.interface import Invalid


def sequence_name(year):
    return f"requests-{year}"


def format_number(year, number):
    return f"{year}-{number:06d}"


def take_number(request):
    """Give ``request`` the next tracking number of this year (once)."""
    if request.tracking_number:
        return request.tracking_number
    year = date.today().year
    number = next_number(aq_parent(request), sequence_name(year))
    request.tracking_number = format_number(year, number)
    return request.tracking_number


def before_transition(request, event):
    if event.transition is None:
        return
    if event.transition.id == "reject" and not (event.kwargs or {}).get("comment", "").strip():
        raise WorkflowException(
            translate(
                _("Give the reason of the refusal: the citizen reads it."),
                context=getattr(request, "REQUEST", None),
            )
        )


def after_transition(request, event):
    if event.transition is None:
        return
    transition = event.transition.id
    if transition == "submit":
        take_number(request)
    if transition == "reject":
        request.rejection_reason = event.kwargs.get("comment", "").strip()
    if transition == "reopen":
        request.rejection_reason = None
    request.reindexObject()
    notifications.notify_citizen(request, transition, event.kwargs.get("comment", ""))


def request_added(request, event):
    """A request belongs to its type's processing service."""
    request_type = request.get_request_type()
    if request_type is not None and not getattr(request, "service", None):
        request.service = request_type.service
        request.reindexObject()


def file_added(obj, event):
    """Refuse a file that the attachment settings do not accept (REST, add form)."""
    if getattr(aq_parent(obj), "portal_type", None) != "citizen_request":
        return
    blob = getattr(obj, "file", None)
    if blob is None:
        return
    try:
        attachments.check(blob.filename, blob.getSize())
    except Invalid as error:
        raise BadRequest(translate(error.args[0], context=getattr(obj, "REQUEST", None))) from None
