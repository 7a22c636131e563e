"""Publication dates computed from a type's own fields.

A job vacancy expires after its closing date, an alert banner is effective
from its start to its end: the catalog's ``effectiveRange`` then hides them
from listings by itself (Plone's own mechanism for expired content). The
properties ignore what Plone writes (e.g. the effective date it sets when
publishing): the type's fields decide.
"""

from DateTime import DateTime
from plone import api
from zoneinfo import ZoneInfo

import datetime


def timezone():
    try:
        name = api.portal.get_registry_record("plone.portal_timezone", default=None)
    except api.exc.CannotGetPortalError:
        name = None
    return ZoneInfo(name or "Europe/Brussels")


def as_datetime(value):
    """A ``DateTime`` for a date (its last second) or a naive datetime, in the site's zone."""
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time(23, 59, 59))
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone())
    return DateTime(value)


def computed(field):
    """A property giving ``field``'s value as a DateTime; writes are ignored."""

    def get(self):
        return as_datetime(getattr(self, field, None))

    def ignore(self, value):
        pass

    return property(get, ignore)
