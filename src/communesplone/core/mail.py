"""Mail through Plone's MailHost, shared by the applications.

:func:`sender` is the site's sender (Site Setup → Mail). :func:`send_after_commit`
sends once the transaction has committed: an action that fails sends
nothing, and a mail server that is down is logged without undoing the
action. :func:`send_now` sends at once and lets the error through, for a
caller that records what was sent (the website's newsletter, batch by batch).
"""

from email.utils import formataddr
from plone import api

import logging
import transaction


logger = logging.getLogger("communesplone.core.mail")


def sender():
    """The site's sender as ``Name <address>``, or None when the site has no address."""
    address = api.portal.get_registry_record("plone.email_from_address", default=None)
    if not address:
        return None
    name = api.portal.get_registry_record("plone.email_from_name", default="") or ""
    return formataddr((name, address))


def send_now(message, recipient, subject=None, mfrom=None):
    """Send ``message`` (text or ``email.message.Message``) to ``recipient`` now.

    Errors of the mail server (``smtplib.SMTPException``, ``OSError``) are raised.
    """
    mailhost = api.portal.get_tool("MailHost")
    mailhost.send(
        message,
        recipient,
        mfrom or sender(),
        subject=subject,
        charset="utf-8",
        immediate=True,
    )


def send_after_commit(message, recipient, subject=None, about="", mfrom=None):
    """Send ``message`` to ``recipient`` after the current transaction commits.

    Return False (and log) when the site has no sender address. ``about``
    names what the mail is about in the log, should the server fail.
    """
    mfrom = mfrom or sender()
    if not mfrom:
        logger.warning("No mail sent about %s: the site has no sender address", about)
        return False
    mailhost = api.portal.get_tool("MailHost")
    transaction.get().addAfterCommitHook(
        _send, args=(mailhost, message, recipient, mfrom, subject, about)
    )
    return True


def _send(committed, mailhost, message, recipient, mfrom, subject, about):
    if not committed:
        return
    try:
        mailhost.send(message, recipient, mfrom, subject=subject, charset="utf-8", immediate=True)
    except Exception:
        logger.exception("The mail about %s to %s could not be sent", about, recipient)
