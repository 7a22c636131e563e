"""The website profile installs, and uninstalls without leaving anything behind."""

from communesplone.core.testing import check_clean_reinstall


def test_installed_with_its_dependencies(installer):
    assert installer.is_product_installed("communesplone.website")
    assert installer.is_product_installed("communesplone.core")


def test_browser_layer(browser_layers):
    from communesplone.website.interfaces import IWebsiteLayer

    assert IWebsiteLayer in browser_layers


def test_uninstall_leaves_nothing(portal):
    added = check_clean_reinstall(portal, "communesplone.website")
    assert "communesplone.website.interfaces.IWebsiteLayer" in added["browser layers"]


def test_home_page_is_the_site_view_and_goes_with_uninstall(portal):
    from plone.base.utils import get_installer

    assert portal.getLayout() == "homepage"
    installer = get_installer(portal, portal.REQUEST)
    installer.uninstall_product("communesplone.website")
    assert portal.getLayout() != "homepage"
    assert "homepage" not in portal.portal_types["Plone Site"].view_methods
    installer.install_product("communesplone.website")
    assert portal.getLayout() == "homepage"


def test_theme_bundle_registered(portal):
    from plone import api

    assert api.portal.get_registry_record("plone.bundles/communesplone-website.csscompilation") == (
        "++plone++communesplone.website/website.css"
    )


# What the website changes in Plone's settings, as a site might have had them before
SITE_SETTINGS = {
    "plone.available_languages": ["en", "de"],
    "plone.use_request_negotiation": False,
    "plone.use_cookie_negotiation": False,
    "plone.caching.interfaces.ICacheSettings.enabled": False,
    "plone.app.theming.interfaces.IThemeSettings.absolutePrefix": "/++theme++barceloneta",
}


def test_uninstall_gives_back_the_settings_and_the_events_portlet(portal):
    from communesplone.website.setuphandlers import _right_column
    from communesplone.website.setuphandlers import EVENTS_PORTLET
    from plone import api
    from plone.base.utils import get_installer

    installer = get_installer(portal, portal.REQUEST)
    installer.uninstall_product("communesplone.website")
    assert EVENTS_PORTLET in _right_column(portal)  # Plone's, given back
    for name, value in SITE_SETTINGS.items():
        api.portal.set_registry_record(name, value)
    installer.install_product("communesplone.website")
    assert api.portal.get_registry_record("plone.available_languages") == ["en", "de", "fr", "nl"]
    assert api.portal.get_registry_record("plone.use_request_negotiation") is True
    assert api.portal.get_registry_record("plone.caching.interfaces.ICacheSettings.enabled")
    # The home page lists the upcoming events: Plone's portlet, which wakes each, goes
    assert EVENTS_PORTLET not in _right_column(portal)
    installer.uninstall_product("communesplone.website")
    assert {name: api.portal.get_registry_record(name) for name in SITE_SETTINGS} == (SITE_SETTINGS)
    assert EVENTS_PORTLET in _right_column(portal)
