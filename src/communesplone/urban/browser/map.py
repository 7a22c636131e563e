"""The map of the licences (``@@urban-map`` on the desk) and its settings.

What the map and its list show comes from :func:`licences` (catalog metadata
only: reference, title, licence type, state, year, address, point), so no
personal data and no object is woken. The page lists the files in a table
that works without JavaScript; ``urban-map.js`` draws those that have a point
on a Leaflet map (core's vendored copy) with the tiles and WMS layers set in
Site Setup → Urbanism, its Map tab (``gis.IMapSettings``), from the REST endpoint
``@urban-geojson`` with the same filters.
"""

from communesplone.urban import gis
from communesplone.urban.constants import INDEX_LICENCE_TYPE
from communesplone.urban.constants import INDEX_REFERENCE
from communesplone.urban.constants import LICENCES
from communesplone.urban.content.licence import subject_of
from DateTime import DateTime
from plone import api
from Products.Five.browser import BrowserView
from zope.component import getUtility
from zope.i18n import translate
from zope.schema.interfaces import IVocabularyFactory

import json


def _vocabulary(name, context):
    return getUtility(IVocabularyFactory, name)(context)


def filters(request):
    """The filters of a request: licence type, state, year (ignored when not valid)."""
    year = str(request.form.get("year") or "").strip()
    return {
        "licence_type": str(request.form.get("licence_type") or "").strip(),
        "state": str(request.form.get("state") or "").strip(),
        "year": int(year) if year.isdigit() and 1900 < int(year) < 3000 else None,
    }


def licences(desk, licence_type="", state="", year=None, request=None):
    """The licences the user may see in the desk, newest first, as dicts of catalog metadata."""
    query = {
        "portal_type": list(LICENCES),
        "path": "/".join(desk.getPhysicalPath()),
        "sort_on": "created",
        "sort_order": "descending",
    }
    if licence_type:
        query[INDEX_LICENCE_TYPE] = licence_type
    if state:
        query["review_state"] = state
    if year:
        query["created"] = {
            "query": (DateTime(year, 1, 1), DateTime(year + 1, 1, 1) - 1e-6),
            "range": "min:max",
        }
    types = {
        term.value: term.title for term in _vocabulary("communesplone.urban.licence_types", desk)
    }
    states = {
        term.value: term.title for term in _vocabulary("communesplone.urban.licence_states", desk)
    }
    rows = []
    for brain in api.portal.get_tool("portal_catalog")(**query):
        state_title = states.get(brain.review_state, brain.review_state)
        reference = getattr(brain, INDEX_REFERENCE, None) or ""
        rows.append(
            {
                "reference": reference,
                "title": brain.Title,
                "subject": subject_of(brain.Title, reference),
                "url": brain.getURL(),
                "uid": brain.UID,
                "licence_type": getattr(brain, INDEX_LICENCE_TYPE, None) or "",
                "licence_type_title": types.get(getattr(brain, INDEX_LICENCE_TYPE, None), ""),
                "state": brain.review_state,
                "state_title": translate(state_title, context=request) if request else state_title,
                "year": brain.created.year() if brain.created else None,
                "address": getattr(brain, "urban_address", None) or "",
                "latitude": getattr(brain, "urban_latitude", None),
                "longitude": getattr(brain, "urban_longitude", None),
            }
        )
    return rows


def feature_collection(rows):
    """The licences that have a point, as GeoJSON (WGS84)."""
    features = []
    for row in rows:
        if row["latitude"] is None or row["longitude"] is None:
            continue
        properties = {k: v for k, v in row.items() if k not in ("latitude", "longitude")}
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}


class UrbanMap(BrowserView):
    """``@@urban-map`` on the desk: the filters, the map, and the table of the same files."""

    def __call__(self):
        self.filters = filters(self.request)
        self.rows = licences(self.context, request=self.request, **self.filters)
        return self.index()

    def type_options(self):
        return [
            {
                "value": t.value,
                "title": t.title,
                "selected": t.value == self.filters["licence_type"],
            }
            for t in _vocabulary("communesplone.urban.licence_types", self.context)
        ]

    def state_options(self):
        return [
            {"value": t.value, "title": t.title, "selected": t.value == self.filters["state"]}
            for t in _vocabulary("communesplone.urban.licence_states", self.context)
        ]

    def year_options(self):
        this_year = DateTime().year()
        return [
            {"value": year, "selected": year == self.filters["year"]}
            for year in range(this_year, this_year - 15, -1)
        ]

    def map_settings(self):
        settings = gis.map_settings()
        query = "&".join(f"{k}={v}" for k, v in self.filters.items() if v)
        return json.dumps(
            {
                "tile_url": settings["tile_url"],
                "attribution": settings["attribution"] or "",
                "wms": settings["wms_layers"],
                "latitude": settings["latitude"],
                "longitude": settings["longitude"],
                "zoom": settings["zoom"],
                "focus": str(self.request.form.get("focus") or ""),
                "source": f"{self.context.absolute_url()}/@urban-geojson"
                + (f"?{query}" if query else ""),
            }
        )

    def leaflet(self):
        return f"{api.portal.get().absolute_url()}/++resource++communesplone.core/leaflet"

    def resources(self):
        return f"{api.portal.get().absolute_url()}/++resource++communesplone.urban"
