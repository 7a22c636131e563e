"""The public map over HTTP (page, GeoJSON, Leaflet), its settings, the Open311 keys' page,
and the upgrade step that brings them (1001 to 1002)."""

from communesplone.core import maps
from communesplone.edesk import settings
from communesplone.edesk import upgrades
from communesplone.edesk.open311 import keys
from communesplone.edesk.testing import build
from communesplone.edesk.testing import PASSWORD
from plone import api
from zope.interface import Invalid

import pytest
import re
import requests
import transaction


PERSONAL = ("riverain@example.org", "Secret description", "0470 12 34 56", "Note interne")


@pytest.fixture
def world(functional_portal):
    world = build(functional_portal)
    transaction.commit()
    return world


def _report(world, address="Rue Haute 1", point=(50.4674, 4.8718), **fields):
    with api.env.adopt_roles(["Manager"]):
        created = api.content.create(
            container=world.desk,
            type="citizen_request",
            title=world.problem.title,
            request_type=world.problem.UID(),
            values={"description": "Secret description"},
            contact_email="riverain@example.org",
            address=address,
            latitude=point[0] if point else None,
            longitude=point[1] if point else None,
            internal_notes="Note interne",
            **fields,
        )
        api.content.transition(obj=created, transition="submit")
    return created


def _login(login):
    http = requests.Session()
    http.auth = (login, PASSWORD)
    return http


def _token(page):
    tag = re.search(r'<input[^>]*name="_authenticator"[^>]*>', page.text).group(0)
    return re.search(r'value="([^"]+)"', tag).group(1)


def _keys(world):
    """The stored keys, as the server committed them."""
    transaction.begin()
    return [dict(row) for row in world.portal.portal_registry.records[keys.RECORD].value]


def test_map_and_json_for_anonymous(world):
    shown = _report(world)
    without_point = _report(world, address="Place du Marché", point=None)
    done = _report(world, address="Rue Basse 2")
    world.transition(done, "take", "complete", user="other_staff")
    draft = world.request(request_type=world.problem, values={"description": "x"}, submit=False)
    certificate = world.request()  # not a problem report
    transaction.commit()
    desk = requests.get(world.desk.absolute_url()).text
    assert f'href="{world.desk.absolute_url()}/@@reports-map"' in desk
    page = requests.get(f"{world.desk.absolute_url()}/@@reports-map")
    assert page.status_code == 200
    rows = re.findall(r"<tr>\s*<td>([^<]+)</td>", page.text)
    assert rows == [without_point.tracking_number, shown.tracking_number]  # open ones, newest first
    assert "Place du Marché" in page.text and "Rue Basse 2" not in page.text
    assert "Submitted" in page.text
    assert draft.id not in page.text and certificate.tracking_number not in page.text
    assert 'data-tile-url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in page.text
    assert "++resource++communesplone.core/leaflet/leaflet.js" in page.text
    assert "cdn" not in page.text.lower() and "unpkg" not in page.text
    data = requests.get(f"{world.desk.absolute_url()}/@@reports-map.json")
    assert data.headers["Content-Type"].startswith("application/json")
    features = data.json()["features"]
    [feature] = features  # only the open report that has a point
    assert feature["geometry"] == {"type": "Point", "coordinates": [4.8718, 50.4674]}
    assert feature["properties"]["number"] == shown.tracking_number
    assert feature["properties"]["state"] == "submitted"
    assert feature["properties"]["state_title"] == "Submitted"
    assert feature["properties"]["type"] == world.problem.title
    assert set(feature["properties"]) == {
        "number", "type", "state", "state_title", "created", "modified", "address"
    }  # fmt: skip
    for text in (page.text, data.text):
        for personal in PERSONAL:
            assert personal not in text


def test_leaflet_is_served_from_the_site(world):
    base = f"{world.portal.absolute_url()}/++resource++communesplone"
    for path in ("core/leaflet/leaflet.js", "core/leaflet/leaflet.css",
                 "core/leaflet/images/marker-icon.png", "edesk/reports-map.js"):  # fmt: skip
        response = requests.get(f"{base}.{path}")
        assert response.status_code == 200, path
    assert "Leaflet" in requests.get(f"{base}.core/leaflet/leaflet.js").text[:200]
    # one copy, in core, for every application
    assert requests.get(f"{base}.edesk/leaflet/leaflet.js").status_code == 404


def test_map_settings(world):
    with pytest.raises(Invalid):
        maps.check_tile_url("https://tiles.example.org/no-placeholders.png")
    with pytest.raises(Invalid):
        maps.check_tile_url("javascript:alert(1)//{z}{x}{y}")
    assert maps.check_tile_url("https://{s}.tiles.example.org/{z}/{x}/{y}.png")
    url = f"{world.portal.absolute_url()}/@@edesk-map-controlpanel"
    assert requests.get(url, allow_redirects=False).status_code in (302, 401)
    assert _login("citizen_a").get(url, allow_redirects=False).status_code in (302, 401, 403)
    http = _login("manager")
    form = http.get(url)
    assert form.status_code == 200
    data = {
        "form.widgets.tile_url": "https://tiles.example.org/{z}/{x}/{y}.png",
        "form.widgets.attribution": "Tiles example",
        "form.widgets.latitude": "50.5",
        "form.widgets.longitude": "4.5",
        "form.widgets.zoom": "12",
        "form.buttons.save": "Save",
        "_authenticator": _token(form),
    }
    bad = http.post(url, data={**data, "form.widgets.tile_url": "https://x.example/a.png"})
    assert "with the {z}, {x} and {y} placeholders" in bad.text
    page = requests.get(f"{world.desk.absolute_url()}/@@reports-map")
    assert 'data-tile-url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in page.text
    assert http.post(url, data=data).status_code == 200
    page = requests.get(f"{world.desk.absolute_url()}/@@reports-map")
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in page.text
    assert 'data-zoom="12"' in page.text
    # the same settings over REST, with the same check
    rest = f"{world.portal.absolute_url()}/@controlpanels/edesk-map"
    headers = {"Accept": "application/json"}
    assert http.get(rest, headers=headers).json()["data"]["zoom"] == 12
    refused = http.patch(rest, headers=headers, json={"tile_url": "https://x.example/a.png"})
    assert refused.status_code == 400
    assert http.patch(rest, headers=headers, json={"zoom": 15}).status_code == 204
    assert requests.get(rest, headers=headers).status_code == 401
    page = requests.get(f"{world.desk.absolute_url()}/@@reports-map")
    assert 'data-zoom="15"' in page.text


def test_api_keys_control_panel(world):
    url = f"{world.portal.absolute_url()}/@@open311-keys"
    assert requests.get(url, allow_redirects=False).status_code in (302, 401)
    http = _login("manager")
    page = http.get(url)
    assert page.status_code == 200
    # a change needs a POST with the authenticator
    assert http.post(url, data={"add": "1", "name": "FixMyStreet"}).status_code == 403
    assert http.get(url, params={"add": "1", "name": "FixMyStreet"}).status_code == 403
    transaction.begin()
    assert _keys(world) == []
    created = http.post(url, data={"add": "1", "name": "FixMyStreet", "_authenticator":
                                   _token(page)})  # fmt: skip
    key = re.search(r'id="open311-new-key">([^<]+)<', created.text).group(1)
    transaction.begin()
    [row] = _keys(world)
    assert row["name"] == "FixMyStreet" and row["active"] == "1"
    assert key not in repr(_keys(world))  # only its hash
    assert row["hash"] == keys.digest(key) and key.startswith(row["prefix"])
    later = http.get(url)
    assert key not in later.text and f"{row['prefix']}…" in later.text
    # the API accepts it, then refuses it once deactivated
    api_url = f"{world.portal.absolute_url()}/open311/v2/requests.json"
    with api.env.adopt_roles(["Manager"]):
        world.problem.open311_code = "lighting"
    transaction.commit()
    post = {"api_key": key, "service_code": "lighting", "description": "Lampe",
            "address_string": "Rue Haute 1", "email": "riverain@example.org"}  # fmt: skip
    assert requests.post(api_url, data=post).status_code == 200
    http.post(url, data={"deactivate": row["id"], "_authenticator": _token(later)})
    transaction.begin()
    assert _keys(world)[0]["active"] == ""
    assert requests.post(api_url, data=post).status_code == 403
    http.post(url, data={"delete": row["id"], "_authenticator": _token(later)})
    transaction.begin()
    assert _keys(world) == []
    # Site Setup lists both pages
    setup = http.get(f"{world.portal.absolute_url()}/@@overview-controlpanel").text
    assert "@@open311-keys" in setup and "@@edesk-map-controlpanel" in setup


def test_upgrade_1001_to_1002(portal):
    """A site of version 1001 gets the records, the configlets and the reports' catalog facts."""
    world = build(portal)
    report = _report(world)
    setup = portal.portal_setup
    catalog = portal.portal_catalog
    with api.env.adopt_roles(["Manager"]):
        for name in ("map.tile_url", "map.attribution", "map.latitude", "map.longitude",
                     "map.zoom", "open311_keys"):  # fmt: skip
            del portal.portal_registry.records[f"communesplone.edesk.{name}"]
        for configlet in ("communesplone-edesk-map", "communesplone-open311-keys"):
            portal.portal_controlpanel.unregisterConfiglet(configlet)
        for column in ("address", "latitude", "longitude"):
            catalog.delColumn(column)
        setup.setLastVersionForProfile("communesplone.edesk:default", "1001")
        steps = setup.listUpgrades("communesplone.edesk:default")
        assert steps[0]["source"] == ("1001",) and steps[0]["dest"] == ("1002",)
        upgrades.to_1002(setup)
    records = portal.portal_registry.records
    assert records["communesplone.edesk.map.zoom"].value == 13
    assert "communesplone.edesk.open311_keys" in records
    ids = {action.id for action in portal.portal_controlpanel.listActions()}
    assert {"communesplone-edesk-map", "communesplone-open311-keys"} <= ids
    [brain] = catalog.unrestrictedSearchResults(UID=report.UID())
    assert (brain.latitude, brain.longitude, brain.address) == (50.4674, 4.8718, "Rue Haute 1")


def test_upgrade_to_1010_moves_the_map_settings(portal):
    """A site of version 1009 keeps its map's values under core's names
    (``communesplone.edesk.map.*``); its panels are the Site Administrator's."""
    from plone.registry import field
    from plone.registry.record import Record

    setup = portal.portal_setup
    registry = portal.portal_registry
    old = {
        "tile_url": "https://tiles.example.org/{z}/{x}/{y}.png",
        "attribution": "Tiles example",
        "latitude": 50.5,
        "longitude": 4.5,
        "zoom": 11,
    }
    kinds = {"latitude": field.Float, "longitude": field.Float, "zoom": field.Int}
    with api.env.adopt_roles(["Manager"]):
        for name, value in old.items():
            del registry.records[f"communesplone.edesk.map.{name}"]
            registry.records[f"communesplone.edesk.map_{name}"] = Record(
                kinds.get(name, field.TextLine)(title=name), value
            )
        configlets = {a.id: a for a in portal.portal_controlpanel.listActions()}
        configlets["communesplone-edesk-map"].permissions = ("Manage portal",)
        setup.setLastVersionForProfile("communesplone.edesk:default", "1009")
        setup.upgradeProfile("communesplone.edesk:default", dest="1010")
    assert setup.getLastVersionForProfile("communesplone.edesk:default") == ("1010",)
    assert settings.map_settings() == old
    assert not [name for name in registry.records if name.startswith("communesplone.edesk.map_")]
    configlets = {a.id: a for a in portal.portal_controlpanel.listActions()}
    for configlet in (
        "communesplone-edesk-map",
        "communesplone-edesk-anonymous",
        "communesplone-open311-keys",
    ):
        assert configlets[configlet].permissions == ("communesplone: Manage settings",)
    assert configlets["communesplone-edesk-eid"].permissions == ("Manage portal",)
