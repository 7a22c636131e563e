"""The citizen's and the staff's pages, over real HTTP; the request types' REST validation."""

from communesplone.core.testing import authenticator
from communesplone.edesk.testing import aged_form_stamp
from communesplone.edesk.testing import build
from communesplone.edesk.testing import session
from communesplone.edesk.testing import VALID_NRN
from plone import api

import csv
import io
import pytest
import re
import transaction


@pytest.fixture
def world(functional_portal):
    world = build(functional_portal)
    transaction.commit()
    return world


def _requests():
    transaction.begin()
    catalog = api.portal.get_tool("portal_catalog")
    return [b._unrestrictedGetObject() for b in catalog.unrestrictedSearchResults(
        portal_type="citizen_request", sort_on="created")]  # fmt: skip


def _submit(http, request_type, data, files=None, token=True):
    url = f"{request_type.absolute_url()}/@@submit"
    form = http.get(url)
    assert form.status_code == 200
    if token:
        data = {**data, "_authenticator": authenticator(form)}
    if 'name="form_stamp"' in form.text:  # anonymous: filled in long enough
        data = {"form_stamp": aged_form_stamp(), **data}
    return http.post(url, data=data, files=files, allow_redirects=False)


def test_submission_creates_a_submitted_numbered_request(world):
    http = session("citizen_a")
    response = _submit(
        http,
        world.certificate,
        {"field.nrn": "85073003328", "field.purpose": "School", "field.urgent": "1"},
        files={"field.proof": ("proof.pdf", b"%PDF-1.4\n", "application/pdf")},
    )
    assert response.status_code == 302
    [created] = _requests()
    assert response.headers["Location"] == created.absolute_url()
    assert api.content.get_state(created) == "submitted"
    assert re.fullmatch(r"\d{4}-000001", created.tracking_number)
    assert created.values == {"nrn": VALID_NRN, "purpose": "School", "urgent": True,
                              "proof": "proof.pdf"}  # fmt: skip
    assert created.service == "population"
    assert "citizen_a" in created.listCreators()
    assert created.requester_fullname == "Citizen A"  # kept for the listing's "By"
    assert [obj.file.filename for obj in created.objectValues()] == ["proof.pdf"]
    page = http.get(created.absolute_url())
    assert created.tracking_number in page.text and "proof.pdf" in page.text


def test_submission_errors_write_nothing(world):
    http = session("citizen_a")
    response = _submit(http, world.certificate, {"field.nrn": "85073003329", "field.purpose": ""})
    assert response.status_code == 200
    assert "is not a valid national register number" in response.text
    assert "&#34;Purpose&#34; is required." in response.text or '"Purpose" is required.' in (
        response.text
    )
    assert 'value="85073003329"' in response.text  # the citizen's input is kept
    assert _requests() == []


def test_attachment_limits(world):
    http = session("citizen_a")
    base = {"field.nrn": VALID_NRN, "field.purpose": "School"}
    exe = ("virus.exe", b"MZ", "application/octet-stream")
    response = _submit(http, world.certificate, base, files={"field.proof": exe})
    assert "is not accepted: attach a file of one of these types: pdf" in response.text
    with api.env.adopt_roles(["Manager"]):
        api.portal.set_registry_record("communesplone.edesk.attachment_max_size_mb", 1)
    transaction.commit()
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1)
    response = _submit(http, world.certificate, base,
                       files={"field.proof": ("big.pdf", big, "application/pdf")})  # fmt: skip
    assert "is too large (1.0 MB): at most 1 MB." in response.text
    assert _requests() == []


def test_submission_needs_the_token_and_a_post(world):
    http = session("citizen_a")
    data = {"field.nrn": VALID_NRN, "field.purpose": "School"}
    response = _submit(http, world.certificate, data, token=False)
    assert response.status_code == 403
    response = http.get(f"{world.certificate.absolute_url()}/@@submit", params=data)
    assert response.status_code == 200
    assert _requests() == []


def test_anonymous_needs_a_type_that_allows_it(world):
    http = session()
    response = http.get(f"{world.certificate.absolute_url()}/@@submit", allow_redirects=False)
    assert response.status_code == 302 and "login" in response.headers["Location"]
    data = {"field.description": "La lampe est cassée", "address": "Rue Haute 1"}
    response = _submit(http, world.problem, data)
    assert "Give an email address" in response.text
    assert _requests() == []
    response = _submit(http, world.problem, {**data, "contact_email": "riverain@example.org"})
    assert response.status_code == 302
    [created] = _requests()
    assert api.content.get_state(created) == "draft"  # until its contact confirms it
    assert created.contact_email == "riverain@example.org"
    assert created.address == "Rue Haute 1"
    assert created.service == "travaux"
    assert created.get_local_roles() == ()  # no anonymous owner: the public does not see it
    assert http.get(created.absolute_url(), allow_redirects=False).status_code != 200


def test_bot_trap(world):
    data = {"field.description": "Spam", "address": "x", "contact_email": "bot@example.org",
            "website": "http://spam.example"}  # fmt: skip
    response = _submit(session(), world.problem, data)
    assert "This request cannot be accepted." in response.text
    assert _requests() == []


def test_eid_type_refuses_a_password_session(world):
    world.certificate.assurance = "eid"
    transaction.commit()
    response = session("citizen_a").get(f"{world.certificate.absolute_url()}/@@submit")
    assert "a password login is not enough" in response.text
    assert "field.nrn" not in response.text


def test_my_requests_and_new_request(world):
    mine = world.request(user="citizen_a")
    theirs = world.request(user="citizen_b")
    transaction.commit()
    page = session("citizen_a").get(f"{world.desk.absolute_url()}/@@my-requests")
    assert mine.tracking_number in page.text
    assert theirs.tracking_number not in page.text
    page = session("citizen_a").get(f"{world.desk.absolute_url()}/@@new-request")
    assert "Population / État civil" in page.text and "Travaux" in page.text
    assert f"{world.certificate.absolute_url()}/@@submit" in page.text
    world.certificate.active = False
    transaction.commit()
    page = session("citizen_a").get(f"{world.desk.absolute_url()}/@@new-request")
    assert f"{world.certificate.absolute_url()}/@@submit" not in page.text


def test_staff_listing_filters_and_csv(world):
    population = world.request()
    travaux = world.request(request_type=world.problem, values={"description": "Trou"})
    transaction.commit()
    url = f"{world.desk.absolute_url()}/@@requests-admin"
    page = session("editor").get(url)
    assert population.tracking_number in page.text
    assert travaux.tracking_number not in page.text  # another service's
    page = session("manager").get(url, params={"service": "travaux"})
    assert travaux.tracking_number in page.text
    assert population.tracking_number not in page.text
    page = session("manager").get(url, params={"state": "in_progress"})
    assert population.tracking_number not in page.text
    exported = session("editor").get(f"{url}.csv")
    assert exported.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert len(rows) == 2 and rows[1][0] == population.tracking_number


def test_batch_transition(world):
    first, second = world.request(), world.request(user="citizen_b")
    other = world.request(request_type=world.problem, values={"description": "Trou"})
    transaction.commit()
    http = session("reviewer")
    page = http.get(f"{world.desk.absolute_url()}/@@requests-admin")
    response = http.post(
        f"{world.desk.absolute_url()}/@@requests-batch",
        data={
            "_authenticator": authenticator(page),
            "transition": "take",
            "uids:list": [first.UID(), second.UID(), other.UID()],
        },  # fmt: skip
        allow_redirects=False,
    )
    assert response.status_code == 302
    transaction.begin()
    assert api.content.get_state(first) == api.content.get_state(second) == "in_progress"
    assert api.content.get_state(other) == "submitted"  # not the reviewer's service
    response = http.get(f"{world.desk.absolute_url()}/@@requests-batch", allow_redirects=False)
    assert response.status_code == 403  # no write on GET


def test_citizen_transitions_without_the_toolbar(world):
    """The citizen has no toolbar (nor its state menu) but the member tools, and
    gives the information asked for with a button of their request's page."""
    request = world.request()
    world.transition(request, "take", "ask_information")
    transaction.commit()
    http = session("citizen_a")
    page = http.get(request.absolute_url())
    assert 'id="edit-zone"' not in page.text and 'id="portal-membertools"' in page.text
    assert "Waiting for the citizen" in page.text
    assert re.search(r'value="provide_information"[^>]*>\s*Provide the information<', page.text)
    staff = session("editor").get(request.absolute_url()).text
    assert 'id="edit-zone"' in staff and "request-transitions" not in staff
    response = http.post(
        f"{request.absolute_url()}/content_status_modify",
        data={"_authenticator": authenticator(page), "workflow_action": "provide_information"},
    )
    assert response.status_code == 200
    transaction.begin()
    assert api.content.get_state(request) == "in_progress"
    assert "provide_information" not in http.get(request.absolute_url()).text


def test_messages_thread(world):
    request = world.request()
    transaction.commit()
    for login, text in (("citizen_a", "Merci !"), ("editor", "Votre certificat est prêt.")):
        http = session(login)
        page = http.get(request.absolute_url())
        data = {"_authenticator": authenticator(page), "text": text}
        response = http.post(f"{request.absolute_url()}/@@post-message", data=data)
        assert response.status_code == 200
    transaction.begin()
    assert [(m["text"], m["from_staff"]) for m in request.messages] == [
        ("Merci !", False), ("Votre certificat est prêt.", True)]  # fmt: skip
    page = session("citizen_b").post(f"{request.absolute_url()}/@@post-message",
                                      data={"text": "intrus"}, allow_redirects=False)  # fmt: skip
    assert page.status_code in (302, 401, 403)
    transaction.begin()
    assert len(request.messages) == 2


def test_request_type_rest_refuses_bad_definitions(world):
    http = session("siteadmin")
    bad = [{"id": "a", "label": "A", "type": "choice", "options": "one"}]
    response = http.post(
        world.desk.absolute_url(),
        headers={"Accept": "application/json"},
        json={
            "@type": "request_type",
            "title": "Bad",
            "service": "population",
            "field_definitions": bad,
        },  # fmt: skip
    )
    assert response.status_code == 400
    assert "needs at least two options, one per line." in response.text
    transaction.begin()
    assert "bad" not in world.desk.objectIds()


def test_request_rest_refuses_bad_values(world):
    http = session("citizen_a")
    data = {"@type": "citizen_request", "title": "Certificat",
            "request_type": world.certificate.UID(), "values": {"nrn": "85073003329",
                                                                "purpose": "School"}}  # fmt: skip
    response = http.post(world.desk.absolute_url(), headers={"Accept": "application/json"},
                         json=data)  # fmt: skip
    assert response.status_code == 400
    assert "is not a valid national register number" in response.text
    assert _requests() == []
    data["values"]["nrn"] = VALID_NRN
    response = http.post(world.desk.absolute_url(), headers={"Accept": "application/json"},
                         json=data)  # fmt: skip
    assert response.status_code == 201, response.text
    [created] = _requests()
    assert created.service == "population" and api.content.get_state(created) == "draft"
