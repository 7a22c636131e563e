"""The Open311 API keys: one per application, managed in Site Setup.

A key is made by :func:`add` from ``secrets`` and shown once, to the
administrator who creates it; the registry keeps only its SHA-256 hash and
its first characters (to tell keys apart), with the application's name and
an active flag. :func:`check` finds the active key of a submitted value.

A key is *trusted* when its application confirms its users' email addresses
itself (a municipal FixMyStreet, a partner's app with accounts): its reports
are submitted at once and are not counted by the anonymous rate limit (one
server posts for many people). Reports sent with any other key wait until
their contact confirms the address by the link mailed to them
(``confirmation.py``), and need an ``email``. New keys are not trusted.
"""

from datetime import datetime
from datetime import UTC
from plone import api

import hashlib
import hmac
import secrets


RECORD = "communesplone.edesk.open311_keys"
PREFIX_LENGTH = 6


def digest(key):
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def get_all():
    """The keys, as dicts: id, name, prefix, hash, active and trusted ("1" or ""), created."""
    return [dict(row) for row in api.portal.get_registry_record(RECORD, default=None) or []]


def _store(rows):
    api.portal.set_registry_record(RECORD, [dict(row) for row in rows])


def add(name, *, trusted=False):
    """Create an active key for application ``name``; return ``(row, key)``.

    The key itself is returned here only: it is not stored.
    """
    key = secrets.token_urlsafe(32)
    row = {
        "id": secrets.token_hex(6),
        "name": name.strip(),
        "prefix": key[:PREFIX_LENGTH],
        "hash": digest(key),
        "active": "1",
        "trusted": "1" if trusted else "",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    _store([*get_all(), row])
    return row, key


def _set(key_id, flag, on):
    rows = get_all()
    found = False
    for row in rows:
        if row["id"] == key_id:
            row[flag] = "1" if on else ""
            found = True
    if found:
        _store(rows)
    return found


def set_active(key_id, active):
    """Activate or deactivate the key ``key_id``; False if there is none."""
    return _set(key_id, "active", active)


def set_trusted(key_id, trusted):
    """Trust the key ``key_id`` (its reports need no confirmation) or not; False if none."""
    return _set(key_id, "trusted", trusted)


def is_trusted(row):
    return bool(row and row.get("trusted"))


def delete(key_id):
    rows = get_all()
    kept = [row for row in rows if row["id"] != key_id]
    if len(kept) != len(rows):
        _store(kept)
        return True
    return False


def check(key):
    """The row of the active key ``key``, or None. Compared in constant time."""
    if not isinstance(key, str) or not key:
        return None
    wanted = digest(key)
    found = None
    for row in get_all():
        if hmac.compare_digest(row.get("hash") or "", wanted) and row.get("active"):
            found = row
    return found
