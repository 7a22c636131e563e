"""Smoke test in a real browser: the admin opens Site Setup and the CommunesPlone panel."""

from communesplone.core.browsertesting import log_in
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import pytest


pytestmark = pytest.mark.browser


def test_admin_opens_site_setup_and_the_panel(functional_portal, page, screenshot):
    portal_url = functional_portal.absolute_url()
    log_in(page, portal_url, SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    page.goto(f"{portal_url}/@@overview-controlpanel")
    assert page.locator("#content").get_by_text("CommunesPlone").count() >= 1
    screenshot("site-setup")
    page.locator("#content").get_by_role("link", name="CommunesPlone").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("@@communesplone-controlpanel")
    assert page.locator("#form-widgets-commune_name").is_visible()
    assert page.locator("#formfield-form-widgets-services").is_visible()
    screenshot("communesplone-controlpanel")
