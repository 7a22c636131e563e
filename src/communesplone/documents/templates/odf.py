"""Flat OpenDocument (.fodt, .fods) to and from packages (.odt, .ods), in pure Python.

The applications keep their templates as flat OpenDocument files: one XML
file, as LibreOffice saves it ("Keep current format" on a .fodt), which diffs
well in review. appy.pod reads packages only (a zip of content.xml,
styles.xml, meta.xml, settings.xml, META-INF/manifest.xml and the pictures),
so :func:`package` makes one from a flat file, at install, without
LibreOffice; :func:`flatten` does the reverse, to bring a template edited as
.odt/.ods (in a site, or in LibreOffice) back into the repository::

    python -m communesplone.documents.templates package fiche.fodt   # -> fiche.odt
    python -m communesplone.documents.templates flatten fiche.odt    # -> fiche.fodt

What they keep and what they drop:

- LibreOffice indents a flat file between elements; appy would turn each of
  those line breaks into a line break of the document, so :func:`package`
  drops every blank text that holds a line break (LibreOffice never writes one
  inside a paragraph, where white space counts), and :func:`flatten` indents
  only between elements outside paragraphs;
- pictures (``office:binary-data`` in the flat file) become ``Pictures/``
  members named after their checksum, and back;
- embedded objects (charts, formulas: sub-documents of the package) are
  refused with ValueError: templates do not need them.

:func:`package` is deterministic (members in a fixed order, fixed dates), so
that a template installed twice from the same file has the same checksum.
"""

from lxml import etree
from pathlib import Path

import base64
import copy
import hashlib
import io
import sys
import zipfile


NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}
MIMETYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
FLAT = {"fodt": "odt", "fods": "ods"}
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'

# The parts of a package, and the children of office:document each one takes
# (automatic styles are shared out by _split_automatic_styles).
CONTENT = ("scripts", "font-face-decls", "automatic-styles", "body")
STYLES = ("font-face-decls", "styles", "automatic-styles", "master-styles")
ORDER = (
    "meta",
    "settings",
    "scripts",
    "font-face-decls",
    "styles",
    "automatic-styles",
    "master-styles",
    "body",
)
# Elements whose content is text: never indented (white space counts there).
MIXED = {
    f"{{{NS['text']}}}{name}"
    for name in ("p", "h", "span", "a", "meta", "meta-field", "ruby-base", "ruby-text")
}
PICTURES = {
    b"\x89PNG": ("png", "image/png"),
    b"\xff\xd8": ("jpg", "image/jpeg"),
    b"GIF8": ("gif", "image/gif"),
    b"BM": ("bmp", "image/bmp"),
}


def q(prefix, name):
    return f"{{{NS[prefix]}}}{name}"


def _parser():
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _xml(element):
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8")


def _is_layout(text):
    """Blank text holding a line break: indentation, not document text."""
    return text is not None and not text.strip() and "\n" in text


def _compact(root):
    for element in root.iter():
        if _is_layout(element.text):
            element.text = None
        if _is_layout(element.tail):
            element.tail = None


# Flat file -> package --------------------------------------------------------


def _references(elements):
    """The style names used by ``elements`` and their descendants."""
    names = set()
    for element in elements:
        for node in element.iter():
            for attribute, value in node.attrib.items():
                local = etree.QName(attribute).localname
                if local.endswith("style-name") or local == "page-layout-name":
                    names.add(value)
    return names


def _closure(names, by_name):
    """``names`` and the automatic styles they use (parents, data styles ...)."""
    seen = set()
    while names - seen:
        name = (names - seen).pop()
        seen.add(name)
        if name in by_name:
            names |= _references([by_name[name]])
    return seen


def _split_automatic_styles(document):
    """(for content.xml, for styles.xml): the automatic styles each part needs.

    styles.xml gets the page layouts and the styles that the master pages (their
    headers and footers) and the common styles use; content.xml the others. A
    style both use goes to both: each part has its own names.
    """
    automatic = document.find(q("office", "automatic-styles"))
    styles = [] if automatic is None else list(automatic)
    by_name = {element.get(q("style", "name")): element for element in styles}

    def used_by(*tags):
        return _closure(
            _references([child for child in document if etree.QName(child).localname in tags]),
            by_name,
        )

    in_styles = used_by("master-styles", "styles")
    in_content = used_by("body", "scripts")
    page_layout = q("style", "page-layout")
    for_styles = [
        element
        for element in styles
        if element.tag == page_layout or element.get(q("style", "name")) in in_styles
    ]
    for_content = [
        element
        for element in styles
        if element.tag != page_layout
        and (
            element.get(q("style", "name")) in in_content
            or element.get(q("style", "name")) not in in_styles
        )
    ]
    return for_content, for_styles


def _picture_type(data):
    for magic, kind in PICTURES.items():
        if data.startswith(magic):
            return kind
    if data.lstrip()[:5] in (b"<?xml", b"<svg ") or b"<svg" in data[:512]:
        return ("svg", "image/svg+xml")
    return ("bin", "application/octet-stream")


def _extract_pictures(document):
    """Replace inline pictures with ``Pictures/<checksum>.<ext>``; return {path: (data, type)}."""
    if document.find(f".//{q('draw', 'object')}/{q('office', 'document')}") is not None:
        raise ValueError("embedded objects (charts, formulas) are not supported in templates")
    pictures = {}
    for binary in list(document.iter(q("office", "binary-data"))):
        holder = binary.getparent()
        data = base64.b64decode("".join((binary.text or "").split()))
        extension, media_type = _picture_type(data)
        path = f"Pictures/{hashlib.sha256(data).hexdigest()[:32]}.{extension}"
        pictures[path] = (data, media_type)
        holder.remove(binary)
        holder.set(q("xlink", "href"), path)
        holder.set(q("xlink", "type"), "simple")
        holder.set(q("xlink", "show"), "embed")
        holder.set(q("xlink", "actuate"), "onLoad")
    return pictures


def _part(document, tag, children):
    """An office:document-<tag> root holding copies of ``children``."""
    root = etree.Element(q("office", tag), nsmap=document.nsmap)
    for attribute, value in document.attrib.items():
        if attribute != q("office", "mimetype"):
            root.set(attribute, value)
    for child in children:
        root.append(copy.deepcopy(child))
    return root


def _manifest(mimetype, version, members):
    manifest = NS["manifest"]
    root = etree.Element(f"{{{manifest}}}manifest", nsmap={"manifest": manifest})
    if version:
        root.set(f"{{{manifest}}}version", version)
    entries = [("/", mimetype)] + members
    for path, media_type in entries:
        entry = etree.SubElement(root, f"{{{manifest}}}file-entry")
        entry.set(f"{{{manifest}}}full-path", path)
        if path == "/" and version:
            entry.set(f"{{{manifest}}}version", version)
        entry.set(f"{{{manifest}}}media-type", media_type)
    return _xml(root)


def _write(archive, name, data, compress=zipfile.ZIP_DEFLATED):
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def package(flat):
    """The OpenDocument package (.odt/.ods bytes) of the flat document ``flat`` (bytes)."""
    document = etree.fromstring(flat, parser=_parser())
    if document.tag != q("office", "document"):
        raise ValueError("not a flat OpenDocument file (no office:document root)")
    mimetype = document.get(q("office", "mimetype"))
    if not mimetype:
        raise ValueError("the flat OpenDocument file has no office:mimetype")
    version = document.get(q("office", "version"))
    _compact(document)
    pictures = _extract_pictures(document)
    children = {etree.QName(child).localname: child for child in document}
    for_content, for_styles = _split_automatic_styles(document)

    def take(names, automatic):
        taken = []
        for name in names:
            if name == "automatic-styles":
                holder = etree.Element(q("office", "automatic-styles"))
                holder.extend(copy.deepcopy(element) for element in automatic)
                taken.append(holder)
            elif name in children:
                taken.append(children[name])
        return taken

    parts = {
        "content.xml": _xml(_part(document, "document-content", take(CONTENT, for_content))),
        "styles.xml": _xml(_part(document, "document-styles", take(STYLES, for_styles))),
        "meta.xml": _xml(_part(document, "document-meta", take(["meta"], ()))),
    }
    if "settings" in children:
        parts["settings.xml"] = _xml(_part(document, "document-settings", [children["settings"]]))
    members = [(name, "text/xml") for name in parts]
    members += [(path, media_type) for path, (_data, media_type) in sorted(pictures.items())]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _write(archive, "mimetype", mimetype.encode("ascii"), zipfile.ZIP_STORED)
        for name, data in parts.items():
            _write(archive, name, data)
        for path, (data, _media_type) in sorted(pictures.items()):
            _write(archive, path, data, zipfile.ZIP_STORED)
        _write(archive, "META-INF/manifest.xml", _manifest(mimetype, version, members))
    return buffer.getvalue()


# Package -> flat file ---------------------------------------------------------


def _indent(element, level=0):
    """Indent by one space per level between elements, never inside text."""
    if element.tag in MIXED or len(element) == 0:
        return
    if (element.text or "").strip() or any((child.tail or "").strip() for child in element):
        return  # mixed content: its white space is text
    pad = "\n" + " " * (level + 1)
    element.text = pad
    for child in element:
        _indent(child, level + 1)
        child.tail = pad
    element[-1].tail = "\n" + " " * level


def _rename(parts, old, new):
    """Rename the style ``old`` to ``new`` in ``parts`` (definitions and references)."""
    for part in parts:
        for node in part.iter():
            for attribute, value in node.attrib.items():
                local = etree.QName(attribute).localname
                if value == old and (
                    local == "name" or local.endswith("style-name") or local == "page-layout-name"
                ):
                    node.set(attribute, new)


def _merge_automatic_styles(content, styles):
    """One office:automatic-styles for both parts; a name both use differently is
    renamed in the styles part."""
    merged = etree.Element(q("office", "automatic-styles"))
    from_content = content.find(q("office", "automatic-styles"))
    from_styles = styles.find(q("office", "automatic-styles"))
    taken = {}
    for element in from_content if from_content is not None else ():
        taken[element.get(q("style", "name"))] = etree.tostring(element)
    from_styles = [] if from_styles is None else list(from_styles)
    own = [element.get(q("style", "name")) for element in from_styles]
    for element in from_styles:
        name = element.get(q("style", "name"))
        if name in taken and taken[name] != etree.tostring(element):
            new = name
            while new in taken or new in own:
                new = f"M{new}"
            _rename([styles], name, new)
            name = new
        if name in taken:
            continue  # the same style in both parts
        taken[name] = etree.tostring(element)
        merged.append(element)
    if from_content is not None:
        merged.extend(list(from_content))
    return merged


def _inline_pictures(root, archive):
    href = q("xlink", "href")
    for node in root.iter():
        target = node.get(href)
        if not target or "://" in target or target.startswith(("#", "/", "../")):
            continue
        path = target[2:] if target.startswith("./") else target
        if path not in archive.namelist():
            if f"{path}/content.xml" in archive.namelist():
                raise ValueError("embedded objects (charts, formulas) are not supported")
            continue
        for attribute in ("href", "type", "show", "actuate"):
            node.attrib.pop(q("xlink", attribute), None)
        binary = etree.Element(q("office", "binary-data"))
        binary.text = base64.encodebytes(archive.read(path)).decode("ascii")
        node.insert(0, binary)


def flatten(data):
    """The flat document (.fodt/.fods bytes) of the package ``data`` (.odt/.ods bytes)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        mimetype = archive.read("mimetype").decode("ascii").strip()
        names = archive.namelist()
        parts = {
            name: etree.fromstring(archive.read(name), parser=_parser())
            for name in ("content.xml", "styles.xml", "meta.xml", "settings.xml")
            if name in names
        }
        for root in parts.values():
            _compact(root)
            _inline_pictures(root, archive)
    content = parts["content.xml"]
    styles = parts.get("styles.xml", etree.Element(q("office", "document-styles")))
    nsmap = {}
    for root in parts.values():
        nsmap.update({prefix: uri for prefix, uri in root.nsmap.items() if prefix})
    document = etree.Element(q("office", "document"), nsmap=nsmap)
    for attribute, value in content.attrib.items():
        document.set(attribute, value)
    document.set(q("office", "mimetype"), mimetype)
    children = {}
    for root in [parts[name] for name in ("meta.xml", "settings.xml") if name in parts]:
        for child in root:
            children[etree.QName(child).localname] = child
    for name in ("scripts", "body"):
        found = content.find(q("office", name))
        if found is not None:
            children[name] = found
    for name in ("styles", "master-styles"):
        found = styles.find(q("office", name))
        if found is not None:
            children[name] = found
    children["automatic-styles"] = _merge_automatic_styles(content, styles)
    fonts = etree.Element(q("office", "font-face-decls"))
    seen = set()
    for root in (styles, content):
        for font in root.iterfind(f"{q('office', 'font-face-decls')}/*"):
            if font.get(q("style", "name")) not in seen:
                seen.add(font.get(q("style", "name")))
                fonts.append(copy.deepcopy(font))
    if len(fonts):
        children["font-face-decls"] = fonts
    for name in ORDER:
        if name in children:
            document.append(children[name])
    _indent(document)
    return DECLARATION + etree.tostring(document, encoding="UTF-8", xml_declaration=False) + b"\n"


def main(argv):
    """``package FILE.fodt`` writes FILE.odt; ``flatten FILE.odt`` writes FILE.fodt."""
    usage = "usage: python -m communesplone.documents.templates package|flatten FILE [OUT]"
    if len(argv) not in (3, 4) or argv[1] not in ("package", "flatten"):
        print(usage, file=sys.stderr)
        return 2
    source = Path(argv[2])
    if argv[1] == "package":
        suffix = FLAT.get(source.suffix.lstrip("."), "odt")
        result = package(source.read_bytes())
    else:
        suffix = {kind: name for name, kind in FLAT.items()}.get(source.suffix.lstrip("."), "fodt")
        result = flatten(source.read_bytes())
    target = Path(argv[3]) if len(argv) == 4 else source.with_suffix(f".{suffix}")
    target.write_bytes(result)
    print(target)
    return 0
