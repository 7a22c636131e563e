"""Annex types and flags, previews (real LibreOffice), the item page, REST and the upgrade.

LibreOffice converts twice in this module: a good ODT, and a damaged one.
"""

from communesplone.documents.testing import libreoffice  # noqa: F401
from communesplone.meetings import previews
from communesplone.meetings.content.meeting_annex import IMeetingAnnex
from communesplone.meetings.content.meeting_body import IMeetingBody
from communesplone.meetings.interfaces import IMeetingsLayer
from communesplone.meetings.testing import build
from communesplone.meetings.testing import PASSWORD
from plone import api
from plone.namedfile.file import NamedBlobFile
from zope.event import notify
from zope.i18n import translate
from zope.interface import alsoProvides
from zope.interface import Invalid
from zope.lifecycleevent import ObjectModifiedEvent
from zope.schema.interfaces import ConstraintNotSatisfied

import base64
import io
import pypdf
import pytest
import requests
import transaction
import zipfile


PROFILE = "communesplone.meetings:default"


def pdf(pages=1, width=500):
    """A PDF of blank pages ``width`` points wide (the width tells the files apart)."""
    writer = pypdf.PdfWriter()
    for _index in range(pages):
        writer.add_blank_page(width, 700)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def odt(text="Annexe de test"):
    """A minimal OpenDocument text saying ``text``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        package.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
            ' manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/"'
            ' manifest:media-type="application/vnd.oasis.opendocument.text"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
        package.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            "<office:document-content"
            ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
            ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            f"<office:body><office:text><text:p>{text}</text:p></office:text></office:body>"
            "</office:document-content>",
        )
    return buffer.getvalue()


def damaged_odt():
    """A package LibreOffice opens and cannot read (its content is not XML)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        package.writestr("content.xml", "<broken")
    return buffer.getvalue()


def png():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def add(item, title, data, filename, user="editor_a", content_type=None, **values):
    with api.env.adopt_user(username=user):
        return api.content.create(
            container=item,
            type="meeting_annex",
            title=title,
            file=NamedBlobFile(data=data, filename=filename, contentType=content_type),
            **values,
        )


@pytest.fixture
def world(portal):
    alsoProvides(portal.REQUEST, IMeetingsLayer)
    return build(portal)


def test_a_body_starts_with_annex_types_each_with_an_icon_and_flags(world):
    types = {row["id"]: row for row in world.college.annex_types}
    assert list(types) == ["annex", "plan", "budget", "contract", "personal", "decision"]
    assert types["personal"]["confidential"] and not types["personal"]["to_print"]
    assert types["decision"]["decision_annex"]
    icons = api.portal.get().portal_registry
    for row in types.values():
        assert f"plone.icon.{row['icon']}" in icons.records


def test_the_body_refuses_annex_types_with_a_bad_or_repeated_identifier(world):
    field = IMeetingBody["annex_types"]
    row = dict(world.college.annex_types[0])
    with pytest.raises(Invalid, match="used twice"):
        field.bind(world.college).validate([row, dict(row)])
    with pytest.raises(Invalid, match="not a valid identifier"):
        field.bind(world.college).validate([dict(row, id="Bad id")])


def test_an_annex_takes_its_type_flags_at_creation_unless_its_creator_set_them(world):
    item = world.item()
    personal = add(item, "Note", pdf(), "note.pdf", annex_type="personal")
    assert (personal.confidential, personal.to_print, personal.signed) == (True, False, False)
    plan = add(item, "Plan", pdf(), "plan.pdf", annex_type="plan", to_print=False, to_sign=True)
    assert (plan.to_print, plan.to_sign, plan.confidential) == (False, True, False)
    untyped = add(item, "Ancienne", pdf(), "old.pdf")
    assert untyped.annex_type == "annex" and untyped.to_print
    # The confidential one is hidden by its permissions, not by the page
    for user, sees in (("editor_a", True), ("observer", False)):
        with api.env.adopt_user(username=user):
            assert bool(api.user.has_permission("View", obj=personal)) is sees, user
            found = {b.Title for b in api.content.find(portal_type="meeting_annex")}
            assert ("Note" in found) is sees, user


def test_an_annex_type_the_body_does_not_have_is_refused(world):
    item = world.item()
    field = IMeetingAnnex["annex_type"].bind(item)
    field.validate("plan")
    with pytest.raises(ConstraintNotSatisfied):
        field.validate("nope")


def test_previews_office_pdf_image_and_a_file_libreoffice_cannot_read(
    world,
    libreoffice,  # noqa: F811
):
    item = world.item()
    office = add(item, "Cahier", odt(), "cahier.odt")
    assert office.preview_error is None
    reader = pypdf.PdfReader(io.BytesIO(office.preview.data))
    assert len(reader.pages) == 1 and "Annexe de test" in reader.pages[0].extract_text()
    assert office.preview.filename == "cahier.pdf"
    own = add(item, "Plan", pdf(2), "plan.pdf")
    assert own.preview is None and previews.pdf_of(own) == own.file.data
    image = add(item, "Photo", png(), "photo.png", content_type="image/png")
    assert len(pypdf.PdfReader(io.BytesIO(image.preview.data)).pages) == 1
    damaged = add(item, "Abîmé", damaged_odt(), "abime.odt")
    assert damaged.preview is None and previews.pdf_of(damaged) is None
    assert "could not convert" in damaged.preview_error
    # Random bytes named .docx are refused before LibreOffice
    random = add(item, "Bruit", b"\x00\x01garbage" * 50, "bruit.docx")
    assert random.preview is None and "not a readable DOCX" in translate(random.preview_error)
    not_pdf = add(item, "Faux", b"%PDF-1.4 nothing", "faux.pdf")
    assert "not a readable PDF" in not_pdf.preview_error and previews.pdf_of(not_pdf) is None
    # A new file: a new preview (the image's); the same file: none made again
    with api.env.adopt_user(username="editor_a"):
        damaged.file = NamedBlobFile(png(), filename="abime.png", contentType="image/png")
        notify(ObjectModifiedEvent(damaged))
    assert damaged.preview is not None and damaged.preview_error is None
    before = office.preview
    notify(ObjectModifiedEvent(office))
    assert office.preview is before

    # The item page: icons, types, flags, previews, the message
    request = item.REQUEST
    with api.env.adopt_user(username="editor_a"):
        view = api.content.get_view("view", item, request)
        html = view()
        rows = {row["title"]: row for row in view.annexes()["item"]}
    assert rows["Cahier"]["preview"].endswith("/cahier/@@preview")
    assert rows["Plan"]["preview"].endswith("/plan/@@preview")
    assert rows["Photo"]["image"] and rows["Photo"]["preview"] is None
    assert rows["Faux"]["preview"] is None and rows["Faux"]["preview_error"]
    assert [flag["id"] for flag in rows["Plan"]["flags"]] == ["to_print"]
    assert html.count("<iframe") == 2 and html.count('class="annex-image') == 2
    assert "not a readable PDF" in html and html.count("annex-icon") == 6


def test_rest_refuses_an_unknown_type_and_shows_the_preview(functional_portal):
    world_item = build(functional_portal).item("Point REST")
    transaction.commit()
    session = requests.Session()
    session.headers["Accept"] = "application/json"
    session.auth = ("editor_a", PASSWORD)
    payload = {
        "@type": "meeting_annex",
        "title": "Plan",
        "file": {
            "data": base64.b64encode(pdf()).decode(),
            "encoding": "base64",
            "filename": "plan.pdf",
            "content-type": "application/pdf",
        },
    }
    refused = session.post(world_item.absolute_url(), json=dict(payload, annex_type="nope"))
    assert refused.status_code == 400, refused.text
    assert "annex_type" in refused.text
    created = session.post(world_item.absolute_url(), json=dict(payload, annex_type="plan"))
    assert created.status_code == 201, created.text
    answer = session.get(created.json()["@id"]).json()
    assert answer["annex_type"]["token"] == "plan" and answer["to_print"] is True
    assert answer["preview"] == {"url": f"{created.json()['@id']}/@@preview", "error": None}
    preview = session.get(answer["preview"]["url"])
    assert preview.headers["Content-Type"] == "application/pdf"
    assert (
        preview.content.startswith(b"%PDF") and "inline" in preview.headers["Content-Disposition"]
    )


def test_the_upgrade_gives_existing_annexes_a_type_flags_and_a_preview(world):
    item = world.item()
    old = add(item, "Ancienne", pdf(), "old.pdf")
    decision = add(item, "Décision", pdf(), "decision.pdf", decision_annex=True)
    for annex in (old, decision):  # as version 1001 left them
        for name in ("annex_type", "to_print", "to_sign", "signed", "preview_source"):
            annex.__dict__.pop(name, None)
    old.__dict__.pop("confidential", None)
    world.college.__dict__.pop("annex_types", None)
    setup = api.portal.get_tool("portal_setup")
    setup.setLastVersionForProfile(PROFILE, "1001")
    setup.upgradeProfile(PROFILE, dest="1002")
    assert setup.getLastVersionForProfile(PROFILE) == ("1002",)
    assert world.college.__dict__["annex_types"][0]["id"] == "annex"
    assert (old.annex_type, old.to_print, old.confidential) == ("annex", True, False)
    assert (decision.annex_type, decision.decision_annex) == ("decision", True)
    assert old.preview_source == previews.checksum(old.file)
