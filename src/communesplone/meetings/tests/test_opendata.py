"""Open decision data: an item's JSON, a meeting's CSV and JSON, the yearly exports.

The college has a meeting of March 2026 (decisions published) with a public
item whose texts name Sophie Lambert, marked as personal data, voted by roll
call, and a secret item; and a meeting of 2025 with one public item. What is
exported follows the caller's permissions, never lists a secret item, and
masks the marked spans for everyone.
"""

from communesplone.core.i18n import request_language
from communesplone.meetings import masking
from communesplone.meetings import opendata
from communesplone.meetings import votes
from communesplone.meetings.interfaces import IMeetingsLayer
from communesplone.meetings.testing import build
from communesplone.meetings.testing import PASSWORD
from datetime import datetime
from plone import api
from plone.app.testing import logout
from plone.app.textfield.value import RichTextValue
from types import SimpleNamespace
from zope.interface import alsoProvides

import csv
import io
import json
import pytest
import requests
import transaction


NAME = "Sophie Lambert"
IBAN = "BE68 5390 0754 7034"


def rich(html):
    return RichTextValue(html, "text/html", "text/x-html-safe")


def marked(text):
    return f'<span class="personal-data">{text}</span>'


def scenario(world, publish=True):
    meeting = world.meeting(datetime(2026, 3, 10, 20, 0))
    prime = world.validated_item(
        "Prime à la rénovation",
        category=world.college.categories[0]["id"],
        motivation=rich(f"<p>Vu la demande de Madame {marked(NAME)} ;</p>"),
        decision=rich(f"<p>Octroie la prime à Madame {marked(NAME)}, compte {marked(IBAN)}.</p>"),
    )
    secret = world.validated_item(
        "Dossier disciplinaire", privacy="secret", decision=rich("<p>Sanction.</p>")
    )
    for item in (prime, secret):
        world.transition(item, "present")
    world.transition(meeting, "freeze", "decide")
    voters = [row["id"] for row in votes.voters(prime)]
    ballot = dict.fromkeys(voters, "yes")
    ballot[voters[-1]] = "no"
    votes.encode(prime, [{"label": "Sur l'ensemble", "voters": ballot}])
    world.transition(prime, "accept")
    world.transition(secret, "accept")
    if publish:
        world.transition(meeting, "publish_decisions")
    older = world.meeting(datetime(2025, 6, 3, 20, 0))
    old_item = world.validated_item("Budget 2025", decision=rich("<p>Approuve le budget.</p>"))
    world.transition(old_item, "present")
    world.transition(older, "freeze", "decide")
    world.transition(old_item, "accept")
    world.transition(older, "publish_decisions")
    return SimpleNamespace(
        world=world,
        college=world.college,
        meeting=meeting,
        prime=prime,
        secret=secret,
        voters=voters,
        older=older,
        old_item=old_item,
    )


@pytest.fixture
def s(portal):
    alsoProvides(portal.REQUEST, IMeetingsLayer)
    return scenario(build(portal))


# Integration: the shapes -------------------------------------------------------------


def test_item_json_is_the_rest_shape_with_masked_texts(s):
    logout()
    request = s.prime.REQUEST
    data = opendata.item_json(s.prime, request)
    # plone.restapi's serialisation of the item
    assert data["@id"] == s.prime.absolute_url()
    assert data["@type"] == "meeting_item"
    assert data["UID"] == s.prime.UID()
    assert data["review_state"] == "accepted"
    assert data["title"] == "Prime à la rénovation"
    assert data["reference"] == s.prime.reference
    assert data["decision"]["content-type"] == "text/html"
    # masked texts, the placeholder in the answer's language
    placeholder = masking.placeholder(request_language(request))
    assert data["decision"]["data"] == (
        f'<p>Octroie la prime à Madame <span class="masked-personal-data">{placeholder}</span>, '
        f'compte <span class="masked-personal-data">{placeholder}</span>.</p>'
    )
    assert NAME not in json.dumps(data, ensure_ascii=False)
    assert IBAN not in json.dumps(data, ensure_ascii=False)
    # the open data keys
    assert data["meeting"] == {
        "@id": s.meeting.absolute_url(),
        "title": s.meeting.Title(),
        "date": "2026-03-10T20:00:00",
    }
    assert data["number"] == "1"
    assert data["category_title"] == s.college.categories[0]["title"]
    assert data["outcome"] == "accepted"
    (call,) = data["roll_call"]
    assert call["label"] == "Sur l'ensemble" and call["secret"] is False
    assert call["results"]["yes"] == len(s.voters) - 1 and call["results"]["no"] == 1
    assert [voter["id"] for voter in call["voters"]] == s.voters
    assert call["voters"][0]["person"] == s.college.member(s.voters[0])["person"]
    assert call["voters"][-1]["vote"] == "no"


def test_item_json_before_publication_has_no_decision(portal):
    alsoProvides(portal.REQUEST, IMeetingsLayer)
    s = scenario(build(portal), publish=False)
    logout()
    data = opendata.item_json(s.prime, s.prime.REQUEST)
    assert data["title"] == "Prime à la rénovation"
    assert "decision" not in data
    assert data["outcome"] is None and data["roll_call"] == []
    assert opendata.year_items(s.college, 2026) == []
    # the meeting manager reads it, masked all the same
    with api.env.adopt_user(username="manager"):
        data = opendata.item_json(s.prime, s.prime.REQUEST)
        assert masking.placeholder() in data["decision"]["data"]
        assert NAME not in data["decision"]["data"]


def test_meeting_csv(s):
    logout()
    rows = list(csv.DictReader(io.StringIO(opendata.to_csv(opendata.meeting_items(s.meeting)))))
    (row,) = rows  # the secret item is not listed
    assert list(row) == list(opendata.COLUMNS)
    assert row["title"] == "Prime à la rénovation"
    assert row["reference"] == s.prime.reference
    assert row["meeting"] == s.meeting.Title()
    assert row["meeting_date"] == "2026-03-10T20:00:00"
    assert row["outcome"] == "accepted"
    placeholder = masking.placeholder()
    assert row["decision"] == f"Octroie la prime à Madame {placeholder}, compte {placeholder}."
    assert (row["yes"], row["no"], row["abstain"]) == (str(len(s.voters) - 1), "1", "0")
    people = [s.college.member(member)["person"] for member in s.voters]
    assert row["roll_call"] == "; ".join(
        f"{person}: {'no' if i == len(people) - 1 else 'yes'}" for i, person in enumerate(people)
    )
    assert row["url"] == s.prime.absolute_url()


def test_a_secret_item_is_never_listed(s):
    for user in ("manager", "member"):
        with api.env.adopt_user(username=user):
            assert api.user.has_permission("View", obj=s.secret)
            assert opendata.meeting_items(s.meeting) == [s.prime]
            assert opendata.year_items(s.college, 2026) == [s.prime]


def test_yearly_export(s):
    logout()
    assert opendata.year_items(s.college, 2026) == [s.prime]
    assert opendata.year_items(s.college, 2025) == [s.old_item]
    assert opendata.year_items(s.college, 2024) == []
    listing = opendata.listing("x", opendata.year_items(s.college, 2025), s.college.REQUEST)
    assert listing["items_total"] == 1
    assert listing["items"][0]["decision"]["data"] == "<p>Approuve le budget.</p>"


# Over HTTP: stable URLs, and no masked name in any public output ------------------------


@pytest.fixture
def site(functional_portal):
    alsoProvides(functional_portal.REQUEST, IMeetingsLayer)
    result = scenario(build(functional_portal))
    transaction.commit()
    return result


def get(url, user=None, json_api=False):
    headers = {"Accept": "application/json"} if json_api else {}
    auth = (user, PASSWORD) if user else None
    response = requests.get(url, headers=headers, auth=auth, timeout=60)
    assert response.status_code == 200, (url, response.status_code, response.text[:500])
    return response


def test_http_open_data_urls(site):
    item_url, meeting_url, body_url = (
        site.prime.absolute_url(),
        site.meeting.absolute_url(),
        site.college.absolute_url(),
    )
    data = get(f"{item_url}/@@decision.json").json()
    assert data["@id"] == item_url and data["outcome"] == "accepted"
    assert get(f"{item_url}/@decision", json_api=True).json() == data
    listing = get(f"{meeting_url}/@@decisions.json").json()
    assert [entry["@id"] for entry in listing["items"]] == [item_url]
    rest = get(f"{meeting_url}/@decisions", json_api=True).json()
    assert [entry["@id"] for entry in rest["items"]] == [item_url]
    response = get(f"{meeting_url}/@@decisions.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["url"] for row in rows] == [item_url]
    yearly = get(f"{body_url}/@@decisions/2026.json").json()
    assert [entry["@id"] for entry in yearly["items"]] == [item_url]
    assert yearly["@id"] == f"{body_url}/@@decisions/2026.json"
    rows = list(csv.DictReader(io.StringIO(get(f"{body_url}/@@decisions/2025.csv").text)))
    assert [row["url"] for row in rows] == [site.old_item.absolute_url()]
    rest = get(f"{body_url}/@decisions?year=2025", json_api=True).json()
    assert [entry["@id"] for entry in rest["items"]] == [site.old_item.absolute_url()]
    bad = requests.get(
        f"{body_url}/@decisions?year=twenty", headers={"Accept": "application/json"}, timeout=60
    )
    assert bad.status_code == 400
    assert requests.get(f"{body_url}/@@decisions/2026.xml", timeout=60).status_code == 404
    # a secret item: not viewable anonymously, so no JSON of it either
    secret = requests.get(f"{site.secret.absolute_url()}/@@decision.json", timeout=60)
    assert secret.status_code in (401, 403) or "login" in secret.url


def test_http_no_masked_name_in_any_public_output(site):
    item_url, meeting_url, body_url = (
        site.prime.absolute_url(),
        site.meeting.absolute_url(),
        site.college.absolute_url(),
    )
    public_outputs = {
        "public page": get(f"{body_url}/@@public-meetings").text,
        "archive": get(f"{body_url}/@@decisions-archive").text,
        "rss": get(f"{body_url}/@@decisions.rss").text,
        "item page": get(item_url).text,
        "REST item": get(item_url, json_api=True).text,
        "REST @decision": get(f"{item_url}/@decision", json_api=True).text,
        "decision.json": get(f"{item_url}/@@decision.json").text,
        "meeting CSV": get(f"{meeting_url}/@@decisions.csv").text,
        "meeting JSON": get(f"{meeting_url}/@@decisions.json").text,
        "yearly CSV": get(f"{body_url}/@@decisions/2026.csv").text,
        "yearly JSON": get(f"{body_url}/@@decisions/2026.json").text,
        # even for the staff, what is published is masked
        "public page (manager)": get(f"{body_url}/@@public-meetings", user="manager").text,
        "yearly JSON (manager)": get(f"{body_url}/@@decisions/2026.json", user="manager").text,
    }
    # the placeholder is in the page's language (the site's, or the commune's)
    placeholders = {masking.placeholder(language) for language in ("fr", "nl", "en")}
    placeholders |= {json.dumps(each)[1:-1] for each in placeholders}  # as JSON escapes it
    for name, text in public_outputs.items():
        assert "Octroie la prime" in text, name
        assert "Lambert" not in text and "5390" not in text, name
        assert any(each in text for each in placeholders), name
    # no search finds the item by the masked name
    archive = get(f"{body_url}/@@decisions-archive?text=Lambert").text
    assert "Prime à la rénovation" not in archive
    assert "Prime à la rénovation" in get(f"{body_url}/@@decisions-archive?text=demande").text
    # the staff read the full text on the item's page and over REST
    assert NAME in get(item_url, user="member").text
    assert NAME in get(item_url, user="manager", json_api=True).json()["decision"]["data"]
