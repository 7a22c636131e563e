"""The cadastre and the map in a site: a licence placed from its parcels, its
neighbours (CSV), parcel search and import (page and REST), the map and its
GeoJSON, each for whom it is meant."""

from communesplone.urban import cadastre
from communesplone.urban import demo_cadastre
from communesplone.urban import gis
from communesplone.urban import testing
from communesplone.urban.testing import session
from plone import api
from zope.event import notify
from zope.lifecycleevent import ObjectModifiedEvent

import csv
import io
import json
import pytest
import transaction


def refused(response):
    return response.status_code in (302, 401, 403)


@pytest.fixture
def world(functional_portal):
    desk = testing.build(functional_portal)
    with api.env.adopt_roles(["Manager"]):
        records = demo_cadastre.install(desk, count=300)
        licence = testing.make_licence(
            desk,
            parcels=[demo_cadastre.parcel_row(records[0]), demo_cadastre.parcel_row(records[1])],
            work_locations=[demo_cadastre.work_location(records[0])],
        )
        other = testing.make_licence(desk, licence_type="planning_declaration", parcels=[
            demo_cadastre.parcel_row(records[150])])  # fmt: skip
        unplaced = testing.make_licence(desk, licence_type="planning_declaration")
    transaction.commit()
    return {"desk": desk, "records": records, "licence": licence, "other": other,
            "unplaced": unplaced}  # fmt: skip


def test_licence_placed_from_its_parcels_and_indexed(world):
    licence, records, desk = world["licence"], world["records"], world["desk"]
    store = cadastre.get_store(desk)
    expected = gis.location(store, [records[0]["capakey"], records[1]["capakey"]])
    assert licence.latitude == pytest.approx(expected[0]) and licence.longitude == pytest.approx(
        expected[1]
    )
    assert 50.3 < licence.latitude < 50.4
    assert world["unplaced"].latitude is None
    catalog = api.portal.get_tool("portal_catalog")
    [brain] = catalog.unrestrictedSearchResults(parcel_capakeys=records[1]["capakey"])
    assert licence.UID() == brain.UID
    assert brain.urban_latitude == licence.latitude
    assert brain.urban_address.startswith(records[0]["street"])
    # moved to another parcel on save: placed there, reindexed
    licence.parcels = [demo_cadastre.parcel_row(records[200])]
    notify(ObjectModifiedEvent(licence))
    [brain] = catalog.unrestrictedSearchResults(UID=licence.UID())
    assert (brain.urban_latitude, brain.urban_longitude) == pytest.approx(
        (records[200]["latitude"], records[200]["longitude"]), abs=1e-6
    )
    assert not catalog.unrestrictedSearchResults(parcel_capakeys=records[1]["capakey"])


def test_neighbours_and_their_csv(world):
    licence, records = world["licence"], world["records"]
    own = {records[0]["capakey"], records[1]["capakey"]}
    rows = gis.neighbours(licence)
    sites = [gis.geometry(r) for r in records if r["capakey"] in own]
    expected = {
        r["capakey"]
        for r in records
        if r["capakey"] not in own and min(s.distance(gis.geometry(r)) for s in sites) <= 50
    }
    assert {row.capakey for row in rows} == expected and expected
    assert [row.distance for row in rows] == sorted(row.distance for row in rows)
    owners = [
        (r["capakey"], n, a) for r in records if r["capakey"] in expected for n, a in r["owners"]
    ]
    assert sorted((row.capakey, row.owner_name, row.owner_address) for row in rows) == sorted(
        owners
    )

    url = f"{licence.absolute_url()}/@@urban-neighbours.csv"
    response = session("editor").get(url)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0][0] == "Capakey" and len(table) == len(rows) + 1
    assert table[1][2] == rows[0].owner_name
    page = session("editor").get(f"{licence.absolute_url()}/@@urban-neighbours")
    assert page.status_code == 200 and rows[0].owner_name in page.text
    for login in (None, "citizen", "other_staff"):  # owners are personal data
        assert refused(session(login).get(url, allow_redirects=False)), login
    # a file whose parcels the cadastre does not know says so
    page = session("editor").get(f"{world['unplaced'].absolute_url()}/@@urban-neighbours")
    assert "None of this file's parcels is in the cadastre" in page.text


def test_parcel_search_page_and_rest(world):
    desk, records = world["desk"], world["records"]
    target = records[0]
    page = session("editor").get(f"{desk.absolute_url()}/@@urban-parcels",
                                 params={"reference": cadastre.title(target)})  # fmt: skip
    assert page.status_code == 200
    assert target["capakey"] in page.text and target["owners"][0][0] in page.text
    assert world["licence"].reference in page.text  # the file on that parcel
    page = session("editor").get(f"{desk.absolute_url()}/@@urban-parcels",
                                 params={"reference": "rue haute"})  # fmt: skip
    assert "is not a cadastral reference" in page.text
    assert refused(session("citizen").get(f"{desk.absolute_url()}/@@urban-parcels",
                                          allow_redirects=False))  # fmt: skip

    rest = session("editor")
    rest.headers["Accept"] = "application/json"
    name = target["owners"][0][0]
    found = rest.get(f"{desk.absolute_url()}/@parcels", params={"owner": name}).json()
    assert target["capakey"] in [item["capakey"] for item in found["items"]]
    item = next(i for i in found["items"] if i["capakey"] == target["capakey"])
    assert item["owners"][0] == {"name": name, "address": target["owners"][0][1]}
    assert item["licences"][0]["reference"] == world["licence"].reference
    street = target["street"]
    params = {"address": street, "reference": target["capakey"][:6]}
    found = rest.get(f"{desk.absolute_url()}/@parcels", params=params).json()
    assert found["items"] and all(
        i["address"].startswith(street) and i["capakey"].startswith(target["capakey"][:6])
        for i in found["items"]
    )
    bad = rest.get(f"{desk.absolute_url()}/@parcels", params={"reference": "A12 99001"})
    assert (
        bad.status_code == 400 and "is not a cadastral reference" in bad.json()["error"]["message"]
    )
    for login in (None, "citizen", "other_staff"):
        anonymous = session(login)
        anonymous.headers["Accept"] = "application/json"
        assert anonymous.get(f"{desk.absolute_url()}/@parcels").status_code in (401, 403), login


def test_import_page_and_rest_all_or_nothing(world):
    desk = world["desk"]
    store = cadastre.get_store(desk)
    before = len(store)
    fresh = demo_cadastre.village(5, seed=5, centre=(150_000.0, 150_000.0))
    data = demo_cadastre.feature_collection(fresh)
    data["features"][3]["properties"]["capakey"] = "nonsense"
    admin = session("siteadmin")
    form = admin.get(f"{desk.absolute_url()}/@@urban-cadastre-import")
    token = form.text.split('name="_authenticator"')[1].split('value="')[1].split('"')[0]
    response = admin.post(
        f"{desk.absolute_url()}/@@urban-cadastre-import",
        data={"_authenticator": token, "crs": ""},
        files={"file": ("parcels.geojson", json.dumps(data).encode())},
    )
    assert "Nothing was imported" in response.text
    assert "Parcel 4: “nonsense” is not a cadastral reference" in response.text
    transaction.begin()
    assert len(cadastre.get_store(desk)) == before

    rest = session("siteadmin")
    rest.headers["Accept"] = "application/json"
    answer = rest.post(f"{desk.absolute_url()}/@parcels", json=data)
    assert answer.status_code == 400
    assert answer.json()["error"]["errors"][0].startswith("Parcel 4:")
    answer = rest.post(f"{desk.absolute_url()}/@parcels", json={"geojson": data, "crs": "lambert"})
    assert "cannot be read" in answer.json()["error"]["errors"][0]
    transaction.begin()
    assert len(cadastre.get_store(desk)) == before

    data["features"][3]["properties"]["capakey"] = fresh[3]["capakey"]
    response = admin.post(
        f"{desk.absolute_url()}/@@urban-cadastre-import",
        data={"_authenticator": token, "crs": "31370"},
        files={"file": ("parcels.geojson", json.dumps(data).encode())},
    )
    assert "5 parcels imported" in response.text
    transaction.begin()
    known = {r["capakey"] for r in world["records"]}
    assert len(cadastre.get_store(desk)) == before + len({r["capakey"] for r in fresh} - known)
    assert cadastre.get_store(desk).get(fresh[3]["capakey"])["owners"] == fresh[3]["owners"]
    # staff search the cadastre, they do not replace it
    editor = session("editor")
    editor.headers["Accept"] = "application/json"
    assert editor.post(f"{desk.absolute_url()}/@parcels", json=data).status_code in (401, 403)
    assert refused(session("editor").get(f"{desk.absolute_url()}/@@urban-cadastre-import",
                                         allow_redirects=False))  # fmt: skip


def test_map_and_geojson(world):
    desk, licence, other = world["desk"], world["licence"], world["other"]
    editor = session("editor")
    page = editor.get(f"{desk.absolute_url()}/@@urban-map")
    assert page.status_code == 200
    assert licence.reference in page.text and world["unplaced"].reference in page.text
    # the table's Subject column: the subject, not the title (its reference again)
    assert f"{licence.reference} – " not in page.text
    assert page.text.count(licence.subject.split("'")[-1]) >= 1
    assert "++resource++communesplone.core/leaflet/leaflet.js" in page.text
    assert "tile.openstreetmap.org" in page.text
    filtered = editor.get(
        f"{desk.absolute_url()}/@@urban-map", params={"licence_type": "building_permit"}
    )
    assert licence.reference in filtered.text and other.reference not in filtered.text

    editor.headers["Accept"] = "application/json"
    data = editor.get(f"{desk.absolute_url()}/@urban-geojson").json()
    refs = {f["properties"]["reference"]: f for f in data["features"]}
    assert set(refs) == {licence.reference, other.reference}  # the unplaced one has no point
    feature = refs[licence.reference]
    assert feature["geometry"]["coordinates"] == pytest.approx(
        [licence.longitude, licence.latitude]
    )
    assert set(feature["properties"]) == {
        "reference", "title", "subject", "url", "uid", "licence_type", "licence_type_title",
        "state", "state_title", "year", "address",
    }  # fmt: skip
    assert feature["properties"]["subject"] == licence.subject
    text = json.dumps(data)
    for record in world["records"][:5]:  # no owner, no personal data
        assert record["owners"][0][0] not in text
    data = editor.get(f"{desk.absolute_url()}/@urban-geojson",
                      params={"licence_type": "planning_declaration"}).json()  # fmt: skip
    assert [f["properties"]["reference"] for f in data["features"]] == [other.reference]
    data = editor.get(f"{desk.absolute_url()}/@urban-geojson", params={"year": "2001"}).json()
    assert data["features"] == []
    # who cannot see the files does not see them on the map either
    citizen = session("citizen")
    citizen.headers["Accept"] = "application/json"
    answer = citizen.get(f"{desk.absolute_url()}/@urban-geojson")
    assert answer.status_code in (401, 403) or answer.json()["features"] == []


def test_map_settings_checked(world):
    with pytest.raises(Exception):  # noqa: B017 (the constraint's Invalid)
        gis.IMapSettings["tile_url"].validate("ftp://tiles/{z}/{x}/{y}.png")
    gis.IMapSettings["wms_layers"].validate(
        ["Plan de secteur | https://geoservices.wallonie.be/arcgis/services/WMSServer | 0"]
    )
    with pytest.raises(Exception):  # noqa: B017
        gis.IMapSettings["wms_layers"].validate(["Plan de secteur, no address"])
    api.portal.set_registry_record(
        f"{gis.MAP_PREFIX}.wms_layers", ["Plan de secteur | https://example.org/wms | 0,1"]
    )
    transaction.commit()
    page = session("editor").get(f"{world['desk'].absolute_url()}/@@urban-map")
    assert "https://example.org/wms" in page.text


def test_parcel_rows_refused_over_rest_with_the_reason(world):
    licence = world["licence"]
    rest = session("siteadmin")
    rest.headers["Accept"] = "application/json"
    row = {"division": "62031", "section": "A", "radical": "0"}
    answer = rest.patch(licence.absolute_url(), json={"parcels": [row]})
    assert answer.status_code == 400
    message = answer.json()["message"]
    assert "The radical “0” of a cadastral reference must be a number from 1 to 9999" in message
    transaction.begin()
    assert len(licence.parcels) == 2  # unchanged
