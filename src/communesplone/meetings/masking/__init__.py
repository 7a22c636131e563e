"""Decisions published without personal data (the GDPR next to the CDLD's publicity).

Editors mark spans of an item's rich text (motivation, decision) as personal
data: the editor's "Personal data" format wraps the selection in
``<span class="personal-data">`` (:data:`~communesplone.meetings.constants.PERSONAL_DATA_CLASS`),
which Plone's safe HTML filter keeps. What is published shows a placeholder
instead ("[données personnelles]"):

- :func:`public_text` is the one function that every public output calls:
  the public pages and the RSS feed (``browser/public.py``), the open data
  (``opendata.py``: JSON and CSV), the publication document (through
  ``meeting_helper.public_xhtml``) and the REST serialisation of an item for
  whoever may not see personal data;
- :func:`for_viewer` gives the full text to those who hold "communesplone.meetings:
  View personal data" on the item (the commune's staff and the body's members,
  ``rolemap.xml``) and the masked text to the others (anonymous visitors and
  citizens), on the item's page and over REST.

Assisted masking (``browser/masking.py``): :func:`suggest` runs the detectors
(:mod:`.detectors`: national register numbers, IBANs, emails, phone numbers,
street addresses; person names with the optional NER model) on the text not
yet marked, and :func:`wrap` marks the suggestions an editor accepted.
"""

from communesplone import _
from communesplone.core.i18n import commune_language
from communesplone.meetings.constants import PERSONAL_DATA_CLASS
from communesplone.meetings.constants import VIEW_PERSONAL_DATA
from communesplone.meetings.masking import detectors
from dataclasses import dataclass
from lxml import etree
from lxml import html as lxml_html
from plone import api
from plone.app.textfield.interfaces import IRichText
from plone.app.textfield.value import RichTextValue
from zope.i18n import translate
from zope.schema import getFieldsInOrder


PLACEHOLDER = _("[personal data]")
MASKED_CLASS = "masked-personal-data"  # the placeholder's span in public HTML


def _language(language=None):
    return language or commune_language()


def placeholder(language=None):
    """ "[données personnelles]", "[persoonsgegevens]" in ``language`` (default: the commune's)."""
    return translate(PLACEHOLDER, target_language=_language(language))


def _parse(html):
    return lxml_html.fragment_fromstring(html, create_parent="div")


def _serialize(root):
    """The inside of the wrapper ``_parse`` made, as HTML."""
    return _escape(root.text or "") + "".join(
        etree.tostring(child, encoding="unicode", method="html") for child in root
    )


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _is_mark(element):
    if not isinstance(element.tag, str):
        return False
    return PERSONAL_DATA_CLASS in (element.get("class") or "").split()


def _marks(root):
    return [element for element in root.iter() if element is not root and _is_mark(element)]


def has_marks(html):
    """Whether ``html`` holds spans marked as personal data."""
    return bool(html) and PERSONAL_DATA_CLASS in html and bool(_marks(_parse(html)))


def marked_texts(html):
    """The texts marked as personal data in ``html``, in order."""
    if not html or PERSONAL_DATA_CLASS not in html:
        return []
    return [element.text_content() for element in _marks(_parse(html))]


def public_text(html, language=None):
    """``html`` with each span marked as personal data replaced by a placeholder.

    The placeholder is ``<span class="masked-personal-data">[données personnelles]</span>``,
    in ``language`` (default: the commune's). Marks inside marks go with their
    outer mark. ``None`` or "" give "".
    """
    if not html:
        return ""
    if PERSONAL_DATA_CLASS not in html:
        return html
    root = _parse(html)
    marks = _marks(root)
    if not marks:
        return html
    text = placeholder(language)
    for mark in marks:
        if mark.getparent() is None or any(_is_mark(a) for a in mark.iterancestors()):
            continue  # inside a mark already replaced
        replacement = etree.Element("span")
        replacement.set("class", MASKED_CLASS)
        replacement.text = text
        replacement.tail = mark.tail
        mark.getparent().replace(mark, replacement)
    return _serialize(root)


def public_plain(html, language=None):
    """The plain text of :func:`public_text` (for CSV and feeds), whitespace collapsed."""
    masked = public_text(html, language)
    if not masked:
        return ""
    root = _parse(masked)
    for element in root.iter():
        if element is not root and element.tag in _BREAKS:
            element.tail = " " + (element.tail or "")
    return " ".join(root.text_content().split())


# Elements after which plain text has a space (paragraphs, list items, cells…)
_BREAKS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "td", "th", "tr", "table", "blockquote", "pre", "section", "article", "dd", "dt",
}  # fmt: skip


def may_view_personal_data(obj):
    return bool(api.user.has_permission(VIEW_PERSONAL_DATA, obj=obj))


def for_viewer(obj, html, language=None):
    """The full ``html`` for those who may view ``obj``'s personal data, else masked."""
    if not html or may_view_personal_data(obj):
        return html
    return public_text(html, language)


def rich_text_fields(obj):
    """The names of ``obj``'s rich text fields (schema and behaviours)."""
    from plone.dexterity.utils import iterSchemata

    names = []
    for schema in iterSchemata(obj):
        for name, field in getFieldsInOrder(schema):
            if IRichText.providedBy(field) and name not in names:
                names.append(name)
    return names


# Assisted masking ------------------------------------------------------------

MASKED_FIELDS = ("motivation", "decision")  # the item's texts that editors review


@dataclass(frozen=True)
class Suggestion:
    """A span of ``field``'s text proposed as personal data.

    ``segment``: the index of the text node it is in (see :func:`_segments`),
    ``start``/``end``: offsets in that text, ``text``: what it covers.
    """

    field: str
    segment: int
    start: int
    end: int
    kind: str
    text: str

    @property
    def id(self):
        return f"{self.field}:{self.segment}:{self.start}:{self.end}"


def _inside_mark(element):
    return _is_mark(element) or any(_is_mark(a) for a in element.iterancestors())


def _segments(root):
    """The text nodes of ``root`` outside marks, as (element, "text" | "tail"), in order."""
    result = []
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments
            if element is not root and element.tail and not _inside_mark(element.getparent()):
                result.append((element, "tail"))
            continue
        if element.text and not _inside_mark(element):
            result.append((element, "text"))
        if element is not root and element.tail and not _inside_mark(element.getparent()):
            result.append((element, "tail"))
    return result


def _segment_text(segment):
    element, where = segment
    return element.text if where == "text" else element.tail


def suggest(html, field="decision", language=None, kinds=None):
    """Spans of ``html``'s text not yet marked that the detectors take for personal data."""
    if not html:
        return []
    root = _parse(html)
    found = []
    for index, segment in enumerate(_segments(root)):
        text = _segment_text(segment)
        for span in detectors.detect(text, language=language, kinds=kinds):
            found.append(
                Suggestion(
                    field, index, span.start, span.end, span.kind, text[span.start : span.end]
                )
            )
    return found


def _mark(text):
    span = etree.Element("span")
    span.set("class", PERSONAL_DATA_CLASS)
    span.text = text
    return span


def wrap(html, suggestions):
    """``html`` with the ``suggestions`` (found in this very text) marked as personal data.

    A suggestion whose text is no longer where it was (the text changed since)
    is left out. Returns (new html, the suggestions applied).
    """
    root = _parse(html)
    segments = _segments(root)
    applied = []
    by_segment = {}
    for suggestion in suggestions:
        if suggestion.segment >= len(segments):
            continue
        text = _segment_text(segments[suggestion.segment])
        if text[suggestion.start : suggestion.end] != suggestion.text:
            continue
        by_segment.setdefault(suggestion.segment, []).append(suggestion)
    for index, found in by_segment.items():
        element, where = segments[index]
        kept, last = [], None  # no overlaps: the earliest wins
        for suggestion in sorted(found, key=lambda s: (s.start, -s.end)):
            if last is not None and suggestion.start < last.end:
                continue
            kept.append(suggestion)
            last = suggestion
        for suggestion in reversed(kept):  # from the end, so that offsets hold
            text = _segment_text((element, where))
            span = _mark(text[suggestion.start : suggestion.end])
            span.tail = text[suggestion.end :]
            if where == "text":
                element.text = text[: suggestion.start]
                element.insert(0, span)
            else:
                element.tail = text[: suggestion.start]
                parent = element.getparent()
                parent.insert(parent.index(element) + 1, span)
            applied.append(suggestion)
    return _serialize(root), sorted(applied, key=lambda s: (s.segment, s.start))


def field_html(item, name):
    value = getattr(item, name, None)
    return value.raw if isinstance(value, RichTextValue) and value.raw else ""


def set_field_html(item, name, html):
    old = getattr(item, name, None)
    mimetype = old.mimeType if isinstance(old, RichTextValue) else "text/html"
    output = old.outputMimeType if isinstance(old, RichTextValue) else "text/x-html-safe"
    setattr(item, name, RichTextValue(html, mimetype, output))


__all__ = [
    "PLACEHOLDER",
    "Suggestion",
    "for_viewer",
    "has_marks",
    "marked_texts",
    "public_plain",
    "public_text",
    "request_language",
    "suggest",
    "wrap",
]
