"""Build the appy.pod templates shipped by communesplone.documents and .meetings.

The templates are OpenDocument files written from the XML below, so that they
can be reviewed as text and regenerated::

    python scripts/make_pod_templates.py [FOLDER]

The templates of communesplone.documents (examples) go to
src/communesplone/documents/templates, those of communesplone.meetings (the
agenda, the minutes, the decision extract and the list of decisions for
publication) to src/communesplone/meetings/templates; given FOLDER, they go to
FOLDER/documents and FOLDER/meetings instead. The output is
deterministic (fixed zip timestamps, no date in meta.xml): running the script
twice gives identical files, and a test compares the committed templates with a
fresh build, so edit this script, not the .odt/.ods files.

POD syntax used (appy.pod, see docs/templates.rst):

- an expression is the text of an input field (``text:text-input``, what
  LibreOffice's Insert > Field > More Fields > Functions > Input field makes);
- a statement is a comment (``office:annotation``) with one statement line per
  paragraph: ``do text if ...``, ``do row for ...``, ``do section if ...``, and
  ``do text`` followed by a second paragraph ``from xhtml(...)``;
- in a spreadsheet, an expression is a cell whose formula is a string,
  ``="helper.value(child, 'title')"``, and statements are comments on cells.
"""

from pathlib import Path
from xml.sax.saxutils import escape
from xml.sax.saxutils import quoteattr

import re
import sys
import zipfile


DEFAULT_FOLDER = (
    Path(__file__).resolve().parent.parent / "src" / "communesplone" / "documents" / "templates"
)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
MIMETYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}

NAMESPACES = """\
 xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
 office:version="1.2\""""


# POD building blocks ---------------------------------------------------------


def expr(code):
    """An appy.pod expression: an input field whose text is Python code."""
    return f"<text:text-input>{escape(code)}</text:text-input>"


def note(*statements):
    """An appy.pod statement: a comment, one statement line per paragraph."""
    lines = "".join(f"<text:p>{escape(line)}</text:p>" for line in statements)
    return f"<office:annotation><dc:creator>CommunesPlone</dc:creator>{lines}</office:annotation>"


def odt_cell(content, style="Liste.Cellule", paragraph="Table_20_Contents"):
    """A table cell of a text document; ``content`` is already XML."""
    return (
        f'<table:table-cell table:style-name="{style}" office:value-type="string">'
        f'<text:p text:style-name="{paragraph}">{content}</text:p></table:table-cell>'
    )


def ods_text(value, style=None):
    """A spreadsheet cell holding plain text."""
    style_attr = f" table:style-name={quoteattr(style)}" if style else ""
    return (
        f'<table:table-cell{style_attr} office:value-type="string">'
        f"<text:p>{escape(value)}</text:p></table:table-cell>"
    )


def ods_expr(code, statement=None):
    """A spreadsheet cell holding an appy.pod expression: a string formula.

    appy reads the expression from ``office:string-value``; the formula and the
    paragraph show it in LibreOffice. ``statement``, if given, becomes a comment
    on the cell. The code cannot hold a double quote, which ends the string.
    """
    if '"' in code:
        raise ValueError(f"a double quote ends the formula's string: {code}")
    formula = f'of:="{code}"'
    comment = note(statement) if statement else ""
    return (
        f"<table:table-cell table:formula={quoteattr(formula)}"
        f' office:value-type="string" office:string-value={quoteattr(code)}>'
        f"{comment}<text:p>{escape(code)}</text:p></table:table-cell>"
    )


# Text documents (odt): styles.xml, shared by fiche.odt and liste.odt ----------

# The page footer: generation date and page number.
ODT_FOOTER = (
    f"Document généré le {expr('helper.today()')}"
    ' — page <text:page-number text:select-page="current">1</text:page-number>'
)

ODT_STYLES = f"""\
<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles{NAMESPACES}>
 <office:font-face-decls>
  <style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'"
   style:font-family-generic="swiss" style:font-pitch="variable"/>
 </office:font-face-decls>
 <office:styles>
  <style:default-style style:family="paragraph">
   <style:paragraph-properties style:writing-mode="page"/>
   <style:text-properties style:font-name="Liberation Sans" fo:font-size="10.5pt"
    fo:language="fr" fo:country="BE"/>
  </style:default-style>
  <style:style style:name="Standard" style:family="paragraph" style:class="text"/>
  <style:style style:name="Text_20_body" style:display-name="Text body"
   style:family="paragraph" style:parent-style-name="Standard" style:class="text">
   <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.25cm"
    fo:line-height="115%"/>
  </style:style>
  <style:style style:name="Heading" style:family="paragraph"
   style:parent-style-name="Standard" style:next-style-name="Text_20_body"
   style:class="text">
   <style:paragraph-properties fo:margin-top="0.42cm" fo:margin-bottom="0.21cm"
    fo:keep-with-next="always"/>
   <style:text-properties fo:font-weight="bold" fo:color="#1f3a5f"/>
  </style:style>
  <style:style style:name="Heading_20_1" style:display-name="Heading 1"
   style:family="paragraph" style:parent-style-name="Heading"
   style:next-style-name="Text_20_body" style:default-outline-level="1"
   style:class="text">
   <style:text-properties fo:font-size="16pt"/>
  </style:style>
  <style:style style:name="Heading_20_2" style:display-name="Heading 2"
   style:family="paragraph" style:parent-style-name="Heading"
   style:next-style-name="Text_20_body" style:default-outline-level="2"
   style:class="text">
   <style:text-properties fo:font-size="13pt"/>
  </style:style>
  <style:style style:name="Table_20_Contents" style:display-name="Table Contents"
   style:family="paragraph" style:parent-style-name="Standard" style:class="extra"/>
  <style:style style:name="Table_20_Heading" style:display-name="Table Heading"
   style:family="paragraph" style:parent-style-name="Table_20_Contents"
   style:class="extra">
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Footer" style:family="paragraph"
   style:parent-style-name="Standard" style:class="extra">
   <style:text-properties fo:font-size="8pt" fo:color="#555555"/>
  </style:style>
  <style:style style:name="CP_20_Commune" style:display-name="CP Commune"
   style:family="paragraph" style:parent-style-name="Standard" style:class="text">
   <style:text-properties fo:font-size="12pt" fo:font-weight="bold"
    fo:color="#1f3a5f"/>
  </style:style>
  <style:style style:name="CP_20_Adresse" style:display-name="CP Adresse"
   style:family="paragraph" style:parent-style-name="Standard" style:class="text">
   <style:paragraph-properties fo:margin-bottom="0.6cm" fo:padding-bottom="0.1cm"
    fo:border-bottom="0.5pt solid #1f3a5f"/>
   <style:text-properties fo:font-size="9pt" fo:color="#555555"/>
  </style:style>
  <style:style style:name="CP_20_Description" style:display-name="CP Description"
   style:family="paragraph" style:parent-style-name="Text_20_body" style:class="text">
   <style:text-properties fo:font-style="italic"/>
  </style:style>
  <style:style style:name="CP_20_Info" style:display-name="CP Info"
   style:family="paragraph" style:parent-style-name="Text_20_body" style:class="text">
   <style:text-properties fo:font-size="9pt" fo:color="#555555"/>
  </style:style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1">
   <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"
    style:print-orientation="portrait" fo:margin-top="2cm" fo:margin-bottom="1.5cm"
    fo:margin-left="2cm" fo:margin-right="2cm"/>
   <style:footer-style>
    <style:header-footer-properties fo:min-height="0cm" fo:margin-top="0.4cm"/>
   </style:footer-style>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:footer>
    <text:p text:style-name="Footer">{ODT_FOOTER}</text:p>
   </style:footer>
  </style:master-page>
 </office:master-styles>
</office:document-styles>
"""


def odt_content(automatic_styles, body):
    """content.xml of a text document."""
    return f"""\
<?xml version="1.0" encoding="UTF-8"?>
<office:document-content{NAMESPACES}>
 <office:automatic-styles>
{automatic_styles}
 </office:automatic-styles>
 <office:body>
  <office:text>
{body}
  </office:text>
 </office:body>
</office:document-content>
"""


# The letterhead at the top of both text documents.
COMMUNE_HEADER = f"""\
   <text:p text:style-name="CP_20_Commune">{expr("helper.commune['name']")}</text:p>
   <text:p text:style-name="CP_20_Adresse">{expr("helper.commune['address']")}</text:p>"""


# fiche.odt -------------------------------------------------------------------

FICHE_STYLES = """\
  <style:style style:name="Sect1" style:family="section">
   <style:section-properties style:editable="false"/>
  </style:style>"""

FICHE_TITLE = expr("helper.value(context, 'title')")
FICHE_DESCRIPTION = note("do text if helper.value(context, 'description')") + expr(
    "helper.value(context, 'description')"
)
FICHE_DATES = (
    f"Créé le {expr('helper.date(context.created())')},"
    f" modifié le {expr('helper.date(context.modified())')}."
)
# The section, with its heading, only appears when the object has rich text;
# its paragraph is replaced with the rich text converted to ODF. html=True lets
# appy accept HTML void tags (<br>, <img ...>), which plain XHTML parsing rejects.
FICHE_TEXT_HEADING = "Contenu" + note("do section if helper.xhtml(context, 'text')")
FICHE_TEXT = (
    note("do text", "from xhtml(helper.xhtml(context, 'text'), html=True)")
    + "Ce paragraphe est remplacé par le texte riche du contenu."
)

FICHE_BODY = f"""\
{COMMUNE_HEADER}
   <text:h text:style-name="Heading_20_1" text:outline-level="1">{FICHE_TITLE}</text:h>
   <text:p text:style-name="CP_20_Description">{FICHE_DESCRIPTION}</text:p>
   <text:p text:style-name="CP_20_Info">{FICHE_DATES}</text:p>
   <text:section text:style-name="Sect1" text:name="Texte">
    <text:h text:style-name="Heading_20_2" text:outline-level="2">{FICHE_TEXT_HEADING}</text:h>
    <text:p text:style-name="Text_20_body">{FICHE_TEXT}</text:p>
   </text:section>"""


# liste.odt -------------------------------------------------------------------

# Columns: n°, title, type, modification date; 17 cm between the margins.
LISTE_COLUMNS = (("A", "1.3cm"), ("B", "8.2cm"), ("C", "3.5cm"), ("D", "4cm"))
LISTE_LABELS = ("N°", "Titre", "Type", "Modifié le")

LISTE_STYLES = "\n".join(
    [
        """\
  <style:style style:name="Liste" style:family="table">
   <style:table-properties style:width="17cm" table:align="margins"
    fo:margin-top="0.2cm" fo:margin-bottom="0.3cm"/>
  </style:style>
  <style:style style:name="Liste.Titre" style:family="table-cell">
   <style:table-cell-properties fo:background-color="#dde4ee" fo:padding="0.08cm"
    fo:border="0.5pt solid #8a9bb5"/>
  </style:style>
  <style:style style:name="Liste.Cellule" style:family="table-cell">
   <style:table-cell-properties fo:padding="0.08cm" fo:border="0.5pt solid #8a9bb5"/>
  </style:style>
  <style:style style:name="P_Nombre" style:family="paragraph"
   style:parent-style-name="Table_20_Contents">
   <style:paragraph-properties fo:text-align="end"/>
  </style:style>"""
    ]
    + [
        f"""\
  <style:style style:name="Liste.{letter}" style:family="table-column">
   <style:table-column-properties style:column-width="{width}"/>
  </style:style>"""
        for letter, width in LISTE_COLUMNS
    ]
)

LISTE_COLUMN_TAGS = "\n".join(
    f'    <table:table-column table:style-name="Liste.{letter}"/>' for letter, _ in LISTE_COLUMNS
)
LISTE_HEADER_CELLS = "\n".join(
    "      " + odt_cell(label, "Liste.Titre", "Table_20_Heading") for label in LISTE_LABELS
)
# The comment on the first cell repeats the whole row once per child.
LISTE_ROW_CELLS = "\n".join(
    "     " + cell
    for cell in (
        odt_cell(
            note("do row for nb, child in enumerate(helper.children(context))") + expr("nb + 1"),
            paragraph="P_Nombre",
        ),
        odt_cell(expr("helper.value(child, 'title')")),
        odt_cell(expr("helper.value(child, 'type_title')")),
        odt_cell(expr("helper.date(child.modified())")),
    )
)
LISTE_FOLDER = "Dossier : " + expr("helper.value(context, 'title')")
LISTE_EMPTY = note("do text if not helper.children(context)") + "Ce dossier est vide."
LISTE_COUNT = "Nombre d'éléments : " + expr("len(helper.children(context))")

LISTE_BODY = f"""\
{COMMUNE_HEADER}
   <text:h text:style-name="Heading_20_1" text:outline-level="1">Liste du contenu</text:h>
   <text:p text:style-name="Text_20_body">{LISTE_FOLDER}</text:p>
   <table:table table:name="Liste" table:style-name="Liste">
{LISTE_COLUMN_TAGS}
    <table:table-header-rows>
     <table:table-row>
{LISTE_HEADER_CELLS}
     </table:table-row>
    </table:table-header-rows>
    <table:table-row>
{LISTE_ROW_CELLS}
    </table:table-row>
   </table:table>
   <text:p text:style-name="Text_20_body">{LISTE_EMPTY}</text:p>
   <text:p text:style-name="Text_20_body">{LISTE_COUNT}</text:p>"""


# liste.ods -------------------------------------------------------------------

ODS_STYLES = f"""\
<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles{NAMESPACES}>
 <office:font-face-decls>
  <style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'"
   style:font-family-generic="swiss" style:font-pitch="variable"/>
 </office:font-face-decls>
 <office:styles>
  <style:default-style style:family="table-cell">
   <style:text-properties style:font-name="Liberation Sans" fo:font-size="10pt"
    fo:language="fr" fo:country="BE"/>
  </style:default-style>
  <style:style style:name="Default" style:family="table-cell"/>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1">
   <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"
    style:print-orientation="portrait" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm"
    fo:margin-left="1.5cm" fo:margin-right="1.5cm"/>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Default" style:page-layout-name="pm1"/>
 </office:master-styles>
</office:document-styles>
"""

# Sheet "Contenu": the header and one row per child, nothing else, so that a
# csv export (which takes the first sheet) is a plain table.
ODS_HEADER_CELLS = "".join(ods_text(label, "ce1") for label in LISTE_LABELS)
ODS_ROW_CELLS = "".join(
    (
        ods_expr("nb + 1", "do row for nb, child in enumerate(helper.children(context))"),
        ods_expr("helper.value(child, 'title')"),
        ods_expr("helper.value(child, 'type_title')"),
        ods_expr("helper.date(child.modified())"),
    )
)
# Sheet "Résumé": label and value, one line each.
ODS_SUMMARY = (
    ("Commune", "helper.commune['name']"),
    ("Dossier", "helper.value(context, 'title')"),
    ("Nombre d'éléments", "len(helper.children(context))"),
    ("Généré le", "helper.today()"),
)
ODS_SUMMARY_ROWS = "\n".join(
    f'    <table:table-row table:style-name="ro1">{ods_text(label, "ce1")}{ods_expr(code)}'
    "</table:table-row>"
    for label, code in ODS_SUMMARY
)

ODS_CONTENT = f"""\
<?xml version="1.0" encoding="UTF-8"?>
<office:document-content{NAMESPACES}>
 <office:automatic-styles>
  <style:style style:name="co1" style:family="table-column">
   <style:table-column-properties style:column-width="1.5cm"/>
  </style:style>
  <style:style style:name="co2" style:family="table-column">
   <style:table-column-properties style:column-width="8cm"/>
  </style:style>
  <style:style style:name="co3" style:family="table-column">
   <style:table-column-properties style:column-width="4cm"/>
  </style:style>
  <style:style style:name="ro1" style:family="table-row">
   <style:table-row-properties style:use-optimal-row-height="true"/>
  </style:style>
  <style:style style:name="ta1" style:family="table" style:master-page-name="Default">
   <style:table-properties table:display="true" style:writing-mode="lr-tb"/>
  </style:style>
  <style:style style:name="ce1" style:family="table-cell" style:parent-style-name="Default">
   <style:table-cell-properties fo:background-color="#dde4ee"/>
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
 </office:automatic-styles>
 <office:body>
  <office:spreadsheet>
   <table:table table:name="Contenu" table:style-name="ta1">
    <table:table-column table:style-name="co1"/>
    <table:table-column table:style-name="co2"/>
    <table:table-column table:style-name="co3" table:number-columns-repeated="2"/>
    <table:table-header-rows>
     <table:table-row table:style-name="ro1">{ODS_HEADER_CELLS}</table:table-row>
    </table:table-header-rows>
    <table:table-row table:style-name="ro1">{ODS_ROW_CELLS}</table:table-row>
   </table:table>
   <table:table table:name="Résumé" table:style-name="ta1">
    <table:table-column table:style-name="co3"/>
    <table:table-column table:style-name="co2"/>
{ODS_SUMMARY_ROWS}
   </table:table>
  </office:spreadsheet>
 </office:body>
</office:document-content>
"""


# Packages --------------------------------------------------------------------


def manifest(mimetype):
    return f"""\
<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
 manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2"
  manifest:media-type="{mimetype}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""


def meta(title, description):
    return f"""\
<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta{NAMESPACES}>
 <office:meta>
  <meta:generator>CommunesPlone scripts/make_pod_templates.py</meta:generator>
  <dc:title>{escape(title)}</dc:title>
  <dc:description>{escape(description)}</dc:description>
  <dc:language>fr-BE</dc:language>
 </office:meta>
</office:document-meta>
"""


# name: (title, description, content.xml, styles.xml)
TEMPLATES = {
    "fiche.odt": (
        "Fiche",
        "Fiche d'un contenu : titre, description, dates et texte riche.",
        odt_content(FICHE_STYLES, FICHE_BODY),
        ODT_STYLES,
    ),
    "liste.odt": (
        "Liste du contenu",
        "Tableau des éléments d'un dossier, une ligne par élément.",
        odt_content(LISTE_STYLES, LISTE_BODY),
        ODT_STYLES,
    ),
    "liste.ods": (
        "Liste du contenu",
        "Les éléments d'un dossier en tableur, pour une sortie ods, xlsx ou csv.",
        ODS_CONTENT,
        ODS_STYLES,
    ),
}


# Meetings (src/communesplone/meetings/templates) -------------------------------
#
# The four default templates of the meetings application. Besides ``context``
# and ``helper`` they use ``meeting_helper`` (communesplone.meetings.documents),
# which lists a meeting's items through the catalog, so each user gets the
# items they may view. Repeated blocks are ``do section- for``: the minus keeps
# the content of each repetition without the section itself, so the result has
# no duplicate section names.

MEETINGS_FOLDER = DEFAULT_FOLDER.parent.parent / "meetings" / "templates"

MEETING_EXTRA_STYLES = """\
  <style:style style:name="Heading_20_3" style:display-name="Heading 3"
   style:family="paragraph" style:parent-style-name="Heading"
   style:next-style-name="Text_20_body" style:default-outline-level="3"
   style:class="text">
   <style:paragraph-properties fo:margin-top="0.5cm"/>
   <style:text-properties fo:font-size="11.5pt"/>
  </style:style>
  <style:style style:name="CP_20_Acte" style:display-name="CP Acte"
   style:family="paragraph" style:parent-style-name="Standard" style:class="text">
   <style:paragraph-properties fo:text-align="center" fo:margin-top="0.3cm"
    fo:margin-bottom="0.2cm"/>
   <style:text-properties fo:font-size="14pt" fo:font-weight="bold" fo:color="#1f3a5f"/>
  </style:style>
  <style:style style:name="CP_20_Centre" style:display-name="CP Centre"
   style:family="paragraph" style:parent-style-name="Text_20_body" style:class="text">
   <style:paragraph-properties fo:text-align="center"/>
  </style:style>
  <style:style style:name="CP_20_Droite" style:display-name="CP Droite"
   style:family="paragraph" style:parent-style-name="Text_20_body" style:class="text">
   <style:paragraph-properties fo:text-align="end"/>
  </style:style>
  <style:style style:name="CP_20_Point" style:display-name="CP Point"
   style:family="paragraph" style:parent-style-name="Text_20_body" style:class="text">
   <style:paragraph-properties fo:margin-left="0.8cm" fo:text-indent="-0.8cm"
    fo:margin-bottom="0.15cm"/>
  </style:style>
  <style:style style:name="CP_20_Personne" style:display-name="CP Personne"
   style:family="paragraph" style:parent-style-name="Text_20_body" style:class="text">
   <style:paragraph-properties fo:margin-left="0.8cm" fo:margin-bottom="0cm"/>
  </style:style>
  <style:style style:name="CP_20_Signature" style:display-name="CP Signature"
   style:family="paragraph" style:parent-style-name="Text_20_body" style:class="text">
   <style:paragraph-properties fo:margin-top="0.6cm" fo:margin-bottom="0cm"
    fo:keep-with-next="always"/>
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="CP_20_Gras" style:display-name="CP Gras" style:family="text">
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
"""
MEETING_STYLES = ODT_STYLES.replace(
    " </office:styles>", MEETING_EXTRA_STYLES + " </office:styles>", 1
)
MEETING_AUTOMATIC_STYLES = """\
  <style:style style:name="Sect1" style:family="section">
   <style:section-properties style:editable="false"/>
  </style:style>"""

# What the templates say of an item's outcome (meeting_helper.outcome).
OUTCOMES = {
    "accepted": "Approuvé",
    "accepted_but_modified": "Approuvé moyennant modifications",
    "refused": "Refusé",
    "delayed": "Reporté",
    "postponed_next_meeting": "Reporté à la séance suivante",
}


def para(content, style="Text_20_body", statement=()):
    """A paragraph; ``statement``: the lines of a POD comment anchored in it."""
    comment = note(*statement) if statement else ""
    return f'<text:p text:style-name="{style}">{comment}{content}</text:p>'


def heading(content, level, statement=()):
    comment = note(*statement) if statement else ""
    return (
        f'<text:h text:style-name="Heading_20_{level}" text:outline-level="{level}">'
        f"{comment}{content}</text:h>"
    )


def section(name, *parts):
    return (
        f'<text:section text:style-name="Sect1" text:name="{name}">{"".join(parts)}</text:section>'
    )


def bold(text):
    return f'<text:span text:style-name="CP_20_Gras">{text}</text:span>'


def rich_text(code):
    """A paragraph replaced with the rich text ``code`` returns (HTML), converted by appy."""
    return para(
        "Ce paragraphe est remplacé par le texte riche.",
        statement=("do text", f"from xhtml({code}, html=True)"),
    )


def people(rows):
    """ "Jean Dupont, Bourgmestre ; Anne Martin, Échevine" from a list of member dicts."""
    return expr(f"' ; '.join(m['person'] + ', ' + m['function'] for m in {rows})")


def outcome(var):
    return expr(f"{OUTCOMES!r}.get(meeting_helper.outcome({var}), '')")


BODY = expr("meeting_helper.body_title(context)")
MEETING_DAY = expr("meeting_helper.date(context)")
MEETING_TIME = expr("meeting_helper.time(context)")
PLACE = para(
    "Lieu : " + expr("helper.value(meeting_helper.meeting(context), 'place')"),
    statement=("do text if helper.value(meeting_helper.meeting(context), 'place')",),
)


def signatures(name):
    """One block per signatory: the function, then the name."""
    return section(
        name,
        para(
            expr("s['function']"),
            "CP_20_Signature",
            ("do section- for s in meeting_helper.signatories(context)",),
        ),
        para(expr("s['person']")),
    )


def attendance_lists(name):
    """The minutes' attendance: a label per status, then one line per person."""
    blocks = []
    for status, label in (
        ("present", "Présents"),
        ("excused", "Excusés"),
        ("represented", "Représentés"),
        ("absent", "Absents"),
    ):
        line = expr("m['person']") + ", " + expr("m['function']")
        if status == "represented":
            line += ", représenté(e) par " + expr("m['represented_by']")
        rows = f"meeting_helper.{status}(context)"
        blocks.append(
            section(
                f"{name}_{status}",
                para(bold(f"{label} :"), statement=(f"do section- if {rows}",)),
                para(line, "CP_20_Personne", (f"do text for m in {rows}",)),
            )
        )
    return "".join(blocks)


def attendance_summary():
    """The extract's attendance: one paragraph per status."""
    lines = [
        ("present", "Présents : ", people("meeting_helper.present(context)")),
        ("excused", "Excusés : ", people("meeting_helper.excused(context)")),
        (
            "represented",
            "Représentés : ",
            expr(
                "' ; '.join(m['person'] + ', ' + m['function'] + ', représenté(e) par '"
                " + m['represented_by'] for m in meeting_helper.represented(context))"
            ),
        ),
        ("absent", "Absents : ", people("meeting_helper.absent(context)")),
    ]
    return "".join(
        para(bold(label) + value, statement=(f"do text if meeting_helper.{status}(context)",))
        for status, label, value in lines
    )


def votes(name, var):
    """The item's votes: counts, and who voted what for a public vote."""
    counts = (
        bold(expr("vote['label'] or 'Vote'") + " : ")
        + expr("vote['yes']")
        + " voix pour, "
        + expr("vote['no']")
        + " voix contre, "
        + expr("vote['abstain']")
        + " abstention(s)"
        + expr("' (scrutin secret)' if vote['secret'] else ''")
        + expr("', à l’unanimité' if vote['unanimous'] else ''")
        + "."
    )
    lines = [para(counts, statement=(f"do section- for vote in meeting_helper.votes({var})",))]
    for value, label in (
        ("yes", "Ont voté pour"),
        ("no", "Ont voté contre"),
        ("abstain", "Se sont abstenus"),
    ):
        lines.append(
            para(
                f"{label} : " + expr(f"', '.join(vote['voters']['{value}'])"),
                "CP_20_Personne",
                (f"do text if vote['voters']['{value}'] and not vote['unanimous']",),
            )
        )
    return section(name, *lines)


def decision_block(name, var):
    """Motivation, outcome, decision and votes of the item ``var``."""
    return "".join(
        [
            para(
                bold("Absents pour ce point : ")
                + expr(f"', '.join(m['person'] for m in meeting_helper.item_absents({var}))"),
                statement=(f"do text if meeting_helper.item_absents({var})",),
            ),
            rich_text(f"helper.xhtml({var}, 'motivation')"),
            para(
                bold("Décision : ") + outcome(var),
                statement=(f"do text if meeting_helper.outcome({var})",),
            ),
            rich_text(f"helper.xhtml({var}, 'decision')"),
            votes(f"{name}_votes", var),
        ]
    )


def item_title(var):
    return expr(f"meeting_helper.number({var})") + ". " + expr(f"helper.value({var}, 'title')")


# ordre_du_jour.odt: the convocation and the agenda, on a meeting --------------

AGENDA_LATE = expr("' (point supplémentaire)' if meeting_helper.late(point) else ''")


def agenda_session(name, title, items):
    return section(
        name,
        heading(title, 2, (f"do section- if {items}",)),
        para(
            bold(expr("meeting_helper.number(point)") + ".")
            + " "
            + expr("helper.value(point, 'title')")
            + AGENDA_LATE,
            "CP_20_Point",
            (f"do text for point in {items}",),
        ),
    )


AGENDA_BODY = "".join(
    [
        COMMUNE_HEADER,
        para(
            "Le " + expr("helper.value(context, 'convocation_date')"),
            "CP_20_Droite",
            ("do text if helper.value(context, 'convocation_date')",),
        ),
        heading("Convocation", 1),
        para("Madame, Monsieur,"),
        para(
            f"Nous avons l'honneur de vous convoquer à la séance du {BODY}"
            f" qui se tiendra le {MEETING_DAY} à {MEETING_TIME}."
        ),
        PLACE,
        para("L'ordre du jour de la séance est le suivant."),
        heading("Ordre du jour", 1),
        para(
            "Séance du " + BODY + " du " + MEETING_DAY + ".",
            "CP_20_Info",
        ),
        agenda_session("Publique", "Séance publique", "meeting_helper.public_items(context)"),
        agenda_session("HuisClos", "Séance à huis clos", "meeting_helper.secret_items(context)"),
        para(
            "Aucun point n'est inscrit à l'ordre du jour.",
            statement=("do text if not meeting_helper.items(context)",),
        ),
        para("Veuillez agréer, Madame, Monsieur, l'expression de nos salutations distinguées."),
        para(f"Par le {BODY},"),
        signatures("Signatures"),
    ]
)


# proces_verbal.odt: the minutes, on a meeting ---------------------------------


def minutes_session(name, title, items, observations):
    return section(
        name,
        heading(title, 2, (f"do section- if {items}",)),
        rich_text(f"helper.xhtml(context, '{observations}')"),
        section(
            f"{name}_Points",
            heading(item_title("point"), 3, (f"do section- for point in {items}",)),
            para(
                "Référence : " + expr("meeting_helper.reference(point)"),
                "CP_20_Info",
                ("do text if meeting_helper.reference(point)",),
            ),
            decision_block(f"{name}_Point", "point"),
        ),
    )


MINUTES_BODY = "".join(
    [
        COMMUNE_HEADER,
        para("Procès-verbal", "CP_20_Acte"),
        para(
            "Séance du " + BODY + " du " + MEETING_DAY + " à " + MEETING_TIME,
            "CP_20_Centre",
        ),
        PLACE,
        heading("Présences", 2),
        attendance_lists("Presences"),
        minutes_session(
            "Publique",
            "Séance publique",
            "meeting_helper.public_items(context)",
            "observations",
        ),
        minutes_session(
            "HuisClos",
            "Séance à huis clos",
            "meeting_helper.secret_items(context)",
            "closed_session_observations",
        ),
        para(
            "Aucun point n'était inscrit à l'ordre du jour.",
            statement=("do text if not meeting_helper.items(context)",),
        ),
        para("Ainsi délibéré en séance, date que dessus.", "CP_20_Info"),
        para(f"Par le {BODY},"),
        signatures("Signatures"),
    ]
)


# deliberation.odt: the extract of one item's decision, on an item -------------

EXTRACT_BODY = "".join(
    [
        COMMUNE_HEADER,
        para("Extrait du registre aux délibérations du " + BODY, "CP_20_Acte"),
        para("Séance du " + MEETING_DAY, "CP_20_Centre"),
        attendance_summary(),
        para(
            expr("'Séance à huis clos' if meeting_helper.secret(context) else 'Séance publique'")
            + " — point "
            + expr("meeting_helper.number(context)")
            + " de l'ordre du jour"
            + expr(
                "' — référence ' + meeting_helper.reference(context)"
                " if meeting_helper.reference(context) else ''"
            )
            + ".",
            "CP_20_Info",
        ),
        heading(item_title("context"), 2),
        para(f"Le {BODY},"),
        section(
            "Avis",
            para(
                bold("Avis : ")
                + expr("a['service']")
                + " — "
                + expr("a['advice_type']")
                + expr("' : ' + a['comment'] if a['comment'] else ''")
                + expr("' (' + a['given_on'] + ')' if a['given_on'] else ''"),
                statement=("do section- for a in meeting_helper.advices(context)",),
            ),
        ),
        decision_block("Decision", "context"),
        para("Ainsi fait en séance, date que dessus.", "CP_20_Info"),
        para("Pour extrait conforme,"),
        para(f"Par le {BODY},"),
        signatures("Signatures"),
    ]
)


# decisions_publication.odt: the public decisions of a meeting -----------------

PUBLICATION_BODY = "".join(
    [
        COMMUNE_HEADER,
        heading("Décisions du " + BODY, 1),
        para(
            "Séance du " + MEETING_DAY + " — décisions prises en séance publique.",
            "CP_20_Info",
        ),
        section(
            "Decisions",
            heading(
                item_title("point"),
                3,
                ("do section- for point in meeting_helper.public_items(context)",),
            ),
            para(
                bold("Décision : ") + outcome("point"),
                statement=("do text if meeting_helper.outcome(point)",),
            ),
            rich_text("helper.xhtml(point, 'decision')"),
        ),
        para(
            "Aucune décision n'a été prise en séance publique.",
            statement=("do text if not meeting_helper.public_items(context)",),
        ),
    ]
)

MEETING_TEMPLATES = {
    "ordre_du_jour.odt": (
        "Ordre du jour",
        "Convocation et ordre du jour d'une séance : points en séance publique et à huis clos.",
        odt_content(MEETING_AUTOMATIC_STYLES, AGENDA_BODY),
        MEETING_STYLES,
    ),
    "proces_verbal.odt": (
        "Procès-verbal",
        "Procès-verbal d'une séance : présences, chaque point avec sa décision et ses votes, "
        "séance publique puis huis clos, signatures.",
        odt_content(MEETING_AUTOMATIC_STYLES, MINUTES_BODY),
        MEETING_STYLES,
    ),
    "deliberation.odt": (
        "Délibération",
        "Extrait du registre aux délibérations : la décision d'un point, avec les présences, "
        "la motivation, les votes et les signatures.",
        odt_content(MEETING_AUTOMATIC_STYLES, EXTRACT_BODY),
        MEETING_STYLES,
    ),
    "decisions_publication.odt": (
        "Décisions publiées",
        "Liste des décisions prises en séance publique, pour leur publication.",
        odt_content(MEETING_AUTOMATIC_STYLES, PUBLICATION_BODY),
        MEETING_STYLES,
    ),
}

# application: (folder in the source tree, its templates)
APPLICATIONS = {
    "documents": (DEFAULT_FOLDER, TEMPLATES),
    "meetings": (MEETINGS_FOLDER, MEETING_TEMPLATES),
}


# appy.pod turns every newline of the template's text into <text:line-break/>,
# even the indentation between elements, which would break the result.
BETWEEN_TAGS = re.compile(r">\s*\n\s*<")


def compact(xml):
    """Drop the layout whitespace between tags (a line break and indentation)."""
    return BETWEEN_TAGS.sub("><", xml)


def _add(archive, name, data, compress=zipfile.ZIP_DEFLATED):
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    archive.writestr(info, data.encode("utf-8"))


def write_document(path, mimetype, members):
    """Write an OpenDocument package: ``mimetype`` first and stored, then members."""
    with zipfile.ZipFile(path, "w") as archive:
        _add(archive, "mimetype", mimetype, compress=zipfile.ZIP_STORED)
        for name, data in members.items():
            _add(archive, name, data)


def build(folder=None):
    """Write every template; return the paths written.

    Each application's templates go to its package (``APPLICATIONS``), or, given
    ``folder``, to ``folder/<application>``.
    """
    written = []
    for application, (default, templates) in APPLICATIONS.items():
        target = default if folder is None else Path(folder) / application
        target.mkdir(parents=True, exist_ok=True)
        for filename, (title, description, content, styles) in templates.items():
            mimetype = MIMETYPES[filename.rsplit(".", 1)[1]]
            path = target / filename
            write_document(
                path,
                mimetype,
                {
                    "META-INF/manifest.xml": manifest(mimetype),
                    "meta.xml": meta(title, description),
                    "styles.xml": compact(styles),
                    "content.xml": compact(content),
                },
            )
            written.append(path)
    return written


def main(argv):
    folder = Path(argv[1]) if len(argv) > 1 else None
    for path in build(folder):
        print(path)


if __name__ == "__main__":
    main(sys.argv)
