"""The attendance of a meeting: who is present, absent, excused or represented.

``meeting.attendance`` is a list of rows ``{"member", "status",
"represented_by"}``, one per member of the body whose attendance is encoded;
a member without a row is present. The rules, checked by :func:`problems`:

- each row names a member of the body, active at the date of the meeting,
  once;
- its status is one of :data:`STATUSES`;
- a represented member names who represents them: another member of the
  body, who is present; a member who is not represented names nobody;
- the votes already encoded on the meeting's items still add up with the new
  attendance (see ``votes.py``). A changed attendance that would make them
  wrong is refused, naming the items: a secretary deletes those votes first
  and encodes them again (the votes are never changed behind her back).

The ``attendance`` field of the meeting's schema (``content/meeting.py``)
refuses rows with problems, so that the edit form and plone.restapi's
deserializer refuse them; the attendance page (``browser/attendance.py``)
lists the same messages. Each message names the member and the reason.
"""

from communesplone import _
from communesplone.core.validation import Refusal
from communesplone.meetings.bodies import body_of
from zope.globalrequest import getRequest
from zope.i18n import translate


STATUSES = ("present", "absent", "excused", "represented")
# The statuses of the members counted at the meeting: they vote (for a
# represented member, the member who represents them votes in their name)
AT_MEETING = ("present", "represented")
DEFAULT = "present"


class AttendanceError(Refusal):
    """Refused attendance rows; ``messages`` are translatable, ``doc()`` translated."""

    def __init__(self, messages):
        super().__init__(messages[0] if messages else "")
        self.messages = list(messages)

    def doc(self):
        request = getRequest()
        return " ".join(translate(message, context=request) for message in self.messages)


def members(meeting):
    """The body's member rows active at the date of ``meeting``, in order."""
    body = body_of(meeting) if meeting is not None else None
    if body is None:
        return []
    day = meeting.date.date() if getattr(meeting, "date", None) else None
    return body.active_members(day)


def status_of(rows, member_id):
    """(status, represented_by) of ``member_id`` in ``rows``: present unless encoded otherwise."""
    for row in rows or ():
        if row.get("member") == member_id:
            return row.get("status") or DEFAULT, row.get("represented_by")
    return DEFAULT, None


def away(rows):
    """The ids of the members that ``rows`` say are not at the meeting."""
    return {row["member"] for row in rows or () if row.get("status") not in AT_MEETING}


def _well_formed(rows):
    if not isinstance(rows, (list, tuple)):
        return False
    for row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("member"), str):
            return False
        if not isinstance(row.get("represented_by") or "", str):
            return False
    return True


def problems(meeting, rows):
    """What is wrong with ``rows`` as the attendance of ``meeting``: translatable messages.

    An empty list when the rows may be stored. ``meeting`` must be in its
    body (its members say who may attend).
    """
    if not rows:
        return []
    if not _well_formed(rows):
        return [
            _(
                "The attendance must be a list of rows, each with a member, a status and, "
                "for a represented member, who represents them."
            )
        ]
    if meeting is None or body_of(meeting) is None:
        return [_("The attendance is encoded once the meeting is created in its body.")]
    people = {row["id"]: row.get("person") or row["id"] for row in members(meeting)}
    found = []
    seen = set()
    for row in rows:
        member_id = row["member"]
        if member_id not in people:
            found.append(
                _(
                    '"${member}" is not a member of the body at the date of this meeting.',
                    mapping={"member": member_id},
                )
            )
            continue
        person = people[member_id]
        if member_id in seen:
            found.append(
                _("The attendance of ${person} is given twice.", mapping={"person": person})
            )
            continue
        seen.add(member_id)
        status = row.get("status")
        represented_by = row.get("represented_by") or None
        if status not in STATUSES:
            found.append(
                _(
                    "The attendance of ${person} must be present, absent, excused or represented.",
                    mapping={"person": person},
                )
            )
        elif status != "represented":
            if represented_by:
                found.append(
                    _(
                        '${person} is not represented: "represented by" must be empty.',
                        mapping={"person": person},
                    )
                )
        elif not represented_by:
            found.append(
                _(
                    "${person} is represented: choose the member who represents them.",
                    mapping={"person": person},
                )
            )
        elif represented_by == member_id or represented_by not in people:
            found.append(
                _(
                    "${person} must be represented by another member of the body.",
                    mapping={"person": person},
                )
            )
        elif status_of(rows, represented_by)[0] != "present":
            found.append(
                _(
                    "${person} cannot be represented by ${other}, who is not present.",
                    mapping={"person": person, "other": people[represented_by]},
                )
            )
    if not found:
        found.extend(_vote_problems(meeting, rows))
    return found


def _vote_problems(meeting, rows):
    # votes.py reads the attendance: imported here, where both are loaded
    from communesplone.meetings import votes

    broken = votes.broken_by_attendance(meeting, rows)
    if not broken:
        return []
    return [
        _(
            "With this attendance, the votes already encoded for ${items} would no longer "
            "add up: delete those votes first, then encode them again.",
            mapping={"items": "; ".join(broken)},
        )
    ]


def clean(rows):
    """``rows`` as they are stored: the keys of the schema, nobody representing a member
    who is not represented."""
    return [
        {
            "member": row["member"],
            "status": row.get("status"),
            "represented_by": (row.get("represented_by") or None)
            if row.get("status") == "represented"
            else None,
        }
        for row in rows
    ]


def check(meeting, rows):
    """Raise :class:`AttendanceError` unless ``rows`` may be the attendance of ``meeting``."""
    found = problems(meeting, rows)
    if found:
        raise AttendanceError(found)
