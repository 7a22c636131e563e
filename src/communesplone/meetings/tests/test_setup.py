"""The meetings profile installs, and uninstalls without leaving anything behind."""

from communesplone.core.testing import check_clean_reinstall


def test_installed_with_its_dependencies(installer):
    assert installer.is_product_installed("communesplone.meetings")
    assert installer.is_product_installed("communesplone.core")


def test_browser_layer(browser_layers):
    from communesplone.meetings.interfaces import IMeetingsLayer

    assert IMeetingsLayer in browser_layers


def test_uninstall_leaves_nothing(portal):
    added = check_clean_reinstall(portal, "communesplone.meetings")
    assert "communesplone.meetings.interfaces.IMeetingsLayer" in added["browser layers"]
