"""Everything installed together, the demo profile, and the site factory."""

from communesplone.core import demo
from communesplone.core import services
from communesplone.core.sitefactory import create_site
from communesplone.core.testing import APPLICATIONS
from communesplone.core.testing import check_clean_reinstall
from plone import api
from plone.app.testing import applyProfile
from plone.app.testing import SITE_OWNER_NAME

import pytest


def test_every_application_installed(installer):
    for application in APPLICATIONS:
        assert installer.is_product_installed(f"communesplone.{application}")


@pytest.mark.parametrize("application", [a for a in APPLICATIONS if a != "core"])
def test_an_application_uninstalls_beside_the_others(portal, installer, application):
    check_clean_reinstall(portal, f"communesplone.{application}")
    others = [a for a in APPLICATIONS if a != application]
    assert all(installer.is_product_installed(f"communesplone.{a}") for a in others)


def test_demo_profile(portal):
    applyProfile(portal, "communesplone:demo")
    # urban's profile creates "urbanisme" before the demo: the demo completes it
    assert sorted(row["id"] for row in services.get_all()) == sorted(
        row["id"] for row in demo.SERVICES
    )
    assert services.get("urbanisme")["email"] == "urbanisme@ploneville.example"
    assert api.portal.get_registry_record("communesplone.commune_name") == "Commune de Plonéville"
    citizens = {user.getId() for user in api.user.get_users(groupname="Citizens")}
    assert citizens == {"citoyen"}
    assert "pleroy" in {user.getId() for user in api.user.get_users(groupname="travaux_editors")}


def test_demo_profile_never_overwrites(portal):
    applyProfile(portal, "communesplone:demo")
    api.portal.set_registry_record("communesplone.commune_name", "Renamed by the admin")
    rows = services.get_all()
    rows[0] = {**rows[0], "title": "Secrétariat général"}
    api.portal.set_registry_record(services.RECORD, rows)
    api.user.get(username="pleroy").setMemberProperties({"fullname": "P. Leroy"})
    applyProfile(portal, "communesplone:demo")
    assert api.portal.get_registry_record("communesplone.commune_name") == "Renamed by the admin"
    assert services.get_all()[0]["title"] == "Secrétariat général"
    assert len(services.get_all()) == len(demo.SERVICES)
    assert api.user.get(username="pleroy").getProperty("fullname") == "P. Leroy"


def test_site_factory_creates_once_and_never_overwrites(app):
    site, created = create_site(app, site_id="commune", admin=SITE_OWNER_NAME)
    assert created
    assert site.portal_setup.getLastVersionForProfile("communesplone.meetings:default")
    assert api.portal.get_registry_record("plone.default_language") == "fr"
    assert "citoyen" in site.acl_users.source_users.getUserIds()
    site.title = "Changed by hand"
    again, created = create_site(app, site_id="commune", admin=SITE_OWNER_NAME)
    assert not created
    assert again.title == "Changed by hand"
