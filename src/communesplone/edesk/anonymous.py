"""Guards of the anonymous submissions: signed values, the rate limit, the fill time.

The generic guards live in :mod:`communesplone.core.antispam` (shared with the
urban claim form); this module keeps the e-desk's limit and its settings.

- :func:`sign` and :func:`unsign` make and check values that expire (the
  confirmation links of ``confirmation.py``, the form's time stamp): an
  HMAC-SHA256 with a secret of Plone's keyring (``plone.keyring``'s
  ``_system`` ring, the one plone.protect relies on), every key of the ring
  accepted so that a rotation does not break the links already mailed. A
  purpose is signed with the value, so one kind of token is never taken for
  another.
- :func:`client_address` is the visitor's IP address as Zope sees it:
  ``X-Forwarded-For`` counts only when the proxy that sent it is listed in
  ``zope.conf``'s ``trusted-proxy`` (ZPublisher's ``trusted_proxies``);
  otherwise anyone could pick the address they are counted under.
- :class:`RateLimit` counts the anonymous submissions of each address in a
  sliding window (the registry's ``anonymous_rate_limit`` per
  ``anonymous_rate_window_minutes``). The counts live in this process's memory,
  not in the ZODB: a count is written on every anonymous submission, and a
  shared persistent counter would be a write hot spot that makes concurrent
  submissions conflict. The limit is therefore kept by each instance: behind a
  load balancer over N instances an address may reach N times the limit (a
  proxy's own limit covers the whole site, if wanted), and a restart forgets
  the counts.
- :func:`form_stamp` and :func:`check_fill_time`: the submission form carries
  the signed time it was served; a form sent back sooner than
  ``anonymous_min_fill_seconds`` (a robot's speed), or without a valid stamp,
  is refused. It needs no third-party service, like the hidden ``website``
  field the form already has.
Nothing here writes to the ZODB.
"""

from communesplone.core import antispam
from communesplone.core.antispam import BadSignature  # noqa: F401
from communesplone.core.antispam import BOT_REFUSAL  # noqa: F401
from communesplone.core.antispam import client_address
from communesplone.core.antispam import Expired  # noqa: F401
from communesplone.core.antispam import FORM_STAMP  # noqa: F401
from communesplone.core.antispam import form_stamp  # noqa: F401
from communesplone.core.antispam import RateLimit
from communesplone.core.antispam import RateLimited  # noqa: F401
from communesplone.core.antispam import RING  # noqa: F401
from communesplone.core.antispam import sign  # noqa: F401
from communesplone.core.antispam import TOO_FAST  # noqa: F401
from communesplone.core.antispam import unsign  # noqa: F401
from communesplone.edesk import settings
from plone import api


LIMIT = RateLimit()


def _key(request):
    return ("/".join(api.portal.get().getPhysicalPath()), client_address(request))


def check_rate(request):
    """Raise :class:`RateLimited` if the request's address used up its anonymous submissions."""
    LIMIT.check(
        _key(request),
        settings.get("anonymous_rate_limit"),
        settings.get("anonymous_rate_window_minutes") * 60,
    )


def count_submission(request):
    """Count an anonymous submission of the request's address (after it was accepted)."""
    LIMIT.hit(_key(request), settings.get("anonymous_rate_window_minutes") * 60)


# --- the form's fill time ----------------------------------------------------------------


def check_fill_time(stamp, *, now=None):
    """Raise Refusal(:data:`TOO_FAST`) unless ``stamp`` was served long enough ago
    (the registry's ``anonymous_min_fill_seconds``)."""
    antispam.check_fill_time(stamp, settings.get("anonymous_min_fill_seconds"), now=now)
