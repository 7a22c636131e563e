"""The newsletter's subscribers: double opt-in, signed links, unsubscribing, GDPR.

Subscribers are personal data. They are kept in an annotation of the
newsletter (never content, never in the catalog, never in a REST answer):
an ``OOBTree`` keyed by the normalised address, each value a
:class:`Subscriber` of its own (a persistent object), so that two visitors
subscribing at once change different keys, which the BTree's conflict
resolution merges, and confirming one subscriber does not rewrite the
tree. Only the views protected by ``communesplone.website: Manage
newsletter subscribers`` list, export or delete them.

The visitor asks with an address; the newsletter mails a link signed with
the site's secret (plone.keyring, through core's ``antispam.sign``), which
expires after the newsletter's ``confirmation_days``; the confirmation page
confirms with a POST. The answer to the form is the same whether the address
is new, waiting or already subscribed: a stranger learns nothing about an
address; its owner receives either the confirmation link or a reminder that it is subscribed,
with the link to unsubscribe. Unsubscribing (a signed link, without login)
deletes the subscriber.
"""

from BTrees.OOBTree import OOBTree
from communesplone import _
from communesplone.core import antispam
from communesplone.core import mail
from communesplone.core.i18n import request_language
from communesplone.core.validation import Refusal
from datetime import datetime
from datetime import timedelta
from datetime import UTC
from persistent import Persistent
from plone import api
from plone.keyring.interfaces import IKeyManager
from plone.schema.email import _isemail
from zope.annotation.interfaces import IAnnotations
from zope.component import getUtility
from zope.i18n import translate

import base64
import hashlib
import hmac
import json
import time


KEY = "communesplone.website.subscribers"
PENDING = "pending"
CONFIRMED = "confirmed"
CONFIRM = "confirm"
UNSUBSCRIBE = "unsubscribe"
DAY = 24 * 3600
# One mail about their subscription per address in this time, however often
# a stranger submits it: the form cannot be used to flood someone's inbox.
QUIET = timedelta(minutes=10)

ANSWER = _(
    "Thank you. If this address can receive our newsletter, a message has been sent "
    "to it: follow its link to confirm your subscription."
)
CONFIRM_SUBJECT = _("Confirm your subscription to ${title}")
# A mail's paragraphs, the link between them
CONFIRM_TEXT = (
    _(
        "Someone, hopefully you, asked to receive ${title} at this address. To confirm, "
        "open this link within ${days} days and press the button:"
    ),
    _("If it was not you, ignore this message: nothing more will be sent to you."),
)
ALREADY_SUBJECT = _("Your subscription to ${title}")
ALREADY_TEXT = (
    _(
        "Someone asked to subscribe this address to ${title}. It is subscribed already: "
        "nothing has changed. To unsubscribe, open this link:"
    ),
)


class Subscriber(Persistent):
    """One address: waiting for its confirmation, or confirmed."""

    mailed = None  # when the last mail about the subscription was sent

    def __init__(self, email, language):
        self.email = email
        self.language = language
        self.state = PENDING
        self.requested = datetime.now(UTC)
        self.confirmed = None

    def data(self):
        """What the newsletter keeps about this person (GDPR export)."""
        return {
            "email": self.email,
            "state": self.state,
            "language": self.language,
            "requested": self.requested.isoformat(),
            "confirmed": self.confirmed.isoformat() if self.confirmed else None,
        }


def normalise(email):
    return (email or "").strip().lower()


def check_address(value):
    """An email address, else a Refusal saying so."""
    if not _isemail((value or "").strip()):
        raise Refusal(
            _(
                '"${value}" is not an email address: write it like name@example.org.',
                mapping={"value": value or ""},
            )
        )
    return True


def subscribers(newsletter):
    """The newsletter's ``OOBTree`` of subscribers (created on first use)."""
    annotations = IAnnotations(newsletter)
    if KEY not in annotations:
        annotations[KEY] = OOBTree()
    return annotations[KEY]


def subscribers_or_none(newsletter):
    """The ``OOBTree`` of subscribers, or None (a read that writes nothing)."""
    return IAnnotations(newsletter).get(KEY)


def get(newsletter, email):
    return IAnnotations(newsletter).get(KEY, {}).get(normalise(email))


def confirmed(newsletter):
    """The confirmed subscribers, in the order of their addresses."""
    return [s for s in IAnnotations(newsletter).get(KEY, {}).values() if s.state == CONFIRMED]


# --- Signed links --------------------------------------------------------------

INVALID = _(
    "This link is not valid. Copy the whole link from the message, or "
    "subscribe again to receive a new one."
)
NOT_HERE = _("This link is not valid here.")
PURPOSE = "communesplone.website.newsletter."  # + the action


def sign(newsletter, action, email, when=None):
    """A token for ``action`` on ``email`` in ``newsletter``, signed by core's
    :func:`~communesplone.core.antispam.sign`: a confirmation link expires after
    the newsletter's ``confirmation_days``, an unsubscribe link never."""
    lifetime = newsletter.confirmation_days * DAY if action == CONFIRM else None
    value = f"{newsletter.UID()} {normalise(email)}"
    return antispam.sign(PURPOSE + action, value, lifetime, now=when)


def verify(newsletter, token, action):
    """The address of a valid token for ``action``, else a Refusal saying why."""
    token = token or ""
    if token.count(".") == 1:  # a link mailed before the tokens were core's
        uid, email = _legacy_verify(newsletter, token, action)
    else:
        try:
            uid, _space, email = antispam.unsign(PURPOSE + action, token).partition(" ")
        except antispam.Expired:
            raise _expired(newsletter) from None
        except antispam.BadSignature:
            raise Refusal(INVALID) from None
    if uid != newsletter.UID():
        raise Refusal(NOT_HERE)
    return email


def _legacy_verify(newsletter, token, action):
    """(newsletter UID, address) of a token of the former format (``data.signature``),
    accepted for a transition: every issue sent since mails each subscriber a link of
    the new format (docs/website.rst, "Newsletter"). Remove it afterwards."""
    payload, _dot, signature = token.partition(".")
    secrets = [key for key in getUtility(IKeyManager)[antispam.RING] if key]
    digests = [
        hmac.new(key.encode(), payload.encode(), hashlib.sha256).hexdigest() for key in secrets
    ]
    if not any(hmac.compare_digest(digest, signature) for digest in digests):
        raise Refusal(INVALID)
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    if data.get("a") != action:
        raise Refusal(NOT_HERE)
    if action == CONFIRM and time.time() - data["t"] > newsletter.confirmation_days * DAY:
        raise _expired(newsletter)
    return data.get("n"), data["e"]


def _expired(newsletter):
    return Refusal(
        _(
            "This confirmation link has expired (it was valid for ${days} days). "
            "Subscribe again to receive a new one.",
            mapping={"days": newsletter.confirmation_days},
        )
    )


def link(newsletter, action, email):
    view = "confirm-subscription" if action == CONFIRM else "unsubscribe"
    return f"{newsletter.absolute_url()}/@@{view}?token={sign(newsletter, action, email)}"


# --- The visitor's steps ---------------------------------------------------------


def subscribe(newsletter, email, language=None):
    """Ask for a subscription: mail the confirmation link, or the reminder.

    Raises a Refusal for an address that is not one. Returns the message for
    the visitor, the same whatever the address's state.
    """
    check_address(email)
    key = normalise(email)
    language = language or request_language(default=api.portal.get_default_language())
    mapping = {"title": newsletter.title, "days": newsletter.confirmation_days}
    found = get(newsletter, key)
    now = datetime.now(UTC)
    if found is not None and found.mailed and now - found.mailed < QUIET:
        return ANSWER
    if found is not None and found.state == CONFIRMED:
        mapping["url"] = link(newsletter, UNSUBSCRIBE, key)
        subject, text = ALREADY_SUBJECT, ALREADY_TEXT
    else:
        if found is None:
            found = subscribers(newsletter)[key] = Subscriber(key, language)
        else:  # asked again: a new link, from now
            found.requested = now
        mapping["url"] = link(newsletter, CONFIRM, key)
        subject, text = CONFIRM_SUBJECT, CONFIRM_TEXT
    found.mailed = now
    before, *after = [translate(_(p, mapping=mapping), target_language=language) for p in text]
    mail.send_after_commit(
        "\n\n".join([before, mapping["url"], *after]) + "\n",
        key,
        subject=translate(_(subject, mapping=mapping), target_language=language),
        about=newsletter.absolute_url(),
    )
    return ANSWER


def confirm(newsletter, token):
    """Confirm the subscription of a valid, unexpired token; return the subscriber."""
    email = verify(newsletter, token, CONFIRM)
    found = get(newsletter, email)
    if found is None:  # unsubscribed or deleted meanwhile
        raise Refusal(_("This subscription request no longer exists. Subscribe again."))
    if found.state != CONFIRMED:
        found.state = CONFIRMED
        found.confirmed = datetime.now(UTC)
    return found


def unsubscribe(newsletter, token):
    """Delete the subscriber of a valid unsubscribe token (done already: nothing to do)."""
    email = verify(newsletter, token, UNSUBSCRIBE)
    remove(newsletter, email)
    return email


def remove(newsletter, email):
    """Delete a subscriber and everything kept about them."""
    tree = IAnnotations(newsletter).get(KEY)
    if tree is not None and normalise(email) in tree:
        del tree[normalise(email)]
        return True
    return False
