"""``@urban-geojson`` on the urban desk: the licences the user may see, with a point, as GeoJSON.

Filters ``licence_type``, ``state``, ``year`` as on ``@@urban-map``. Catalog
metadata only (reference, title, type, state, year, address, url, uid): no
personal data.
"""

from communesplone.urban.browser.map import feature_collection
from communesplone.urban.browser.map import filters
from communesplone.urban.browser.map import licences
from plone.restapi.services import Service


class GeoJSONGet(Service):
    def reply(self):
        rows = licences(self.context, request=self.request, **filters(self.request))
        self.request.response.setHeader("Content-Type", "application/geo+json")
        return feature_collection(rows)
