"""The demo commune's home page in a browser, at phone and desktop widths.

Screenshots go to test-output/screenshots (``docs/website.rst`` shows them).
"""

from plone import api
from plone.app.testing import applyProfile

import pytest
import transaction


pytestmark = pytest.mark.browser

WIDTHS = {"phone": (390, 844), "tablet": (820, 1180), "desktop": (1280, 900)}


@pytest.fixture
def demo(functional_portal):
    with api.env.adopt_roles(["Manager"]):
        applyProfile(functional_portal, "communesplone.core:demo")
        applyProfile(functional_portal, "communesplone.website:demo")
    transaction.commit()
    return functional_portal


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_home_page(demo, page, screenshot, width):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    page.goto(demo.absolute_url())
    assert page.locator(".cp-brand-name").inner_text() == "Commune de Plonéville"
    assert page.locator(".cp-alert-warning").is_visible()
    assert page.locator(".cp-home-news .cp-card").count() == 6
    assert page.locator(".cp-agenda li").count() == 5
    # The theme's stylesheet is applied: the footer has the commune's colour
    footer = page.locator("#portal-footer-wrapper")
    assert footer.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(29, 79, 115)"
    screenshot(f"website-home-{width}")
    # Nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    if width == "desktop":
        page.goto(f"{demo.absolute_url()}/@@directory")
        screenshot("website-directory")
        page.goto(f"{demo.absolute_url()}/economie/annuaire/boulangerie-dupont")
        screenshot("website-directory-entry")
        page.goto(f"{demo.absolute_url()}/vie-communale/demarches-administratives/carte-identite")
        screenshot("website-procedure")
