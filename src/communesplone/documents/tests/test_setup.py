"""The documents profile: types, workflow, role, templates folder; clean uninstall."""

from communesplone.core.testing import check_clean_reinstall
from plone import api


def test_installed_with_its_dependencies(installer):
    assert installer.is_product_installed("communesplone.documents")
    assert installer.is_product_installed("communesplone.core")


def test_browser_layer(browser_layers):
    from communesplone.documents.interfaces import IDocumentsLayer

    assert IDocumentsLayer in browser_layers


def test_types_and_workflow(portal):
    assert {"pod_template", "pod_template_folder"} <= set(portal.portal_types.objectIds())
    chain = portal.portal_workflow.getChainForPortalType("pod_template")
    assert chain == ("communesplone_pod_template_workflow",)
    assert "TemplateManager" in portal.valid_roles()


def test_example_templates_installed(portal):
    folder = portal["templates"]["documents"]
    templates = {obj.getId(): obj for obj in folder.objectValues()}
    assert set(templates) == {"fiche-odt", "liste-odt", "liste-ods"}
    assert templates["liste-odt"].portal_types == ["Folder"]
    assert templates["liste-ods"].kind() == "ods"
    assert api.content.get_state(templates["fiche-odt"]) == "active"


def test_libreoffice_settings(portal):
    assert api.portal.get_registry_record("communesplone.documents.lo_ports") == [2002]


def test_uninstall_leaves_nothing(portal):
    added = check_clean_reinstall(portal, "communesplone.documents")
    assert "communesplone.documents.interfaces.IDocumentsLayer" in added["browser layers"]
    assert {"pod_template", "pod_template_folder"} <= added["types"]
    assert "templates" in added["site objects"]
    assert "pod_portal_types" in added["catalog indexes"]
