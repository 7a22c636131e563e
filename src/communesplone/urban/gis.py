"""Geometry and projections of the urban application: pyproj and shapely.

Parcels are kept in Belgian Lambert 72 (EPSG:31370), in metres, so that
distances are plain Euclidean ones. Files may come in Lambert 72, Lambert
2008 (EPSG:3812) or WGS84 (EPSG:4326); the map speaks WGS84.

- :func:`transform` / :func:`reproject`: points and shapely geometries from
  one of those projections to another;
- :func:`read_geojson` reads a whole GeoJSON file into parcel records, or
  raises :class:`ImportFailed` with every error found (translated), and
  :func:`import_geojson` writes them into the store only when there is none:
  nothing is ever half-imported;
- :func:`parcels_within` and :func:`neighbours`: the parcels, with their
  owners, within a radius of a licence's parcels (the public inquiry's 50 m),
  from the store's grid index and shapely's exact distances;
- :func:`licence_location`: where a licence lies, from its parcels.
"""

from Acquisition import aq_chain
from communesplone import _
from communesplone.core import maps
from communesplone.core.maps import HTTP_URL
from communesplone.urban import cadastre
from communesplone.urban.constants import DESK
from communesplone.urban.constants import INDEX_CAPAKEYS
from communesplone.urban.content.licence import ILicence
from plone.indexer import indexer
from typing import NamedTuple
from zope import schema
from zope.interface import Invalid
from zope.lifecycleevent.interfaces import IObjectModifiedEvent

import json
import math
import numpy
import pyproj
import shapely
import threading


LAMBERT72 = 31370
LAMBERT2008 = 3812
WGS84 = 4326
PROJECTIONS = {
    LAMBERT72: _("Belgian Lambert 72 (EPSG:31370)"),
    LAMBERT2008: _("Belgian Lambert 2008 (EPSG:3812)"),
    WGS84: _("WGS84 longitude/latitude (EPSG:4326)"),
}
# Where Belgium lies in Lambert 72, with a margin: coordinates outside are unknown.
BELGIUM_LAMBERT72 = (0.0, 0.0, 310_000.0, 260_000.0)
NEIGHBOUR_RADIUS = 50  # metres: the public inquiry's owners
MAX_ERRORS = 20  # errors listed by a failed import (the count says how many more)

_local = threading.local()  # pyproj transformers are not shared between threads


def transformer(source, target):
    cache = getattr(_local, "transformers", None)
    if cache is None:
        cache = _local.transformers = {}
    key = (source, target)
    if key not in cache:
        cache[key] = pyproj.Transformer.from_crs(f"EPSG:{source}", f"EPSG:{target}", always_xy=True)
    return cache[key]


def transform(x, y, source, target):
    """A point from one projection to another; x/y are longitude/latitude in WGS84."""
    if source == target:
        return float(x), float(y)
    tx, ty = transformer(source, target).transform(x, y)
    return float(tx), float(ty)


def reproject(geometry, source, target):
    """A shapely geometry from one projection to another."""
    if source == target:
        return geometry
    tr = transformer(source, target)

    def convert(coords):
        x, y = tr.transform(coords[:, 0], coords[:, 1])
        return numpy.column_stack([x, y])

    return shapely.transform(geometry, convert)


def to_wgs84(x, y):
    """(latitude, longitude) of a Lambert 72 point."""
    lon, lat = transform(x, y, LAMBERT72, WGS84)
    return lat, lon


# Parcel records ---------------------------------------------------------------


def parcel_record(reference, geometry, address="", owners=(), latlon=None):
    """The store's record of a parcel: ``geometry`` is a shapely geometry in Lambert 72.

    ``latlon``, the centre in WGS84 when the caller computed it (in bulk).
    """
    centroid = geometry.centroid
    x, y = centroid.x, centroid.y
    lat, lon = latlon or to_wgs84(x, y)
    record = dict(reference)
    record.update(
        {
            "capakey": cadastre.capakey(reference),
            "address": address or "",
            "owners": tuple((name or "", owner_address or "") for name, owner_address in owners),
            "wkb": shapely.to_wkb(geometry),
            "bbox": tuple(geometry.bounds),
            "x": x,
            "y": y,
            "latitude": lat,
            "longitude": lon,
        }
    )
    return record


def geometry(record):
    return shapely.from_wkb(record["wkb"])


# GeoJSON import ---------------------------------------------------------------


class ImportFailed(Exception):
    """A GeoJSON file that was not imported; ``errors`` are translated messages."""

    def __init__(self, errors, total=None):
        super().__init__(errors)
        self.errors = list(errors)
        self.total = total if total is not None else len(self.errors)


_CRS_NAMES = {
    "crs84": WGS84,
    "urn:ogc:def:crs:ogc:1.3:crs84": WGS84,
    "http://www.opengis.net/def/crs/ogc/1.3/crs84": WGS84,
}


def read_crs(data):
    """The EPSG code of a GeoJSON file's projection (WGS84 when it names none)."""
    crs = data.get("crs")
    if crs in (None, {}):
        return WGS84  # RFC 7946: GeoJSON is WGS84 unless it says otherwise
    name = None
    if isinstance(crs, dict):
        props = crs.get("properties")
        if isinstance(props, dict):
            name = props.get("name") or props.get("code")
    elif isinstance(crs, str | int):
        name = crs
    text = str(name or json.dumps(crs)).strip()
    code = _CRS_NAMES.get(text.lower())
    if code is None:
        digits = text.replace("::", ":").replace("/", ":").split(":")[-1]
        if digits.isdigit():
            code = int(digits)
    if code not in PROJECTIONS:
        raise _unreadable_projection(text[:80])
    return code


def _unreadable_projection(crs):
    return ImportFailed(
        [
            _(
                "The projection “${crs}” of the file cannot be read: give the parcels in "
                "Lambert 72 (EPSG:31370), Lambert 2008 (EPSG:3812) or WGS84 (EPSG:4326).",
                mapping={"crs": crs},
            )
        ]
    )


def _owners(props):
    owners = props.get("owners")
    if owners is None:
        name = props.get("owner_name") or props.get("owner")
        return [(name, props.get("owner_address") or "")] if name else []
    result = []
    for owner in owners if isinstance(owners, list) else [owners]:
        if isinstance(owner, dict):
            result.append((str(owner.get("name") or ""), str(owner.get("address") or "")))
        elif owner:
            result.append((str(owner), ""))
    return result


def _reference(props):
    if props.get("capakey") or props.get("reference"):
        return cadastre.parse_reference(props.get("capakey") or props.get("reference"))
    return cadastre.from_fields(*(props.get(name) for name in cadastre.FIELDS))


def _feature_geometry(feature, crs):
    raw = feature.get("geometry")
    if not raw:
        raise ValueError("no geometry")
    geom = shapely.geometry.shape(raw)
    coords = shapely.get_coordinates(geom)
    if geom.is_empty or not len(coords) or not all(math.isfinite(v) for v in coords.ravel()):
        raise ValueError("no coordinates")
    if geom.geom_type not in ("Polygon", "MultiPolygon", "Point"):
        raise ValueError(geom.geom_type)
    geom = reproject(geom, crs, LAMBERT72)
    coords = shapely.get_coordinates(geom)
    minx, miny, maxx, maxy = BELGIUM_LAMBERT72
    if not all(math.isfinite(v) for v in coords.ravel()) or not (
        minx <= coords[:, 0].min() and coords[:, 0].max() <= maxx
        and miny <= coords[:, 1].min() and coords[:, 1].max() <= maxy
    ):  # fmt: skip
        raise ValueError("outside Belgium")
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    return geom


def read_geojson(content, crs=None):
    """The parcel records of a GeoJSON text (str or bytes), or ImportFailed with every error.

    ``crs`` (an EPSG code) overrides what the file declares.
    """
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportFailed(
            [_("The file is not GeoJSON: ${error}", mapping={"error": str(error)[:200]})]
        ) from None
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise ImportFailed([_("The file is not a GeoJSON FeatureCollection of parcels.")])
    if crs is None:
        crs = read_crs(data)
    elif crs not in PROJECTIONS:
        raise _unreadable_projection(str(crs))
    if not data["features"]:
        raise ImportFailed([_("The file holds no parcel.")])
    errors, records, seen = [], [], {}
    for number, feature in enumerate(data["features"], start=1):
        if not isinstance(feature, dict):
            errors.append(
                _("Parcel ${number}: it is not a GeoJSON feature.", mapping={"number": number})
            )
            continue
        props = feature.get("properties") or {}
        try:
            reference = _reference(props)
        except cadastre.InvalidReference as error:
            errors.append(
                _("Parcel ${number}: ${error}", mapping={"number": number, "error": error.args[0]})
            )
            continue
        key = cadastre.capakey(reference)
        if key in seen:
            errors.append(
                _(
                    "Parcel ${number}: the capakey ${capakey} is already that of parcel ${first}.",
                    mapping={"number": number, "capakey": key, "first": seen[key]},
                )
            )
            continue
        seen[key] = number
        try:
            geom = _feature_geometry(feature, crs)
        except (
            ValueError,
            TypeError,
            AttributeError,
            KeyError,
            IndexError,
            shapely.errors.ShapelyError,
        ):
            errors.append(
                _(
                    "Parcel ${number} (${capakey}): its coordinates are unknown "
                    "or lie outside Belgium in ${projection}.",
                    mapping={"number": number, "capakey": key, "projection": f"EPSG:{crs}"},
                )
            )
            continue
        records.append(
            parcel_record(reference, geom, str(props.get("address") or ""), _owners(props))
        )
    if errors:
        raise ImportFailed(errors[:MAX_ERRORS], total=len(errors))
    return records


def import_geojson(store, content, crs=None):
    """Import a GeoJSON file into the store, all or nothing; the number of parcels imported."""
    records = read_geojson(content, crs=crs)
    for record in records:
        store.add(record)
    return len(records)


def failure_messages(failure):
    """The messages of an ImportFailed, with the count of those left out."""
    messages = list(failure.errors)
    if failure.total > len(messages):
        messages.append(
            _("… and ${count} more errors.", mapping={"count": failure.total - len(messages)})
        )
    return messages


# Radius query --------------------------------------------------------------------


class Neighbour(NamedTuple):
    capakey: str
    owner_name: str
    owner_address: str
    distance: float


def parcels_within(store, capakeys, radius=NEIGHBOUR_RADIUS):
    """[(record, distance)] of the parcels within ``radius`` m of the given ones, nearest first.

    The given parcels themselves are left out; the ones the store does not know
    are ignored.
    """
    if store is None:
        return []
    own = [store.parcels[key] for key in capakeys if key in store.parcels]
    if not own:
        return []
    site = shapely.union_all(shapely.from_wkb([record["wkb"] for record in own]))
    keys = sorted(store.candidates(site.bounds, radius) - set(capakeys))
    if not keys:
        return []
    records = [store.parcels[key] for key in keys]
    distances = shapely.distance(site, shapely.from_wkb([record["wkb"] for record in records]))
    found = [
        (float(d), r["capakey"], r) for r, d in zip(records, distances, strict=True) if d <= radius
    ]
    found.sort(key=lambda item: item[:2])
    return [(record, distance) for distance, key, record in found]


def desk_of(context):
    for item in aq_chain(context):
        if getattr(item, "portal_type", None) == DESK:
            return item
    return None


def store_of(context):
    desk = desk_of(context)
    return cadastre.get_store(desk) if desk is not None else None


def neighbours(licence, radius=NEIGHBOUR_RADIUS):
    """The owners of the parcels within ``radius`` m of the licence's parcels: Neighbour rows.

    One row per owner of each parcel (a parcel without a known owner gives one
    row with an empty name), nearest first, then by capakey. The licence's own
    parcels are left out.
    """
    store = store_of(licence)
    if store is None:
        return []
    rows = []
    for record, distance in parcels_within(store, cadastre.licence_capakeys(licence), radius):
        for name, address in record["owners"] or (("", ""),):
            rows.append(Neighbour(record["capakey"], name, address, round(distance, 1)))
    return rows


def location(store, capakeys):
    """(latitude, longitude) of the centre of the given parcels, or None if none is known."""
    own = [store.parcels[key] for key in capakeys if store is not None and key in store.parcels]
    if not own:
        return None
    site = shapely.union_all(shapely.from_wkb([record["wkb"] for record in own]))
    point = site.centroid
    return to_wgs84(point.x, point.y)


def licence_location(licence):
    """(latitude, longitude, address) of a licence from its parcels, or None when none is known.

    The address is the licence's first work location, else its first parcel's.
    """
    store = store_of(licence)
    keys = cadastre.licence_capakeys(licence)
    point = location(store, keys)
    if point is None:
        return None
    address = ""
    for row in getattr(licence, "work_locations", None) or ():
        street = " ".join(str(row.get(f) or "") for f in ("street", "number")).strip()
        city = " ".join(str(row.get(f) or "") for f in ("postal_code", "city")).strip()
        address = ", ".join(part for part in (street, city) if part)
        if address:
            break
    if not address:
        address = next((store.parcels[k]["address"] for k in keys if k in store.parcels), "")
    return point[0], point[1], address


# The licence's place: indexed capakeys, latitude/longitude on save ----------------


@indexer(ILicence)
def parcel_capakeys(licence):
    """The ``parcel_capakeys`` index: the capakeys of the licence's parcels."""
    return cadastre.licence_capakeys(licence)


@indexer(ILicence)
def urban_latitude(licence):
    return licence.latitude


@indexer(ILicence)
def urban_longitude(licence):
    return licence.longitude


@indexer(ILicence)
def urban_address(licence):
    """The work locations on one line, else the first known parcel's address."""
    if licence.address:
        return licence.address
    store = store_of(licence)
    keys = [
        k for k in cadastre.licence_capakeys(licence) if store is not None and k in store.parcels
    ]
    return store.parcels[keys[0]]["address"] if keys else ""


def update_location(licence, event=None):
    """Place a licence from its parcels (on add and on each save); None when none is known."""
    found = licence_location(licence)
    latitude, longitude = (round(found[0], 7), round(found[1], 7)) if found else (None, None)
    if (licence.latitude, licence.longitude) != (latitude, longitude):
        licence.latitude, licence.longitude = latitude, longitude
        if event is not None and IObjectModifiedEvent.providedBy(event):
            licence.reindexObject(idxs=[INDEX_CAPAKEYS])  # and the metadata: the map's point


# The map's settings (registry, Site Setup → Urban map) ------------------------------

MAP_PREFIX = "communesplone.urban.map"


def parse_wms(line):
    """{'title', 'url', 'layers'} of a WMS line ``Title | https://…/WMSServer | layer,layer``."""
    parts = [part.strip() for part in (line or "").split("|")]
    if len(parts) != 3 or not all(parts) or not HTTP_URL.match(parts[1]):
        raise Invalid(
            _(
                "“${line}” is not a WMS layer: write its title, its http or https address "
                "and its layers' names, separated by |.",
                mapping={"line": line},
            )
        )
    return {"title": parts[0], "url": parts[1], "layers": parts[2]}


def check_wms(value):
    parse_wms(value)
    return True


class IMapSettings(maps.IMapSettings):
    """The urban map: core's map settings and the WMS layers, stored as
    ``communesplone.urban.map.*`` registry records."""

    wms_layers = schema.List(
        title=_("WMS layers"),
        description=_(
            "Layers drawn over the tiles, that the map's layer menu turns on and off, one a "
            "line: title | address of the WMS service | layers' names. For example the Walloon "
            "geoportal's plan de secteur."
        ),
        value_type=schema.TextLine(constraint=check_wms),
        default=[],
        missing_value=[],
        required=False,
    )


def map_settings():
    """The map's settings as a dict (the schema's defaults where a record is missing)."""
    result = maps.map_settings(MAP_PREFIX, IMapSettings)
    result["wms_layers"] = [parse_wms(line) for line in result["wms_layers"] or ()]
    return result
