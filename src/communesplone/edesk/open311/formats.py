"""The two formats of GeoReport v2: JSON and XML, from the same plain data.

A list of dicts becomes a JSON array, or in XML a root element holding one
element per dict (``<services><service>...``); a nested list is an element
holding its items under their singular name (``<attributes><attribute>``).
``None`` is an empty element (JSON ``null``); booleans are ``true``/``false``.
"""

from xml.etree import ElementTree

import json
import re


FORMATS = {"json": "application/json", "xml": "text/xml"}
SINGULAR = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


# characters that XML 1.0 cannot hold (control characters but tab and newlines)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return NOT_XML.sub("", str(value))


def _fill(element, value):
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ElementTree.SubElement(element, key), item)
    elif isinstance(value, list | tuple):
        singular = SINGULAR.get(element.tag, "item")
        for item in value:
            _fill(ElementTree.SubElement(element, singular), item)
    else:
        element.text = _text(value)


def to_xml(data, root, item=None):
    """``data`` as an XML document: under ``root``, each list item as ``item``."""
    element = ElementTree.Element(root)
    if isinstance(data, list):
        for entry in data:
            _fill(ElementTree.SubElement(element, item), entry)
    else:
        _fill(element, data)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(
        element, encoding="utf-8", xml_declaration=False
    )


def to_json(data):
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def render(response, fmt, data, root, item=None, status=200):
    """The body of ``data`` in ``fmt`` ("json" or "xml"); status and type go on ``response``."""
    response.setStatus(status)
    response.setHeader("Content-Type", f"{FORMATS[fmt]}; charset=utf-8")
    return to_json(data) if fmt == "json" else to_xml(data, root, item)
