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
