"""The college, with the meetings application installed (the layer with everything):
a complete file goes to the college as an item, and the college's decision
comes back to the file as a ``college_decision`` event. Without meetings
(the urban layer), nothing of it shows: ``test_public.py``."""

from communesplone.core import services
from communesplone.core.validation import Refusal
from communesplone.meetings import testing as meetings_testing
from communesplone.urban import meetings
from communesplone.urban import testing
from communesplone.urban.constants import COLLEGE_DECISION
from communesplone.urban.constants import DECISION
from datetime import datetime
from plone import api
from types import SimpleNamespace

import pytest


@pytest.fixture
def integration(request):
    return request.getfixturevalue("all_integration")


@pytest.fixture
def world(portal, monkeypatch):
    # The meetings' world sets its own services: the Urbanisme service stays.
    monkeypatch.setattr(
        meetings_testing, "SERVICES", [*meetings_testing.SERVICES, services.get("urbanisme")]
    )
    college = meetings_testing.build(portal)
    testing.build(portal)
    licence = testing.make_licence(subject="Construction d'une maison unifamiliale")
    testing.add_event(licence, "deposit")
    testing.transition(licence, "declare_complete")
    return SimpleNamespace(meetings=college, licence=licence)


def decide(world, item, outcome):
    """The item through the college: proposed, validated, on a meeting, decided."""
    world.meetings.transition(item, "propose", user="editor")
    world.meetings.transition(item, "validate")
    meeting = world.meetings.meeting(datetime(2026, 12, 8, 20, 0))
    world.meetings.transition(item, "present")
    world.meetings.transition(meeting, "freeze", "decide")
    world.meetings.transition(item, outcome)


def decisions(licence):
    return [
        (event.event_type, event.decision)
        for event in licence.objectValues()
        if event.portal_type == DECISION
    ]


def test_a_complete_file_goes_to_the_college(world):
    licence = world.licence
    with api.env.adopt_user(username="editor"):
        assert meetings.refusal(licence) is None
        item = meetings.send_to_college(licence, "granted")
    assert item.aq_parent == world.meetings.college
    assert api.content.get_state(item) == "itemcreated"
    assert item.service == "urbanisme"
    assert licence.reference in item.Title()
    assert licence.reference in item.motivation.raw
    assert meetings.item_of(licence) == item
    with api.env.adopt_user(username="editor"), pytest.raises(Refusal) as refused:
        meetings.send_to_college(licence, "granted")
    assert refused.value.message == "This file is already before the college."


@pytest.mark.parametrize(
    "proposed,outcome,recorded",
    [
        ("granted", "accept", "granted"),
        ("granted", "accept_but_modify", "granted"),
        ("granted", "refuse", "refused"),
        ("refused", "accept", "refused"),
    ],
)
def test_the_colleges_decision_comes_back_to_the_file(world, proposed, outcome, recorded):
    licence = world.licence
    with api.env.adopt_user(username="editor"):
        item = meetings.send_to_college(licence, proposed)
    assert decisions(licence) == []
    decide(world, item, outcome)
    assert decisions(licence) == [(COLLEGE_DECISION, recorded)]
    assert licence.decision == recorded
    assert str(licence.decision_date) == "2026-12-08"


def test_delayed_items_record_nothing(world):
    with api.env.adopt_user(username="editor"):
        item = meetings.send_to_college(world.licence, "granted")
    decide(world, item, "delay")
    assert decisions(world.licence) == []


@pytest.mark.parametrize(
    "user,state,expected",
    [
        ("editor", "deposit", "Only a complete file is sent to the college."),
        ("observer", "complete", "You may not send this file to the college."),
        ("applicant", "complete", "You may not send this file to the college."),
    ],
)
def test_who_may_send_and_when(world, user, state, expected):
    licence = world.licence if state == "complete" else testing.make_licence()
    testing.grant_applicant(licence, "applicant")
    with api.env.adopt_user(username=user):
        assert meetings.refusal(licence) == expected
        with pytest.raises(Refusal):
            meetings.send_to_college(licence, "granted")
    assert meetings.item_of(licence) is None


def test_a_bad_proposed_decision_is_refused(world):
    with api.env.adopt_user(username="editor"), pytest.raises(Refusal) as refused:
        meetings.send_to_college(world.licence, "maybe")
    assert refused.value.message == "Choose the proposed decision: granted or refused."
