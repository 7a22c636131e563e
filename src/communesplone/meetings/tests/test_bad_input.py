"""Bad input is refused with a clear message, and nothing changes.

- a transition that the current state does not allow, over REST and in the classic UI;
- a reorder of the agenda to an invalid position;
- votes that do not add up to the members present;
- deleting a meeting that holds decided items, over REST and in the classic UI;
- creating an item with a bad category or without a service;
- an item for a service the user may not propose for: in the add form, from
  an item template and over REST, with the same message.
"""

from communesplone.meetings import agenda
from communesplone.meetings.constants import ITEM_WORKFLOW
from communesplone.meetings.testing import build
from communesplone.meetings.testing import PASSWORD
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from zExceptions import BadRequest

import ast
import html
import json
import pytest
import re
import requests
import transaction


JSON = {"Accept": "application/json"}
# The test site speaks English.
DECIDED_MEETING = (
    'The meeting "Séance du 8 décembre 2026" holds decided items: it cannot be deleted.'
)
NOT_YOUR_SERVICE = 'You may not propose items for the service "{}": choose one of your services.'


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
        r'name="_authenticator"[^>]*?value="([^"]+)"|_authenticator=([0-9a-f]+)', page.text
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


def test_transition_to_the_current_state_is_refused(http_world):
    """plone.restapi answers 200 to a transition whose destination is the
    current state, as if it were done: here it is a 400, as in the classic UI,
    and nothing is written (not even the effective date)."""
    world = http_world
    meeting = world.meeting()
    item = world.validated_item()
    world.transition(meeting, "freeze")
    history = len(item.workflow_history[ITEM_WORKFLOW])
    transaction.commit()
    manager = http("manager")

    response = manager.post(f"{item.absolute_url()}/@workflow/validate", json={})
    assert response.status_code == 400, response.text
    assert response.json()["error"] == {
        "type": "WorkflowException",
        "message": '"Validate" is not possible: the current state is already "Validated". '
        "Nothing was changed.",
    }
    response = manager.post(f"{meeting.absolute_url()}/@workflow/freeze", json={})
    assert response.status_code == 400, response.text
    assert response.json()["error"]["message"] == (
        '"Freeze" is not possible: the current state is already "Frozen". Nothing was changed.'
    )
    # A transition refused for another reason writes nothing either.
    response = manager.post(f"{item.absolute_url()}/@workflow/accept", json={})
    assert response.status_code == 400, response.text

    browser = http("manager", accept_json=False)
    token = authenticator(browser, item.absolute_url())
    page = browser.get(
        f"{item.absolute_url()}/content_status_modify",
        params={"workflow_action": "validate", "_authenticator": token},
    )
    assert error_messages(page.text) == [
        '"Validate" is not possible: the current state is already "Validated". Nothing was changed.'
    ]
    transaction.begin()
    assert api.content.get_state(item) == "validated"
    assert len(item.workflow_history[ITEM_WORKFLOW]) == history
    assert item.EffectiveDate() == "None"
    # The transition that is possible is still done.
    response = manager.post(f"{item.absolute_url()}/@workflow/present", json={})
    assert response.status_code == 200, response.text
    transaction.begin()
    assert api.content.get_state(item) == "itemfrozen"


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
            'Vote "Ensemble": 1 member present has no vote: leroy.',
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
            "durand are not members present at the meeting.",
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


def test_uninstall_removes_bodies_with_decided_meetings(world):
    """The refusal protects decisions from users; uninstalling the application
    (which says that it removes bodies, meetings and items) still removes them."""
    from plone.base.utils import get_installer

    meeting, accepted, pending = decided_meeting(world)
    with api.env.adopt_roles(["Manager"]), pytest.raises(BadRequest):
        api.content.delete(obj=meeting)
    installer = get_installer(world.portal, world.portal.REQUEST)
    assert installer.uninstall_product("communesplone.meetings")
    assert "college" not in world.portal.objectIds()
    catalog = api.portal.get_tool("portal_catalog")
    assert len(catalog.unrestrictedSearchResults(UID=meeting.UID())) == 0
    assert installer.install_product("communesplone.meetings")


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

    # Folder contents' delete action: the same reason, among its errors; the
    # other objects selected are deleted. The same for the body, from the
    # site's folder contents: the meeting would go with it.
    other = world.item("Brouillon")
    transaction.commit()
    token = authenticator(browser, f"{world.college.absolute_url()}/folder_contents")
    response = browser.post(
        f"{world.college.absolute_url()}/@@fc-delete",
        data={"selection": json.dumps([meeting.UID(), other.UID()]), "_authenticator": token},
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "status": "warning",
        "msg": f"Failed to delete items: {DECIDED_MEETING}",
    }
    response = browser.post(
        f"{world.portal.absolute_url()}/@@fc-delete",
        data={"selection": json.dumps([world.college.UID()]), "_authenticator": token},
    )
    assert response.json()["msg"] == f"Failed to delete items: {DECIDED_MEETING}"
    transaction.begin()
    assert meeting.getId() in world.college and other.getId() not in world.college
    assert world.college.getId() in world.portal
    assert len(catalog.unrestrictedSearchResults(UID=meeting.UID())) == 1
    assert len(catalog.unrestrictedSearchResults(UID=world.college.UID())) == 1
    assert [item.title for item in agenda.items(meeting)] == ["Voirie", "Budget"]

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
    assert rest_errors(response) == [
        {
            "message": '"sport" is not one of the categories of Collège communal.',
            "field": "category",
            "error": "ValidationError",
        }
    ]
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


def rest_errors(response):
    """plone.restapi's list of field errors, which it sends as the text of a list."""
    return ast.literal_eval(response.json()["message"])


def add_form(session, container, service, title="Hors service"):
    """Submit the classic add form of an item in ``container``; return the page."""
    url = f"{container.absolute_url()}/++add++meeting_item"
    token = authenticator(session, url)
    return session.post(
        url,
        data={
            "form.widgets.IBasic.title": title,
            "form.widgets.service:list": service,
            "form.widgets.service-empty-marker": "1",
            "form.widgets.privacy:list": "public",
            "form.widgets.privacy-empty-marker": "1",
            "form.buttons.save": "Save",
            "_authenticator": token,
        },
    )


def field_errors(page):
    """The texts of the field errors of a classic form."""
    found = re.findall(r'<div class="invalid-feedback[^"]*"[^>]*>(.*?)</div>', page, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", block)).split()) for block in found]


def items_titled(title):
    catalog = api.portal.get_tool("portal_catalog")
    return catalog.unrestrictedSearchResults(portal_type="meeting_item", Title=title)


def test_item_for_another_service_is_refused_with_the_same_message_everywhere(http_world):
    """Travaux' editor may not propose an item for Population: not in the add
    form, not from Population's item template, not over REST (POST or PATCH)."""
    world = http_world
    world.college.item_templates = [
        {"title": "Concession de sépulture", "service": "population", "category": None}
    ]
    own = world.item("Mon point")
    transaction.commit()
    refusal = NOT_YOUR_SERVICE.format("Population")
    url = world.college.absolute_url()

    # REST: the field's own reason, not zope.schema's "Constraint not satisfied".
    rest = http("editor_a")
    response = rest.post(
        url, json={"@type": "meeting_item", "title": "Hors service", "service": "population"}
    )
    assert response.status_code == 400, response.text
    assert rest_errors(response) == [
        {"message": refusal, "field": "service", "error": "ValidationError"}
    ]
    response = rest.patch(own.absolute_url(), json={"service": "population"})
    assert response.status_code == 400, response.text
    assert rest_errors(response) == [
        {"message": refusal, "field": "service", "error": "ValidationError"}
    ]
    # A service that does not exist says so.
    response = rest.post(
        url, json={"@type": "meeting_item", "title": "Hors service", "service": "sport"}
    )
    assert rest_errors(response)[0]["message"] == '"sport" is not a service.'

    # The add form offers only Travaux; a forged form gets the same message.
    browser = http("editor_a", accept_json=False)
    page = browser.get(f"{url}/++add++meeting_item")
    select = re.search(r'<select name="form.widgets.service:list".*?</select>', page.text, re.S)
    assert re.findall(r'<option[^>]*value="([^"]+)"', select.group(0)) == ["travaux"]
    page = add_form(browser, world.college, "population")
    assert page.status_code == 200
    assert refusal in field_errors(page.text)

    # The item template of Population, started by Travaux' editor.
    token = authenticator(browser, url)
    page = browser.get(
        f"{url}/@@create-item-from-template", params={"index": 0, "_authenticator": token}
    )
    assert page.status_code == 200 and page.url.rstrip("/") == url
    assert error_messages(page.text) == [refusal]

    transaction.begin()
    assert not items_titled("Hors service")
    assert not items_titled("Concession de sépulture")
    assert own.service == "travaux"
    # Population's editor gets the item from the template, and the form takes the service.
    browser = http("editor_b", accept_json=False)
    token = authenticator(browser, url)
    page = browser.get(
        f"{url}/@@create-item-from-template", params={"index": 0, "_authenticator": token}
    )
    assert page.url.endswith("/edit")
    page = add_form(browser, world.college, "population", title="Dans mon service")
    assert field_errors(page.text) == []
    transaction.begin()
    assert len(items_titled("Concession de sépulture")) == 1
    assert [brain.service for brain in items_titled("Dans mon service")] == ["population"]


def test_item_schema_is_still_a_model(world):
    """The item's explained choices are read and written by plone.supermodel
    (the types control panel shows the type's model) as choices."""
    from communesplone.core.validation import ExplainedChoice
    from communesplone.meetings.content.meeting_item import IMeetingItem
    from plone.supermodel import loadString
    from plone.supermodel import serializeSchema

    xml = serializeSchema(IMeetingItem)
    field = re.search(r'<field name="service".*?</field>', xml, re.S).group(0)
    assert 'type="communesplone.core.validation.ExplainedChoice"' in field
    model = re.search(r"<model[^>]*>", xml).group(0)  # with its namespaces
    service = loadString(f"{model}<schema>{field}</schema></model>").schema["service"]
    assert isinstance(service, ExplainedChoice)
    assert service.vocabularyName == "communesplone.meetings.proposing_services"
