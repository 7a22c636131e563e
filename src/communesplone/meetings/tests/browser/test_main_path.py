"""In a browser, each role does its part of the meetings' main path.

1. a service editor creates an item and proposes it; the service's reviewer
   validates it;
2. the meeting manager presents it to a meeting from the meeting page;
3. the meeting is frozen, decided and closed;
4. the minutes are generated and downloaded, as ODT and PDF.

Screenshots go to test-output/screenshots (``docs/meetings.rst`` shows them).
"""

from communesplone.documents.testing import libreoffice  # noqa: F401
from communesplone.meetings import agenda
from communesplone.meetings.testing import build
from communesplone.meetings.testing import PASSWORD
from communesplone.meetings.tests.browser import steps
from communesplone.meetings.tests.browser.steps import transition
from plone import api

import io
import pytest
import transaction
import zipfile


pytestmark = pytest.mark.browser

TITLE = "Réfection du trottoir de la rue Haute"


@pytest.fixture
def world(functional_portal):
    world = build(functional_portal)
    world.meeting()
    world.validated_item("Acquisition d'une balayeuse", category="travaux")
    transaction.commit()
    return world


def as_user(page, portal_url, login):
    steps.as_user(page, portal_url, login, PASSWORD)


def test_main_path(world, libreoffice, page, screenshot, tmp_path):  # noqa: F811
    portal_url = world.portal.absolute_url()
    college_url = world.college.absolute_url()

    # 1. the editor creates and proposes, the reviewer validates
    as_user(page, portal_url, "editor_a")
    page.goto(college_url)
    screenshot("meetings-body-dashboard")
    page.goto(f"{college_url}/++add++meeting_item")
    page.fill("#form-widgets-IBasic-title", TITLE)
    page.select_option("#form-widgets-service", "travaux")
    page.select_option("#form-widgets-category", "travaux")
    screenshot("meetings-item-add-form")
    page.click("#form-buttons-save")
    page.wait_for_load_state()
    item_url = page.url.split("/view")[0].rstrip("/")
    assert item_url.startswith(college_url)
    transition(page, item_url, "propose")
    screenshot("meetings-item-proposed")

    as_user(page, portal_url, "reviewer")
    transition(page, item_url, "validate")

    # 2. the meeting manager presents it from the meeting page
    as_user(page, portal_url, "manager")
    transaction.begin()
    (meeting,) = [obj for obj in world.college.objectValues() if obj.portal_type == "meeting"]
    meeting_url = meeting.absolute_url()
    page.goto(meeting_url)
    page.get_by_label(TITLE).check()
    page.get_by_label("Acquisition d'une balayeuse").check()
    page.click("button[name='form.buttons.present']")
    page.wait_for_load_state()
    agenda_box = page.locator("#meeting-agenda")
    assert agenda_box.get_by_text(TITLE).is_visible()
    screenshot("meetings-meeting-page")

    # 3. freeze, decide, close
    for transition_id in ("freeze", "decide", "close"):
        transition(page, meeting_url, transition_id)
    screenshot("meetings-meeting-closed")
    transaction.begin()
    states = {item.title: api.content.get_state(item) for item in agenda.items(meeting)}
    assert states == {TITLE: "accepted", "Acquisition d'une balayeuse": "accepted"}
    assert api.content.get_state(meeting) == "closed"

    # 4. the minutes, downloaded
    page.goto(meeting_url)
    documents = page.locator(".communesplone-documents")
    screenshot("meetings-documents")
    minutes = documents.locator("li", has_text="Procès-verbal")  # titled in the commune's language
    for output_format, magic in (("odt", b"PK"), ("pdf", b"%PDF")):
        with page.expect_download() as download:
            minutes.locator(f"a[data-format='{output_format}']").click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        assert path.suffix == f".{output_format}"
        data = path.read_bytes()
        assert data.startswith(magic)
        if output_format == "odt":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                content = archive.read("content.xml").decode("utf-8")
            assert TITLE in content
