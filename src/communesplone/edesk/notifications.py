"""Emails to the citizen after each transition of their request.

The texts are messages of the ``communesplone`` domain (one per state),
translated into the citizen's language (their member property, else the
site's), with a link to the request. Plone's MailHost sends them after the
transaction has committed (``core.mail``): a transition that fails sends nothing, and a mail
server that is down is logged without undoing the citizen's submission.
"""

from communesplone import _
from communesplone.core import mail
from plone import api
from zope.i18n import translate


SUBJECT = _("Your request ${number}: ${state}")
# state -> what the mail tells the citizen
TEXTS = {
    "submitted": _(
        "We have received your request ${number} (${type}). You will be told by email "
        "when it moves on."
    ),
    "in_progress": _("Your request ${number} (${type}) is being processed by our services."),
    "waiting_citizen": _(
        "We need more information about your request ${number} (${type}). Please answer "
        "on the request's page."
    ),
    "transmitted": _(
        "Your request ${number} (${type}) has been transmitted to the service concerned."
    ),
    "done": _("Your request ${number} (${type}) has been processed."),
    "rejected": _("Your request ${number} (${type}) has been refused. Reason: ${reason}"),
    "closed": _("Your request ${number} (${type}) is closed."),
}
FOLLOW = _("Follow your request: ${url}")
# The states' names in every e-desk page, mail, export and on the map (the
# ``communesplone`` domain). The workflow's own titles (``workflow_spec.py``,
# Plone's toolbar) say the same, but "done" is titled "Processed" there: Plone's
# catalogue translates "Done" first in its toolbar ("Terminé").
STATE_TITLES = {
    "draft": _("Draft"),
    "submitted": _("Submitted"),
    "in_progress": _("In progress"),
    "waiting_citizen": _("Waiting for the citizen"),
    "transmitted": _("Transmitted to the service concerned"),
    "done": _("Done"),
    "rejected": _("Rejected"),
    "closed": _("Closed"),
}


def recipient(request):
    """(email, language) of the citizen of ``request``, or (None, None)."""
    site_language = api.portal.get_registry_record("plone.default_language", default="en")
    if request.contact_email:
        return request.contact_email, site_language
    creators = request.listCreators()
    member = api.user.get(userid=creators[0]) if creators else None
    if member is None:
        return None, None
    email = member.getProperty("email", None)
    language = member.getProperty("language", None) or site_language
    return email or None, language


def message(request, state, comment=""):
    """(subject, body) of the mail for ``state``, untranslated."""
    request_type = request.get_request_type()
    mapping = {
        "number": request.tracking_number or "",
        "type": request_type.title if request_type is not None else request.title,
        "state": STATE_TITLES.get(state, state),
        "reason": request.rejection_reason or comment or "",
        "url": request.absolute_url(),
    }
    subject = _(SUBJECT, mapping=mapping)
    text = _(TEXTS[state], mapping=mapping)
    follow = _(FOLLOW, mapping=mapping)
    return subject, [text, follow]


def notify_citizen(request, transition, comment=""):
    """Send the mail of the request's new state to its citizen, if there is one to tell."""
    state = api.content.get_state(request)
    if state not in TEXTS:
        return False
    email, language = recipient(request)
    if not email:
        return False
    subject, parts = message(request, state, comment)
    mapping = dict(subject.mapping)
    mapping["state"] = translate(mapping["state"], target_language=language)
    subject = translate(_(SUBJECT, mapping=mapping), target_language=language)
    body = "\n\n".join(translate(part, target_language=language) for part in parts)
    return mail.send_after_commit(body, email, subject=subject, about=request.absolute_url())


CONFIRM_SUBJECT = _("Confirm your request: ${type}")
CONFIRM_TEXT = _(
    "You have sent a request (${type}) to our online services with this email address. "
    "To confirm that the address is yours and send the request to our services, open this "
    "link within ${hours} hours and press the button on its page: ${url}"
)
CONFIRM_IGNORE = _(
    "If you did not send this request, ignore this message: the request will be deleted."
)


def mail_confirmation(request, url, hours):
    """Mail the anonymous contact of ``request`` the link ``url`` that confirms it.

    In the site's language (the contact has no member language), after the
    commit like every other mail; False if there is no address to send to or from.
    """
    if not request.contact_email:
        return False
    language = api.portal.get_registry_record("plone.default_language", default="en")
    request_type = request.get_request_type()
    mapping = {
        "type": request_type.title if request_type is not None else request.title,
        "hours": hours,
        "url": url,
    }
    subject = translate(_(CONFIRM_SUBJECT, mapping=mapping), target_language=language)
    body = "\n\n".join(
        translate(_(text, mapping=mapping), target_language=language)
        for text in (CONFIRM_TEXT, CONFIRM_IGNORE)
    )
    return mail.send_after_commit(
        body, request.contact_email, subject=subject, about=request.absolute_url()
    )
