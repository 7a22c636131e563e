"""The councillor's file: real LibreOffice for the items' pages, real pypdf to read it.

Annexes are blank PDFs whose page width tells them apart, so that the order
of the pages can be read back. LibreOffice converts three times here: the
meeting as a manager, as a member, and one item.
"""

from communesplone.documents.testing import libreoffice  # noqa: F401
from communesplone.meetings import councillor
from communesplone.meetings import visibility
from communesplone.meetings.interfaces import IMeetingsLayer
from communesplone.meetings.testing import build
from communesplone.meetings.testing import PASSWORD
from plone import api
from plone.app.textfield.value import RichTextValue
from plone.dexterity.utils import createContentInContainer
from plone.namedfile.file import NamedBlobFile
from zExceptions import Unauthorized
from zope.interface import alsoProvides

import io
import pypdf
import pytest
import requests
import time
import transaction


def pdf(pages, width):
    writer = pypdf.PdfWriter()
    for _index in range(pages):
        writer.add_blank_page(width, 700)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def annex(item, title, pages, width, **values):
    with api.env.adopt_roles(["Manager"]):
        return api.content.create(
            container=item,
            type="meeting_annex",
            title=title,
            file=NamedBlobFile(pdf(pages, width), filename=f"{width}.pdf"),
            **values,
        )


def agenda(world):
    """A frozen meeting: "Voirie" (a 2-page plan to print, a note not to print, a
    given advice), "Personnel" (secret: a confidential annex to print, a 1-page
    budget to print)."""
    meeting = world.meeting()
    roads = world.validated_item(
        "Voirie",
        category="travaux",
        motivation=RichTextValue("<h1>Contexte</h1><p>La rue est abîmée.</p>", "text/html"),
    )
    staff = world.validated_item("Personnel", category="administration", privacy="secret")
    annex(roads, "Plan", 2, 501, annex_type="plan")
    annex(roads, "Note", 1, 502, annex_type="annex", to_print=False)
    annex(staff, "Dossier personnel", 1, 503, annex_type="personal", to_print=True)
    annex(staff, "Budget", 1, 504, annex_type="budget")
    with api.env.adopt_roles(["Manager"]):  # (however the advice workflow goes)
        createContentInContainer(
            roads,
            "meeting_advice",
            checkConstraints=False,
            id="finances",
            service="finances",
            advice_type="positive",
            comment="Crédits disponibles.",
        )
        workflow_tool = api.portal.get_tool("portal_workflow")
        advice = roads["finances"]
        status = workflow_tool.getStatusOf("communesplone_meeting_advice_workflow", advice)
        workflow_tool.setStatusOf(
            "communesplone_meeting_advice_workflow",
            advice,
            dict(status, review_state="advice_given", action="giveAdvice"),
        )
        visibility.update_advice(advice)
        advice.reindexObject()
    for item in (roads, staff):
        world.transition(item, "present")
    world.transition(meeting, "freeze")
    return meeting, roads, staff


def widths(reader):
    return [round(float(page.mediabox.width)) for page in reader.pages]


def outline(reader):
    """[(title, page, [(title, page)])] of the bookmarks."""
    result = []
    for entry in reader.outline:
        if isinstance(entry, list):
            result[-1][2].extend(
                (child.title, reader.get_destination_page_number(child)) for child in entry
            )
        else:
            result.append((entry.title, reader.get_destination_page_number(entry), []))
    return result


@pytest.fixture
def world(portal):
    alsoProvides(portal.REQUEST, IMeetingsLayer)
    return build(portal)


def test_the_meeting_file_items_in_order_annexes_to_print_confidential_for_some(
    world,
    libreoffice,  # noqa: F811
):
    meeting, roads, staff = agenda(world)
    # The agenda orders by category: administration (Personnel) before travaux (Voirie)
    with api.env.adopt_user(username="manager"):
        assert councillor.may_read_meeting(meeting)
        done = []
        reader = pypdf.PdfReader(
            io.BytesIO(councillor.meeting_pdf(meeting, lambda d, t: done.append((d, t))))
        )
    assert done == [(0, 2), (1, 2), (2, 2)]
    pages = widths(reader)
    a4 = pages[0]
    assert pages == [a4, 503, 504, a4, 501, 501]  # "Note" is not to print
    assert outline(reader) == [
        ("1. Personnel", 0, [("Dossier personnel", 1), ("Budget", 2)]),
        ("2. Voirie", 3, [("Plan", 4)]),
    ]
    text = reader.pages[3].extract_text()
    for expected in ("2. Voirie", "Contexte", "La rue est abîmée.", "Favorable", "Plan"):
        assert expected in text
    assert "Note" not in text
    assert "Crédits disponibles." in text  # the given advice

    # A member sees every item, not the confidential annex
    with api.env.adopt_user(username="member"):
        assert councillor.may_read_meeting(meeting)
        reader = pypdf.PdfReader(io.BytesIO(councillor.meeting_pdf(meeting)))
    assert widths(reader)[1:] == [504, a4, 501, 501]
    assert outline(reader)[0] == ("1. Personnel", 0, [("Budget", 1)])
    assert "Dossier personnel" not in reader.pages[0].extract_text()


def test_the_file_of_one_item(world, libreoffice):  # noqa: F811
    meeting, roads, staff = agenda(world)
    with api.env.adopt_user(username="manager"):
        reader = pypdf.PdfReader(io.BytesIO(councillor.item_pdf(staff)))
    assert widths(reader)[1:] == [503, 504]
    assert outline(reader) == [("1. Personnel", 0, [("Dossier personnel", 1), ("Budget", 2)])]
    assert reader.metadata.title == staff.Title()


def test_the_meeting_file_is_for_those_who_see_every_item(world):
    meeting, roads, staff = agenda(world)
    request = meeting.REQUEST
    with api.env.adopt_user(username="editor_b"):  # population's: not the secret item
        assert not councillor.may_read_meeting(meeting)
        view = api.content.get_view("councillor-file", meeting, request)
        with pytest.raises(Unauthorized):
            view()
        with pytest.raises(Unauthorized):
            api.content.get_view("councillor-file-status", meeting, request)()
    with api.env.adopt_user(username="member"):
        html = api.content.get_view("view", meeting, request)()
        assert "@@councillor-file" in html
        page = api.content.get_view("councillor-file", meeting, request)()
        assert "councillor-build" in page
        # A build is recorded (it starts once committed); a second one is refused
        councillor.start(meeting)
        assert councillor.status(meeting)["state"] == "running"
        with pytest.raises(councillor.Busy):
            councillor.start(meeting)


def test_the_meeting_file_is_built_in_the_background_with_its_progress(
    functional_portal,
    libreoffice,  # noqa: F811
):
    world = build(functional_portal)
    meeting, roads, staff = agenda(world)
    transaction.commit()
    session = requests.Session()
    session.auth = ("member", PASSWORD)
    status_url = f"{meeting.absolute_url()}/@@councillor-file-status"
    assert session.get(status_url).json()["state"] == "none"
    page = session.get(f"{meeting.absolute_url()}/@@councillor-file")
    token = page.text.split('name="_authenticator" value="')[1].split('"')[0]
    started = session.post(
        f"{meeting.absolute_url()}/@@councillor-file",
        data={"build": "1", "_authenticator": token},
        allow_redirects=False,
    )
    assert started.status_code == 302, started.text
    councillor.wait(meeting, timeout=120)
    status = session.get(status_url).json()
    assert status["state"] == "done" and status["ready"] and status["percent"] == 100
    download = session.get(f"{meeting.absolute_url()}/@@councillor-file-download")
    assert download.headers["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(download.content))
    assert [entry[0] for entry in outline(reader)] == ["1. Personnel", "2. Voirie"]
    assert 503 not in widths(reader)  # built as the member: no confidential annex
    # The manager sees more: the member's file is not the manager's
    manager = requests.Session()
    manager.auth = ("manager", PASSWORD)
    assert manager.get(status_url).json()["ready"] is False
    assert manager.get(f"{meeting.absolute_url()}/@@councillor-file-download").status_code == 404

    # A build whose process stopped: no heartbeat, taken as interrupted, may start again
    transaction.begin()
    job = councillor._storage(meeting)["job"]
    job.state, job.heartbeat = "running", time.time() - councillor.STALE - 1
    transaction.commit()
    assert session.get(status_url).json()["state"] == "interrupted"
    transaction.begin()
    with api.env.adopt_user(username="member"):
        councillor.start(meeting)  # not Busy
    transaction.abort()
