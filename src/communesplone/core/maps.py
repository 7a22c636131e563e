"""What the applications' maps share: the check of a tile address, and the
default tiles and their credit (OpenStreetMap). Leaflet itself is vendored in
``core/browser/static/leaflet``; each application keeps its own map settings
(the e-desk's public map, urban's map with its WMS layers)."""

from communesplone import _
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
