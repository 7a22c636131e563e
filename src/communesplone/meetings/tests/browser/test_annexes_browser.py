"""In a browser, on the demo site: annexes, their previews and the councillor's file.

0. the college's annex types, with their icons and default flags (its
   settings, as the site administrator sees them);
1. the urbanism service's editor (Thomas Martin) adds the missing plan to the
   permit returned to his service: he chooses the type "Plan", and the annex
   takes its flag "to print";
2. the general director (Delphine Godin, meeting manager) opens the street
   sweeper's item: its annexes with their types' icons and flags, the
   confidential one marked, the specifications (an ODT) with the PDF preview
   LibreOffice made; she downloads the item's councillor's file;
3. from the meeting page, she builds the meeting's councillor's file in the
   background, follows its progress and downloads it, with a bookmark per item.

Screenshots go to test-output/screenshots (``docs/meetings.rst`` shows them).
"""

from communesplone.core.browsertesting import log_in
from communesplone.meetings.tests.browser.steps import as_user
from communesplone.meetings.tests.browser.steps import titled
from communesplone.meetings.tests.test_annexes import pdf
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import io
import pypdf
import pytest
import transaction


pytestmark = pytest.mark.browser

PERMIT = "Permis d'urbanisme – construction d'une habitation"
SWEEPER = "Marché de fournitures – acquisition d'une balayeuse"


def _outline(reader):
    """The titles of a PDF's bookmarks, nested ones flattened."""
    titles = []

    def walk(entries):
        for entry in entries:
            if isinstance(entry, list):
                walk(entry)
            else:
                titles.append(entry.title)

    walk(reader.outline)
    return titles


def test_annexes_and_the_councillors_file(demo, office, page, screenshot, tmp_path):
    portal_url = demo.absolute_url()
    college = demo["college"]

    # 0. the college's annex types, each with its icon and default flags
    log_in(page, portal_url, SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    page.goto(f"{college.absolute_url()}/edit")
    page.locator(".autotoc-nav a", has_text="Annexes").click()
    types = page.locator("#formfield-form-widgets-annex_types")
    assert types.is_visible()
    page.set_viewport_size({"width": 1280, "height": 1400})  # the form's sticky buttons below it
    screenshot("meetings-body-annex-types")
    page.set_viewport_size({"width": 1280, "height": 900})

    # 1. the missing plan, added to the permit returned to its service
    as_user(page, portal_url, "tmartin")
    permit_url = titled(college, PERMIT).absolute_url()
    page.goto(permit_url)
    page.click("a.add-annex")
    page.wait_for_load_state()
    page.select_option("#form-widgets-annex_type", "plan")
    page.fill("#form-widgets-IBasic-title, #form-widgets-title", "Plan d'implantation")
    plan = tmp_path / "plan-implantation.pdf"
    plan.write_bytes(pdf())
    page.set_input_files("input[type=file][name='form.widgets.file']", str(plan))
    screenshot("meetings-annex-add-form")
    page.click("#form-buttons-save")
    page.wait_for_load_state()
    transaction.begin()
    (annex,) = titled(college, PERMIT).objectValues()
    assert (annex.annex_type, annex.to_print, annex.confidential) == ("plan", True, False)
    page.goto(permit_url)
    row = page.locator(".item-annexes li.annex", has_text="Plan d'implantation")
    assert row.locator(".annex-type").inner_text() == "Plan"
    assert row.locator(".flag-to_print").is_visible()

    # 2. the sweeper's annexes, seen by the meeting manager
    as_user(page, portal_url, "dgodin")
    sweeper = titled(college, SWEEPER)
    page.goto(sweeper.absolute_url())
    annexes = page.locator(".item-annexes li.annex")
    assert annexes.count() == 4
    for index in range(4):
        assert annexes.nth(index).locator("svg, img.icon, .plone-icon").count() >= 1
    confidential = page.locator(".item-annexes li.annex.confidential")
    assert confidential.count() == 1
    assert "Firmes consultées" in confidential.inner_text()
    specifications = annexes.filter(has_text="Cahier spécial des charges")
    plan_image = annexes.filter(has_text="Plan du hangar communal")
    assert plan_image.locator("img.annex-image").is_visible()
    # tall enough for the whole page: no scrolling, which Chromium's PDF frame does not redraw
    page.set_viewport_size({"width": 1280, "height": 2600})
    if office:
        specifications.locator("details.annex-preview summary").click()
        frame = specifications.locator("iframe")
        preview = page.request.get(frame.get_attribute("src"))
        assert preview.headers["content-type"].startswith("application/pdf")
        assert (
            pypdf.PdfReader(io.BytesIO(preview.body()))
            .pages[0]
            .extract_text()
            .startswith("Cahier spécial des charges")
        )
        page.wait_for_timeout(1500)  # the preview drawn in its frame
    else:
        assert specifications.locator(".preview-error").is_visible()
    screenshot("meetings-item-annexes")
    page.set_viewport_size({"width": 1280, "height": 900})
    if not office:
        return  # the councillor's files are made by LibreOffice

    item_file = page.request.get(page.locator("a.councillor-file").get_attribute("href"))
    assert item_file.ok, item_file.status
    reader = pypdf.PdfReader(io.BytesIO(item_file.body()))
    titles = _outline(reader)
    assert any(SWEEPER in title for title in titles)
    assert any("Cahier spécial des charges" in title for title in titles)
    assert not any("Firmes consultées" in title for title in titles)  # not to print

    # 3. the meeting's file, built in the background
    meeting_url = sweeper.aq_parent["seance-2026-12-08"].absolute_url()
    page.goto(meeting_url)
    page.click(".councillor-file-link a")
    page.wait_for_load_state()
    page.click(".councillor-build button[name=build]")
    page.wait_for_load_state()
    if page.locator(".councillor-progress:not([hidden])").count():
        screenshot("meetings-councillor-file-progress")  # unless built before the page came
    page.wait_for_selector(".councillor-ready:not([hidden])", timeout=180_000)
    screenshot("meetings-councillor-file")
    with page.expect_download() as download:
        page.click(".councillor-ready a")
    path = tmp_path / "dossier.pdf"
    download.value.save_as(path)
    reader = pypdf.PdfReader(path)
    titles = _outline(reader)
    transaction.begin()
    from communesplone.meetings import agenda

    meeting = sweeper.aq_parent["seance-2026-12-08"]
    for item in agenda.items(meeting):
        assert any(item.title in title for title in titles), (item.title, titles)
    assert api.content.get_state(meeting) == "created"
