"""In a browser, on the demo site: the e-desk's whole path, citizen and staff.

1. a citizen registers through Plone's registration form, receives the mail
   with the link where they choose their password, and logs in;
2. they submit a "Certificat de résidence" with an attachment, from
   "Introduire une nouvelle demande";
3. the population service takes it in charge from "Administration des demandes
   en ligne", then approves it from the request's state menu;
4. the citizen receives the mail of each state (caught by a real SMTP server,
   aiosmtpd), follows its link and downloads the certificate from "Mes
   demandes": PDF when LibreOffice is there, else ODT.

Screenshots go to test-output/screenshots (``docs/edesk.rst`` shows them).
"""

from communesplone.core.browsertesting import log_in
from communesplone.core.demo import PASSWORD as STAFF_PASSWORD
from communesplone.core.i18n import translate_for_site
from communesplone.core.smtptesting import smtp  # noqa: F401 (fixture)
from communesplone.core.smtptesting import subject as mail_subject
from communesplone.core.smtptesting import text as mail_text
from communesplone.documents.testing import _missing as libreoffice_missing
from communesplone.documents.testing import libreoffice  # noqa: F401 (fixture)
from communesplone.edesk.desk import DESK_TITLE
from communesplone.edesk.desk import get_desk
from communesplone.edesk.testing import VALID_NRN
from plone import api
from plone.app.testing import applyProfile

import io
import pytest
import re
import subprocess
import transaction
import zipfile


pytestmark = pytest.mark.browser

EMAIL = "camille.durand@example.org"
LOGIN = "cdurand"
PASSWORD = "Plonéville-2026!"
TYPE = "Certificat de résidence"


@pytest.fixture
def demo(functional_portal):
    with api.env.adopt_roles(["Manager"]):
        # a French site, as create_site makes it (the layer's desk was titled in English)
        api.portal.set_registry_record("plone.default_language", "fr")
        desk = get_desk()
        desk.title = translate_for_site(DESK_TITLE)
        desk.reindexObject()
        applyProfile(functional_portal, "communesplone.edesk:demo")
    transaction.commit()
    return functional_portal


@pytest.fixture
def certificate_format(request):
    """ "pdf" with a LibreOffice started for the test where it is installed, else "odt"."""
    if libreoffice_missing():
        return "odt"
    request.getfixturevalue("libreoffice")
    return "pdf"


def _mail(smtp, count):  # noqa: F811
    """The ``count``-th mail caught, as (recipients, subject, body).

    Plone sends while the transaction commits, before the page answers, and
    the SMTP server has taken the message when the send returns: it is there.
    """
    assert len(smtp.messages) == count, [message["Subject"] for _r, message in smtp.messages]
    recipients, message = smtp.messages[count - 1]
    return recipients, mail_subject(message), mail_text(message)


def test_whole_path(demo, smtp, certificate_format, page, screenshot, tmp_path):  # noqa: F811
    portal_url = demo.absolute_url()
    desk_url = f"{portal_url}/guichet"
    page.set_default_timeout(15_000)
    page.set_default_navigation_timeout(60_000)  # the first pages compile their templates

    # 1. register, set the password from the mailed link, log in
    page.goto(f"{portal_url}/@@register")
    page.fill("#form-widgets-fullname", "Camille Durand")
    page.fill("#form-widgets-username", LOGIN)
    page.fill("#form-widgets-email", EMAIL)
    screenshot("edesk-register")
    page.click("#form-buttons-register")
    page.wait_for_load_state()
    recipients, subject, body = _mail(smtp, 1)
    assert recipients == [EMAIL]
    assert LOGIN in body
    (link,) = re.findall(rf"{re.escape(portal_url)}/passwordreset/\S+", body)
    page.goto(link)
    page.fill("#userid", LOGIN)
    page.fill("#password", PASSWORD)
    page.fill("#password2", PASSWORD)
    page.click("form[name=pwreset_action] button[type=submit]")
    page.wait_for_load_state()
    page.context.clear_cookies()
    log_in(page, portal_url, LOGIN, PASSWORD)
    assert page.locator("#personaltools-login").count() == 0, "not logged in"
    transaction.begin()
    assert "Citizens" in [g.getId() for g in api.group.get_groups(username=LOGIN)]

    # 2. the request, with an attachment
    page.goto(f"{desk_url}/@@new-request")
    services = page.locator(".communesplone-new-request section h2").all_inner_texts()
    assert services[:2] == ["Population / État civil", "Travaux"]
    screenshot("edesk-new-request")
    page.get_by_role("link", name=TYPE, exact=True).click()
    page.wait_for_load_state()
    terms = page.locator(".communesplone-submit ul.text-muted").inner_text()
    assert "5" in terms and "Gratuit" in terms  # the type's target time and fee
    page.fill("#field-nrn", VALID_NRN)
    page.select_option("#field-purpose", "Employeur")
    page.set_input_files(
        "#field-attachment",
        files=[{"name": "bail.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 bail"}],
    )
    screenshot("edesk-submit-form")
    page.get_by_role("button", name="Introduire la demande").click()
    page.wait_for_load_state()
    request_url = page.url.rstrip("/")
    assert page.get_by_role("link", name="bail.pdf").is_visible()
    number = page.locator(".communesplone-request dd").first.inner_text()
    assert re.fullmatch(r"\d{4}-\d{6}", number)
    _recipients, subject, body = _mail(smtp, 2)
    assert number in subject and request_url in body

    # 3. staff: take it in charge from the listing, approve it from its page
    page.context.clear_cookies()
    log_in(page, portal_url, "mdubois", STAFF_PASSWORD)
    page.goto(f"{desk_url}/@@requests-admin")
    row = page.locator("tr", has_text=number)
    assert "Soumise" in row.inner_text()
    row.locator("input[type=checkbox]").check()
    page.select_option("#batch-transition", "take")
    screenshot("edesk-requests-admin")
    page.get_by_role("button", name="Appliquer aux demandes sélectionnées").click()
    page.wait_for_load_state()
    assert "En cours de traitement" in page.locator("tr", has_text=number).inner_text()
    _recipients, subject, body = _mail(smtp, 3)
    assert "En cours de traitement" in subject and request_url in body
    page.goto(request_url)
    page.locator("#plone-contentmenu-workflow > a").click()
    complete = page.locator("#workflow-transition-complete")
    complete.wait_for()
    screenshot("edesk-request-staff")
    complete.click()
    page.wait_for_load_state()
    recipients, subject, body = _mail(smtp, 4)
    assert recipients == [EMAIL]
    assert subject == f"Votre demande {number} : Traitée"
    assert f"Votre demande {number} ({TYPE}) a été traitée." in body

    # 4. the citizen follows the mail's link, then downloads the certificate
    page.context.clear_cookies()
    log_in(page, portal_url, LOGIN, PASSWORD)
    (link,) = re.findall(r"https?://\S+", body)
    assert link == request_url
    page.goto(link)
    assert "Traitée" in page.locator(".communesplone-request").inner_text()
    screenshot("edesk-request-citizen")
    page.goto(f"{desk_url}/@@my-requests")
    screenshot("edesk-my-requests")
    with page.expect_download() as download:
        page.locator("a.certificate").first.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == f".{certificate_format}"
    data = path.read_bytes()
    if certificate_format == "pdf":
        assert data.startswith(b"%PDF")
        # poppler-utils comes with LibreOffice in the tests' Debian packages (bootstrap.py)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    else:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            text = archive.read("content.xml").decode("utf-8")
    assert number in text and "Camille Durand" in text and VALID_NRN in text
