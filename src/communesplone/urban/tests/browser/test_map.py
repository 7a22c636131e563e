"""In a browser: the map of the files draws those placed from their parcels, even without tiles."""

from communesplone.core.browsertesting import log_in
from communesplone.urban import gis
from communesplone.urban import testing
from communesplone.urban.tests.test_gis_site import world  # noqa: F401 (the fixture)
from plone import api

import pytest
import transaction


pytestmark = pytest.mark.browser


def test_map_shows_the_placed_files(world, page, screenshot):  # noqa: F811
    desk, licence, other = world["desk"], world["licence"], world["other"]
    api.portal.set_registry_record(
        f"{gis.MAP_PREFIX}.tile_url", "http://127.0.0.1:9/{z}/{x}/{y}.png"
    )
    api.portal.set_registry_record(
        f"{gis.MAP_PREFIX}.wms_layers", ["Plan de secteur | http://127.0.0.1:9/wms | 0"]
    )
    transaction.commit()
    log_in(page, api.portal.get().absolute_url(), "editor", testing.PASSWORD)
    page.goto(f"{desk.absolute_url()}/@@urban-map")
    markers = page.locator("#urban-map .leaflet-marker-icon")
    markers.first.wait_for()
    assert markers.count() == 2  # the file without a known parcel is in the table only
    assert page.locator("table.urban-map-files tbody tr").count() == 3
    assert page.locator(".leaflet-control-layers").count() == 1  # the WMS layer's menu
    page.locator(f'#urban-map .leaflet-marker-icon[alt^="{other.reference}"]').click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert other.reference in popup.inner_text()
    screenshot("urban-map")
    # opened from a file: on it, its popup open
    page.goto(f"{desk.absolute_url()}/@@urban-map?focus={licence.UID()}")
    page.locator(".leaflet-popup-content", has_text=licence.reference).wait_for()
