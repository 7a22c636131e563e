"""The e-desk's settings for its public map (Site Setup → E-desk map and Open311)."""

from communesplone import _
from plone import api
from zope import schema
from zope.interface import Interface
from zope.interface import Invalid

import re


TILE_URL = re.compile(r"^https?://\S+$")


def check_tile_url(value):
    """A tile URL template: http(s), with the {z}, {x} and {y} placeholders."""
    if not TILE_URL.match(value or "") or not all(p in value for p in ("{z}", "{x}", "{y}")):
        raise Invalid(_("Give an http or https address with the {z}, {x} and {y} placeholders."))
    return True


class IMapSettings(Interface):
    """Stored as ``communesplone.edesk.map_*`` registry records."""

    map_tile_url = schema.TextLine(
        title=_("Map tiles"),
        description=_(
            "The address template of the map's tiles, with {z}, {x} and {y} (and {s} for "
            "the servers' letters if the provider uses them). Use a tile server whose terms "
            "allow your site's traffic."
        ),
        default="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        constraint=check_tile_url,
        required=True,
    )
    map_attribution = schema.TextLine(
        title=_("Map attribution"),
        description=_("The credit the tile provider asks for, shown on the map (HTML allowed)."),
        default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
        "contributors",
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


PREFIX = "communesplone.edesk"


def get(name):
    """The value of the map setting ``name`` (its default if the record is missing)."""
    return api.portal.get_registry_record(f"{PREFIX}.{name}", default=IMapSettings[name].default)
