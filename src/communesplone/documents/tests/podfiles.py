"""Tiny POD templates built in tests: test data, not shipped templates.

``odt(expression("context.Title()"), statement("do text", "from image(x)"))``
gives the bytes of a text document with one paragraph per part;
``add_template`` stores them as a POD template of the site.
"""

from plone import api
from plone.namedfile.file import NamedBlobFile
from xml.sax.saxutils import escape

import io
import zipfile


NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'office:version="1.2"'
)
MIMETYPE = "application/vnd.oasis.opendocument.text"
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {NAMESPACES}>'
    "<office:styles/><office:automatic-styles>"
    '<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" '
    'fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2cm" '
    'fo:margin-right="2cm"/></style:page-layout></office:automatic-styles>'
    '<office:master-styles><style:master-page style:name="Standard" '
    'style:page-layout-name="pm1"/></office:master-styles></office:document-styles>'
)
META = (
    f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {NAMESPACES}>'
    "<office:meta>%s</office:meta></office:document-meta>"
)
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def text(words):
    """A plain paragraph."""
    return f"<text:p>{escape(words)}</text:p>"


def expression(expr, before="", after=""):
    """A paragraph holding the expression ``expr`` (an input field)."""
    return (
        f"<text:p>{escape(before)}<text:text-input "
        f'text:description="">{escape(expr)}</text:text-input>{escape(after)}</text:p>'
    )


def statement(*lines, body="Remplacé", field=None):
    """A paragraph carrying the statement ``lines`` (a comment, one paragraph a line).

    The paragraph holds ``body``, then the expression ``field`` if given.
    """
    comment = "".join(f"<text:p>{escape(line)}</text:p>" for line in lines)
    input_field = (
        f'<text:text-input text:description="">{escape(field)}</text:text-input>' if field else ""
    )
    return (
        "<text:p><office:annotation><dc:creator>test</dc:creator>"
        f"<dc:date>2026-12-08T00:00:00</dc:date>{comment}</office:annotation>"
        f"{escape(body)}{input_field}</text:p>"
    )


def odt(*parts, meta=""):
    """The bytes of a text document whose body is ``parts`` (raw ODF XML)."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NAMESPACES}>'
        f"<office:body><office:text>{''.join(parts)}</office:text></office:body>"
        "</office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE)
        archive.writestr("META-INF/manifest.xml", MANIFEST, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("styles.xml", STYLES, zipfile.ZIP_DEFLATED)
        archive.writestr("meta.xml", META % meta, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def add_template(portal, data, title, portal_types=("Document",), formats=("odt",), **fields):
    """A POD template of the site (in ``templates/documents``) holding ``data``."""
    with api.env.adopt_roles(["Manager"]):
        return api.content.create(
            container=portal["templates"]["documents"],
            type="pod_template",
            title=title,
            odt_file=NamedBlobFile(data, filename="test.odt"),
            portal_types=list(portal_types),
            output_formats=list(formats),
            **fields,
        )


def read(data, member="content.xml"):
    """A member of the OpenDocument package ``data``, as text."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(member).decode("utf-8")


def members(data):
    """Every member of the package ``data``: {name: bytes}."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
