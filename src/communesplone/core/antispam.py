"""Guards of anonymous forms, for every application: signed values, a rate limit, the fill time.

Moved here from the e-desk (``communesplone.edesk.anonymous``, which keeps its
settings-based wrappers) so that the urban inquiry's claim form uses the same
guards without importing the e-desk.

- :func:`sign` and :func:`unsign` make and check values that expire (the
  e-desk's confirmation links, the forms' time stamps, the newsletter's
  links; an unsubscribe link does not expire): an HMAC-SHA256 with a
  secret of Plone's keyring (``plone.keyring``'s ``_system`` ring, the one
  plone.protect relies on), every key of the ring accepted so that a rotation
  does not break the links already mailed. A purpose is signed with the value,
  so one kind of token is never taken for another.
- :func:`client_address` is the visitor's IP address as Zope sees it:
  ``X-Forwarded-For`` counts only when the proxy that sent it is listed in
  ``zope.conf``'s ``trusted-proxy`` (ZPublisher's ``trusted_proxies``);
  otherwise anyone could pick the address they are counted under.
- :class:`RateLimit` counts submissions per key in a sliding window, in this
  process's memory, not in the ZODB: a shared persistent counter would be a
  write hot spot that makes concurrent submissions conflict. The limit is
  therefore kept by each instance (behind a load balancer over N instances an
  address may reach N times the limit), and a restart forgets the counts.
- :func:`form_stamp` and :func:`check_fill_time`: a form carries the signed
  time it was served; a form sent back sooner than a robot's speed, or
  without a valid stamp, is refused. No third-party service is needed.
Nothing here writes to the ZODB.
"""

from collections import deque
from communesplone import _
from communesplone.core.validation import Refusal
from plone.keyring.interfaces import IKeyManager
from zope.component import getUtility

import base64
import hashlib
import hmac
import threading
import time


RING = "_system"
FORM_STAMP = "form_stamp"  # the form's field that carries the stamp
BOT_REFUSAL = _("This request cannot be accepted.")
TOO_FAST = _(
    "The form was sent back too quickly, or it is too old. Please check it and send it again."
)


def _digest(secret, purpose, payload):
    message = f"{purpose}|{payload}".encode()
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def sign(purpose, value, lifetime, *, now=None):
    """A URL-safe token of ``value`` (text) for ``purpose``, valid ``lifetime`` seconds.

    ``lifetime`` None: a token that does not expire (a newsletter's unsubscribe
    link); its expiry is left empty, under the signature like the rest.
    """
    expires = "" if lifetime is None else int((time.time() if now is None else now) + lifetime)
    encoded = base64.urlsafe_b64encode(value.encode("utf-8")).decode("ascii").rstrip("=")
    payload = f"{encoded}.{expires}"
    secret = getUtility(IKeyManager).secret(ring=RING)
    return f"{payload}.{_digest(secret, purpose, payload)}"


class BadSignature(Exception):
    """The token was not made here (or was altered)."""


class Expired(Exception):
    """The token was made here but its time is over."""


def unsign(purpose, token, *, now=None):
    """The value of ``token`` for ``purpose``; raise :class:`BadSignature` or :class:`Expired`."""
    if not isinstance(token, str) or token.count(".") != 2:
        raise BadSignature(token)
    payload, digest = token.rsplit(".", 1)
    encoded, expires = payload.split(".")
    secrets = [key for key in getUtility(IKeyManager)[RING] if key]
    if not any(hmac.compare_digest(_digest(key, purpose, payload), digest) for key in secrets):
        raise BadSignature(token)
    try:
        value = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode("utf-8")
        expires = int(expires) if expires else None
    except ValueError:
        raise BadSignature(token) from None
    if expires is not None and (time.time() if now is None else now) > expires:
        raise Expired(value)
    return value


def client_address(request):
    """The client's IP address (``X-Forwarded-For`` only from a trusted proxy)."""
    return request.getClientAddr() or request.get("REMOTE_ADDR") or "unknown"


class RateLimited(Refusal):
    """Too many anonymous submissions from one address; ``retry_after`` in seconds."""

    def __init__(self, retry_after):
        minutes = max(1, -(-int(retry_after) // 60))
        super().__init__(
            _(
                "Too many requests have been sent from your connection without logging in. "
                "Please try again in ${minutes} minutes.",
                mapping={"minutes": minutes},
            )
        )
        self.retry_after = int(retry_after) + 1


class RateLimit:
    """A sliding window of timestamps per key, in memory, safe across threads."""

    SWEEP_EVERY = 1000  # forget idle addresses once in so many hits

    def __init__(self):
        self._lock = threading.Lock()
        self._hits = {}
        self._count = 0

    def check(self, key, limit, window, *, now=None):
        """Raise :class:`RateLimited` if ``key`` had ``limit`` hits in the last ``window`` s."""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.get(key)
            if hits is None:
                return
            while hits and hits[0] <= now - window:
                hits.popleft()
            if len(hits) >= limit:
                raise RateLimited(hits[-limit] + window - now)

    def hit(self, key, window, *, now=None):
        """Count one hit of ``key`` now."""
        now = time.monotonic() if now is None else now
        with self._lock:
            self._hits.setdefault(key, deque()).append(now)
            self._count += 1
            if self._count % self.SWEEP_EVERY == 0:
                for stale in [k for k, v in self._hits.items() if not v or v[-1] <= now - window]:
                    del self._hits[stale]

    def reset(self):
        with self._lock:
            self._hits.clear()


def form_stamp(*, now=None):
    """The signed time a form is served (valid one day: time enough to fill it)."""
    now = time.time() if now is None else now
    return sign(FORM_STAMP, str(int(now)), 24 * 3600, now=now)


def check_fill_time(stamp, least, *, now=None):
    """Raise Refusal(:data:`TOO_FAST`) unless ``stamp`` was served ``least`` seconds ago or more.

    The form that comes back with the refusal has a new stamp: a person who
    was too quick (or whose form is a day old) sends it again. ``least`` 0: no check.
    """
    if not least:
        return
    try:
        served = int(unsign(FORM_STAMP, stamp, now=now))
    except (BadSignature, Expired, ValueError):
        raise Refusal(TOO_FAST) from None
    if (time.time() if now is None else now) - served < least:
        raise Refusal(TOO_FAST)
