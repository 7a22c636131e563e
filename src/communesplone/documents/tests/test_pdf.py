"""PDF and DOCX through a real LibreOffice, read back with pdftotext."""

from communesplone.documents import generation
from communesplone.documents.testing import libreoffice  # noqa: F401
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.textfield.value import RichTextValue

import io
import pytest
import shutil
import subprocess
import zipfile


@pytest.fixture
def document(portal, libreoffice):  # noqa: F811
    setRoles(portal, TEST_USER_ID, ["Manager"])
    return api.content.create(
        container=portal,
        type="Document",
        id="rapport",
        title="Rapport des travaux",
        text=RichTextValue("<p>Texte riche du rapport</p>", "text/html"),
    )


def test_pdf(document, portal, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is missing: install poppler-utils (make test does)")
    fiche = portal["templates"]["documents"]["fiche-odt"]
    generated = generation.render(document, fiche, "pdf")
    assert generated.data.startswith(b"%PDF")
    assert generated.filename.endswith(".pdf")
    path = tmp_path / generated.filename
    path.write_bytes(generated.data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Rapport des travaux" in text
    assert "Texte riche du rapport" in text


def test_docx(document, portal):
    fiche = portal["templates"]["documents"]["fiche-odt"]
    generated = generation.render(document, fiche, "docx")
    with zipfile.ZipFile(io.BytesIO(generated.data)) as archive:
        assert "Rapport des travaux" in archive.read("word/document.xml").decode("utf-8")
