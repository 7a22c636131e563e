"""Site Setup → Urbanism: the urban settings and the map's, for the commune's
administrators (``communesplone: Manage settings``, as CommunesPlone's other panels),
saved into their registry records; the same over REST; the configlet."""

from communesplone.urban import gis
from communesplone.urban import meetings
from communesplone.urban import public
from communesplone.urban import testing
from communesplone.urban.testing import PASSWORD
from plone import api
from plone.testing.zope import Browser

import pytest
import requests
import transaction


@pytest.fixture
def site(functional):
    portal = functional["portal"]
    testing.build(portal)
    transaction.commit()
    return functional


def browser(app, login):
    found = Browser(app)
    found.handleErrors = False
    found.addHeader("Authorization", f"Basic {login}:{PASSWORD}")
    return found


def test_the_configlet_is_for_administrators(site):
    configlet = next(
        action
        for action in site["portal"].portal_controlpanel.listActions()
        if action.getId() == "communesplone-urban"
    )
    assert configlet.permissions == ("communesplone: Manage settings",)
    assert configlet.getActionExpression().endswith("/@@urban-controlpanel")
    ids = [action.getId() for action in site["portal"].portal_controlpanel.listActions()]
    assert "communesplone-urban-map" not in ids  # the map's own panel is now a tab of it


def test_an_administrator_sets_the_claims_the_college_and_the_map(site):
    url = f"{site['portal'].absolute_url()}/@@urban-controlpanel"
    admin = browser(site["app"], "manager")
    admin.open(url)
    admin.getControl(name="form.widgets.claim_rate_limit").value = "7"
    admin.getControl(name="form.widgets.claim_min_fill_seconds").value = "0"
    admin.getControl(name="form.widgets.college_body").value = "college-communal"
    admin.getControl(name="form.widgets.zoom").value = "15"
    admin.getControl(
        name="form.widgets.wms_layers"
    ).value = "Plan de secteur | https://geoservices.wallonie.be/arcgis/services/WMS | 0"
    admin.getControl(name="form.buttons.save").click()
    assert "Changes saved" in admin.contents
    transaction.begin()
    assert api.portal.get_registry_record(public.RATE_LIMIT) == 7
    assert api.portal.get_registry_record(public.MIN_FILL) == 0
    assert api.portal.get_registry_record(meetings.COLLEGE_RECORD) == "college-communal"
    assert gis.map_settings()["zoom"] == 15
    assert gis.map_settings()["wms_layers"][0]["title"] == "Plan de secteur"
    # bad input is refused with the field's message, nothing saved
    admin.open(url)
    admin.getControl(name="form.widgets.claim_rate_limit").value = "0"
    admin.getControl(name="form.widgets.tile_url").value = "ftp://tiles/{z}/{x}/{y}.png"
    admin.getControl(name="form.buttons.save").click()
    assert "There were some errors" in admin.contents
    transaction.begin()
    assert api.portal.get_registry_record(public.RATE_LIMIT) == 7


@pytest.mark.parametrize("login", ["editor", "reviewer"])
def test_the_staff_may_not_open_it(site, login):
    url = f"{site['portal'].absolute_url()}/@@urban-controlpanel"
    response = requests.get(url, auth=(login, PASSWORD), allow_redirects=False)
    assert response.status_code in (302, 401, 403)


def test_the_settings_over_rest(site):
    portal_url = site["portal"].absolute_url()
    rest = requests.Session()
    rest.auth = ("manager", PASSWORD)
    rest.headers["Accept"] = "application/json"
    response = rest.patch(f"{portal_url}/@controlpanels/urbanism", json={"claim_rate_limit": 9})
    assert response.status_code == 204, response.text
    got = rest.get(f"{portal_url}/@controlpanels/urbanism").json()
    assert got["data"]["claim_rate_limit"] == 9
    got = rest.get(f"{portal_url}/@controlpanels/urban-map").json()
    assert got["data"]["zoom"] == gis.map_settings()["zoom"]
    editor = requests.get(
        f"{portal_url}/@controlpanels/urbanism",
        auth=("editor", PASSWORD),
        headers={"Accept": "application/json"},
    )
    assert editor.status_code in (401, 403)
