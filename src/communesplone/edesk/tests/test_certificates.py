"""Certificates made when a request is approved, and the citizen's own data as JSON."""

from communesplone.documents import generation
from communesplone.documents import libreoffice as lo
from communesplone.documents.testing import libreoffice  # noqa: F401
from communesplone.edesk import certificates
from communesplone.edesk.testing import build
from communesplone.edesk.testing import session
from communesplone.edesk.testing import VALID_NRN
from plone import api
from zope.component import getUtility
from zope.schema.interfaces import IVocabularyFactory

import io
import json
import pytest
import shutil
import subprocess
import transaction
import zipfile


ADDRESS = "Rue de Fer 1, 5000 Namur"


def _prepare(portal, template_id="certificat_residence-odt"):
    world = build(portal)
    template = portal["templates"]["edesk"][template_id]
    with api.env.adopt_roles(["Manager"]):
        world.certificate.certificate_template = template.UID()
        api.user.get(username="citizen_a").setMemberProperties({"location": ADDRESS})
        api.portal.set_registry_record("communesplone.commune_name", "Plonéville")
    return world


def _approve(world, request):
    world.transition(request, "take", "complete", user="reviewer")


def _content(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("content.xml").decode("utf-8")


@pytest.fixture
def no_libreoffice(monkeypatch):
    """No LibreOffice listens where the settings point."""
    monkeypatch.setenv(lo.ENV_PORTS, str(lo.free_ports(1)[0]))


@pytest.fixture
def world(functional_portal, no_libreoffice):
    world = _prepare(functional_portal)
    transaction.commit()
    return world


def test_templates_installed_in_both_languages(portal):
    folder = portal["templates"]["edesk"]
    assert {"certificat_residence-odt", "composition_menage-odt"} <= set(folder.objectIds())
    template = folder["certificat_residence-odt"]
    assert template.portal_types == ["citizen_request"]
    factory = getUtility(IVocabularyFactory, "communesplone.edesk.certificate_templates")
    vocabulary = factory(portal)
    assert template.UID() in vocabulary
    for language in ("fr", "nl"):
        for shipped in certificates_templates():
            assert shipped.path(language, fallback=False).exists()


def certificates_templates():
    from communesplone.edesk.templates import TEMPLATES

    return TEMPLATES


def test_certificate_generated_on_approval_for_the_citizen_only(world):
    request = world.request("citizen_a")
    _approve(world, request)
    transaction.commit()
    [certificate] = request.objectValues()
    assert certificates.ICertificate.providedBy(certificate)
    assert certificate.file.contentType == "application/vnd.oasis.opendocument.text"
    title = world.portal["templates"]["edesk"]["certificat_residence-odt"].Title()
    assert certificate.file.filename == f"{title} {request.tracking_number}.odt"
    content = _content(certificate.file.data)
    for expected in ("Citizen A", request.tracking_number, ADDRESS, VALID_NRN, "Plonéville"):
        assert expected in content, expected
    [history] = request.workflow_history.values()
    assert history[-1]["action"] == certificates.HISTORY_ACTION
    assert certificate.file.filename in history[-1]["comments"]

    url = f"{certificate.absolute_url()}/@@download/file"
    mine = session("citizen_a").get(url)
    assert mine.status_code == 200 and mine.content == certificate.file.data
    assert session("reviewer").get(url).status_code == 200
    for other in (session("citizen_b"), session("other_staff"), session()):
        refused = other.get(url, allow_redirects=False)
        assert refused.status_code in (302, 401, 403), refused.status_code
        assert refused.content != certificate.file.data

    page = session("citizen_a").get(f"{world.desk.absolute_url()}/@@my-requests")
    assert f'href="{url}"' in page.text
    assert url not in session("citizen_b").get(f"{world.desk.absolute_url()}/@@my-requests").text
    view = session("citizen_a").get(request.absolute_url())
    assert 'class="certificates"' in view.text and f'href="{url}"' in view.text


def test_no_template_no_certificate(functional_portal, no_libreoffice):
    world = build(functional_portal)
    request = world.request("citizen_a")
    _approve(world, request)
    assert api.content.get_state(request) == "done"
    assert request.objectIds() == []


def test_a_failing_template_does_not_block_the_approval(world, monkeypatch):
    def fail(*args, **kwargs):
        raise generation.TemplateError("broken", status=500, detail="expression x")

    monkeypatch.setattr(generation, "render", fail)
    request = world.request("citizen_a")
    _approve(world, request)
    assert api.content.get_state(request) == "done"
    assert request.objectIds() == []
    [history] = request.workflow_history.values()
    assert history[-1]["action"] == certificates.HISTORY_ACTION
    assert "expression x" not in history[-1]["comments"]


def test_citizens_are_not_offered_the_certificates(world):
    request = world.request("citizen_a")
    world.transition(request, "take", user="reviewer")
    ids = {"certificat_residence-odt", "composition_menage-odt"}
    with api.env.adopt_user(username="citizen_a"):
        assert not ids & {t.getId() for t in generation.templates_for(request)}
    with api.env.adopt_user(username="reviewer"):
        assert ids <= {t.getId() for t in generation.templates_for(request)}


def test_household_composition_in_dutch(functional_portal, no_libreoffice):
    world = _prepare(functional_portal, "composition_menage-odt")
    with api.env.adopt_roles(["Manager"]):
        api.portal.set_registry_record("communesplone.default_language", "nl")
        world.certificate.field_definitions = [
            *world.certificate.field_definitions,
            {"id": "household", "label": "Household", "type": "textarea", "required": False},
        ]
    values = {"nrn": VALID_NRN, "purpose": "School", "household": "Jan Peeters\nAn Peeters\n"}
    request = world.request("citizen_a", values=values)
    _approve(world, request)
    [certificate] = request.objectValues()
    content = _content(certificate.file.data)
    for expected in ("Samenstelling van het gezin", "Jan Peeters", "An Peeters", "Citizen A",
                     "december"):  # fmt: skip
        assert expected in content, expected


def test_certificate_as_pdf_when_libreoffice_runs(portal, libreoffice):  # noqa: F811
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is missing: install poppler-utils")
    world = _prepare(portal)
    request = world.request("citizen_a")
    _approve(world, request)
    [certificate] = request.objectValues()
    assert certificate.file.contentType == "application/pdf"
    assert certificate.file.data.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=certificate.file.data, capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert "Citizen A" in text and request.tracking_number in text


# Personal data ---------------------------------------------------------------------


def test_my_data_gives_each_citizen_their_own(world):
    mine = world.request("citizen_a")
    theirs = world.request("citizen_b", values={"nrn": VALID_NRN, "purpose": "School"})
    with api.env.adopt_roles(["Manager"]):
        mine.internal_notes = "Secret note of the staff"
        mine.messages = (
            {"author": "Citizen A", "from_staff": False, "date": "2026-01-02T10:00", "text": "Hi"},
        )
    _approve(world, mine)
    transaction.commit()
    modified = mine.modified()
    url = f"{world.desk.absolute_url()}/@@my-data.json"

    response = session("citizen_a").get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.json()
    assert data["member"]["id"] == "citizen_a"
    assert data["member"]["properties"]["location"] == ADDRESS
    [exported] = data["requests"]
    assert exported["tracking_number"] == mine.tracking_number
    assert exported["values"]["nrn"] == VALID_NRN
    assert exported["messages"][0]["text"] == "Hi"
    assert [e["state"] for e in exported["history"]][:4] == [
        "draft",
        "submitted",
        "in_progress",
        "done",
    ]
    assert [f["certificate"] for f in exported["files"]] == [True]
    assert "Secret note" not in response.text and "internal_notes" not in response.text
    assert theirs.tracking_number not in response.text

    other = session("citizen_b").get(url).json()
    assert other["member"]["id"] == "citizen_b"
    assert [r["tracking_number"] for r in other["requests"]] == [theirs.tracking_number]
    assert mine.tracking_number not in json.dumps(other)

    anonymous = session().get(url, allow_redirects=False)
    assert anonymous.status_code in (302, 401, 403)
    assert "tracking_number" not in anonymous.text
    transaction.begin()
    assert mine.modified() == modified  # the GET wrote nothing


def test_upgrade_1004_installs_the_certificates(portal):
    setup = api.portal.get_tool("portal_setup")
    with api.env.adopt_roles(["Manager"]):
        api.content.delete(obj=portal["templates"]["edesk"])
        setup.setLastVersionForProfile("communesplone.edesk:default", "1003")
        setup.upgradeProfile("communesplone.edesk:default", dest="1004")
    assert setup.getLastVersionForProfile("communesplone.edesk:default") == ("1004",)
    assert {"certificat_residence-odt", "composition_menage-odt"} <= set(
        portal["templates"]["edesk"].objectIds()
    )
