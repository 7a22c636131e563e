"""Bad input is refused with a clear message, and nothing changes.

- a transition that the current state does not allow, over REST and in the classic UI;
- a reorder of the agenda to an invalid position;
- votes that do not add up to the members present;
- deleting a meeting that holds decided items, over REST and in the classic UI;
- creating an item with a bad category or without a service.
"""

from communesplone.meetings import agenda
from communesplone.meetings.testing import build
from communesplone.meetings.testing import PASSWORD
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from zExceptions import BadRequest

import html
import pytest
import re
import requests
import transaction


JSON = {"Accept": "application/json"}
# The test site speaks English.
DECIDED_MEETING = "This meeting holds decided items: it cannot be deleted."


def http(login=None, accept_json=True):
    session = requests.Session()
    if accept_json:
        session.headers.update(JSON)
    if login == SITE_OWNER_NAME:
        session.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    elif login:
        session.auth = (login, PASSWORD)
    return session


def error_messages(page):
    """The error status messages of a classic page, without their icon and label."""
    found = re.findall(
        r'<div class="portalMessage[^"]*alert-danger[^"]*"[^>]*>(.*?)</div>', page, re.S
    )
    messages = []
    for block in found:
        block = re.sub(r"<svg.*?</svg>|<strong>.*?</strong>", "", block, flags=re.S)
        messages.append(" ".join(html.unescape(re.sub(r"<[^>]+>", " ", block)).split()))
    return messages


def authenticator(session, url):
    """The CSRF token of the pages that ``session`` gets."""
    page = session.get(url)
    assert page.status_code == 200, page.status_code
    found = re.search(
        r'name="_authenticator" value="([^"]+)"|_authenticator=([0-9a-f]+)', page.text
    )
    return found.group(1) or found.group(2)


@pytest.fixture
def world(portal):
    return build(portal)


@pytest.fixture
def http_world(functional_portal):
    return build(functional_portal)


def decided_meeting(world):
    """A decided meeting with an accepted item and a frozen one."""
    meeting = world.meeting()
    accepted = world.validated_item("Budget", category="finances")
    pending = world.validated_item("Voirie", category="travaux")
    for item in (accepted, pending):
        world.transition(item, "present")
    world.transition(meeting, "freeze", "decide")
    world.transition(accepted, "accept")
    return meeting, accepted, pending


def test_transition_not_allowed_over_rest_and_classic_ui(http_world):
    world = http_world
    meeting = world.meeting()
    item = world.validated_item()
    transaction.commit()
    manager = http("manager")

    # REST: plone.restapi's @workflow, with a message that says what was refused.
    response = manager.post(f"{item.absolute_url()}/@workflow/accept", json={})
    assert response.status_code == 400
    assert response.json()["error"] == {
        "type": "WorkflowException",
        "message": '"Accept" is not possible for you in the current state ("Validated"): '
        "nothing was changed.",
    }
    response = manager.post(f"{meeting.absolute_url()}/@workflow/close", json={})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        '"Close" is not possible for you in the current state ("Created"): nothing was changed.'
    )
    response = manager.post(f"{item.absolute_url()}/@workflow/no-such-thing", json={})
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith('"no-such-thing" is not possible')
    # A reviewer may not present (the guard is the meeting managers' permission).
    response = http("reviewer").post(f"{item.absolute_url()}/@workflow/present", json={})
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith('"Present" is not possible')
    transaction.begin()
    assert api.content.get_state(item) == "validated"
    assert api.content.get_state(meeting) == "created"
    assert item.meeting_uid is None

    # Classic UI: content_status_modify refuses it with an error message.
    browser = http("manager", accept_json=False)
    token = authenticator(browser, item.absolute_url())
    page = browser.get(
        f"{item.absolute_url()}/content_status_modify",
        params={"workflow_action": "accept", "_authenticator": token},
    )
    assert page.status_code == 200
    assert page.url == item.absolute_url()
    assert error_messages(page.text) == [
        '"Accept" is not possible for you in the current state ("Validated"): nothing was changed.'
    ]
    assert "Item state changed." not in page.text
    transaction.begin()
    assert api.content.get_state(item) == "validated"
    # A transition that is allowed still goes through.
    page = browser.get(
        f"{item.absolute_url()}/content_status_modify",
        params={"workflow_action": "present", "_authenticator": token},
    )
    assert page.status_code == 200 and error_messages(page.text) == []
    transaction.begin()
    assert api.content.get_state(item) == "presented"
    assert item.meeting_uid == meeting.UID()


def test_refused_reorder_and_votes_over_rest(http_world):
    world = http_world
    meeting, accepted, pending = decided_meeting(world)
    transaction.commit()
    manager = http("manager")

    url = f"{meeting.absolute_url()}/@agenda"
    refusals = [
        ({"item": pending.UID(), "position": 3}, "The position must be between 1 and 2."),
        ({"item": pending.UID(), "position": 0}, "The position must be between 1 and 2."),
        ({"item": pending.UID(), "position": "first"}, "The position must be between 1 and 2."),
        (
            {"item": pending.UID(), "position": 1, "subitem": True},
            "The first item cannot be a sub-item.",
        ),
        (
            {"item": pending.UID(), "position": 1, "subitem": "yes"},
            '"subitem" must be true or false.',
        ),
        ({"item": "nope", "position": 1}, 'This meeting has no item "nope" on its agenda.'),
    ]
    for body, message in refusals:
        response = manager.patch(url, json=body)
        assert response.status_code == 400, (body, response.text)
        assert response.json() == {"error": {"type": "BadRequest", "message": message}}
    response = manager.patch(url, data="{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "The body must be a JSON object."

    url = f"{pending.absolute_url()}/@votes"
    refusals = [
        (
            {"votes": [{"label": "Ensemble", "secret": True, "counts": {"yes": 2}}]},
            'Vote "Ensemble": 2 votes, but 3 members present may vote.',
        ),
        (
            {"votes": [{"label": "Ensemble", "voters": {"dupont": "yes", "martin": "no"}}]},
            'Vote "Ensemble": 1 members present have no vote: leroy.',
        ),
        (
            {"votes": [{"label": "Ensemble", "voters": {"dupont": "yes", "godin": "yes"}}]},
            'Vote "Ensemble": godin may not vote on this item (absent or not members).',
        ),
        (
            {
                "votes": [{"label": "Ensemble", "secret": True, "counts": {"yes": 3}}],
                "item_absents": ["leroy", "durand"],
            },
            "Unknown members: durand.",
        ),
        (
            {
                "votes": [{"label": "Ensemble", "secret": True, "counts": {"yes": 3}}],
                "item_absents": ["leroy"],
            },
            'Vote "Ensemble": 3 votes, but 2 members present may vote.',
        ),
    ]
    for body, message in refusals:
        response = manager.patch(url, json=body)
        assert response.status_code == 400, (body, response.text)
        assert response.json() == {"error": {"type": "BadRequest", "message": message}}

    transaction.begin()
    assert [item.title for item in agenda.items(meeting)] == ["Voirie", "Budget"]
    assert [item.item_number for item in agenda.items(meeting)] == [100, 200]
    assert not pending.is_subitem
    assert (pending.votes, pending.item_absents) == ((), ())
    assert "item_absents" not in pending.__dict__


def test_delete_meeting_with_decided_items_over_rest_and_classic_ui(http_world):
    world = http_world
    meeting, accepted, pending = decided_meeting(world)
    transaction.commit()
    url = meeting.absolute_url()

    response = http(SITE_OWNER_NAME).delete(url)
    assert response.status_code == 400
    assert response.json()["message"] == DECIDED_MEETING
    assert response.json()["type"] == "BadRequest"
    transaction.begin()
    assert meeting.getId() in world.college
    assert pending.meeting_uid == meeting.UID() and pending.item_number == 100

    # Plone's delete confirmation: the meeting stays, the reason is shown on it.
    browser = http(SITE_OWNER_NAME, accept_json=False)
    token = authenticator(browser, f"{url}/delete_confirmation")
    page = browser.post(
        f"{url}/delete_confirmation",
        data={"form.buttons.Delete": "Delete", "_authenticator": token},
    )
    assert page.status_code == 200
    assert page.url == url
    assert error_messages(page.text) == [DECIDED_MEETING]
    transaction.begin()
    assert meeting.getId() in world.college
    assert [item.title for item in agenda.items(meeting)] == ["Voirie", "Budget"]
    catalog = api.portal.get_tool("portal_catalog")
    assert len(catalog.unrestrictedSearchResults(UID=meeting.UID())) == 1
    assert api.content.get_state(accepted) == "accepted"

    # A meeting without decided items may go: its items go back to validated.
    other = world.meeting(meeting.date.replace(day=15))
    item = world.validated_item("Éclairage")
    world.transition(item, "present")
    transaction.commit()
    response = http(SITE_OWNER_NAME).delete(other.absolute_url())
    assert response.status_code == 204, response.text
    transaction.begin()
    assert other.getId() not in world.college
    assert api.content.get_state(item) == "validated" and item.meeting_uid is None


def test_meeting_with_decided_items_is_kept(world):
    meeting, accepted, pending = decided_meeting(world)
    with api.env.adopt_roles(["Manager"]), pytest.raises(BadRequest) as refused:
        api.content.delete(obj=meeting)
    assert str(refused.value) == DECIDED_MEETING
    assert meeting.getId() in world.college
    assert pending.meeting_uid == meeting.UID()


def test_item_with_bad_category_or_no_service_is_not_created(http_world):
    world = http_world
    transaction.commit()
    editor = http("editor_a")
    url = world.college.absolute_url()

    response = editor.post(
        url,
        json={
            "@type": "meeting_item",
            "title": "Voirie",
            "service": "travaux",
            "category": "sport",
        },
    )
    assert response.status_code == 400
    assert response.json()["type"] == "BadRequest"
    assert response.json()["message"] == (
        "[{'message': 'Constraint not satisfied', 'field': 'category', 'error': 'ValidationError'}]"
    )
    response = editor.post(url, json={"@type": "meeting_item", "title": "Voirie"})
    assert response.status_code == 400
    assert response.json()["message"] == (
        "[{'message': 'Required input is missing.', 'field': 'service', "
        "'error': 'ValidationError'}]"
    )
    transaction.begin()
    assert not api.content.find(portal_type="meeting_item", unrestricted=True)
    # The same item, well formed, is created.
    response = editor.post(
        url,
        json={
            "@type": "meeting_item",
            "title": "Voirie",
            "service": "travaux",
            "category": "travaux",
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["category"]["token"] == "travaux"
