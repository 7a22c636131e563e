"""REST round-trip of a licence and of its events, over real HTTP: what the staff
post is stored and read back; the licence is named after its reference; bad
input is refused with the schema's message; fixed fields stay fixed."""

from communesplone.urban import testing
from communesplone.urban.constants import DESK_ID
from communesplone.urban.testing import PASSWORD

import datetime
import pytest
import requests
import transaction


def http(login):
    session = requests.Session()
    session.headers["Accept"] = "application/json"
    session.auth = (login, PASSWORD)
    return session


APPLICANT = {
    "civility": "mr",
    "name": "Dupont",
    "first_name": "Jean",
    "address": "Rue Haute 1, 5000 Namur",
    "phone": "081 00 00 00",
    "email": "jean.dupont@example.org",
    "company": None,
    "bce_number": None,
}
LICENCE = {
    "@type": "urban_permit",
    "licence_type": "building_permit",
    "subject": "Construction d'une maison",
    "works_description": "Une maison unifamiliale.",
    "applicants": [APPLICANT],
    "work_locations": [
        {"street": "Rue de l'Église", "number": "12", "postal_code": "5000", "city": "Namur"}
    ],
    "parcels": [
        {
            "division": "92094",
            "section": "A",
            "radical": "123",
            "bis": "",
            "exposant": "B",
            "puissance": "",
            "partie": False,
        }
    ],
    "road_type": "municipal",
    "coating": "gutters",
    "road_equipments": ["water", "electricity", "separate_sewer"],
    "zone": "housing",
    "dwellings_before": 0,
    "dwellings_after": 1,
    "internal_notes": "Voir le dossier voisin.",
}


@pytest.fixture
def desk_url(functional_portal):
    testing.build(functional_portal)
    transaction.commit()
    return functional_portal[DESK_ID].absolute_url()


def token(value):
    return value["token"] if isinstance(value, dict) else value


def test_licence_and_events_round_trip(desk_url):
    editor = http("editor")
    year = datetime.date.today().year
    created = editor.post(desk_url, json=LICENCE)
    assert created.status_code == 201, created.text
    url = created.json()["@id"]
    assert url == f"{desk_url}/pu-{year}-0001"
    got = editor.get(url).json()
    assert got["reference"] == f"PU/{year}/0001"
    assert got["title"] == f"PU/{year}/0001 – Construction d'une maison"
    assert token(got["licence_type"]) == "building_permit"
    assert token(got["road_type"]) == "municipal"
    assert sorted(token(v) for v in got["road_equipments"]) == [
        "electricity",
        "separate_sewer",
        "water",
    ]
    assert [dict(row) for row in got["applicants"]][0]["name"] == "Dupont"
    assert got["parcels"][0]["radical"] == "123"
    assert got["internal_notes"] == "Voir le dossier voisin."
    assert token(got["service"]) == "urbanisme"
    assert got["review_state"] == "deposit"

    assert editor.patch(url, json={"subject": "Deux maisons"}).status_code == 204
    assert editor.get(url).json()["subject"] == "Deux maisons"

    event = editor.post(
        url,
        json={"@type": "urban_event", "event_type": "deposit", "event_date": "2026-03-01"},
    )
    assert event.status_code == 201, event.text
    assert editor.get(event.json()["@id"]).json()["event_date"] == "2026-03-01"
    assert editor.post(f"{url}/@workflow/declare_complete").status_code == 200
    decision = editor.post(
        url,
        json={
            "@type": "urban_decision",
            "event_type": "college_decision",
            "event_date": "2026-05-04",
            "decision": "granted",
        },
    )
    assert decision.status_code == 201, decision.text
    got = editor.get(url).json()
    assert token(got["decision"]) == "granted"
    assert got["decision_date"] == "2026-05-04"


def refusal(response):
    assert response.status_code == 400, response.text
    return response.text


def test_bad_input_refused(desk_url):
    editor = http("editor")
    # a licence type of another family (a declaration's) for a permit
    assert "not of this kind of file" in refusal(
        editor.post(desk_url, json={**LICENCE, "licence_type": "planning_declaration"})
    )
    assert "licence_type" in refusal(
        editor.post(desk_url, json={**LICENCE, "licence_type": "no_such_type"})
    )
    assert "road_type" in refusal(editor.post(desk_url, json={**LICENCE, "road_type": "highway"}))
    url = editor.post(desk_url, json=LICENCE).json()["@id"]
    # the licence type is fixed once chosen; the reference and decision are read-only
    assert "then fixed" in refusal(editor.patch(url, json={"licence_type": "single_permit"}))
    editor.patch(url, json={"reference": "HACK/1", "decision": "granted"})
    got = editor.get(url).json()
    assert got["reference"] != "HACK/1" and got["decision"] is None
    # an event type of another kind (an opinion request's) for a plain event
    assert "not of this kind of event" in refusal(
        editor.post(url, json={"@type": "urban_event", "event_type": "opinion_fd"})
    )
    assert "ends before it starts" in refusal(
        editor.post(
            url,
            json={
                "@type": "urban_inquiry",
                "event_type": "inquiry",
                "start_date": "2026-05-10",
                "end_date": "2026-05-01",
            },
        )
    )


def test_an_opinion_is_received_over_rest_only_once_recorded(desk_url):
    """The workflow's guard: ``@workflow/receive`` is refused until the opinion given
    is recorded on the request (as the page's form records it first)."""
    editor = http("editor")
    url = editor.post(desk_url, json=LICENCE).json()["@id"]
    for event_type in ("deposit", "receipt"):
        posted = editor.post(
            url, json={"@type": "urban_event", "event_type": event_type, "event_date": "2026-03-02"}
        )
        assert posted.status_code == 201, posted.text
    posted = editor.post(
        url,
        json={
            "@type": "urban_opinion_request",
            "event_type": "opinion_fd",
            "event_date": "2026-03-03",
        },
    )
    assert posted.status_code == 201, posted.text
    request = posted.json()["@id"]
    assert editor.post(f"{request}/@workflow/send").status_code == 200
    refused = editor.post(f"{request}/@workflow/receive")
    assert refused.status_code == 400, refused.text
    got = editor.get(request).json()
    assert got["review_state"] == "sent" and got["received_date"] is None
    # an opinion outside the vocabulary is refused by the schema
    assert editor.patch(request, json={"opinion": "perhaps"}).status_code == 400
    assert editor.patch(request, json={"opinion": "favorable"}).status_code == 204
    received = editor.post(f"{request}/@workflow/receive")
    assert received.status_code == 200, received.text
    got = editor.get(request).json()
    assert got["review_state"] == "received"
    assert got["received_date"] == datetime.date.today().isoformat()
