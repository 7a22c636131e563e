"""In a browser, on the demo site: an urbanism officer's whole path through a permit.

1. Thomas Martin (Urbanisme) creates a permit file from the desk's listing;
2. he adds its deposit, receipt and acknowledgement of receipt, and an opinion
   request to the Fonctionnaire délégué, each from "Ajouter un événement à ce
   dossier", which offers only the event types allowed now; he records the
   opinion request as sent;
3. he generates the acknowledgement of receipt, as ODT and (where LibreOffice
   is installed) as PDF, from the event's "Documents" box;
4. he records the college's decision (octroi), which the file shows; the
   head of the service, Claire Peeters, grants the permit from its state menu.

Screenshots go to test-output/screenshots (``docs/urban.rst`` shows them).
"""

from communesplone.core.browsertesting import log_in
from communesplone.core.demo import PASSWORD
from communesplone.documents.testing import _missing as libreoffice_missing
from communesplone.documents.testing import libreoffice  # noqa: F401 (fixture)
from communesplone.urban.demo import demo_year
from communesplone.urban.desk import get_desk
from plone import api
from plone.app.testing import applyProfile

import io
import pytest
import re
import subprocess
import transaction
import zipfile


pytestmark = pytest.mark.browser

SUBJECT = "Construction d'une maison à Aulne-la-Forêt"


@pytest.fixture
def demo(functional_portal):
    with api.env.adopt_roles(["Manager"]):
        api.portal.set_registry_record("plone.default_language", "fr")
        applyProfile(functional_portal, "communesplone.core:demo")
        applyProfile(functional_portal, "communesplone.urban:demo")
    transaction.commit()
    return functional_portal


@pytest.fixture
def pdf(request):
    """True with a LibreOffice started for the test where it is installed."""
    if libreoffice_missing():
        return False
    request.getfixturevalue("libreoffice")
    return True


def _text(path):
    data = path.read_bytes()
    if data.startswith(b"%PDF"):
        return subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("content.xml").decode("utf-8")


def test_whole_path(demo, pdf, page, screenshot, tmp_path):
    portal_url = demo.absolute_url()
    desk_url = get_desk().absolute_url()
    year = demo_year()
    page.set_default_timeout(20_000)
    page.set_default_navigation_timeout(60_000)  # the first pages compile their templates
    log_in(page, portal_url, "tmartin", PASSWORD)

    # The demo's seed file: road data, equipment, its events of March, the GIS tools
    page.goto(f"{desk_url}/@@licences")
    assert page.locator("tr.urban-licence-row").count() == 9
    screenshot("urban-licences")
    seed = page.locator("tr.urban-licence-row", has_text="Construction d'une maison unifamiliale")
    seed.locator("a").click()
    page.wait_for_load_state()
    assert page.locator(".urban-event").count() == 5
    assert page.locator(".urban-road-equipment li").count() == 5
    page.locator(".urban-gis-tools summary").click()
    screenshot("urban-licence-seed")

    # 1. a new permit file
    page.goto(f"{desk_url}/@@licences")
    page.locator(".urban-licences a.btn[href$='++add++urban_permit']").click()
    page.wait_for_load_state()
    page.select_option("#form-widgets-licence_type", "building_permit")
    page.fill("#form-widgets-subject", SUBJECT)
    page.fill(
        "#form-widgets-works_description",
        "Maison unifamiliale de deux façades, toiture en ardoises.",
    )
    page.click("#form-buttons-save")
    page.wait_for_load_state()
    licence_url = page.url.split("?")[0].rstrip("/")
    reference = page.locator(".urban-licence-summary dd").first.inner_text()
    assert re.fullmatch(r"PU/\d{4}/\d{4}", reference), reference
    offered = page.locator(".urban-add-event a").evaluate_all(
        "links => links.map(link => link.dataset.eventType)"
    )
    assert offered == ["deposit"]  # nothing but the deposit before the deposit

    # 2. its events, each from the "add an event" menu
    def add_event(event_type, day, shot=None, **selects):
        page.goto(licence_url)
        page.locator(".urban-add-event summary").click()
        if shot:
            screenshot(shot)
        page.locator(f'.urban-add-event a[data-event-type="{event_type}"]').click()
        page.wait_for_load_state()
        assert page.locator("#form-widgets-event_type").input_value() == event_type
        page.fill("#form-widgets-event_date", f"{year}-{day}")
        for name, value in selects.items():
            page.select_option(f"#form-widgets-{name}", value)
        page.click("#form-buttons-save")
        page.wait_for_load_state()
        return page.url.split("?")[0].rstrip("/")

    add_event("deposit", "03-01")
    add_event("receipt", "03-06", shot="urban-add-event-menu")
    acknowledgement_url = add_event("acknowledgement", "03-07")
    page.goto(licence_url)  # complete: the state menu
    page.locator("#plone-contentmenu-workflow > a").click()
    page.locator("#workflow-transition-declare_complete").click()
    page.wait_for_load_state()
    opinion_url = add_event("opinion_fd", "03-07")

    page.goto(opinion_url)
    page.fill("#sent_date", f"{year}-03-07")
    page.locator(".urban-opinion-send button").click()
    page.wait_for_load_state()
    assert page.locator(".urban-opinion-sent").inner_text() == f"07/03/{year}"
    assert page.locator(".urban-opinion-due").count() == 1
    screenshot("urban-opinion-request")

    # 3. the acknowledgement of receipt, generated from its event
    page.goto(acknowledgement_url)
    documents = page.locator(".communesplone-documents")
    documents.wait_for()
    screenshot("urban-acknowledgement")
    formats = ["odt", "pdf"] if pdf else ["odt"]
    for fmt in formats:
        with page.expect_download() as download:
            documents.locator(f'a[data-format="{fmt}"]').first.click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        assert path.suffix == f".{fmt}"
        text = _text(path)
        assert reference in text or reference.replace("/", "") in text.replace("/", "")

    # 4. the decision, recorded on the file; then the permit is granted
    add_event("college_decision", "04-20", decision="granted")
    screenshot("urban-decision")
    page.goto(licence_url)
    assert page.locator(".urban-licence-state .bg-success").count() == 1
    dates = page.locator(".urban-event-date").all_inner_texts()
    assert dates == sorted(dates, key=lambda d: d.split("/")[::-1])  # in date order
    assert len(dates) == 5
    screenshot("urban-licence-decision")
    # the head of the service grants the permit
    page.context.clear_cookies()
    log_in(page, portal_url, "cpeeters", PASSWORD)
    page.goto(licence_url)
    page.locator("#plone-contentmenu-workflow > a").click()
    accept = page.locator("#workflow-transition-accept")
    accept.wait_for()
    accept.click()
    page.wait_for_load_state()
    page.goto(licence_url)
    assert page.locator(".urban-licence-state .state-accepted").count() == 1
    assert page.locator(".urban-licence-state .bg-success").count() == 1  # granted
    screenshot("urban-licence-decided")
