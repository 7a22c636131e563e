"""REST: the types through plone.restapi, ``@agenda`` on a meeting, ``@votes`` on an item.

Over real HTTP (the functional layer) for what a client sees, and as adapters
(the integration layer) for the cheaper cases.
"""

from communesplone.meetings import agenda
from communesplone.meetings.interfaces import IMeetingsLayer
from communesplone.meetings.testing import build
from communesplone.meetings.testing import PASSWORD
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.textfield.value import RichTextValue
from plone.namedfile.file import NamedBlobFile
from zope.component import getMultiAdapter
from zope.interface import alsoProvides

import json
import pytest
import requests
import transaction


def http(login=None):
    """A session that speaks JSON, as ``login`` (None: anonymous)."""
    session = requests.Session()
    session.headers["Accept"] = "application/json"
    if login == SITE_OWNER_NAME:
        session.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    elif login:
        session.auth = (login, PASSWORD)
    return session


def decision(text):
    return RichTextValue(f"<p>{text}</p>", "text/html", "text/x-html-safe")


def frozen_agenda(world):
    """A frozen meeting with three items, presented in the reverse of their
    agenda order (the body orders by category): "Règlement" (administration),
    "Voirie" (travaux, population's), "Budget" (finances, secret)."""
    meeting = world.meeting()
    budget = world.validated_item("Budget", category="finances", privacy="secret")
    roads = world.validated_item("Voirie", service="population", category="travaux")
    rules = world.validated_item("Règlement", category="administration")
    for item in (budget, roads, rules):
        world.transition(item, "present")
    world.transition(meeting, "freeze")
    return meeting, rules, roads, budget


@pytest.fixture
def world(portal):
    return build(portal)


@pytest.fixture
def http_world(functional_portal):
    return build(functional_portal)


def test_agenda_over_http_is_ordered_and_filtered(http_world):
    world = http_world
    meeting, rules, roads, budget = frozen_agenda(world)
    transaction.commit()
    url = f"{meeting.absolute_url()}/@agenda"

    response = http("manager").get(url)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["@id"] == url
    assert answer["items"][0] == {
        "@id": rules.absolute_url(),
        "UID": rules.UID(),
        "title": "Règlement",
        "number": "1",
        "item_number": 100,
        "reference": f"2026/{meeting.meeting_number}/1",
        "review_state": "itemfrozen",
        "service": "travaux",
        "category": "administration",
        "privacy": "public",
        "list_type": "normal",
    }
    assert [(row["title"], row["number"]) for row in answer["items"]] == [
        ("Règlement", "1"),
        ("Voirie", "2"),
        ("Budget", "3"),
    ]
    assert [row["service"] for row in answer["items"]] == ["travaux", "population", "travaux"]

    # The frozen meeting is public, its public items too; the secret one never is.
    response = http().get(url)
    assert response.status_code == 200, response.text
    assert [row["number"] for row in response.json()["items"]] == ["1", "2"]
    # The population editor sees its own item, the public one, not the secret one.
    titles = [row["title"] for row in http("editor_b").get(url).json()["items"]]
    assert titles == ["Règlement", "Voirie"]
    # Travaux' editor sees its secret item too.
    titles = [row["title"] for row in http("editor_a").get(url).json()["items"]]
    assert titles == ["Règlement", "Voirie", "Budget"]


def test_agenda_patch_over_http(http_world):
    world = http_world
    meeting, rules, roads, budget = frozen_agenda(world)
    transaction.commit()
    url = f"{meeting.absolute_url()}/@agenda"

    response = http("manager").patch(url, json={"item": budget.UID(), "position": 1})
    assert response.status_code == 204, response.text
    response = http("manager").patch(
        url,
        json={"item": roads.UID(), "position": 2, "subitem": True},
        headers={"Prefer": "return=representation"},
    )
    assert response.status_code == 200, response.text
    assert [(row["title"], row["number"]) for row in response.json()["items"]] == [
        ("Budget", "1"),
        ("Voirie", "1.1"),
        ("Règlement", "2"),
    ]
    transaction.begin()
    assert [item.reference for item in agenda.items(meeting)] == [
        f"2026/{meeting.meeting_number}/{number}" for number in ("1", "1.1", "2")
    ]

    # Reordering is for those who may review the meeting: not its members, not editors.
    for login in ("member", "editor_a", None):
        response = http(login).patch(url, json={"item": rules.UID(), "position": 1})
        assert response.status_code == 401, (login, response.status_code)
    transaction.begin()
    assert [item.title for item in agenda.items(meeting)] == ["Budget", "Voirie", "Règlement"]


def test_votes_over_http(http_world):
    world = http_world
    meeting = world.meeting()
    item = world.validated_item("Budget", category="finances")
    world.transition(item, "present")
    world.transition(meeting, "freeze", "decide")
    transaction.commit()
    url = f"{item.absolute_url()}/@votes"

    answer = http("manager").get(url).json()
    assert answer["voters"] == [
        {"id": "dupont", "person": "Jean Dupont", "function": "Bourgmestre-Président"},
        {"id": "martin", "person": "Anne Martin", "function": "Échevine"},
        {"id": "leroy", "person": "Paul Leroy", "function": "Échevin"},
    ]
    assert (answer["votes"], answer["results"], answer["item_absents"]) == ([], [], [])

    public = {
        "label": "Sur l'ensemble",
        "secret": False,
        "voters": {"dupont": "yes", "martin": "yes", "leroy": "no"},
    }
    response = http("manager").patch(url, json={"votes": [public]})
    assert response.status_code == 204, response.text
    answer = http("manager").get(url).json()
    assert answer["votes"] == [public]
    assert answer["results"] == [{"yes": 2, "no": 1, "abstain": 0}]

    # Leroy leaves the room: a secret vote of the two others, in the same request.
    secret = {"label": "Amendement 1", "secret": True, "counts": {"yes": 1, "abstain": 1}}
    response = http("manager").patch(
        url,
        json={"votes": [secret], "item_absents": ["leroy"]},
        headers={"Prefer": "return=representation"},
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert [row["id"] for row in answer["voters"]] == ["dupont", "martin"]
    assert answer["item_absents"] == ["leroy"]
    assert answer["votes"] == [dict(secret, counts={"yes": 1, "no": 0, "abstain": 1})]
    assert answer["results"] == [{"yes": 1, "no": 0, "abstain": 1}]

    # Encoding votes is the meeting managers' job; members read them.
    assert http("member").get(url).json()["results"] == [{"yes": 1, "no": 0, "abstain": 1}]
    for login in ("member", "editor_a", None):
        response = http(login).patch(url, json={"votes": [public], "item_absents": []})
        assert response.status_code == 401, (login, response.status_code)
    transaction.begin()
    assert item.item_absents == ["leroy"]
    assert [vote["label"] for vote in item.votes] == ["Amendement 1"]


def test_types_as_json(http_world):
    world = http_world
    meeting = world.meeting()
    item = world.validated_item(
        "Budget",
        category="finances",
        decision=decision("Le budget est approuvé."),
        advices_asked=[{"service": "finances", "deadline_days": 10}],
    )
    with api.env.adopt_user(username="adviser"):
        advice = api.content.create(
            container=item,
            type="meeting_advice",
            id="finances",
            service="finances",
            advice_type="positive",
        )
    with api.env.adopt_user(username="manager"):
        annex = api.content.create(
            container=item,
            type="meeting_annex",
            id="cahier-des-charges",
            title="Cahier des charges",
            file=NamedBlobFile(b"%PDF-1.4", filename="cahier.pdf", contentType="application/pdf"),
        )
    world.transition(item, "present")
    world.transition(meeting, "freeze")
    transaction.commit()

    owner = http(SITE_OWNER_NAME)
    for obj, portal_type in (
        (world.college, "meeting_body"),
        (meeting, "meeting"),
        (item, "meeting_item"),
        (advice, "meeting_advice"),
        (annex, "meeting_annex"),
    ):
        response = owner.get(obj.absolute_url())
        assert response.status_code == 200, (portal_type, response.text)
        answer = response.json()
        assert (answer["@type"], answer["UID"]) == (portal_type, obj.UID())
    assert owner.get(world.college.absolute_url()).json()["categories"][0] == {
        "id": "administration",
        "title": "Administration générale",
    }
    assert owner.get(meeting.absolute_url()).json()["title"] == "Séance du 8 décembre 2026"
    answer = owner.get(item.absolute_url()).json()
    assert answer["category"]["token"] == "finances"
    assert answer["decision"]["data"] == "<p>Le budget est approuvé.</p>"
    answer = owner.get(advice.absolute_url()).json()
    assert (answer["title"], answer["advice_type"]["token"]) == ("Finances", "positive")
    assert owner.get(annex.absolute_url()).json()["file"]["filename"] == "cahier.pdf"

    # The frozen meeting is public, its public items too, but not their
    # decisions until they are published.
    answer = http().get(item.absolute_url()).json()
    assert answer.get("title") == "Budget", answer
    assert "decision" not in answer
    world.transition(meeting, "decide")
    world.transition(item, "accept")
    world.transition(meeting, "publish_decisions")
    transaction.commit()
    answer = http().get(item.absolute_url()).json()
    assert answer["decision"]["data"] == "<p>Le budget est approuvé.</p>"


# As adapters: the services themselves, on the integration layer.


def service(context, method, name, body=None, prefer=None):
    request = context.REQUEST
    alsoProvides(request, IMeetingsLayer)
    request["BODY"] = body if isinstance(body, (str, bytes)) else json.dumps(body or {})
    request.environ["HTTP_PREFER"] = prefer or ""
    request.response.setStatus(200)
    view = getMultiAdapter((context, request), name=f"{method}_application_json_{name}")
    return view.reply(), request.response.getStatus()


def test_agenda_adapters(world):
    meeting = world.meeting()
    first = world.validated_item("Un", category="administration")
    second = world.validated_item("Deux", category="travaux")
    for item in (first, second):
        world.transition(item, "present")

    with api.env.adopt_user(username="manager"):
        answer, status = service(meeting, "GET", "@agenda")
        assert status == 200
        assert [row["number"] for row in answer["items"]] == ["1", "2"]
        answer, status = service(
            meeting,
            "PATCH",
            "@agenda",
            {"item": second.UID(), "position": 1},
            prefer="return=representation",
        )
        assert status == 200
        assert [row["title"] for row in answer["items"]] == ["Deux", "Un"]
        answer, status = service(meeting, "PATCH", "@agenda", {"item": first.UID(), "position": 1})
        assert status == 204
        assert [item.title for item in agenda.items(meeting)] == ["Un", "Deux"]
    # Before the meeting is frozen, editors see their own service's items only.
    other = world.validated_item("Trois", service="population", category="finances")
    world.transition(other, "present")
    with api.env.adopt_user(username="editor_b"):
        answer, status = service(meeting, "GET", "@agenda")
        assert [row["title"] for row in answer["items"]] == ["Trois"]
    with api.env.adopt_user(username="editor_a"):
        answer, status = service(meeting, "GET", "@agenda")
        assert [row["title"] for row in answer["items"]] == ["Un", "Deux"]
        # An item the caller may not see is answered as one that does not exist.
        hidden, status = service(meeting, "PATCH", "@agenda", {"item": other.UID(), "position": 1})
        assert status == 400
        unknown, status = service(meeting, "PATCH", "@agenda", {"item": "0" * 32, "position": 1})
        assert hidden["error"]["message"] == unknown["error"]["message"].replace(
            "0" * 32, other.UID()
        )
    assert [item.title for item in agenda.items(meeting)] == ["Un", "Deux", "Trois"]


def test_votes_adapters(world):
    meeting = world.meeting()
    item = world.validated_item()
    world.transition(item, "present")
    world.transition(meeting, "freeze")
    with api.env.adopt_user(username="manager"):
        answer, status = service(item, "GET", "@votes")
        assert [row["id"] for row in answer["voters"]] == ["dupont", "martin", "leroy"]
        counts = {"yes": 2, "no": 0, "abstain": 0}
        answer, status = service(
            item,
            "PATCH",
            "@votes",
            {"votes": [{"label": "Ensemble", "secret": True, "counts": counts}]},
            prefer="return=representation",
        )
        assert status == 400
        assert answer["error"]["type"] == "BadRequest"
        assert "3 members present may vote" in answer["error"]["message"]
        answer, status = service(
            item,
            "PATCH",
            "@votes",
            {
                "votes": [{"label": "Ensemble", "secret": True, "counts": counts}],
                "item_absents": ["leroy"],
            },
            prefer="return=representation",
        )
        assert status == 200
        assert answer["results"] == [counts]
        assert item.item_absents == ["leroy"]
        # Leroy comes back: the stored vote no longer adds up, so nothing changes.
        answer, status = service(item, "PATCH", "@votes", {"item_absents": []})
        assert status == 400
        assert "2 votes, but 3 members present may vote" in answer["error"]["message"]
        assert item.item_absents == ["leroy"]
        assert item.votes[0]["counts"] == counts
