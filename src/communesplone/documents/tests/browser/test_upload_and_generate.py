"""In a browser: the admin uploads a template, then downloads an ODT and a PDF of a page."""

from communesplone.core.browsertesting import log_in
from communesplone.documents.setuphandlers import TEMPLATES
from communesplone.documents.templates import package_file
from communesplone.documents.testing import libreoffice  # noqa: F401
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.textfield.value import RichTextValue

import io
import pytest
import transaction
import zipfile


pytestmark = pytest.mark.browser


@pytest.fixture
def page_to_print(functional_portal):
    with api.env.adopt_roles(["Manager"]):
        document = api.content.create(
            container=functional_portal,
            type="Document",
            id="reglement",
            title="Règlement du marché hebdomadaire",
            text=RichTextValue("<p>Le marché se tient le mercredi.</p>", "text/html"),
        )
    transaction.commit()
    return document


def test_upload_a_template_and_generate(
    functional_portal,
    page_to_print,
    libreoffice,  # noqa: F811
    page,
    screenshot,
    tmp_path,
):
    portal_url = functional_portal.absolute_url()
    log_in(page, portal_url, SITE_OWNER_NAME, SITE_OWNER_PASSWORD)

    page.goto(f"{portal_url}/templates/documents/++add++pod_template")
    page.fill("#form-widgets-IBasic-title", "Fiche du règlement")
    fiche = tmp_path / "fiche.odt"  # as a template manager has it: the shipped one, packaged
    fiche.write_bytes(package_file(TEMPLATES, "fiche.odt").read_bytes())
    page.set_input_files("#form-widgets-odt_file-input", str(fiche))
    page.check("#form-widgets-portal_types input[value='Document']")
    page.check("#form-widgets-output_formats input[value='pdf']")
    screenshot("pod-template-add-form")
    page.click("#form-buttons-save")
    page.wait_for_load_state()
    assert "/templates/documents/" in page.url

    page.goto(page_to_print.absolute_url())
    documents = page.locator(".communesplone-documents")
    assert documents.get_by_text("Fiche du règlement").is_visible()
    screenshot("documents-viewlet")

    for output_format, check in (("odt", b"PK"), ("pdf", b"%PDF")):
        link = documents.locator("li", has_text="Fiche du règlement").locator(
            f"a[data-format='{output_format}']"
        )
        with page.expect_download() as download:
            link.click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        assert path.suffix == f".{output_format}"
        assert "Fiche du règlement" in path.name
        assert path.read_bytes().startswith(check)
        if output_format == "odt":
            with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
                content = archive.read("content.xml").decode("utf-8")
            assert "Règlement du marché hebdomadaire" in content
            assert "le mercredi" in content
