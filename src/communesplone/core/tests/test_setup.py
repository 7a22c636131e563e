"""The core profile installs its settings, panel, index and groups, and uninstalls cleanly."""

from communesplone.core.testing import check_clean_reinstall
from plone import api


def test_installed(installer):
    assert installer.is_product_installed("communesplone.core")


def test_control_panel_listed(portal):
    configlets = {action.id: action for action in portal.portal_controlpanel.listActions()}
    assert "communesplone" in configlets
    assert (
        configlets["communesplone"].getActionExpression().endswith("@@communesplone-controlpanel")
    )


def test_settings_in_registry(portal):
    assert api.portal.get_registry_record("communesplone.services") == []
    assert api.portal.get_registry_record("communesplone.default_language") == "fr"


def test_citizens_group_created(portal):
    assert api.group.get(groupname="Citizens") is not None


def test_service_index(portal):
    assert "service" in portal.portal_catalog.indexes()


def test_uninstall_leaves_nothing(portal):
    added = check_clean_reinstall(portal, "communesplone.core")
    assert "communesplone.core.interfaces.ICoreLayer" in added["browser layers"]
    assert "communesplone.services" in added["registry records"]
    assert "communesplone" in added["configlets"]
    assert "service" in added["catalog indexes"]
