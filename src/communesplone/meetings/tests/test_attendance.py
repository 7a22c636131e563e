"""The attendance of a meeting: one set of rules (``attendance.py``), enforced by the
schema's field, so that the attendance page and REST refuse the same input with
the same message and store nothing; and the votes already encoded are checked
again when the attendance changes."""

from communesplone.meetings import attendance
from communesplone.meetings import votes
from communesplone.meetings.content.meeting import IMeeting
from communesplone.meetings.testing import build
from communesplone.meetings.testing import PASSWORD
from communesplone.meetings.tests.test_meeting_page import call
from communesplone.meetings.tests.test_meeting_page import token_of
from plone import api

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
        "The attendance of Anne Martin must be present, absent, excused or represented.",
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
        "for a represented member, who represents them.",
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
    IMeeting["attendance"].bind(meeting).validate(rows)
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
        {"member": "martin", "status": "excused", "represented_by": None},
        {"member": "leroy", "status": "represented", "represented_by": "dupont"},
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
        IMeeting["attendance"].bind(meeting).validate(
            [{"member": "martin", "status": "excused", "represented_by": None}]
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
    assert meeting.attendance == ENCODED
