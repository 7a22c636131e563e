"""The attendance of a meeting: one set of rules (``attendance.py``), enforced by the
schema (its fields, and its invariant for the attendance and the comings and goings
together), so that the attendance page and REST refuse the same input with the same
message and store nothing; and the votes already encoded are checked
again when the attendance changes."""

from communesplone.core.testing import as_user
from communesplone.documents import generation
from communesplone.meetings import attendance
from communesplone.meetings import votes
from communesplone.meetings.content.meeting import IMeeting
from communesplone.meetings.testing import build
from communesplone.meetings.testing import PASSWORD
from communesplone.meetings.tests.test_meeting_page import call
from communesplone.meetings.tests.test_meeting_page import token_of
from plone import api
from zope.i18n import translate

import html
import pytest
import requests
import transaction


REPRESENTED_BY_HIMSELF = "Paul Leroy must be represented by another member of the body."
NOT_PRESENT = "Paul Leroy cannot be represented by Anne Martin, who is not present."
# (case, rows sent to REST, the attendance page's form or None, message)
REFUSED = [
    (
        "represented by himself",
        [{"member": "leroy", "status": "represented", "represented_by": "leroy"}],
        {"status.leroy": "represented", "represented_by.leroy": "leroy"},
        REPRESENTED_BY_HIMSELF,
    ),
    (
        "represented by a stranger",
        [{"member": "leroy", "status": "represented", "represented_by": "durand"}],
        {"status.leroy": "represented", "represented_by.leroy": "durand"},
        REPRESENTED_BY_HIMSELF,
    ),
    (
        "represented by nobody",
        [{"member": "leroy", "status": "represented", "represented_by": None}],
        {"status.leroy": "represented", "represented_by.leroy": ""},
        "Paul Leroy is represented: choose the member who represents them.",
    ),
    (
        "represented by an absent member",
        [
            {"member": "martin", "status": "absent", "represented_by": None},
            {"member": "leroy", "status": "represented", "represented_by": "martin"},
        ],
        {
            "status.martin": "absent",
            "status.leroy": "represented",
            "represented_by.leroy": "martin",
        },
        NOT_PRESENT,
    ),
    (
        "unknown status",
        [{"member": "martin", "status": "asleep", "represented_by": None}],
        {"status.martin": "asleep"},
        "The attendance of Anne Martin must be present, absent, excused, represented or replaced.",
    ),
    (
        "not a member",
        [{"member": "durand", "status": "absent", "represented_by": None}],
        None,  # the page lists the body's members only
        '"durand" is not a member of the body at the date of this meeting.',
    ),
    (
        "twice",
        [
            {"member": "martin", "status": "absent", "represented_by": None},
            {"member": "martin", "status": "present", "represented_by": None},
        ],
        None,
        "The attendance of Anne Martin is given twice.",
    ),
    (
        "a representative for a present member",
        [{"member": "godin", "status": "present", "represented_by": "martin"}],
        None,  # the page ignores "represented by" unless the member is represented
        'Delphine Godin is not represented: "represented by" must be empty.',
    ),
    (
        "not rows",
        ["martin"],
        None,
        "The attendance must be a list of rows, each with a member, a status and, "
        "for a represented or replaced member, who represents or replaces them.",
    ),
]
ENCODED = [{"member": "martin", "status": "excused", "represented_by": None}]


@pytest.fixture
def world(portal):
    return build(portal)


@pytest.mark.parametrize(
    "rows, message",
    [(rows, message) for _case, rows, _form, message in REFUSED],
    ids=[case for case, *_rest in REFUSED],
)
def test_the_schema_refuses_each_rule(world, rows, message):
    """The meeting's field, bound as forms and REST bind it, says what is wrong."""
    meeting = world.meeting()
    field = IMeeting["attendance"].bind(meeting)
    with pytest.raises(attendance.AttendanceError) as refused:
        field.validate(rows)
    assert refused.value.doc() == message
    assert attendance.problems(meeting, rows) == refused.value.messages


def test_the_schema_accepts_a_consistent_attendance(world):
    meeting = world.meeting()
    rows = [
        {"member": "martin", "status": "excused", "represented_by": None},
        {"member": "leroy", "status": "represented", "represented_by": "dupont"},
    ]
    validate_as_the_schema(meeting, attendance=rows)
    assert attendance.problems(meeting, rows) == []


@pytest.mark.parametrize(
    "form, message",
    [(form, message) for _case, _rows, form, message in REFUSED if form],
    ids=[case for case, _rows, form, _message in REFUSED if form],
)
def test_the_page_refuses_each_rule(world, form, message):
    meeting = world.meeting()
    meeting.attendance = list(ENCODED)
    result = call(meeting, "attendance", "manager", {**form, "form.buttons.save": "1"}, True)
    assert result.location == ""
    assert message in html.unescape(result.body)
    assert meeting.attendance == ENCODED


# Over HTTP: REST and the page refuse the same input, with the same message


@pytest.fixture
def http_world(functional_portal):
    return build(functional_portal)


def _session():
    http = requests.Session()
    http.auth = ("manager", PASSWORD)
    return http


def test_rest_and_the_page_refuse_the_same_input(http_world):
    meeting = http_world.meeting()
    meeting.attendance = list(ENCODED)
    transaction.commit()
    http = _session()
    url = meeting.absolute_url()
    token = token_of(http.get(f"{url}/@@attendance").text)
    for case, rows, form, message in REFUSED:
        # REST: the other field of the same request is not stored either
        response = http.patch(
            url,
            headers={"Accept": "application/json"},
            json={"place": "Ailleurs", "attendance": rows},
        )
        assert response.status_code == 400, (case, response.text)
        errors = response.json()["message"]
        assert message in errors and "'field': 'attendance'" in errors, (case, errors)
        if form is not None:
            page = http.post(
                f"{url}/@@attendance",
                data={**form, "form.buttons.save": "1", "_authenticator": token},
            )
            assert page.status_code == 200, case
            assert page.url.endswith("/@@attendance"), case
            assert message in html.unescape(page.text), case
        transaction.begin()
        assert meeting.attendance == ENCODED, case
        assert meeting.place != "Ailleurs", case


def test_rest_stores_a_consistent_attendance(http_world):
    meeting = http_world.meeting()
    transaction.commit()
    http = _session()
    rows = [
        {"member": "martin", "status": "excused", "represented_by": ""},
        {"member": "leroy", "status": "represented", "represented_by": "dupont"},
    ]
    response = http.patch(
        meeting.absolute_url(), headers={"Accept": "application/json"}, json={"attendance": rows}
    )
    assert response.status_code == 204, response.text
    transaction.begin()
    assert meeting.attendance == [
        {"member": "martin", "status": "excused", "represented_by": None, "replaced_by": None},
        {
            "member": "leroy",
            "status": "represented",
            "represented_by": "dupont",
            "replaced_by": None,
        },
    ]
    got = http.get(meeting.absolute_url(), headers={"Accept": "application/json"}).json()
    assert got["attendance"] == meeting.attendance


# The attendance and the votes already stored


@pytest.fixture
def voted(world):
    """An item of a frozen meeting, with a public vote of the three voting members."""
    meeting = world.meeting()
    item = world.validated_item("Marché de travaux: voirie")
    world.transition(item, "present")
    world.transition(meeting, "freeze")
    votes.encode(
        item,
        [{"label": "Ensemble", "voters": {"dupont": "yes", "martin": "no", "leroy": "yes"}}],
    )
    return meeting, item


BROKEN = (
    "With this attendance, the votes already encoded for 1. Marché de travaux: voirie "
    "would no longer add up: delete those votes first, then encode them again."
)


def _page(meeting, **statuses):
    form = {f"status.{member}": status for member, status in statuses.items()}
    return call(meeting, "attendance", "manager", {**form, "form.buttons.save": "1"}, True)


def test_an_attendance_that_breaks_stored_votes_is_refused(voted):
    meeting, item = voted
    stored = list(item.votes)
    result = _page(meeting, martin="excused")
    assert BROKEN in html.unescape(result.body)
    assert meeting.attendance == []
    assert item.votes == stored
    with pytest.raises(attendance.AttendanceError) as refused:
        validate_as_the_schema(
            meeting, attendance=[{"member": "martin", "status": "excused", "represented_by": None}]
        )
    assert refused.value.doc() == BROKEN


def test_an_attendance_that_keeps_the_votes_is_stored(voted):
    meeting, item = voted
    # Godin does not vote; a represented member votes through who represents them
    result = _page(meeting, godin="excused", leroy="represented")
    assert "Paul Leroy is represented: choose the member who represents them." in result.body
    result = call(
        meeting,
        "attendance",
        "manager",
        {
            "status.godin": "excused",
            "status.leroy": "represented",
            "represented_by.leroy": "dupont",
            "form.buttons.save": "1",
        },
        True,
    )
    assert result.messages == ["The attendance is saved."]
    assert meeting.attendance_of("godin") == ("excused", None)
    assert meeting.attendance_of("leroy") == ("represented", "dupont")


def test_a_member_absent_for_the_item_may_leave_the_meeting(voted):
    meeting, item = voted
    item.votes = []
    item.item_absents = ["martin"]
    votes.encode(item, [{"label": "Ensemble", "voters": {"dupont": "yes", "leroy": "yes"}}])
    assert _page(meeting, martin="excused").messages == ["The attendance is saved."]
    assert meeting.attendance_of("martin") == ("excused", None)
    # and back: Martin at the meeting again, still absent for this item
    assert _page(meeting, martin="present").messages == ["The attendance is saved."]


def test_once_the_votes_are_deleted_the_attendance_may_change(voted):
    meeting, item = voted
    assert BROKEN in html.unescape(_page(meeting, martin="excused").body)
    call(item, "encode-votes", "manager", {"action": "delete", "index": "0"}, True)
    assert _page(meeting, martin="excused").messages == ["The attendance is saved."]
    assert [row["id"] for row in votes.voters(item)] == ["dupont", "leroy"]


def test_rest_refuses_an_attendance_that_breaks_stored_votes(http_world):
    world = http_world
    meeting = world.meeting()
    item = world.validated_item("Marché de travaux: voirie")
    world.transition(item, "present")
    world.transition(meeting, "freeze")
    votes.encode(item, [{"label": "Ensemble", "secret": True, "counts": {"yes": 3}}])
    transaction.commit()
    http = _session()
    response = http.patch(
        meeting.absolute_url(),
        headers={"Accept": "application/json"},
        json={"attendance": [{"member": "leroy", "status": "absent"}]},
    )
    assert response.status_code == 400
    assert BROKEN in response.json()["message"]
    transaction.begin()
    assert meeting.attendance == []
    assert api.content.get_state(item) == "itemfrozen"


def test_rest_checks_the_attendance_of_a_new_meeting(http_world):
    college = http_world.college
    transaction.commit()
    http = _session()
    new = {"@type": "meeting", "date": "2026-12-15T20:00:00"}
    refused = http.post(
        college.absolute_url(),
        headers={"Accept": "application/json"},
        json={**new, "attendance": REFUSED[0][1]},
    )
    assert refused.status_code == 400
    assert REPRESENTED_BY_HIMSELF in refused.json()["message"]
    transaction.begin()
    assert not [obj for obj in college.objectValues() if obj.portal_type == "meeting"]
    created = http.post(
        college.absolute_url(),
        headers={"Accept": "application/json"},
        json={**new, "attendance": ENCODED},
    )
    assert created.status_code == 201, created.text
    transaction.begin()
    meeting = college[created.json()["id"]]
    assert meeting.attendance == [dict(row, replaced_by=None) for row in ENCODED]


# Replacements, comings and goings, one item's absences and signatories (issue 12, part 3)

REPLACED = {"member": "martin", "status": "replaced", "represented_by": None}


@pytest.mark.parametrize(
    "row, message",
    [
        (
            dict(REPLACED, replaced_by=""),
            "Anne Martin is replaced: name the substitute who sits in their place.",
        ),
        (
            {"member": "martin", "status": "excused", "replaced_by": "Marc Lenoir"},
            'Anne Martin is not replaced: "replaced by" must be empty.',
        ),
    ],
)
def test_a_replacement_names_its_substitute(world, row, message):
    meeting = world.meeting()
    with pytest.raises(attendance.AttendanceError) as refused:
        IMeeting["attendance"].bind(meeting).validate([row])
    assert refused.value.doc() == message


def test_a_substitute_votes_in_the_seat_of_the_member_replaced(voted):
    meeting, item = voted
    # the substitute (not a member of the body) sits in Martin's seat: the vote still adds up
    result = call(
        meeting,
        "attendance",
        "manager",
        {
            "status.martin": "replaced",
            "replaced_by.martin": "Marc Lenoir",
            "form.buttons.save": "1",
        },
        True,
    )
    assert result.messages == ["The attendance is saved."]
    assert meeting.attendance_of("martin") == ("replaced", None)
    assert attendance.replaced_by(meeting.attendance, "martin") == "Marc Lenoir"
    assert [row["id"] for row in votes.voters(item)] == ["dupont", "martin", "leroy"]
    page = call(meeting, "attendance", "manager").body
    assert 'name="replaced_by.martin"' in page and 'value="Marc Lenoir"' in page


@pytest.fixture
def three_items(world):
    """A frozen meeting with three items (1, 2, 3), no vote yet."""
    meeting = world.meeting()
    items = [world.validated_item(title) for title in ("Voirie", "Budget", "Éclairage")]
    for item in items:
        world.transition(item, "present")
    world.transition(meeting, "freeze")
    assert [item.item_number for item in items] == [100, 200, 300]
    return meeting, items


def _voters(item):
    return [row["id"] for row in votes.voters(item)]


def test_a_member_who_leaves_is_away_for_the_items_in_between(three_items):
    meeting, (first, second, third) = three_items
    moves = [{"member": "leroy", "leaves_before": "2", "returns_before": "3"}]
    validate_as_the_schema(meeting, moves=moves)
    meeting.moves = attendance.clean_moves(moves)
    assert _voters(first) == ["dupont", "martin", "leroy"]
    assert _voters(second) == ["dupont", "martin"]
    assert _voters(third) == ["dupont", "martin", "leroy"]
    # the votes of the item in between count without him
    with pytest.raises(votes.VoteError):
        votes.encode(second, [{"label": "Ensemble", "secret": True, "counts": {"yes": 3}}])
    votes.encode(second, [{"label": "Ensemble", "secret": True, "counts": {"yes": 2}}])
    # he does not come back: away for every item from the second on
    moves = [{"member": "leroy", "leaves_before": "2", "returns_before": ""}]
    assert attendance.moved_out(moves, 300) == {"leroy"}
    assert attendance.moved_out(moves, 100) == set()


MOVES_REFUSED = [
    (
        "not at the meeting",
        [{"member": "martin", "leaves_before": "2", "returns_before": None}],
        "Anne Martin is not at the meeting: they cannot leave it during the session.",
    ),
    (
        "not an item number",
        [{"member": "leroy", "leaves_before": "deux", "returns_before": None}],
        "Paul Leroy: an item is given by its number, such as 3 or 3.1.",
    ),
    (
        "back before leaving",
        [{"member": "leroy", "leaves_before": "3", "returns_before": "2"}],
        "Paul Leroy must return before a later item than the one before which they leave.",
    ),
    (
        "leaves twice",
        [
            {"member": "leroy", "leaves_before": "1", "returns_before": "3"},
            {"member": "leroy", "leaves_before": "2", "returns_before": None},
        ],
        "Paul Leroy leaves twice without coming back in between.",
    ),
    (
        "not a member",
        [{"member": "durand", "leaves_before": "2", "returns_before": None}],
        '"durand" is not a member of the body at the date of this meeting.',
    ),
]


@pytest.mark.parametrize(
    "moves, message",
    [(moves, message) for _case, moves, message in MOVES_REFUSED],
    ids=[case for case, *_rest in MOVES_REFUSED],
)
def test_the_schema_refuses_wrong_comings_and_goings(three_items, moves, message):
    meeting, _items = three_items
    meeting.attendance = [{"member": "martin", "status": "excused", "represented_by": None}]
    with pytest.raises(attendance.AttendanceError) as refused:
        validate_as_the_schema(meeting, moves=moves)
    assert refused.value.doc() == message


def validate_as_the_schema(meeting, **values):
    """Check ``values`` as z3c.form and plone.restapi check them: each field bound to
    the meeting, then the schema's invariants with the new values (the stored ones
    for the other fields)."""
    from z3c.form.validator import Data

    for name, value in values.items():
        IMeeting[name].bind(meeting).validate(value)
    IMeeting.validateInvariants(Data(IMeeting, values, meeting))


def test_the_attendance_and_the_moves_are_checked_together(three_items):
    """Leroy leaves before item 2; marked absent, he no longer leaves: the two new values
    go together, whatever is stored; one without the other is refused."""
    meeting, _items = three_items
    leaves = [{"member": "leroy", "leaves_before": "2", "returns_before": None}]
    absent = [{"member": "leroy", "status": "absent", "represented_by": None}]
    not_there = "Paul Leroy is not at the meeting: they cannot leave it during the session."
    meeting.moves = leaves
    validate_as_the_schema(meeting, attendance=absent, moves=[])
    with pytest.raises(attendance.AttendanceError) as refused:
        validate_as_the_schema(meeting, attendance=absent)
    assert refused.value.doc() == not_there
    meeting.moves = []
    with pytest.raises(attendance.AttendanceError) as refused:
        validate_as_the_schema(meeting, attendance=absent, moves=leaves)
    assert refused.value.doc() == not_there
    meeting.attendance = absent
    validate_as_the_schema(meeting, attendance=[], moves=leaves)


def test_rest_checks_the_attendance_and_the_moves_of_one_patch_together(http_world):
    """A PATCH that marks absent a member who was leaving during the session, and takes
    his move away, is stored; one that keeps the move is refused, as on the page."""
    meeting = http_world.meeting()
    meeting.moves = [{"member": "leroy", "leaves_before": "2", "returns_before": None}]
    transaction.commit()
    http = _session()
    http.headers.update({"Accept": "application/json"})
    url = meeting.absolute_url()
    absent = [{"member": "leroy", "status": "absent"}]
    not_there = "Paul Leroy is not at the meeting: they cannot leave it during the session."
    # the attendance alone, against the move stored: refused, nothing stored
    response = http.patch(url, json={"attendance": absent, "place": "Ailleurs"})
    assert response.status_code == 400, response.text
    assert not_there in response.json()["message"]
    transaction.begin()
    assert meeting.attendance == [] and meeting.place != "Ailleurs"
    assert meeting.moves[0]["member"] == "leroy"
    # both in one PATCH: the new attendance with the new moves
    response = http.patch(url, json={"attendance": absent, "moves": []})
    assert response.status_code == 204, response.text
    transaction.begin()
    assert attendance.status_of(meeting.attendance, "leroy")[0] == "absent"
    assert meeting.moves == []
    # and the other way round: a member marked present again, who leaves, in one PATCH
    leaves = [{"member": "leroy", "leaves_before": "3", "returns_before": None}]
    response = http.patch(url, json={"moves": leaves, "attendance": []})
    assert response.status_code == 204, response.text
    transaction.begin()
    assert meeting.attendance == [] and meeting.moves[0]["leaves_before"] == "3"
    # a move of a member marked absent in the same PATCH is refused, nothing stored;
    # every reason is said
    martin_leaves = [{"member": "martin", "leaves_before": "2", "returns_before": None}]
    both_absent = [*absent, {"member": "martin", "status": "excused"}]
    response = http.patch(url, json={"attendance": both_absent, "moves": leaves + martin_leaves})
    assert response.status_code == 400, response.text
    assert not_there in response.json()["message"]
    assert "Anne Martin is not at the meeting" in response.json()["message"]
    transaction.begin()
    assert meeting.attendance == []


def _move_form(member, leaves, returns=""):
    return {
        "move.0.member": member,
        "move.0.leaves_before": leaves,
        "move.0.returns_before": returns,
        "move.1.member": "",
        "form.buttons.save": "1",
    }


def test_comings_and_goings_that_break_stored_votes_are_refused(three_items):
    meeting, (first, second, third) = three_items
    votes.encode(second, [{"label": "Ensemble", "secret": True, "counts": {"yes": 3}}])
    result = call(meeting, "attendance", "manager", _move_form("leroy", "2", "3"), True)
    assert (
        "With this attendance, the votes already encoded for 2. Budget would no longer add up"
        in html.unescape(result.body)
    )
    assert not attendance.moves_of(meeting)
    # the form shows what was sent
    assert 'value="2"' in result.body
    # after item 2: nothing voted is concerned
    result = call(meeting, "attendance", "manager", _move_form("leroy", "3"), True)
    assert result.messages == ["The attendance is saved."]
    assert meeting.moves == [{"member": "leroy", "leaves_before": "3", "returns_before": None}]
    assert _voters(third) == ["dupont", "martin"]
    # a member who is out of the session cannot be marked absent for the meeting then
    rows = [{"member": "leroy", "status": "absent", "represented_by": None}]
    assert [translate(m) for m in attendance.problems(meeting, rows)] == [
        "Paul Leroy is not at the meeting: they cannot leave it during the session."
    ]


def test_rest_and_the_page_refuse_the_same_comings_and_goings(http_world):
    meeting = http_world.meeting()
    transaction.commit()
    http = _session()
    url = meeting.absolute_url()
    token = token_of(http.get(f"{url}/@@attendance").text)
    for case, moves, message in MOVES_REFUSED[1:4]:
        response = http.patch(url, headers={"Accept": "application/json"}, json={"moves": moves})
        assert response.status_code == 400, (case, response.text)
        assert message in response.json()["message"], case
        form = {"form.buttons.save": "1", "_authenticator": token}
        for index, move in enumerate(moves):
            form.update({f"move.{index}.{key}": value or "" for key, value in move.items()})
        page = http.post(f"{url}/@@attendance", data=form)
        assert message in html.unescape(page.text), case
        transaction.begin()
        assert not attendance.moves_of(meeting), case
    response = http.patch(
        url,
        headers={"Accept": "application/json"},
        json={"moves": [{"member": "leroy", "leaves_before": "2"}]},
    )
    assert response.status_code == 204, response.text
    transaction.begin()
    assert meeting.moves == [{"member": "leroy", "leaves_before": "2", "returns_before": None}]


def test_absent_or_excused_for_one_item(three_items):
    meeting, (first, second, _third) = three_items
    result = call(
        first,
        "encode-votes",
        "manager",
        {"action": "absents", "absents": ["leroy"], "excused": ["leroy"]},
        True,
    )
    assert "Paul Leroy cannot be both absent and excused for this item." in html.unescape(
        result.body
    )
    result = call(
        first, "encode-votes", "manager", {"action": "absents", "excused": ["leroy"]}, True
    )
    assert result.messages == ["The absences for this item are saved."]
    assert list(first.item_excused) == ["leroy"] and list(first.item_absents) == []
    assert _voters(first) == ["dupont", "martin"]
    assert _voters(second) == ["dupont", "martin", "leroy"]


def test_another_signatory_for_one_item(three_items):
    meeting, (first, second, _third) = three_items
    assert attendance.meeting_signatories(meeting) == ["dupont", "godin"]
    page = call(first, "votes", "manager").body
    assert 'name="signatory.2"' in page
    result = call(
        first, "encode-votes", "manager", {"action": "signatories", "signatory.3": "leroy"}, True
    )
    assert 'There is no signatory at position "3": the meeting has 2 signatories.' in html.unescape(
        result.body
    )
    result = call(
        first, "encode-votes", "manager", {"action": "signatories", "signatory.2": "leroy"}, True
    )
    assert result.messages == ["The signatories of this item are saved."]
    assert attendance.item_signatories(first, meeting) == ["dupont", "leroy"]
    assert attendance.item_signatories(second, meeting) == ["dupont", "godin"]
    # away for the item: cannot sign it
    with pytest.raises(attendance.AttendanceError) as refused:
        attendance.set_item(first, {"item_absents": ["leroy"]})
    assert refused.value.doc() == "Paul Leroy cannot sign this item, being away for it."


def test_the_minutes_and_the_extract_say_it_all(three_items):
    """Replacement, comings and goings, excuses for an item, "does not vote", blank
    ballots, a point without a vote and another signatory, in the generated documents."""
    from communesplone.meetings.tests.test_templates import fr
    from communesplone.meetings.tests.test_templates import generate
    from communesplone.meetings.tests.test_templates import text_of

    meeting, (first, second, third) = three_items
    meeting.attendance = [
        {
            "member": "martin",
            "status": "replaced",
            "represented_by": None,
            "replaced_by": "Marc Lenoir",
        }
    ]
    meeting.moves = [{"member": "leroy", "leaves_before": "2", "returns_before": "3"}]
    attendance.set_item(first, {"item_excused": ["dupont"], "item_signatories": {"2": "leroy"}})
    votes.encode(
        first, [{"label": "Ensemble", "voters": {"martin": "yes", "leroy": "does_not_vote"}}]
    )
    second.poll_type = "secret"
    votes.encode(second, [{"label": "Scrutin", "secret": True, "counts": {"yes": 1, "blank": 1}}])
    third.poll_type = "no_vote"
    minutes = text_of(generate(meeting, "proces_verbal-odt"))
    in_minutes = [
        "Anne Martin, Échevine, remplacé(e) par Marc Lenoir",
        fr(
            "${person} leaves the session before item ${leaves} and comes back before "
            "item ${returns}.",
            person="Paul Leroy",
            leaves="2",
            returns="3",
        ),
        "Excusés pour ce point : Jean Dupont",
        "Ne votent pas : Paul Leroy",
        "Absents pour ce point : Paul Leroy",
        fr("${person} leaves the session.", person="Paul Leroy"),
        fr("${count} blank ballots", count=1),
        fr("${person} comes back into the session.", person="Paul Leroy"),
        fr("Item taken for information, without a vote."),
    ]
    positions = []
    for part in in_minutes:
        assert part in minutes, f"{part!r} missing from:\n{minutes}"
        positions.append(minutes.index(part))
    assert positions == sorted(positions), minutes
    # the substitute votes in the seat: the named vote says so, not the member replaced
    seat = fr("${substitute} (replacing ${person})", substitute="Marc Lenoir", person="Anne Martin")
    assert "Marc Lenoir (replacing Anne Martin)" in html.unescape(
        call(first, "votes", "manager").body  # the test request's language: English
    )
    with as_user("manager"):
        helper = generation.template_names(first)["meeting_helper"]
        assert helper.votes(first)[0]["voters"]["yes"] == [seat]
        assert seat in [voter["person"] for voter in helper.voters(first)]
    extract = text_of(generate(first, "deliberation-odt"))
    represented = fr("replaced by ${person}", person="Marc Lenoir")
    assert f"Remplacés : Anne Martin, Échevine, {represented}" in extract
    assert "Excusés pour ce point : Jean Dupont" in extract
    assert "Ne votent pas : Paul Leroy" in extract
    signing = extract[extract.index("Par le") :]
    assert "Paul Leroy" in signing and "Delphine Godin" not in signing
