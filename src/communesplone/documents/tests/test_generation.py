"""Generation with the example templates on real content, read back from the result."""

from communesplone.documents import generation
from communesplone.documents.formats import mimetype
from communesplone.documents.testing import template_with_expression
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.textfield.value import RichTextValue

import io
import pytest
import zipfile


def content_xml(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("content.xml").decode("utf-8")


@pytest.fixture
def site(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    api.portal.set_registry_record("communesplone.commune_name", "Commune de Plonéville")
    portal.portal_workflow.setChainForPortalTypes(
        ["Document", "Folder", "File"], "simple_publication_workflow"
    )
    return portal


@pytest.fixture
def document(site):
    return api.content.create(
        container=site,
        type="Document",
        id="rapport",
        title="Rapport des travaux",
        description="Voirie de la rue Haute",
        text=RichTextValue("<p>Texte <strong>riche</strong> du rapport</p>", "text/html"),
    )


@pytest.fixture
def folder(site):
    folder = api.content.create(container=site, type="Folder", id="dossiers", title="Dossiers")
    for number in range(1, 31):
        api.content.create(container=folder, type="Document", title=f"Élément {number}")
    return folder


def template(site, name):
    return site["templates"]["documents"][name]


def test_templates_for_an_object_follow_types(document, folder, site):
    assert [t.getId() for t in generation.templates_for(document)] == ["fiche-odt"]
    assert {t.getId() for t in generation.templates_for(folder)} == {"liste-odt", "liste-ods"}


def test_disabled_template_and_condition(document, site):
    fiche = template(site, "fiche-odt")
    fiche.enabled = False
    assert generation.templates_for(document) == []
    fiche.enabled = True
    fiche.condition = "python: object.getId() == 'other'"  # the example's own: editors only
    assert generation.templates_for(document) == []
    fiche.condition = "python: object.getId() == 'rapport'"
    assert generation.templates_for(document) == [fiche]


def test_fiche_as_odt(document, site):
    generated = generation.render(document, template(site, "fiche-odt"), "odt")
    assert generated.mimetype == mimetype("odt")
    assert generated.filename == f"{template(site, 'fiche-odt').Title()} Rapport des travaux.odt"
    xml = content_xml(generated.data)
    for text in ("Commune de Plonéville", "Rapport des travaux", "Voirie de la rue Haute", "riche"):
        assert text in xml


def test_list_as_odt_has_every_child_in_order(folder, site):
    xml = content_xml(generation.render(folder, template(site, "liste-odt"), "odt").data)
    positions = [xml.index(f"Élément {number}<") for number in range(1, 31)]
    assert positions == sorted(positions)


def test_list_as_ods(folder, site):
    xml = content_xml(generation.render(folder, template(site, "liste-ods"), "ods").data)
    assert "Élément 30" in xml


def test_format_not_offered_is_refused(document, site):
    with pytest.raises(generation.GenerationError) as error:
        generation.render(document, template(site, "fiche-odt"), "xlsx")
    assert error.value.status == 400


def test_pdf_without_libreoffice_says_what_to_install(document, site, monkeypatch):
    from communesplone.documents.libreoffice import free_ports

    monkeypatch.setenv("COMMUNESPLONE_LO_PORTS", str(free_ports(1)[0]))
    with pytest.raises(generation.GenerationError) as error:
        generation.render(document, template(site, "fiche-odt"), "pdf")
    assert error.value.status == 503
    from zope.i18n import translate

    assert "libreoffice-writer-nogui" in translate(error.value.message)


def test_store_in_object_and_history(folder, site):
    liste = template(site, "liste-odt")
    liste.storable = True
    generated = generation.render(folder, liste, "odt")
    stored = generation.store(folder, generated, liste)
    assert stored.aq_parent is folder
    assert stored.file.data == generated.data
    assert stored.file.filename == generated.filename
    history = folder.workflow_history["simple_publication_workflow"]
    assert history[-1]["action"] == "generate_document"
    assert stored.Title() in history[-1]["comments"]
    assert api.content.get_state(folder) == "private"  # the state is kept


def test_store_refused_when_template_does_not_allow_it(folder, document, site):
    from zope.i18n import translate

    liste = template(site, "liste-odt")
    before = folder.objectIds()
    with pytest.raises(generation.GenerationError) as error:
        generation.store(folder, generation.render(folder, liste, "odt"), liste)
    assert folder.objectIds() == before
    assert error.value.status == 400
    assert "does not store the documents it generates" in translate(error.value.message)
    fiche = template(site, "fiche-odt")
    fiche.storable = True  # but a page holds no files
    with pytest.raises(generation.GenerationError) as error:
        generation.store(document, generation.render(document, fiche, "odt"), fiche)
    assert error.value.status == 400
    assert "it holds no files" in translate(error.value.message)


def test_store_refused_to_who_may_not_add_files(folder, site):
    from plone.app.testing import login
    from zope.i18n import translate

    liste = template(site, "liste-odt")
    liste.storable = True
    api.user.create(username="lecteur", email="lecteur@example.org", password="secret-pass")
    folder.manage_setLocalRoles("lecteur", ["Reader"])
    generated = generation.render(folder, liste, "odt")
    login(site, "lecteur")
    assert not generation.can_store(folder, liste)
    with pytest.raises(generation.GenerationError) as error:
        generation.store(folder, generated, liste)
    assert error.value.status == 403
    assert "You may not add files here" in translate(error.value.message)
    assert [obj.portal_type for obj in folder.objectValues()] == ["Document"] * 30


def broken_copy(site, expression):
    return template_with_expression(template(site, "fiche-odt"), expression, "Modèle cassé")


@pytest.mark.parametrize(
    "expression",
    [
        "helper.nonexistent(context)",
        "__import__('os').getcwd()",
        "open('/etc/passwd').read()",
        "context.__class__.__subclasses__",
        "do not a statement",
    ],
)
def test_template_errors_and_forbidden_expressions(document, site, expression):
    broken = broken_copy(site, expression)
    with pytest.raises(generation.TemplateError) as error:
        generation.render(document, broken, "odt")
    assert "Modèle cassé" in error.value.detail
    assert error.value.status == 500
