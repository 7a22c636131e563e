"""The cadastre's pages: parcel search, the GeoJSON import, a licence's neighbours.

- ``@@urban-parcels`` on the desk (SEARCH_CADASTRE: the owners are personal
  data): search by capakey or cadastral reference, owner and address, with the
  licences on each parcel (from the ``parcel_capakeys`` index);
- ``@@urban-cadastre-import`` on the desk (MANAGE_CADASTRE): a GeoJSON file,
  all or nothing (``gis.import_geojson``): every error is listed and nothing
  is imported, or every parcel is;
- ``@@urban-neighbours`` and ``@@urban-neighbours.csv`` on a licence
  (VIEW_PERSONAL_DATA): the owners of the parcels within 50 m, for the public
  inquiry's letters.
"""

from communesplone import _
from communesplone.urban import cadastre
from communesplone.urban import gis
from communesplone.urban.constants import INDEX_CAPAKEYS
from communesplone.urban.constants import INDEX_REFERENCE
from communesplone.urban.constants import LICENCES
from plone import api
from plone.protect.authenticator import check as check_authenticator
from Products.Five.browser import BrowserView
from zExceptions import Forbidden
from zope.i18n import translate

import csv
import io


SEARCH_LIMIT = 100


def search(desk, text="", owner="", address="", limit=SEARCH_LIMIT):
    """Parcels of the desk's store matching the criteria; [] when none is given."""
    store = cadastre.get_store(desk)
    if store is None:
        return []
    return store.search(text=text, owner=owner, address=address, limit=limit)


def licences_on(desk, capakeys):
    """{capakey: [(reference, url)]}: the licences the user may see on those parcels."""
    result = {}
    if not capakeys:
        return result
    brains = api.portal.get_tool("portal_catalog")(
        portal_type=list(LICENCES),
        path="/".join(desk.getPhysicalPath()),
        **{INDEX_CAPAKEYS: list(capakeys)},
    )
    wanted = set(capakeys)
    for brain in brains:
        for key in _brain_capakeys(brain) & wanted:
            reference = getattr(brain, INDEX_REFERENCE, "") or brain.Title
            result.setdefault(key, []).append((reference, brain.getURL()))
    return result


def _brain_capakeys(brain):
    catalog = api.portal.get_tool("portal_catalog")
    values = catalog.getIndexDataForRID(brain.getRID()).get(INDEX_CAPAKEYS) or ()
    return set(values)


def parcel_json(record, licences=()):
    """A parcel as plain data (the REST answer, the page's rows)."""
    return {
        "capakey": record["capakey"],
        "reference": cadastre.title(record),
        "division": record["division"],
        "section": record["section"],
        "radical": record["radical"],
        "bis": record["bis"],
        "exposant": record["exposant"],
        "puissance": record["puissance"],
        "address": record["address"],
        "owners": [{"name": name, "address": address} for name, address in record["owners"]],
        "latitude": record["latitude"],
        "longitude": record["longitude"],
        "licences": [{"reference": ref, "url": url} for ref, url in licences],
    }


class ParcelSearch(BrowserView):
    """``@@urban-parcels``: the search form and its results."""

    def __call__(self):
        form = self.request.form
        self.text = str(form.get("reference") or "").strip()
        self.owner = str(form.get("owner") or "").strip()
        self.address = str(form.get("address") or "").strip()
        self.searched = bool(self.text or self.owner or self.address)
        self.error = None
        self.results = []
        if self.searched:
            records = search(self.context, self.text, self.owner, self.address)
            if self.text and not records and cadastre.reference_prefix(self.text) is None:
                self.error = translate(
                    _(
                        "“${text}” is not a cadastral reference: write a capakey such as "
                        "62031A0012/00B000, or its beginning (62031A), or the division, section "
                        "and number, such as 62031 A 12/2B3.",
                        mapping={"text": self.text},
                    ),
                    context=self.request,
                )
            on = licences_on(self.context, [r["capakey"] for r in records])
            self.results = [parcel_json(r, on.get(r["capakey"], ())) for r in records]
        return self.index()

    def store_size(self):
        store = cadastre.get_store(self.context)
        return len(store) if store is not None else 0

    def limit(self):
        return SEARCH_LIMIT

    def can_import(self):
        from communesplone.urban.constants import MANAGE_CADASTRE

        return api.user.has_permission(MANAGE_CADASTRE, obj=self.context)


class CadastreImport(BrowserView):
    """``@@urban-cadastre-import``: GET shows the form, POST imports the file (all or nothing)."""

    def __call__(self):
        self.errors = []
        self.imported = None
        if self.request.method == "POST":
            self.run()
        return self.index()

    def projections(self):
        return [{"value": str(code), "title": title} for code, title in gis.PROJECTIONS.items()]

    def run(self):
        try:
            check_authenticator(self.request)
        except Forbidden:
            self.errors = [
                translate(_("The form had expired: send it again."), context=self.request)
            ]
            return
        upload = self.request.form.get("file")
        content = upload.read() if hasattr(upload, "read") else (upload or b"")
        if not content:
            self.errors = [translate(_("Choose a GeoJSON file."), context=self.request)]
            return
        crs = str(self.request.form.get("crs") or "").strip()
        store = cadastre.get_store(self.context, create=True)
        try:
            self.imported = gis.import_geojson(
                store, content, crs=int(crs) if crs.isdigit() else None
            )
        except gis.ImportFailed as failure:
            self.errors = [
                translate(m, context=self.request) for m in gis.failure_messages(failure)
            ]
            return
        api.portal.show_message(
            _("${count} parcels imported.", mapping={"count": self.imported}), self.request
        )


class Neighbours(BrowserView):
    """``@@urban-neighbours`` on a licence: the owners within 50 m, and the CSV link."""

    radius = gis.NEIGHBOUR_RADIUS

    def rows(self):
        return gis.neighbours(self.context, radius=self.radius)

    def known_parcels(self):
        store = gis.store_of(self.context)
        keys = cadastre.licence_capakeys(self.context)
        return [k for k in keys if store is not None and k in store.parcels]

    def parcel_address(self, capakey):
        record = gis.store_of(self.context).parcels.get(capakey)
        return record["address"] if record else ""


class NeighboursCSV(Neighbours):
    """``@@urban-neighbours.csv``: the same rows as CSV (UTF-8 with BOM, for spreadsheets)."""

    def __call__(self):
        out = io.StringIO()
        writer = csv.writer(out)
        header = [_("Capakey"), _("Parcel"), _("Owner"), _("Owner's address"), _("Distance (m)")]
        writer.writerow([translate(h, context=self.request) for h in header])
        for row in self.rows():
            writer.writerow(
                [
                    row.capakey,
                    self.parcel_address(row.capakey),
                    row.owner_name,
                    row.owner_address,
                    f"{row.distance:.1f}",
                ]
            )
        response = self.request.response
        response.setHeader("Content-Type", "text/csv; charset=utf-8")
        name = (self.context.getId() or "licence") + "-riverains.csv"
        response.setHeader("Content-Disposition", f'attachment; filename="{name}"')
        return "\ufeff" + out.getvalue()
