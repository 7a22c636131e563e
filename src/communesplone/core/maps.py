"""What the applications' maps share: their settings' schema
(:class:`IMapSettings`: the tiles, their credit, where the map opens), the
check of a tile address, and the default tiles and their credit
(OpenStreetMap). Leaflet itself is vendored in ``core/browser/static/leaflet``.

Each application keeps its own values of these settings, under its own prefix
in the registry (``communesplone.edesk.map.*``, ``communesplone.urban.map.*``):
one commune may show its reports and its licences on different maps. Urban's
schema extends this one with its WMS layers. :func:`map_settings` reads them.
"""

from communesplone import _
from plone import api
from zope import schema
from zope.interface import Interface
from zope.interface import Invalid

import re


HTTP_URL = re.compile(r"^https?://\S+$")

DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)


def check_tile_url(value):
    """A tile URL template: http(s), with the {z}, {x} and {y} placeholders."""
    if not HTTP_URL.match(value or "") or not all(p in value for p in ("{z}", "{x}", "{y}")):
        raise Invalid(_("Give an http or https address with the {z}, {x} and {y} placeholders."))
    return True


class IMapSettings(Interface):
    """A map's settings, stored as ``<prefix>.<name>`` registry records."""

    tile_url = schema.TextLine(
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
    attribution = schema.TextLine(
        title=_("Map attribution"),
        description=_("The credit the tile provider asks for, shown on the map (HTML allowed)."),
        default=DEFAULT_ATTRIBUTION,
        required=False,
    )
    latitude = schema.Float(
        title=_("Map centre: latitude"),
        description=_("Where the map opens when it has nothing to show."),
        default=50.4674,
        min=-90.0,
        max=90.0,
        required=True,
    )
    longitude = schema.Float(
        title=_("Map centre: longitude"), default=4.8718, min=-180.0, max=180.0, required=True
    )
    zoom = schema.Int(
        title=_("Map zoom"),
        description=_("From 1 (the world) to 19 (a street)."),
        default=13,
        min=1,
        max=19,
        required=True,
    )


def map_settings(prefix, settings_schema=IMapSettings):
    """The settings of ``settings_schema`` under ``prefix`` as a dict (a field's
    default where its record is missing or empty)."""
    result = {}
    for name, field in schema.getFieldsInOrder(settings_schema):
        value = api.portal.get_registry_record(f"{prefix}.{name}", default=None)
        result[name] = field.default if value is None else value
    return result
