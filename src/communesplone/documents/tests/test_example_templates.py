"""The example POD templates render with a fake context.

No Plone layer: the templates get a fake ``context`` and ``helper`` with the
interface described in docs/templates.rst, and are rendered as in a site, by
the production sandbox (``communesplone.documents.sandbox``: its renderer, its
evaluator guarded by Zope security, the appy names it allows).
"""

from communesplone.documents import sandbox
from communesplone.documents.templates import package_file
from pathlib import Path

import datetime
import re
import time
import zipfile


# The shipped flat files (templates/fr/*.fodt, .fods), packaged for appy on first use.
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
TODAY = datetime.date(2026, 12, 8)
COMMUNE = {
    "name": "Commune de Démo-sur-Escaut",
    "address": "Grand-Place 1, 7500 Tournai",
    "nis_code": "57081",
    "contact_email": "info@demo.example",
    "signatories": [
        {"name": "Anne Dupont", "function": "Bourgmestre"},
        {"name": "Marc Lenoir", "function": "Directeur général"},
    ],
}
RICH_TEXT = "<p>Texte <strong>riche</strong></p>"
CHILDREN = 250


class FakeContent:
    """A content object: title, description, rich text, dates, children."""

    # Public for Zope security, like an object whose attributes all may be read.
    __allow_access_to_unprotected_subobjects__ = 1

    def __init__(self, title, description="", text="", type_title="Page", children=()):
        self.title = title
        self.description = description
        self.text = text
        self.type_title = type_title
        self.children = list(children)

    def created(self):
        return datetime.datetime(2026, 12, 8, 9, 30)

    def modified(self):
        return datetime.datetime(2026, 12, 9, 14, 15)


class FakeHelper:
    """The ``helper`` a template gets, with the real helper's interface."""

    __allow_access_to_unprotected_subobjects__ = 1

    commune = COMMUNE

    def value(self, obj, name):
        value = getattr(obj, name, "")
        if callable(value):
            value = self.date(value())
        return "" if value is None else str(value)

    def xhtml(self, obj, name):
        return getattr(obj, name, "") or ""

    def date(self, value, fmt="long"):
        if fmt == "short":
            return value.strftime("%d/%m/%Y")
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"

    def today(self):
        return self.date(TODAY)

    def children(self, obj):
        return list(obj.children)


def folder(count=CHILDREN):
    children = [FakeContent(f"Élément {i}", type_title="Actualité") for i in range(1, count + 1)]
    return FakeContent("Actualités", "Le dossier des actualités", children=children)


def render(tmp_path, name, context):
    """Render the committed template ``name``; return its content.xml and styles.xml.

    With the production renderer and evaluator, as ``generation.render`` does.
    """
    result = tmp_path / f"result{Path(name).suffix}"
    renderer = sandbox.Renderer(
        str(package_file(TEMPLATES, name)),
        {"context": context, "helper": FakeHelper()},
        str(result),
        raiseOnError=True,
        ooPort=None,
    )
    assert isinstance(renderer.evaluator, sandbox.Evaluator)
    renderer.run()
    with zipfile.ZipFile(result) as archive:
        return archive.read("content.xml").decode(), archive.read("styles.xml").decode()


def assert_fully_rendered(xml):
    """No statement nor expression is left from the template, and no stray line break.

    appy turns any newline of the template's text into a line break: the build
    script writes the XML without newlines between tags.
    """
    assert "office:annotation" not in xml
    assert "text:text-input" not in xml
    assert "helper." not in xml
    assert "text:line-break" not in xml


def positions(xml, texts):
    """Where each of ``texts`` first appears in ``xml``; fails if one is missing."""
    found = []
    for text in texts:
        index = xml.find(text)
        assert index != -1, f"{text!r} missing"
        found.append(index)
    return found


def test_fiche(tmp_path):
    context = FakeContent("Réunion du conseil", "Ordre du jour et décisions", RICH_TEXT)
    content, styles = render(tmp_path, "fiche.odt", context)
    assert_fully_rendered(content)
    header = positions(content, [COMMUNE["name"], COMMUNE["address"], "Réunion du conseil"])
    assert header == sorted(header)
    assert "Ordre du jour et décisions" in content
    assert "Créé le 8 décembre 2026, modifié le 9 décembre 2026." in content
    # The section and its heading, then the rich text converted by appy's xhtml()
    assert 'text:name="Texte"' in content
    assert ">Contenu</text:h>" in content
    assert re.search(r"<text:p[^>]*>Texte <text:span [^>]*>riche</text:span></text:p>", content)
    assert "Ce paragraphe est remplacé" not in content
    # The page footer is in styles.xml
    assert_fully_rendered(styles)
    assert "Document généré le 8 décembre 2026" in styles


def test_fiche_without_description_nor_text(tmp_path):
    content, _ = render(tmp_path, "fiche.odt", FakeContent("Page vide"))
    assert_fully_rendered(content)
    assert "Page vide" in content
    assert "CP_20_Description" not in content
    assert "text:section" not in content
    assert "Contenu" not in content


def test_fiche_accepts_html_void_tags(tmp_path):
    # Plone's rich text output is HTML: <br>, not <br/>; the template passes html=True
    context = FakeContent("Page", text="<p>Première ligne<br>seconde ligne</p>")
    content, _ = render(tmp_path, "fiche.odt", context)
    assert "Première ligne<text:line-break" in content
    assert "seconde ligne</text:p>" in content


def test_liste_odt(tmp_path, capsys):
    start = time.perf_counter()
    content, _ = render(tmp_path, "liste.odt", folder())
    elapsed = time.perf_counter() - start
    with capsys.disabled():
        print(f"\nliste.odt, {CHILDREN} rows: {elapsed:.3f} s")
    assert_fully_rendered(content)
    assert COMMUNE["name"] in content
    assert "Dossier : Actualités" in content
    # Header row, then one row per child, in order, numbered from 1
    assert content.count("<table:table-row") == CHILDREN + 1
    titles = positions(content, [f">Élément {i}<" for i in range(1, CHILDREN + 1)])
    assert titles == sorted(titles)
    numbers = positions(content, [f'"CP_20_Nombre">{i}<' for i in range(1, CHILDREN + 1)])
    assert numbers == sorted(numbers)
    assert numbers[0] < titles[0] and numbers[-1] < titles[-1]
    assert content.count(">Actualité<") == CHILDREN
    assert content.count(">9 décembre 2026<") == CHILDREN
    assert "Nombre d'éléments : 250" in content
    assert "Ce dossier est vide." not in content


def test_liste_odt_empty_folder(tmp_path):
    content, _ = render(tmp_path, "liste.odt", folder(0))
    assert_fully_rendered(content)
    assert content.count("<table:table-row") == 1
    assert "Ce dossier est vide." in content
    assert "Nombre d'éléments : 0" in content


def test_liste_ods(tmp_path):
    content, _ = render(tmp_path, "liste.ods", folder())
    assert_fully_rendered(content)
    assert "table:formula" not in content
    sheet, summary = content.split('table:name="Résumé"')
    # First sheet: header and one row per child, the number a float cell
    assert sheet.count("<table:table-row") == CHILDREN + 1
    titles = positions(sheet, [f"<text:p>Élément {i}</text:p>" for i in range(1, CHILDREN + 1)])
    assert titles == sorted(titles)
    numbers = positions(sheet, [f'office:value="{i}"' for i in range(1, CHILDREN + 1)])
    assert numbers == sorted(numbers)
    # Second sheet: commune, folder, count, date
    assert COMMUNE["name"] in summary
    assert "<text:p>Actualités</text:p>" in summary
    assert 'office:value-type="float" office:value="250"' in summary
    assert "<text:p>8 décembre 2026</text:p>" in summary
