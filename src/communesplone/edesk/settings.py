"""The e-desk's settings: its public map (Site Setup → E-desk map: core's map
settings, ``maps.IMapSettings``, stored as ``communesplone.edesk.map.*``) and its
anonymous submissions (Site Setup → E-desk anonymous requests)."""

from communesplone import _
from communesplone.core import maps
from communesplone.core.maps import IMapSettings  # noqa: F401 (the e-desk map's schema)
from plone import api
from zope import schema
from zope.interface import Interface


class IAnonymousSettings(Interface):
    """Stored as ``communesplone.edesk.anonymous_*`` registry records (see ``anonymous.py``)."""

    anonymous_rate_limit = schema.Int(
        title=_("Anonymous submissions per address"),
        description=_(
            "How many requests one IP address may submit without logging in (the form and "
            "Open311 together) within the period below. Counted by each instance of the site."
        ),
        default=5,
        min=1,
        required=True,
    )
    anonymous_rate_window_minutes = schema.Int(
        title=_("Period of the limit (minutes)"), default=10, min=1, required=True
    )
    anonymous_min_fill_seconds = schema.Int(
        title=_("Shortest time to fill a form (seconds)"),
        description=_(
            "An anonymous form sent back faster than this is refused as a robot's. 0 turns "
            "this check off."
        ),
        default=3,
        min=0,
        max=600,
        required=True,
    )
    anonymous_confirmation_hours = schema.Int(
        title=_("Time to confirm an anonymous request (hours)"),
        description=_(
            "The link mailed to an anonymous contact works this long; a request not "
            "confirmed by then is deleted."
        ),
        default=48,
        min=1,
        required=True,
    )


PREFIX = "communesplone.edesk"
MAP_PREFIX = "communesplone.edesk.map"


def get(name):
    """The value of the anonymous requests' setting ``name`` (its default if the
    record is missing)."""
    field = IAnonymousSettings[name]
    return api.portal.get_registry_record(f"{PREFIX}.{name}", default=field.default)


def map_settings():
    """The public map's settings as a dict (``maps.map_settings``)."""
    return maps.map_settings(MAP_PREFIX)
