"""The shipped template files, and the flat <-> package conversion that installs them.

No Plone layer: the files are flat OpenDocument (``templates/<language>/*.fodt``,
``*.fods``) that :mod:`communesplone.documents.templates.odf` turns into the
packages appy reads, and back.
"""

from communesplone.documents.templates import EXAMPLES
from communesplone.documents.templates import odf
from communesplone.documents.templates import package_file
from lxml import etree
from pathlib import Path

import base64
import io
import pytest
import zipfile


TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
OFFICE = odf.NS["office"]
MANIFEST = odf.NS["manifest"]
# The smallest PNG: one transparent pixel.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)

FLAT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="{OFFICE}"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:meta>
  <dc:title>Essai</dc:title>
 </office:meta>
 <office:styles>
  <style:style style:name="Standard" style:family="paragraph"/>
 </office:styles>
 <office:automatic-styles>
  <style:style style:name="P1" style:family="paragraph" style:parent-style-name="Standard">
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="MP1" style:family="paragraph" style:parent-style-name="Standard">
   <style:text-properties fo:font-size="8pt"/>
  </style:style>
  <style:page-layout style:name="pm1">
   <style:page-layout-properties fo:page-width="21cm"/>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:footer>
    <text:p text:style-name="MP1">Pied de page</text:p>
   </style:footer>
  </style:master-page>
 </office:master-styles>
 <office:body>
  <office:text>
   <text:p text:style-name="P1"><text:span>Deux</text:span> <text:span>mots</text:span></text:p>
   <text:p><draw:frame draw:name="Logo" svg:width="1cm" svg:height="1cm">
     <draw:image>
      <office:binary-data>{base64.encodebytes(PIXEL).decode()}</office:binary-data>
     </draw:image>
    </draw:frame></text:p>
  </office:text>
 </office:body>
</office:document>
""".encode()


def members(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.infolist(), {name: archive.read(name) for name in archive.namelist()}


def xml(data):
    return etree.fromstring(data)


def test_package_is_an_opendocument_package():
    infos, files = members(odf.package(FLAT))
    # The mimetype first and stored, as the format requires; fixed dates
    assert infos[0].filename == "mimetype"
    assert infos[0].compress_type == zipfile.ZIP_STORED
    assert files["mimetype"] == b"application/vnd.oasis.opendocument.text"
    assert {info.date_time for info in infos} == {odf.ZIP_DATE}
    manifest = xml(files["META-INF/manifest.xml"])
    entries = {
        entry.get(f"{{{MANIFEST}}}full-path"): entry.get(f"{{{MANIFEST}}}media-type")
        for entry in manifest
    }
    picture = next(name for name in files if name.startswith("Pictures/"))
    assert entries == {
        "/": "application/vnd.oasis.opendocument.text",
        "content.xml": "text/xml",
        "styles.xml": "text/xml",
        "meta.xml": "text/xml",
        picture: "image/png",
    }
    assert xml(files["content.xml"]).tag == f"{{{OFFICE}}}document-content"
    assert xml(files["styles.xml"]).tag == f"{{{OFFICE}}}document-styles"
    assert xml(files["meta.xml"]).findtext(".//{http://purl.org/dc/elements/1.1/}title") == "Essai"


def test_package_drops_the_indentation_and_keeps_the_text():
    content = members(odf.package(FLAT))[1]["content.xml"].decode()
    # LibreOffice's indentation would become line breaks in appy's result ...
    assert "\n" not in content.split("?>", 1)[1].lstrip("\n")
    # ... but a space between two words is text
    assert "<text:span>Deux</text:span> <text:span>mots</text:span>" in content


def test_package_shares_out_the_automatic_styles():
    files = members(odf.package(FLAT))[1]
    content, styles = files["content.xml"].decode(), files["styles.xml"].decode()
    # The footer's style and the page layout go with the master page, in styles.xml
    assert 'style:name="MP1"' in styles and 'style:name="pm1"' in styles
    assert 'style:name="P1"' not in styles
    # The body's style in content.xml, and no page layout there
    assert 'style:name="P1"' in content and "page-layout" not in content
    assert "<office:master-styles>" not in content and "Pied de page" in styles


def test_package_stores_pictures_as_members():
    files = members(odf.package(FLAT))[1]
    picture = next(name for name in files if name.startswith("Pictures/"))
    assert picture.endswith(".png") and files[picture] == PIXEL
    content = files["content.xml"].decode()
    assert "binary-data" not in content
    assert f'xlink:href="{picture}"' in content


def test_package_is_deterministic_and_flatten_reverses_it():
    packaged = odf.package(FLAT)
    assert odf.package(FLAT) == packaged
    flat = odf.flatten(packaged)
    assert flat.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<office:document')
    # The picture is inline again, and the round trip gives the same package
    assert b"office:binary-data" in flat and b"Pictures/" not in flat
    assert odf.package(flat) == packaged
    # Indented between elements, never inside a paragraph
    assert b"<text:span>Deux</text:span> <text:span>mots</text:span>" in flat
    assert b"\n  <office:text>\n" in flat


def test_flatten_renames_a_styles_part_style_of_a_name_used_differently_in_content():
    packaged = odf.package(FLAT)
    files = members(packaged)[1]
    # A styles.xml whose footer style is named like the body's, as other tools may write
    files["styles.xml"] = files["styles.xml"].replace(b'"MP1"', b'"P1"')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    flat = xml(odf.flatten(buffer.getvalue()))
    style = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
    automatic = flat.find(f"{{{OFFICE}}}automatic-styles")
    names = [element.get(f"{style}name") for element in automatic]
    assert sorted(names) == ["MP1", "P1", "pm1"]
    footer = flat.find(f".//{style}footer/*")
    assert footer.get("{urn:oasis:names:tc:opendocument:xmlns:text:1.0}style-name") == "MP1"


def test_embedded_objects_are_refused():
    chart = FLAT.replace(
        b"<draw:image>",
        b"<draw:object><office:document"
        b' office:mimetype="application/vnd.oasis.opendocument.chart"/>'
        b"</draw:object><draw:image>",
    )
    with pytest.raises(ValueError, match="embedded objects"):
        odf.package(chart)


def test_not_a_flat_file():
    with pytest.raises(ValueError, match="office:document"):
        odf.package(b'<office:document-content xmlns:office="' + OFFICE.encode() + b'"/>')


# The documents application's own files ------------------------------------------


@pytest.mark.parametrize("shipped", EXAMPLES, ids=lambda shipped: shipped.id)
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_each_example_is_shipped_in_french_and_dutch(shipped, language):
    path = shipped.folder / shipped.file(language)
    assert path == TEMPLATES / language / f"{shipped.name}.f{shipped.kind}"
    flat = xml(path.read_bytes())
    assert flat.get(f"{{{OFFICE}}}mimetype") == odf.MIMETYPES[shipped.kind]
    language_tag = flat.findtext(f"{{{OFFICE}}}meta/{{http://purl.org/dc/elements/1.1/}}language")
    assert language_tag == f"{language}-BE"
    packaged = odf.package(path.read_bytes())
    infos, files = members(packaged)
    assert files["mimetype"].decode() == odf.MIMETYPES[shipped.kind]
    assert {"content.xml", "styles.xml", "meta.xml", "META-INF/manifest.xml"} <= set(files)
    # Brought back from a site as .odt/.ods, it gives the same package again
    assert odf.package(odf.flatten(packaged)) == packaged


def test_the_spreadsheet_keeps_its_statement():
    """LibreOffice 7.4 drops cell comments when it writes a .fods: liste.fods is made
    with ``flatten`` from the .ods (docs/templates.rst), and keeps its ``do row``."""
    for language in ("fr", "nl"):
        content = members(package_file(TEMPLATES, "liste.ods", language).read_bytes())[1]
        annotations = xml(content["content.xml"]).findall(f".//{{{OFFICE}}}annotation")
        assert [etree.tostring(note, method="text", encoding="unicode") for note in annotations]
        assert any(
            "do row for nb, child in enumerate(helper.children(context))"
            in etree.tostring(note, method="text", encoding="unicode")
            for note in annotations
        )


def test_package_file_is_made_once_per_flat_file():
    first = package_file(TEMPLATES, "fiche.odt", "nl")
    assert first.read_bytes() == odf.package((TEMPLATES / "nl" / "fiche.fodt").read_bytes())
    assert package_file(TEMPLATES, "fiche.odt", "nl") == first
    assert package_file(TEMPLATES, "fiche.odt", "fr") != first
    # A language without its own version gets the French one
    assert package_file(TEMPLATES, "fiche.odt", "en") == package_file(TEMPLATES, "fiche.odt")
