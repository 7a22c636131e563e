"""In a browser: the public map draws the open reports with Leaflet, even without tiles."""

from communesplone.edesk.testing import build
from communesplone.edesk.tests.test_map import _report
from plone import api

import pytest
import transaction


pytestmark = pytest.mark.browser


def test_map_shows_the_open_reports_without_tiles(functional_portal, page, screenshot):
    world = build(functional_portal)
    with api.env.adopt_roles(["Manager"]):
        # tiles that cannot load: the markers and the table must not need them
        api.portal.set_registry_record(
            "communesplone.edesk.map.tile_url", "http://127.0.0.1:9/{z}/{x}/{y}.png"
        )
    first = _report(world, address="Rue de Fer 1", point=(50.4674, 4.8718))
    second = _report(world, address="Place d'Armes", point=(50.4630, 4.8660))
    _report(world, address="Sans point", point=None)
    transaction.commit()
    page.goto(f"{world.desk.absolute_url()}/@@reports-map")
    markers = page.locator("#edesk-reports-map .leaflet-marker-icon")
    markers.first.wait_for()
    assert markers.count() == 2
    alts = sorted(markers.nth(i).get_attribute("alt") for i in range(2))
    assert alts == sorted(f"{r.tracking_number} {world.problem.title}" for r in (first, second))
    assert page.locator("table.edesk-reports tbody tr").count() == 3
    page.locator(f'#edesk-reports-map .leaflet-marker-icon[alt^="{first.tracking_number}"]').click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert first.tracking_number in popup.inner_text()
    assert "Rue de Fer 1" in popup.inner_text()
    assert "riverain@example.org" not in page.content()
    screenshot("edesk-reports-map")
