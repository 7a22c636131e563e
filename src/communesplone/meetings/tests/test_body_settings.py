"""Editing a body recomputes its meetings' and items' permissions only when a
setting they depend on changed (what is public), in the edit form and over REST."""

from communesplone.meetings import events
from communesplone.meetings import visibility
from communesplone.meetings.content.meeting_body import IMeetingBody
from communesplone.meetings.testing import build
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.testing.zope import Browser
from zope.event import notify
from zope.lifecycleevent import Attributes
from zope.lifecycleevent import ObjectModifiedEvent

import pytest
import requests
import transaction


@pytest.fixture
def recomputed(monkeypatch):
    """The objects whose permissions ``visibility.update`` recomputes, in order."""
    calls = []
    original = visibility.update

    def update(obj, *args, **kwargs):
        calls.append(obj.getId())
        return original(obj, *args, **kwargs)

    monkeypatch.setattr(visibility, "update", update)
    return calls


def public_agenda(world):
    """A frozen meeting (public) with a public item."""
    meeting = world.meeting()
    item = world.validated_item("Voirie")
    world.transition(item, "present")
    world.transition(meeting, "freeze")
    assert visibility.is_public(meeting) and visibility.is_public(item)
    return meeting, item


def test_only_security_settings_recompute_permissions(portal, recomputed):
    world = build(portal)
    meeting, item = public_agenda(world)
    body = world.college
    recomputed.clear()
    with api.env.adopt_roles(["Manager"]):
        body.reference_format = "{year}-{item_number}"
        notify(ObjectModifiedEvent(body, Attributes(IMeetingBody, "reference_format")))
        assert recomputed == []
        body.title = "Collège des bourgmestre et échevins"
        notify(ObjectModifiedEvent(body, Attributes(IMeetingBody, "IBasic.title")))
        assert recomputed == []

        body.public_item_states = ["accepted"]
        notify(ObjectModifiedEvent(body, Attributes(IMeetingBody, "title", "public_item_states")))
        assert sorted(recomputed) == sorted([meeting.getId(), item.getId()])
        assert visibility.is_public(meeting) and not visibility.is_public(item)

        # An event that does not say what changed: recompute, to be safe.
        recomputed.clear()
        notify(ObjectModifiedEvent(body))
        assert sorted(recomputed) == sorted([meeting.getId(), item.getId()])


def test_changed_fields():
    event = ObjectModifiedEvent(
        None, Attributes(IMeetingBody, "IBasic.title"), Attributes(IMeetingBody, "ordering")
    )
    assert events.changed_fields(event) == {"title", "ordering"}
    assert events.changed_fields(ObjectModifiedEvent(None)) is None


def test_edit_form_and_rest(functional, recomputed):
    world = build(functional["portal"])
    meeting, item = public_agenda(world)
    transaction.commit()
    url = world.college.absolute_url()
    recomputed.clear()

    # The edit form: a new title recomputes nothing; a publication setting does.
    browser = Browser(functional["app"])
    browser.handleErrors = False
    browser.addHeader("Authorization", f"Basic {SITE_OWNER_NAME}:{SITE_OWNER_PASSWORD}")
    browser.open(f"{url}/edit")
    browser.getControl(name="form.widgets.IBasic.title").value = "Collège échevinal"
    browser.getControl(name="form.buttons.save").click()
    assert browser.url.rstrip("/") == url
    transaction.begin()
    assert world.college.title == "Collège échevinal"
    assert recomputed == []

    browser.open(f"{url}/edit")
    states = browser.getControl(name="form.widgets.public_item_states:list")
    assert "itemfrozen" in states.value
    states.value = [state for state in states.value if state != "itemfrozen"]
    browser.getControl(name="form.buttons.save").click()
    transaction.begin()
    assert "itemfrozen" not in world.college.public_item_states
    assert sorted(recomputed) == sorted([meeting.getId(), item.getId()])
    assert visibility.is_public(meeting) and not visibility.is_public(item)

    # REST PATCH: the same.
    recomputed.clear()
    rest = requests.Session()
    rest.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    rest.headers["Accept"] = "application/json"
    response = rest.patch(url, json={"title": "Collège communal", "reference_format": "{year}"})
    assert response.status_code == 204, response.text
    assert recomputed == []
    response = rest.patch(url, json={"public_item_states": ["itemfrozen", "accepted"]})
    assert response.status_code == 204, response.text
    assert sorted(recomputed) == sorted([meeting.getId(), item.getId()])
    transaction.begin()
    assert visibility.is_public(item)
    assert requests.get(item.absolute_url(), headers={"Accept": "application/json"}).ok
