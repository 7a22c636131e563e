"""The e-desk's settings: its public map (Site Setup → E-desk map) and its anonymous
submissions (Site Setup → E-desk anonymous requests)."""

from communesplone import _
from communesplone.core.maps import check_tile_url
from communesplone.core.maps import DEFAULT_ATTRIBUTION
from communesplone.core.maps import DEFAULT_TILE_URL
from plone import api
from zope import schema
from zope.interface import Interface


class IMapSettings(Interface):
    """Stored as ``communesplone.edesk.map_*`` registry records."""

    map_tile_url = schema.TextLine(
        title=_("Map tiles"),
        description=_(
            "The address template of the map's tiles, with {z}, {x} and {y} (and {s} for "
            "the servers' letters if the provider uses them). Use a tile server whose terms "
            "allow your site's traffic."
        ),
        default=DEFAULT_TILE_URL,
        constraint=check_tile_url,
        required=True,
    )
    map_attribution = schema.TextLine(
        title=_("Map attribution"),
        description=_("The credit the tile provider asks for, shown on the map (HTML allowed)."),
        default=DEFAULT_ATTRIBUTION,
        required=False,
    )
    map_latitude = schema.Float(
        title=_("Map centre: latitude"),
        description=_("Where the map opens when there is no report to show."),
        default=50.4674,
        min=-90.0,
        max=90.0,
        required=True,
    )
    map_longitude = schema.Float(
        title=_("Map centre: longitude"), default=4.8718, min=-180.0, max=180.0, required=True
    )
    map_zoom = schema.Int(
        title=_("Map zoom"),
        description=_("From 1 (the world) to 19 (a street)."),
        default=13,
        min=1,
        max=19,
        required=True,
    )


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


def get(name):
    """The value of the setting ``name`` (its default if the record is missing)."""
    field = IMapSettings.get(name) or IAnonymousSettings[name]
    return api.portal.get_registry_record(f"{PREFIX}.{name}", default=field.default)
