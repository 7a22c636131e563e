"""The cadastre without Plone: references, projections, the store, search, radius, import."""

from communesplone.urban import cadastre
from communesplone.urban import demo_cadastre
from communesplone.urban import gis
from zope.i18n import translate

import json
import pytest
import shapely


def message(error):
    return translate(error.args[0] if hasattr(error, "args") else error)


# References -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("62031A0012/00B000", "62031A0012/00B000"),
        ("62031a0012/00_000", "62031A0012/00_000"),
        ("62031 A 12/2B3", "62031A0012/02B003"),
        ("62031 A 12", "62031A0012/00_000"),
        ("  62031  b 4567 c ", "62031B4567/00C000"),
    ],
)
def test_references_are_read_as_capakeys(text, expected):
    assert cadastre.normalise(text) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("6203A0012/00B000", "is not a cadastral reference"),  # four-digit division
        ("62031 AB 12", "is not a cadastral reference"),
        ("62031 A 0", "radical"),
        ("62031 A 12/345", "is not a cadastral reference"),
        ("rue de la Gare 4", "is not a cadastral reference"),
    ],
)
def test_malformed_references_are_refused_with_a_reason(text, words):
    with pytest.raises(cadastre.InvalidReference) as raised:
        cadastre.parse_reference(text)
    assert words in message(raised.value)


def test_reference_fields_are_checked_one_by_one():
    assert (
        cadastre.capakey(cadastre.from_fields("62031", "a", "12", "", "b", ""))
        == "62031A0012/00B000"
    )
    for fields, field in [
        (("6203", "A", "12"), "division"),
        (("62031", "1", "12"), "section"),
        (("62031", "A", "12345"), "radical"),
        (("62031", "A", "12", "100"), "bis"),
        (("62031", "A", "12", "", "BB"), "exposant"),
        (("62031", "A", "12", "", "", "x"), "puissance"),
    ]:
        with pytest.raises(cadastre.InvalidReference) as raised:
            cadastre.from_fields(*fields)
        assert f"The {field} " in message(raised.value), fields


def test_reference_title():
    assert cadastre.title(cadastre.parse_reference("62031A0012/02B003")) == "62031 A 12/2B3"
    assert cadastre.title(cadastre.parse_reference("62031A0012/00_000")) == "62031 A 12"


# Projections --------------------------------------------------------------------


def test_lambert72_known_point():
    # IOGP guidance note 7-2, Belgian Lambert 72 example (on the Belge 1972 datum)
    x, y = gis.transform(
        5 + 48 / 60 + 26.533 / 3600, 50 + 40 / 60 + 46.461 / 3600, 4313, gis.LAMBERT72
    )
    assert x == pytest.approx(251763.20, abs=0.1) and y == pytest.approx(153034.13, abs=0.1)


def test_lambert2008_origin_and_round_trips():
    # Lambert 2008's false origin: 50°47'52.134"N 4°21'33.177"E is (649328, 665262)
    x, y = gis.transform(4.359215833, 50.797815, gis.WGS84, gis.LAMBERT2008)
    assert (x, y) == (pytest.approx(649328, abs=0.5), pytest.approx(665262, abs=0.5))
    # Namur's belfry, from Lambert 72 to WGS84 and Lambert 2008, and back
    lat, lon = gis.to_wgs84(185_250.0, 128_200.0)
    assert 50.45 < lat < 50.48 and 4.85 < lon < 4.88
    assert gis.transform(lon, lat, gis.WGS84, gis.LAMBERT72) == (
        pytest.approx(185_250.0, abs=0.01), pytest.approx(128_200.0, abs=0.01)
    )  # fmt: skip
    x8, y8 = gis.transform(185_250.0, 128_200.0, gis.LAMBERT72, gis.LAMBERT2008)
    assert (
        abs(x8 - 685_250.0) < 10 and abs(y8 - 628_200.0) < 10
    )  # Lambert 2008 ~ Lambert 72 + 500 km
    square = shapely.box(185_000, 128_000, 185_010, 128_010)
    back = gis.reproject(gis.reproject(square, gis.LAMBERT72, gis.WGS84), gis.WGS84, gis.LAMBERT72)
    assert back.area == pytest.approx(100, rel=1e-4)


# The store: search and radius ---------------------------------------------------------


def _record(
    key, box, owners=(("Lambert Marie", "Rue Haute 1, 5000 Namur"),), address="Rue de l'Église 1"
):
    return gis.parcel_record(cadastre.parse_reference(key), shapely.box(*box), address, owners)


@pytest.fixture(scope="module")
def village():
    store = cadastre.ParcelStore()
    records = demo_cadastre.village(600)
    for record in records:
        store.add(record)
    return store, records


def test_demo_village_is_deterministic_and_credible(village):
    store, records = village
    assert len(store) == 600 == len({r["capakey"] for r in records})
    again = demo_cadastre.village(600)
    assert [r["capakey"] for r in again] == [r["capakey"] for r in records]
    assert [r["owners"] for r in again] == [r["owners"] for r in records]
    for record in records:
        assert cadastre.normalise(record["capakey"]) == record["capakey"]
        assert record["owners"] and record["address"].endswith(demo_cadastre.CITY)
        assert 50.2 < record["latitude"] < 50.5 and 4.7 < record["longitude"] < 5.0
    areas = {round(gis.geometry(r).area) for r in records}
    assert len(areas) > 3  # parcels of varied frontage
    other = demo_cadastre.village(600, seed=7)
    assert [r["owners"] for r in other] != [r["owners"] for r in records]


def test_search_by_reference_owner_and_address(village):
    store, records = village
    target = records[37]
    assert store.search(text=target["capakey"]) == [target]
    assert store.search(text=cadastre.title(target)) == [target]
    prefix = target["capakey"][:6]  # division and section
    found = store.search(text=prefix, limit=1000)
    assert found == sorted(
        (r for r in records if r["capakey"].startswith(prefix)), key=lambda r: r["capakey"]
    )
    assert store.search(text="not a reference") == []
    name = target["owners"][0][0]
    by_owner = store.search(owner=name.upper(), limit=1000)
    assert target in by_owner
    for record in by_owner:  # every word of the name is a word of an owner's name
        owner_words = cadastre.words(" ".join(n for n, a in record["owners"]))
        assert all(w in owner_words for w in cadastre.words(name))
    street = target["street"]
    by_street = store.search(
        address=street[: len(street) - 2], limit=1000
    )  # the last word as a prefix
    assert target in by_street
    both = store.search(owner=name, address=street, limit=1000)
    assert target in both and all(r in by_owner and r in by_street for r in both)
    assert store.search(owner="Nobodyhere") == []
    assert store.search() == []
    assert len(store.search(address=demo_cadastre.CITY, limit=5)) == 5


def test_radius_query_is_exact_and_leaves_the_parcel_out():
    store = cadastre.ParcelStore()
    store.add(_record("62031A0001", (0, 0, 20, 20)))  # the licence's parcel
    store.add(_record("62031A0002", (20, 0, 40, 20)))  # touching: 0 m
    store.add(_record("62031A0003", (69.5, 0, 80, 20)))  # 49.5 m
    store.add(_record("62031A0004", (70.5, 0, 80, 20)))  # 50.5 m: out
    store.add(_record("62031A0005", (55, 55, 60, 60)))  # corner: sqrt(35² + 35²) = 49.5 m
    store.add(_record("62031A0006", (57, 57, 60, 60)))  # corner: 52.3 m: out
    store.add(_record("62031A0007", (0, 300, 20, 320), owners=()))  # far away
    found = gis.parcels_within(store, ["62031A0001/00_000"], 50)
    assert [(r["capakey"][:10], round(d, 1)) for r, d in found] == [
        ("62031A0002", 0.0), ("62031A0005", 49.5), ("62031A0003", 49.5),
    ]  # fmt: skip
    # two parcels of one licence: neither is its own neighbour
    found = gis.parcels_within(store, ["62031A0001/00_000", "62031A0002/00_000"], 50)
    assert [r["capakey"][:10] for r, d in found] == [
        "62031A0003",
        "62031A0004",
        "62031A0005",
        "62031A0006",
    ]
    assert gis.parcels_within(store, ["99999Z0001/00_000"], 50) == []


def test_radius_over_a_village_matches_brute_force(village):
    store, records = village
    target = records[250]
    site = gis.geometry(target)
    expected = sorted(
        r["capakey"] for r in records if r is not target and site.distance(gis.geometry(r)) <= 50
    )
    found = gis.parcels_within(store, [target["capakey"]], 50)
    assert sorted(r["capakey"] for r, d in found) == expected and len(expected) > 5


def test_store_replaces_and_removes_with_its_indexes():
    store = cadastre.ParcelStore()
    store.add(_record("62031A0001", (0, 0, 20, 20)))
    store.add(
        _record(
            "62031A0001",
            (500, 500, 520, 520),
            owners=(("Renard Luc", ""),),
            address="Rue du Moulin 3",
        )
    )
    assert len(store) == 1
    assert store.search(owner="Lambert") == [] and store.search(address="Eglise") == []
    assert [r["owners"][0][0] for r in store.search(owner="renard")] == ["Renard Luc"]
    assert store.candidates((0, 0, 20, 20), 10) == set()
    store.remove("62031A0001/00_000")
    assert len(store) == 0 and not store.grid and not store.owner_words and not store.address_words


# The GeoJSON import -------------------------------------------------------------


def _file(records, crs=...):
    data = demo_cadastre.feature_collection(records)
    if crs is None:
        del data["crs"]
    elif crs is not ...:
        data["crs"] = crs
    return data


def _in(data, source, target):
    for feature in data["features"]:
        geom = gis.reproject(shapely.geometry.shape(feature["geometry"]), source, target)
        feature["geometry"] = shapely.geometry.mapping(geom)
    return data


@pytest.mark.parametrize(
    ("epsg", "crs"),
    [
        (gis.LAMBERT72, "EPSG:31370"),
        (gis.LAMBERT2008, "urn:ogc:def:crs:EPSG::3812"),
        (gis.WGS84, None),  # RFC 7946's default
        (gis.WGS84, "urn:ogc:def:crs:OGC:1.3:CRS84"),
    ],
)
def test_import_in_each_projection(epsg, crs):
    records = demo_cadastre.village(20)
    data = _in(_file(records), gis.LAMBERT72, epsg)
    if crs is None:
        del data["crs"]
    else:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    store = cadastre.ParcelStore()
    assert gis.import_geojson(store, json.dumps(data)) == 20
    for record in records:
        imported = store.parcels[record["capakey"]]
        assert imported["owners"] == record["owners"] and imported["address"] == record["address"]
        assert imported["x"] == pytest.approx(record["x"], abs=0.05)
        assert imported["y"] == pytest.approx(record["y"], abs=0.05)
    assert store.search(owner=records[3]["owners"][0][0])


def _refused(store, content, crs=None):
    with pytest.raises(gis.ImportFailed) as raised:
        gis.import_geojson(store, content, crs=crs)
    return [translate(m) for m in gis.failure_messages(raised.value)]


def test_import_errors_and_nothing_half_imported():
    store = cadastre.ParcelStore()
    store.add(_record("62031A0001", (0, 0, 20, 20)))
    before = list(store.parcels.keys())
    records = demo_cadastre.village(6)

    data = _file(records)
    data["features"][4]["properties"]["capakey"] = "A12 99001"
    [error] = _refused(store, json.dumps(data))
    assert error.startswith("Parcel 5: “A12 99001” is not a cadastral reference")

    data = _file(records)
    data["features"][2]["geometry"] = None
    data["features"][3]["geometry"]["coordinates"] = [[["a", "b"], [1, 2], [3, 4], ["a", "b"]]]
    errors = _refused(store, json.dumps(data))
    assert [e.split(" (")[0] for e in errors] == ["Parcel 3", "Parcel 4"]
    assert "coordinates are unknown or lie outside Belgium" in errors[0]

    # Lambert 72 metres in a file that declares no projection: read as WGS84, not in Belgium
    errors = _refused(store, json.dumps(_file(records, crs=None)))
    assert len(errors) == 6 and all("outside Belgium in EPSG:4326" in e for e in errors)

    for crs in ({"type": "name", "properties": {"name": "EPSG:2154"}},
                {"type": "name", "properties": {"name": "my projection"}}, "???"):  # fmt: skip
        [error] = _refused(store, json.dumps(_file(records, crs=crs)))
        assert "cannot be read" in error and "EPSG:31370" in error

    data = _file(records)
    data["features"][5]["properties"]["capakey"] = records[0]["capakey"]
    [error] = _refused(store, json.dumps(data))
    assert "is already that of parcel 1" in error

    assert "is not GeoJSON" in _refused(store, b"{not json")[0]
    assert "FeatureCollection" in _refused(store, json.dumps({"type": "Feature"}))[0]
    assert (
        "no parcel" in _refused(store, json.dumps({"type": "FeatureCollection", "features": []}))[0]
    )

    many = _file(demo_cadastre.village(30), crs=None)
    errors = _refused(store, json.dumps(many))
    assert len(errors) == gis.MAX_ERRORS + 1 and errors[-1] == "… and 10 more errors."

    assert list(store.parcels.keys()) == before  # nothing of any of them was imported
    assert gis.import_geojson(store, json.dumps(_file(records))) == 6  # the good file is
    assert len(store) == 7


def test_licence_parcel_rows_are_checked_by_the_schema():
    from communesplone.urban.content.licence import ILicence

    field = ILicence["parcels"]
    good = dict.fromkeys(cadastre.FIELDS, None)
    good.update(division="62031", section="A", radical="12", exposant="B", partie=False)
    field.validate([good])
    with pytest.raises(cadastre.InvalidReference) as raised:
        field.validate([good, dict(good, section="1")])
    assert translate(raised.value.doc()).startswith("The section “1” of a cadastral reference")
