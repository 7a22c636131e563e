"""Every workflow path of items and meetings, back transitions included."""

from communesplone.meetings import agenda
from communesplone.meetings.testing import build
from datetime import datetime
from plone import api

import pytest


@pytest.fixture
def world(portal):
    return build(portal)


def test_main_path_one_validation_level(world):
    item = world.item()
    assert api.content.get_state(item) == "itemcreated"
    assert world.transition(item, "propose", user="editor_a") == "proposed"
    assert world.transition(item, "validate", user="reviewer") == "validated"
    meeting = world.meeting()
    assert world.transition(item, "present") == "presented"
    assert item.meeting_uid == meeting.UID()
    assert item.item_number == 100
    assert item.reference == f"2026/{meeting.meeting_number}/1"
    assert world.transition(meeting, "freeze") == "frozen"
    assert api.content.get_state(item) == "itemfrozen"
    assert world.transition(meeting, "decide") == "decided"
    assert world.transition(item, "accept") == "accepted"
    assert world.transition(meeting, "close") == "closed"


def test_two_validation_levels(world):
    world.college.validation_levels = 2
    item = world.item()
    world.transition(item, "propose", user="editor_a")
    with api.env.adopt_user(username="reviewer"):
        ids = [t["id"] for t in api.portal.get_tool("portal_workflow").getTransitionsFor(item)]
    assert "validate" not in ids and "prevalidate" in ids
    assert world.transition(item, "prevalidate", user="reviewer") == "prevalidated"
    with api.env.adopt_user(username="reviewer"), pytest.raises(api.exc.InvalidParameterError):
        api.content.transition(obj=item, transition="validate")
    assert world.transition(item, "validate", user="manager") == "validated"
    assert world.transition(item, "backToPrevalidated") == "prevalidated"
    assert world.transition(item, "backToProposed") == "proposed"


def test_back_transitions(world):
    item = world.item()
    world.transition(item, "propose", user="editor_a")
    assert world.transition(item, "backToItemCreated", user="reviewer") == "itemcreated"
    world.transition(item, "propose", user="editor_a")
    world.transition(item, "validate", user="reviewer")
    assert world.transition(item, "backToProposed") == "proposed"
    world.transition(item, "validate", user="reviewer")
    meeting = world.meeting()
    world.transition(item, "present")
    assert world.transition(item, "backToValidated") == "validated"
    assert item.meeting_uid is None and item.item_number is None
    world.transition(item, "present")
    world.transition(meeting, "freeze")
    assert world.transition(meeting, "backToCreated") == "created"
    assert api.content.get_state(item) == "presented"
    world.transition(meeting, "freeze", "decide")
    world.transition(item, "refuse")
    assert world.transition(item, "backToItemFrozen") == "itemfrozen"
    world.transition(item, "return_to_proposing_group")
    assert world.transition(item, "backToItemFrozen") == "itemfrozen"
    assert world.transition(meeting, "backToFrozen") == "frozen"
    world.transition(meeting, "decide", "publish_decisions")
    assert world.transition(meeting, "backToDecided") == "decided"
    world.transition(meeting, "close")
    assert world.transition(meeting, "backToDecided") == "decided"


def test_meeting_transitions_drive_items(world):
    meeting = world.meeting()
    first, second = world.validated_item("Un"), world.validated_item("Deux")
    world.transition(first, "present")
    world.transition(second, "present")
    world.transition(meeting, "freeze")
    assert {api.content.get_state(i) for i in (first, second)} == {"itemfrozen"}
    late = world.validated_item("Tardif")
    world.transition(late, "present")
    assert api.content.get_state(late) == "itemfrozen"
    assert late.list_type == "late"
    assert [i.title for i in agenda.items(meeting)] == ["Un", "Deux", "Tardif"]
    world.transition(meeting, "decide")
    world.transition(first, "refuse")
    world.transition(meeting, "close")
    assert api.content.get_state(first) == "refused"
    assert api.content.get_state(second) == "accepted"
    assert api.content.get_state(late) == "accepted"


def test_delay_copies_back_to_created(world):
    meeting = world.meeting()
    item = world.validated_item()
    world.transition(item, "present")
    world.transition(meeting, "freeze", "decide")
    world.transition(item, "delay")
    copy = agenda.by_uid(item.successor_uid)
    assert api.content.get_state(copy) == "itemcreated"
    assert copy.predecessor_uid == item.UID()
    assert copy.title == item.title and copy.meeting_uid is None


def test_postpone_copies_validated_for_next_meeting(world):
    meeting = world.meeting()
    following = world.meeting(datetime(2026, 12, 15, 20, 0))
    item = world.validated_item()
    world.transition(item, "present")
    world.transition(meeting, "freeze", "decide")
    world.transition(item, "postpone_next_meeting")
    copy = agenda.by_uid(item.successor_uid)
    assert api.content.get_state(copy) == "validated"
    assert copy.preferred_meeting == following.UID()
    world.transition(copy, "present")
    assert copy.meeting_uid == following.UID()


def test_forward_to_council(world):
    meeting = world.meeting()
    item = world.validated_item(forward=True, category="travaux")
    world.transition(item, "present")
    world.transition(meeting, "freeze", "decide")
    world.transition(item, "accept")
    sent = agenda.by_uid(item.forwarded_to_uid)
    assert sent.aq_parent == world.council
    assert api.content.get_state(sent) == "validated"  # the council's configuration
    assert sent.forwarded_from_uid == item.UID()
    assert sent.category == "travaux" and sent.service == "travaux"


def test_recurring_items_are_presented_to_new_meetings(world):
    world.college.recurring_items = [
        {
            "title": "Approuve le procès-verbal de la séance antérieure",
            "service": "travaux",
            "category": "administration",
            "decision": "Approuvé.",
        }
    ]
    meeting = world.meeting()
    (item,) = agenda.items(meeting)
    assert item.title.startswith("Approuve le procès-verbal")
    assert api.content.get_state(item) == "presented"


def test_meeting_numbers_are_yearly(world):
    first = world.meeting(datetime(2026, 12, 1, 20, 0))
    second = world.meeting(datetime(2026, 12, 8, 20, 0))
    next_year = world.meeting(datetime(2027, 1, 5, 20, 0))
    assert (first.meeting_number, second.meeting_number, next_year.meeting_number) == (1, 2, 1)
    assert first.title == "Séance du 1 décembre 2026"  # in the commune's language


def test_ordering_rules(world):
    meeting = world.meeting()
    finances = world.validated_item("Budget", category="finances")
    admin = world.validated_item("Règlement", category="administration")
    works = world.validated_item("Voirie", category="travaux")
    for item in (finances, admin, works):
        world.transition(item, "present")
    assert [i.title for i in agenda.items(meeting)] == ["Règlement", "Voirie", "Budget"]
    assert [i.item_number for i in agenda.items(meeting)] == [100, 200, 300]


def test_move_and_subitems(world):
    meeting = world.meeting()
    items = [world.validated_item(f"Point {n}") for n in range(1, 4)]
    for item in items:
        world.transition(item, "present")
    agenda.move(items[2], 1)
    assert [i.title for i in agenda.items(meeting)] == ["Point 3", "Point 1", "Point 2"]
    agenda.move(items[1], 3, subitem=True)
    assert [agenda.number_label(i.item_number) for i in agenda.items(meeting)] == ["1", "2", "2.1"]
    with pytest.raises(agenda.AgendaError):
        agenda.move(items[0], 4)
    with pytest.raises(agenda.AgendaError):
        agenda.move(items[0], 0)
    assert [i.title for i in agenda.items(meeting)] == ["Point 3", "Point 1", "Point 2"]


def test_invalid_transition_leaves_state(world):
    item = world.item()
    with api.env.adopt_user(username="editor_a"), pytest.raises(api.exc.InvalidParameterError):
        api.content.transition(obj=item, transition="validate")
    assert api.content.get_state(item) == "itemcreated"


def test_meeting_with_decided_items_cannot_be_deleted(world):
    from zExceptions import BadRequest

    meeting = world.meeting()
    item = world.validated_item()
    world.transition(item, "present")
    world.transition(meeting, "freeze", "decide")
    world.transition(item, "accept")
    with api.env.adopt_roles(["Manager"]), pytest.raises(BadRequest):
        api.content.delete(obj=meeting)
    assert meeting.getId() in world.college.objectIds()


def test_deleting_a_created_meeting_frees_its_items(world):
    meeting = world.meeting()
    item = world.validated_item()
    world.transition(item, "present")
    with api.env.adopt_user(username="manager"):
        api.content.delete(obj=meeting)
    assert api.content.get_state(item) == "validated"
    assert item.meeting_uid is None


def test_no_item_is_presented_to_a_meeting_whose_decisions_are_published(world):
    from communesplone.meetings import workflows

    meeting = world.meeting()
    world.transition(meeting, "freeze", "decide", "publish_decisions")
    item = world.validated_item()
    with api.env.adopt_user(username="manager"):
        refused = workflows.present([item], meeting)
    assert refused == [item]
    assert api.content.get_state(item) == "validated" and item.meeting_uid is None


def test_returned_item_comes_back_presented_to_a_meeting_not_yet_frozen(world):
    meeting = world.meeting()
    item = world.validated_item()
    world.transition(item, "present")
    assert world.transition(item, "return_to_proposing_group") == "returned_to_proposing_group"
    # the meeting is not frozen: the item cannot go back to frozen
    with api.env.adopt_user(username="manager"), pytest.raises(api.exc.InvalidParameterError):
        api.content.transition(obj=item, transition="backToItemFrozen")
    assert world.transition(item, "backToPresented") == "presented"
    assert item.meeting_uid == meeting.UID()


def test_advice_is_given_then_taken_back_while_the_item_awaits_it(world):
    item = world.item(advices_asked=[{"service": "finances", "deadline_days": 10}])
    world.transition(item, "propose", user="editor_a")
    with api.env.adopt_user(username="adviser"):
        advice = api.content.create(
            container=item,
            type="meeting_advice",
            id="avis",
            service="finances",
            advice_type="positive",
        )
    assert advice.title == "Finances"
    # being written, signed, given: never given straight from "being written"
    with api.env.adopt_user(username="adviser"), pytest.raises(api.exc.InvalidParameterError):
        api.content.transition(obj=advice, transition="giveAdvice")
    assert world.transition(advice, "signAdvice", user="adviser") == "advice_signed"
    assert world.transition(advice, "giveAdvice", user="adviser") == "advice_given"
    assert advice.given_on is not None
    assert world.transition(advice, "backToAdviceUnderEdit", user="adviser") == "advice_under_edit"
    assert advice.given_on is None
    world.transition(advice, "signAdvice", "giveAdvice", user="adviser")
    world.transition(item, "validate", user="reviewer")
    world.meeting()
    world.transition(item, "present")
    # presented, the item no longer awaits advices: a given one stays given
    with api.env.adopt_user(username="adviser"), pytest.raises(api.exc.InvalidParameterError):
        api.content.transition(obj=advice, transition="backToAdviceUnderEdit")
