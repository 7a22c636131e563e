"""The urban profile installs, and uninstalls without leaving anything behind."""

from communesplone.core.testing import check_clean_reinstall


def test_installed_with_its_dependencies(installer):
    assert installer.is_product_installed("communesplone.urban")
    assert installer.is_product_installed("communesplone.core")


def test_browser_layer(browser_layers):
    from communesplone.urban.interfaces import IUrbanLayer

    assert IUrbanLayer in browser_layers


def test_uninstall_leaves_nothing(portal):
    added = check_clean_reinstall(portal, "communesplone.urban")
    assert "communesplone.urban.interfaces.IUrbanLayer" in added["browser layers"]


def test_upgrade_from_the_empty_profile(portal):
    """A site that installed the empty urban profile (1000) gets everything from the
    one step to 1001: types, workflows, the applicant role, indexes, the service and
    the desk with its default configuration."""
    from communesplone.core import services
    from communesplone.urban.constants import APPLICANT
    from communesplone.urban.constants import DESK_ID
    from communesplone.urban.constants import PERMIT
    from communesplone.urban.constants import PERMIT_WORKFLOW
    from communesplone.urban.constants import SERVICE
    from plone import api

    setup = portal.portal_setup
    profile = "communesplone.urban:default"
    with api.env.adopt_roles(["Manager"]):
        api.content.delete(obj=portal[DESK_ID], check_linkintegrity=False)
        portal.portal_types.manage_delObjects([PERMIT])
        portal.portal_workflow.manage_delObjects([PERMIT_WORKFLOW])
        portal.portal_catalog.delIndex("licence_reference")
        api.portal.set_registry_record(
            services.RECORD, [s for s in services.get_all() if s["id"] != SERVICE]
        )
        setup.setLastVersionForProfile(profile, "1000")
        assert [step["dest"] for step in setup.listUpgrades(profile)][0] == ("1001",)
        setup.upgradeProfile(profile, dest="1001")
    assert setup.getLastVersionForProfile(profile) == ("1001",)
    assert PERMIT in portal.portal_types.objectIds()
    assert portal.portal_workflow.getChainForPortalType(PERMIT) == (PERMIT_WORKFLOW,)
    assert "licence_reference" in portal.portal_catalog.indexes()
    assert APPLICANT in portal.valid_roles()
    assert services.get(SERVICE) is not None
    desk = portal[DESK_ID]
    assert "building_permit" in desk["configuration"].objectIds()
