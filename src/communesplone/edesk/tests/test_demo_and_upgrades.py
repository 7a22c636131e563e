"""The demo's nine request types, and the upgrade from the empty profile (1000)."""

from communesplone.edesk import demo
from communesplone.edesk.certificates import certificate_templates
from communesplone.edesk.desk import active_types_by_service
from communesplone.edesk.desk import DESK_ID
from communesplone.edesk.fields import check_definitions
from plone import api
from plone.app.testing import applyProfile


def test_demo_installs_the_nine_types(portal):
    with api.env.adopt_roles(["Manager"]):
        applyProfile(portal, "communesplone.edesk:demo")
        applyProfile(portal, "communesplone.edesk:demo")  # twice: nothing doubled
    desk = portal[DESK_ID]
    types = [obj for obj in desk.objectValues() if obj.portal_type == "request_type"]
    assert len(types) == len(demo.TYPES) == 9
    for request_type in types:
        assert check_definitions(request_type.field_definitions)
    templates = {template.UID(): template.getId() for template in certificate_templates()}
    certificates = {
        t.getId(): templates[t.certificate_template] for t in types if t.certificate_template
    }
    assert certificates == {
        "certificat-residence": "certificat_residence-odt",
        "composition-menage": "composition_menage-odt",
    }
    grouped = {service: [t.title for t in found] for service, found in active_types_by_service()}
    assert grouped["Population / État civil"][0].startswith("Certificat")
    assert len(grouped["Population / État civil"]) == 6
    assert sorted(grouped["Travaux"]) == [
        "Problème avec l'état de la route",
        "Problème d'éclairage dans la rue",
        "Problèmes avec les égouts",
    ]


def test_upgrade_from_the_empty_profile(portal):
    """A site that installed the empty edesk profile (1000) gets everything."""
    setup = portal.portal_setup
    with api.env.adopt_roles(["Manager"]):
        api.content.delete(obj=portal[DESK_ID], check_linkintegrity=False)
        portal.portal_types.manage_delObjects(["request_desk", "request_type", "citizen_request"])
        portal.portal_workflow.manage_delObjects(["communesplone_citizen_request_workflow"])
        portal.portal_catalog.delIndex("tracking_number")
        setup.setLastVersionForProfile("communesplone.edesk:default", "1000")
        upgrades = setup.listUpgrades("communesplone.edesk:default")
        assert [step["dest"] for step in upgrades][0] == ("1001",)  # then the later steps
        setup.upgradeProfile("communesplone.edesk:default")
    current = setup.getVersionForProfile("communesplone.edesk:default")
    assert setup.getLastVersionForProfile("communesplone.edesk:default") == (current,)
    assert "citizen_request" in portal.portal_types.objectIds()
    assert "communesplone_citizen_request_workflow" in portal.portal_workflow.objectIds()
    assert "tracking_number" in portal.portal_catalog.indexes()
    assert portal[DESK_ID].portal_type == "request_desk"
    assert api.portal.get_registry_record("communesplone.edesk.attachment_max_size_mb") == 10


def test_upgrade_to_1008_registration_and_sharing(portal):
    """Self-registration turned on; a citizen no longer gives roles on their request."""
    from communesplone.edesk.testing import build

    world = build(portal)
    request = world.request()
    setup = portal.portal_setup
    profile = "communesplone.edesk:default"
    with api.env.adopt_roles(["Manager"]):
        api.portal.set_registry_record("plone.enable_self_reg", False)
        request.manage_permission("Change local roles", ["Owner", "Manager"], acquire=False)
        setup.setLastVersionForProfile(profile, "1007")
        setup.upgradeProfile(profile, dest="1008")
    assert setup.getLastVersionForProfile(profile) == ("1008",)
    assert api.portal.get_registry_record("plone.enable_self_reg") is True
    assert api.portal.get_registry_record("plone.enable_user_pwd_choice") is False
    owner = api.user.get_permissions(username="citizen_a", obj=request)
    assert owner["View"] and not owner["Change local roles"]
    admin = api.user.get_permissions(username="siteadmin", obj=request)
    assert admin["Change local roles"]
