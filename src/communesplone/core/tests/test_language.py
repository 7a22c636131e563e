"""The commune's language drives Plone's default language (``core/language.py``),
and the upgrade to 1002 applies it to a site whose commune chose its language."""

from communesplone.core import language
from plone import api

import pytest


@pytest.fixture
def site(portal):
    api.portal.set_registry_record("plone.available_languages", ["fr"])
    api.portal.set_registry_record(language.PLONE_LANGUAGE, "fr")
    api.portal.set_registry_record(language.COMMUNE_LANGUAGE, "fr")
    return portal


def test_the_site_follows_the_communes_language(site):
    api.portal.set_registry_record(language.COMMUNE_LANGUAGE, "nl")
    assert api.portal.get_registry_record(language.PLONE_LANGUAGE) == "nl"
    assert api.portal.get_registry_record(language.AVAILABLE) == ["fr", "nl"]
    api.portal.set_registry_record(language.COMMUNE_LANGUAGE, "fr")
    assert api.portal.get_registry_record(language.PLONE_LANGUAGE) == "fr"
    assert api.portal.get_registry_record(language.AVAILABLE) == ["fr", "nl"]


def test_other_records_change_nothing(site):
    api.portal.set_registry_record("communesplone.commune_name", "Gemeente Ploneveld")
    assert api.portal.get_registry_record(language.PLONE_LANGUAGE) == "fr"


def test_installing_changes_neither_language(site):
    from communesplone.core.setuphandlers import post_install

    api.portal.set_registry_record(language.PLONE_LANGUAGE, "nl")
    with api.env.adopt_roles(["Manager"]):
        post_install(None)
    assert api.portal.get_registry_record(language.COMMUNE_LANGUAGE) == "fr"
    assert api.portal.get_registry_record(language.PLONE_LANGUAGE) == "nl"


@pytest.mark.parametrize(
    "commune,site_before,site_after",
    [
        ("nl", "fr", "nl"),  # chosen in the panel: the site follows
        ("fr", "nl", "nl"),  # the field's default: nothing to say, nothing changed
        ("fr", "fr", "fr"),
    ],
)
def test_upgrade_to_1002(site, commune, site_before, site_after):
    setup = site.portal_setup
    profile = "communesplone.core:default"
    registry = site.portal_registry
    # as at 1001: the commune's language was not the site's
    registry.records[language.COMMUNE_LANGUAGE].value = commune  # no event: as before 1002
    api.portal.set_registry_record(language.PLONE_LANGUAGE, site_before)
    with api.env.adopt_roles(["Manager"]):
        configlets = {action.id: action for action in site.portal_controlpanel.listActions()}
        configlets["communesplone"].permissions = ("Manage portal",)
        site.manage_permission("communesplone: Manage settings", ["Manager"], acquire=True)
        setup.setLastVersionForProfile(profile, "1001")
        setup.upgradeProfile(profile, dest="1002")
    assert setup.getLastVersionForProfile(profile) == ("1002",)
    assert api.portal.get_registry_record(language.PLONE_LANGUAGE) == site_after
    assert api.portal.get_registry_record(language.COMMUNE_LANGUAGE) == commune
    configlets = {action.id: action for action in site.portal_controlpanel.listActions()}
    assert configlets["communesplone"].permissions == ("communesplone: Manage settings",)
    roles = {
        r["name"] for r in site.rolesOfPermission("communesplone: Manage settings") if r["selected"]
    }
    assert roles == {"Manager", "Site Administrator"}
