"""The urban profile installs, and uninstalls without leaving anything behind."""

from communesplone.core.testing import check_clean_reinstall
from communesplone.urban.setuphandlers import COLUMNS
from plone.portlets.constants import CONTEXT_CATEGORY


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


def test_upgrade_to_1002(portal):
    """A site at 1001 gets this session's profile changes from the step to 1002: the
    panel Site Setup → Urbanism (instead of "Urban map") and its records, the public
    inquiries' tab, the opinion requests' guard, and the college's decision no longer
    offered in a permit still deposited."""
    from communesplone.urban.desk import get_event_type
    from communesplone.urban.settings import IUrbanSettings
    from communesplone.urban.settings import PREFIX
    from communesplone.urban.setuphandlers import COLLEGE_DECISION_STATES
    from plone import api
    from plone.registry.interfaces import IRegistry
    from zope.component import getUtility

    setup = portal.portal_setup
    profile = "communesplone.urban:default"
    registry = getUtility(IRegistry)
    panel = portal.portal_controlpanel
    opinion_workflow = portal.portal_workflow["communesplone_urban_opinion_workflow"]
    with api.env.adopt_roles(["Manager"]):
        panel.unregisterConfiglet("communesplone-urban")
        panel.registerConfiglet(
            id="communesplone-urban-map",
            name="Urban map",
            action="string:${portal_url}/@@urban-map-controlpanel",
            permission="Manage portal",
            category="Products",
        )
        portal.portal_actions.portal_tabs.manage_delObjects(["urban-public-inquiries"])
        del registry.records[f"{PREFIX}.college_body"]
        opinion_workflow.transitions["receive"].guard = None
        get_event_type("college_decision").states = ["deposit", "complete"]
        for name in COLUMNS:
            desk_portlets(portal, name).setBlacklistStatus(CONTEXT_CATEGORY, None)
        setup.setLastVersionForProfile(profile, "1001")
        setup.upgradeProfile(profile, dest="1002")
    assert setup.getLastVersionForProfile(profile) == ("1002",)
    ids = [action.getId() for action in panel.listActions()]
    assert "communesplone-urban" in ids and "communesplone-urban-map" not in ids
    assert "urban-public-inquiries" in portal.portal_actions.portal_tabs.objectIds()
    assert registry.forInterface(IUrbanSettings, prefix=PREFIX).college_body == "college"
    guard = opinion_workflow.transitions["receive"].getGuard()
    assert "@@urban-guards" in guard.getExprText()
    assert get_event_type("college_decision").states == COLLEGE_DECISION_STATES
    for name in COLUMNS:
        assert desk_portlets(portal, name).getBlacklistStatus(CONTEXT_CATEGORY) is True


def test_upgrade_to_1003(portal):
    """A site at 1002 gets the Urbanism panel for Site Administrators and the desk's
    "Deadlines" from portal_actions (translated in the communesplone domain), not
    from its type."""
    from plone import api

    setup = portal.portal_setup
    profile = "communesplone.urban:default"
    desk_type = portal.portal_types["urban_desk"]
    with api.env.adopt_roles(["Manager"]):
        configlets = {action.id: action for action in portal.portal_controlpanel.listActions()}
        configlets["communesplone-urban"].permissions = ("Manage portal",)
        portal.portal_actions.object.manage_delObjects(["urban_deadlines"])
        desk_type.addAction(
            "urban_deadlines",
            "Deadlines",
            "string:${object_url}/@@urban-deadlines",
            "",
            ("View",),
            "object",
        )
        setup.setLastVersionForProfile(profile, "1002")
        setup.upgradeProfile(profile, dest="1003")
    assert setup.getLastVersionForProfile(profile) == ("1003",)
    configlets = {action.id: action for action in portal.portal_controlpanel.listActions()}
    assert configlets["communesplone-urban"].permissions == ("communesplone: Manage settings",)
    assert desk_type.getActionObject("object/urban_deadlines") is None
    action = portal.portal_actions.object.urban_deadlines
    assert action.i18n_domain == "communesplone"


def desk_portlets(portal, name):
    from communesplone.urban.constants import DESK_ID
    from plone.portlets.interfaces import ILocalPortletAssignmentManager
    from plone.portlets.interfaces import IPortletManager
    from zope.component import getMultiAdapter
    from zope.component import getUtility

    manager = getUtility(IPortletManager, name=name)
    return getMultiAdapter((portal[DESK_ID], manager), ILocalPortletAssignmentManager)


def test_the_desk_shows_none_of_the_sites_portlets(portal):
    """The back office takes the page's width: the site's portlets (the website's
    quick links, news, calendar) stop at the desk."""
    for name in COLUMNS:
        assert desk_portlets(portal, name).getBlacklistStatus(CONTEXT_CATEGORY) is True
