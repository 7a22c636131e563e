"""An item is found by its reference, in the catalog and over REST, as its
place on the agenda changes: presented, moved, taken back."""

from communesplone.meetings import agenda
from communesplone.meetings.testing import build
from communesplone.meetings.testing import PASSWORD
from plone import api

import pytest
import requests
import transaction


def found(reference):
    """The titles of the items whose full text holds ``reference`` (as a phrase)."""
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        portal_type="meeting_item", SearchableText=f'"{reference}"'
    )
    return sorted(brain.Title for brain in brains)


def indexed_reference(item):
    catalog = api.portal.get_tool("portal_catalog")
    (brain,) = catalog.unrestrictedSearchResults(UID=item.UID())
    return brain.reference


@pytest.fixture
def world(portal):
    return build(portal)


def test_reference_is_searchable_once_presented_and_follows_the_agenda(world):
    meeting = world.meeting()
    number = meeting.meeting_number
    roads = world.validated_item("Voirie", category="travaux")
    budget = world.validated_item("Budget", category="finances")
    first, second = f"2026/{number}/1", f"2026/{number}/2"
    assert found(first) == found(second) == []

    world.transition(roads, "present")
    world.transition(budget, "present")
    assert (roads.reference, budget.reference) == (first, second)
    assert found(first) == ["Voirie"]
    assert found(second) == ["Budget"]
    assert indexed_reference(roads) == first

    # Moved on the agenda: each item is found by its new reference only.
    with api.env.adopt_user(username="manager"):
        agenda.move(budget, 1)
    assert found(first) == ["Budget"]
    assert found(second) == ["Voirie"]
    assert indexed_reference(roads) == second
    with api.env.adopt_user(username="manager"):
        agenda.move(roads, 2, subitem=True)
    assert found(f"2026/{number}/1.1") == ["Voirie"]
    assert found(second) == []

    # Taken back from the meeting: the item has no reference any more, and
    # the item that moves up is found by its new one.
    world.transition(budget, "backToValidated")
    assert budget.reference == ""
    assert found(first) == ["Voirie"]
    assert found(f"2026/{number}/1.1") == []
    assert indexed_reference(budget) == ""


def test_reference_follows_the_meeting_number(world):
    """The reference holds the meeting's number: when a new date moves the
    meeting to another year, its items are found by their new reference."""
    meeting = world.meeting()
    item = world.validated_item("Voirie")
    world.transition(item, "present")
    old = item.reference
    assert found(old) == ["Voirie"]
    with api.env.adopt_user(username="manager"):
        meeting.date = meeting.date.replace(year=2027)
        from zope.event import notify
        from zope.lifecycleevent import ObjectModifiedEvent

        notify(ObjectModifiedEvent(meeting))
    assert item.reference == f"2027/{meeting.meeting_number}/1"
    assert found(item.reference) == ["Voirie"]
    assert found(old) == []


def test_search_by_reference_over_http(functional_portal):
    world = build(functional_portal)
    meeting = world.meeting()
    roads = world.validated_item("Voirie", category="travaux")
    budget = world.validated_item("Budget", category="finances")
    transaction.commit()
    session = requests.Session()
    session.auth = ("manager", PASSWORD)
    session.headers["Accept"] = "application/json"

    def search(reference):
        response = session.get(
            f"{world.portal.absolute_url()}/@search",
            params={"SearchableText": f'"{reference}"', "portal_type": "meeting_item"},
        )
        assert response.status_code == 200, response.text
        return sorted(row["title"] for row in response.json()["items"])

    first = f"2026/{meeting.meeting_number}/1"
    assert search(first) == []
    for item in (roads, budget):
        world.transition(item, "present")
    transaction.commit()
    assert search(first) == ["Voirie"]

    # Moved over REST (@agenda): found by the new reference at once.
    response = session.patch(
        f"{meeting.absolute_url()}/@agenda", json={"item": budget.UID(), "position": 1}
    )
    assert response.status_code == 204, response.text
    assert search(first) == ["Budget"]
    assert search(f"2026/{meeting.meeting_number}/2") == ["Voirie"]
