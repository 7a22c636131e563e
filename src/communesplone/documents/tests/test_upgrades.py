"""The example templates in a site: their record, the commune's language, upgrades.

The upgrade tests build a site of the previous profile version (1000): its
templates are the files that version installed (``data/1000/``, made by the
former scripts/make_pod_templates.py), without the record that templates
have had since 1001, and portal_setup says 1000. Then they run the upgrade
as Site Setup does.
"""

from communesplone.documents import templates as shipped_templates
from communesplone.documents.templates import EXAMPLES
from communesplone.documents.templates import odf
from communesplone.documents.templates import RECORD
from pathlib import Path
from plone import api
from plone.base.utils import get_installer
from plone.namedfile.file import NamedBlobFile
from zope.annotation.interfaces import IAnnotations
from zope.i18n import translate

import hashlib
import logging
import pytest


PROFILE = "communesplone.documents:default"
DATA = Path(__file__).parent / "data" / "1000"
SHIPPED = Path(__file__).resolve().parent.parent / "templates"
BY_ID = {shipped.id: shipped for shipped in EXAMPLES}


def sha(data):
    return hashlib.sha256(data).hexdigest()


def folder():
    return api.portal.get()["templates"]["documents"]


def shipped_data(template_id, language="fr"):
    shipped = BY_ID[template_id]
    return odf.package((SHIPPED / language / f"{shipped.name}.f{shipped.kind}").read_bytes())


def set_file(template, data, filename):
    template.odt_file = NamedBlobFile(data=data, filename=filename)


def as_in_1000(template_id, data=None):
    """The template as version 1000 left it: its file then, and no record."""
    template = folder()[template_id]
    filename = template_id.replace("-", ".")
    set_file(template, data or (DATA / filename).read_bytes(), filename)
    IAnnotations(template).pop(RECORD, None)
    return template


def profile_version():
    return api.portal.get_tool("portal_setup").getLastVersionForProfile(PROFILE)


def metadata_version():
    return api.portal.get_tool("portal_setup").getVersionForProfile(PROFILE)


# The record of an installed template ---------------------------------------------


def test_each_example_records_the_file_it_came_from(portal):
    for shipped in EXAMPLES:
        template = folder()[shipped.id]
        flat = SHIPPED / "fr" / f"{shipped.name}.f{shipped.kind}"
        assert shipped_templates.record(template) == {
            "package": "communesplone.documents",
            "file": f"fr/{shipped.name}.f{shipped.kind}",
            "language": "fr",
            "source": sha(flat.read_bytes()),
            "checksum": sha(template.odt_file.data),
        }
        # What is stored is the package made from that flat file
        assert template.odt_file.data == odf.package(flat.read_bytes())
        assert template.odt_file.filename == f"{shipped.name}.{shipped.kind}"
        assert not shipped_templates.edited(template)


def test_a_changed_file_is_an_edited_template(portal):
    template = folder()["fiche-odt"]
    set_file(template, shipped_data("fiche-odt", "nl"), "fiche.odt")
    assert shipped_templates.edited(template)


# The commune's language -------------------------------------------------------------


def test_the_templates_follow_the_communes_language(portal):
    api.portal.set_registry_record("communesplone.default_language", "nl")
    for shipped in EXAMPLES:
        template = folder()[shipped.id]
        assert template.odt_file.data == shipped_data(shipped.id, "nl")
        assert template.Title() == translate(shipped.title, target_language="nl")
        assert shipped_templates.record(template)["file"] == f"nl/{shipped.name}.f{shipped.kind}"
    # English has no templates of its own: French ones
    api.portal.set_registry_record("communesplone.default_language", "en")
    assert folder()["fiche-odt"].odt_file.data == shipped_data("fiche-odt", "fr")
    assert shipped_templates.record(folder()["fiche-odt"])["language"] == "fr"


def test_an_edited_template_keeps_its_language_and_the_log_says_so(portal, caplog):
    template = folder()["liste-odt"]
    mine = shipped_data("liste-odt") + b" "  # any other file: edited
    set_file(template, mine, "liste.odt")
    template.title = "Ma liste"
    with caplog.at_level(logging.WARNING, logger=shipped_templates.__name__):
        api.portal.set_registry_record("communesplone.default_language", "nl")
    assert template.odt_file.data == mine
    assert template.Title() == "Ma liste"
    assert folder()["fiche-odt"].odt_file.data == shipped_data("fiche-odt", "nl")
    warnings = [record.getMessage() for record in caplog.records]
    assert len(warnings) == 1
    assert "/templates/documents/liste-odt kept" in warnings[0]
    assert "communesplone.documents/templates/nl/liste.fodt" in warnings[0]


def test_a_title_changed_by_hand_is_kept_when_the_file_follows(portal):
    template = folder()["fiche-odt"]
    template.title = "Fiche du service"
    api.portal.set_registry_record("communesplone.default_language", "nl")
    assert template.odt_file.data == shipped_data("fiche-odt", "nl")
    assert template.Title() == "Fiche du service"


# Upgrades ---------------------------------------------------------------------------


@pytest.fixture
def site_1000(portal):
    """The documents of a site installed with version 1000."""
    setup = api.portal.get_tool("portal_setup")
    setup.setLastVersionForProfile(PROFILE, "1000")
    for shipped in EXAMPLES:
        as_in_1000(shipped.id)
    assert profile_version() == ("1000",)
    return portal


def run_upgrades():
    api.portal.get_tool("portal_setup").upgradeProfile(PROFILE)


def test_upgrade_replaces_the_unedited_templates_and_keeps_an_edited_one(site_1000, caplog):
    fiche = folder()["fiche-odt"]
    # An administrator improved the list (a file of their own), and renamed the sheet
    edited = as_in_1000("liste-odt", (DATA / "liste.odt").read_bytes() + b"\0")
    sheet = folder()["liste-ods"]
    sheet.title = "Export du dossier"
    with caplog.at_level(logging.INFO, logger=shipped_templates.__name__):
        run_upgrades()
    assert profile_version() == tuple(metadata_version().split("."))
    # Unedited: now the shipped flat file's package, with its record
    assert fiche.odt_file.data == shipped_data("fiche-odt")
    assert shipped_templates.record(fiche)["checksum"] == sha(fiche.odt_file.data)
    assert sheet.odt_file.data == shipped_data("liste-ods")
    assert sheet.Title() == "Export du dossier"  # a title of one's own stays
    # Edited: left alone, and the log says so, naming the shipped file to compare
    assert edited.odt_file.data == (DATA / "liste.odt").read_bytes() + b"\0"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "/templates/documents/liste-odt kept: it was edited" in warnings[0]
    assert "communesplone.documents/templates/fr/liste.fodt" in warnings[0]
    replaced = [r.getMessage() for r in caplog.records if "replaced" in r.getMessage()]
    assert len(replaced) == 2
    # From now on its record says it was edited: the next upgrades keep it too
    assert shipped_templates.edited(edited)
    assert shipped_templates.record(edited)["checksum"] is None


def test_site_setup_lists_and_runs_the_upgrade(site_1000):
    """Site Setup ▸ Add-ons: "Updates available", then its "Update" button."""
    installer = get_installer(site_1000, site_1000.REQUEST)
    info = installer.upgrade_info("communesplone.documents")
    assert info["required"] and info["available"]
    assert (info["installedVersion"], info["newVersion"]) == ("1000", metadata_version())
    assert installer.upgrade_product("communesplone.documents")
    info = installer.upgrade_info("communesplone.documents")
    assert not info["required"] and not info["available"]
    assert folder()["fiche-odt"].odt_file.data == shipped_data("fiche-odt")


def test_running_the_upgrade_again_changes_nothing(site_1000):
    run_upgrades()
    stored = {t.getId(): t.odt_file.data for t in folder().objectValues()}
    api.portal.get_tool("portal_setup").setLastVersionForProfile(PROFILE, "1000")
    result = shipped_templates.upgrade("documents", EXAMPLES)
    assert result == {shipped.id: shipped_templates.CURRENT for shipped in EXAMPLES}
    assert {t.getId(): t.odt_file.data for t in folder().objectValues()} == stored


def test_upgrade_in_a_dutch_speaking_commune_installs_the_dutch_files(site_1000):
    # The language was set before the upgrade: version 1000 had French templates only
    api.portal.get_tool("portal_registry")["communesplone.default_language"] = "nl"
    assert folder()["fiche-odt"].odt_file.data == (DATA / "fiche.odt").read_bytes()
    run_upgrades()
    for shipped in EXAMPLES:
        template = folder()[shipped.id]
        assert template.odt_file.data == shipped_data(shipped.id, "nl")
        assert template.Title() == translate(shipped.title, target_language="nl")


def test_upgrade_does_not_bring_back_a_deleted_template(site_1000):
    with api.env.adopt_roles(["Manager"]):
        api.content.delete(obj=folder()["liste-ods"])
    run_upgrades()
    assert "liste-ods" not in folder().objectIds()
    assert profile_version() == tuple(metadata_version().split("."))


def test_a_newer_shipped_file_replaces_an_unedited_template(portal):
    """What the next upgrade step will do when a shipped file changes."""
    template = folder()["fiche-odt"]
    record = dict(shipped_templates.record(template), source="an older fiche.fodt")
    IAnnotations(template)[RECORD] = record
    assert shipped_templates.refresh(folder(), BY_ID["fiche-odt"]) == shipped_templates.REPLACED
    assert shipped_templates.record(template)["source"] == sha(
        (SHIPPED / "fr" / "fiche.fodt").read_bytes()
    )
    assert shipped_templates.refresh(folder(), BY_ID["fiche-odt"]) == shipped_templates.CURRENT
