"""Sending a newsletter issue through Plone's MailHost, in batches.

The first send takes the confirmed subscribers of that moment as the issue's
recipients (a snapshot: who subscribes meanwhile waits for the next issue).
Then each batch of the newsletter's ``batch_size`` mails is its own
transaction: a mail goes out, its recipient moves from ``pending`` to
``sent``, and the batch commits with the progress, which the issue's page
shows meanwhile. A recipient is taken out of ``pending`` only once their mail
has been accepted by the server, and never goes back, so nobody receives an
issue twice. When the server fails, the batch stops: what was sent is
committed, the error is recorded, and sending again resumes with the
recipients still pending. An address the server refuses for good is
recorded as failed and skipped. Who unsubscribes meanwhile is skipped.

Each mail is in its subscriber's language (the page's language when they
subscribed): its HTML and text parts are rendered with the request's
translations switched to that language (:func:`in_language`).

Every mail carries the subscriber's own unsubscribe link, in its text and in
the ``List-Unsubscribe`` header (RFC 2369), with ``List-Unsubscribe-Post``
(RFC 8058: mail programs unsubscribe with one POST, without login).
"""

from BTrees.OOBTree import OOBTree
from BTrees.OOBTree import OOTreeSet
from communesplone import _
from communesplone.core import mail
from communesplone.core.validation import Refusal
from communesplone.website import newsletter as subscriptions
from contextlib import contextmanager
from datetime import datetime
from datetime import UTC
from email.message import EmailMessage
from email.policy import SMTP
from persistent import Persistent
from plone import api
from zope.annotation.interfaces import IAnnotations
from zope.i18n import translate

import smtplib
import transaction


KEY = "communesplone.website.sending"
NOT_SENT, SENDING, INTERRUPTED, DONE = "not_sent", "sending", "interrupted", "done"
STATES = {
    NOT_SENT: _("Not sent yet"),
    SENDING: _("Being sent"),
    INTERRUPTED: _("Interrupted: send again to resume"),
    DONE: _("Sent"),
}
# SMTP's line endings; lines up to RFC 5322's 998 characters, so that the
# List-Unsubscribe header keeps its link whole (not as encoded words).
POLICY = SMTP.clone(max_line_length=998)
UNSUBSCRIBE_TEXT = _("To stop receiving ${title}, unsubscribe: ${url}")


class Progress(Persistent):
    """Where the sending of an issue stands."""

    def __init__(self):
        self.pending = OOTreeSet()
        self.sent = OOTreeSet()
        self.failed = OOBTree()  # address -> the server's answer
        self.total = 0
        self.batches = 0
        self.started = None
        self.finished = None
        self.error = None

    @property
    def state(self):
        if self.finished:
            return DONE
        if self.error:
            return INTERRUPTED
        return SENDING if self.started else NOT_SENT


def progress(issue):
    """The issue's :class:`Progress` (a new, unsaved one when never sent)."""
    return IAnnotations(issue).get(KEY) or Progress()


def check_ready(issue):
    """An issue can be sent when what it presents is published (its readers follow the links)."""
    if not mail.sender():
        raise Refusal(_("The site has no sender address: set it in Site Setup → Mail."))
    unpublished = [obj for obj in issue.selected() if api.content.get_state(obj) != "published"]
    if unpublished:
        raise Refusal(
            _(
                "Publish ${titles} first: the readers of the newsletter could not open it.",
                mapping={"titles": ", ".join(f'"{obj.title}"' for obj in unpublished)},
            )
        )
    if not issue.selected() and not (issue.intro and issue.intro.output.strip()):
        raise Refusal(_("The issue is empty: write an introduction or choose news and events."))
    return True


def start(issue):
    """The issue's progress; on the first send, its recipients are taken."""
    annotations = IAnnotations(issue)
    if KEY not in annotations:
        found = Progress()
        for subscriber in subscriptions.confirmed(issue.newsletter()):
            found.pending.add(subscriber.email)
        found.total = len(found.pending)
        found.started = datetime.now(UTC)
        annotations[KEY] = found
    found = annotations[KEY]
    found.error = None
    return found


@contextmanager
def in_language(request, language):
    """Within the block, what is translated for ``request`` is in ``language``.

    Plone translates for a request in the language bound to it
    (``LANGUAGE_TOOL``, which its negotiation sets when the request begins);
    the binding and ``LANGUAGE`` are given back after the block.
    """
    from plone.i18n.utility import LanguageBinding

    if not language:
        yield
        return
    keys = ("LANGUAGE_TOOL", "LANGUAGE")
    saved = {key: request.other[key] for key in keys if key in request.other}
    binding = LanguageBinding()
    binding.LANGUAGE = language
    binding.DEFAULT_LANGUAGE = api.portal.get_default_language()
    binding.LANGUAGE_LIST = [language]
    request.other.update({"LANGUAGE_TOOL": binding, "LANGUAGE": language})
    try:
        yield
    finally:
        for key in keys:
            request.other.pop(key, None)
        request.other.update(saved)


def message(issue, email, language=None):
    """The issue's mail to ``email``, in ``language``: text and HTML, with its unsubscribe link."""
    newsletter = issue.newsletter()
    unsubscribe = subscriptions.link(newsletter, subscriptions.UNSUBSCRIBE, email)
    request = api.portal.get().REQUEST
    with in_language(request, language):
        view = api.content.get_view("newsletter-mail", issue, request)
        html = view(unsubscribe=unsubscribe, language=language)
        text = view.text()
    footer = translate(
        _(UNSUBSCRIBE_TEXT, mapping={"title": newsletter.title, "url": unsubscribe}),
        target_language=language,
        context=None if language else request,
    )
    msg = EmailMessage(policy=POLICY)
    msg["Subject"] = f"{newsletter.title}: {issue.title}"
    msg["From"] = mail.sender()
    msg["To"] = email
    msg["List-Unsubscribe"] = f"<{unsubscribe}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(text + "\n\n-- \n" + footer + "\n", cte="quoted-printable")
    msg.add_alternative(html, subtype="html", cte="quoted-printable")
    return msg


def send_batch(issue, size):
    """Send the next ``size`` mails; return how many recipients were dealt with.

    Raises the server's error after recording it (and what was sent before it).
    """
    found = start(issue)
    newsletter = issue.newsletter()
    batch = list(found.pending.keys()[:size]) if len(found.pending) else []
    for email in batch:
        subscriber = subscriptions.get(newsletter, email)
        if subscriber is None or subscriber.state != subscriptions.CONFIRMED:
            found.pending.remove(email)  # unsubscribed meanwhile
            continue
        try:
            mail.send_now(message(issue, email, subscriber.language), email)
        except smtplib.SMTPRecipientsRefused as refused:
            found.pending.remove(email)
            found.failed[email] = str(refused.recipients.get(email, refused))
            continue
        except (smtplib.SMTPException, OSError) as error:
            found.error = f"{type(error).__name__}: {error}"
            raise
        found.pending.remove(email)
        found.sent.add(email)
    if batch:
        found.batches += 1
    if not len(found.pending):
        found.finished = found.finished or datetime.now(UTC)
    return len(batch)


def send(issue):
    """Send the issue's pending mails, committing after each batch; return its progress.

    A server error ends the sending (recorded, committed): send again to resume.
    """
    check_ready(issue)
    size = issue.newsletter().batch_size
    while True:
        try:
            done = send_batch(issue, size)
        except (smtplib.SMTPException, OSError):
            transaction.commit()
            break
        transaction.commit()
        if not done:
            break
    return progress(issue)
