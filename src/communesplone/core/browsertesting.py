"""pytest fixtures for browser tests: Playwright driving Debian's Chromium.

Playwright cannot download its own browser here, so it starts
``/usr/bin/chromium`` (or ``$CHROMIUM``). Where Chromium is missing, the tests
that use these fixtures are skipped with the reason printed in the summary.
Screenshots go to ``test-output/screenshots/``.
"""

from pathlib import Path

import os
import pytest


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(os.environ.get("TEST_OUTPUT", "test-output")) / "screenshots"


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """Call ``screenshot("name")`` to save the page as test-output/screenshots/name.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def log_in(page, portal_url, login, password):
    """Log in through Plone's classic login form."""
    page.goto(f"{portal_url}/login")
    page.fill("#__ac_name", login)
    page.fill("#__ac_password", password)
    page.click("#login-form button[type=submit], #login-form input[type=submit]")
    page.wait_for_load_state()
