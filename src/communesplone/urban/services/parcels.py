"""``@parcels`` on the urban desk.

- GET (SEARCH_CADASTRE): ``?reference=`` (a capakey, its beginning, or a
  cadastral reference), ``owner=``, ``address=`` (words, the last one as a
  prefix), ``limit=`` (at most 100). Answers ``{"items": [parcel], "items_total"}``,
  each parcel with its owners (personal data: the permission is the staff's).
  A reference that cannot be one is a 400 with the reason.
- POST (MANAGE_CADASTRE): a GeoJSON FeatureCollection as the body, or
  ``{"geojson": <FeatureCollection>, "crs": 31370}``. All or nothing: 400 with
  ``error.errors`` (every error, translated) and nothing imported, or
  ``{"imported": n}``.
"""

from communesplone import _
from communesplone.urban import cadastre
from communesplone.urban import gis
from communesplone.urban.browser.cadastre import licences_on
from communesplone.urban.browser.cadastre import parcel_json
from communesplone.urban.browser.cadastre import search
from communesplone.urban.browser.cadastre import SEARCH_LIMIT
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.i18n import translate
from zope.interface import alsoProvides

import json


def _bad_request(request, message, errors=None):
    request.response.setStatus(400)
    error = {"type": "BadRequest", "message": translate(message, context=request)}
    if errors is not None:
        error["errors"] = [translate(m, context=request) for m in errors]
    return {"error": error}


class ParcelsGet(Service):
    def reply(self):
        form = self.request.form
        text = str(form.get("reference") or form.get("capakey") or "").strip()
        owner = str(form.get("owner") or "").strip()
        address = str(form.get("address") or "").strip()
        try:
            limit = max(1, min(SEARCH_LIMIT, int(form.get("limit") or SEARCH_LIMIT)))
        except ValueError:
            limit = SEARCH_LIMIT
        if text and cadastre.reference_prefix(text) is None:
            try:
                cadastre.parse_reference(text)
            except cadastre.InvalidReference as error:
                return _bad_request(self.request, error.args[0])
        records = search(self.context, text, owner, address, limit=limit)
        on = licences_on(self.context, [r["capakey"] for r in records])
        items = [parcel_json(r, on.get(r["capakey"], ())) for r in records]
        return {"@id": f"{self.context.absolute_url()}/@parcels", "items": items,
                "items_total": len(items)}  # fmt: skip


class ParcelsPost(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        body = self.request.get("BODY") or b""
        crs = None
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if isinstance(data, dict) and "geojson" in data:
            crs = data.get("crs")
            crs = int(crs) if str(crs).isdigit() else crs  # anything else: "cannot be read"
            body = json.dumps(data["geojson"])
        store = cadastre.get_store(self.context, create=True)
        try:
            count = gis.import_geojson(store, body, crs=crs)
        except gis.ImportFailed as failure:
            return _bad_request(
                self.request, _("Nothing was imported."), gis.failure_messages(failure)
            )
        return {"imported": count, "parcels": len(store)}
