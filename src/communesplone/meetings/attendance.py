"""The attendance of a meeting: who is present, absent, excused, represented or replaced,
who leaves and comes back during the session, and who is away for one item.

``meeting.attendance`` is a list of rows ``{"member", "status",
"represented_by", "replaced_by"}``, one per member of the body whose
attendance is encoded; a member without a row is present. A replaced member
sits through a substitute who need not be a member of the body (a
"suppléant"), named in ``replaced_by``: the substitute votes in the member's
seat. ``meeting.moves`` lists who leaves the session and comes back, by item
number: ``{"member", "leaves_before": "3", "returns_before": "5"}`` (empty:
does not come back); the member is away for the items in between. The rules,
checked by :func:`problems`:

- each row names a member of the body, active at the date of the meeting,
  once;
- its status is one of :data:`STATUSES`;
- a represented member names who represents them: another member of the
  body, who is present; a member who is not represented names nobody;
- a replaced member names their substitute; a member who is not replaced
  names nobody;
- a move names a member at the meeting (present or replaced), item numbers
  ("3", "3.1"), a return after the departure, and does not overlap another
  move of the same member;
- the votes already encoded on the meeting's items still add up with the new
  attendance (see ``votes.py``). A changed attendance that would make them
  wrong is refused, naming the items: a secretary deletes those votes first
  and encodes them again (the votes are never changed behind her back).

The ``attendance`` and ``moves`` fields of the meeting's schema
(``content/meeting.py``) refuse rows and moves wrong on their own; the
schema's invariant (:func:`check_together`) checks the two together and
against the votes, with the new value of each when a request changes both, so
that the edit form and plone.restapi's deserializer refuse what the
attendance page (``browser/attendance.py``) refuses, with the same messages. Each message names the
member and the reason.

For one item (attributes of the item, set on its votes page and by REST
``@votes``): ``item_absents`` and ``item_excused`` (members of the meeting
away for that item), and ``item_signatories`` ({position: member}: another
signatory for that item, in place of the meeting's at that position).
:func:`item_problems` checks them.
"""

from communesplone import _
from communesplone.core.validation import Refusal
from communesplone.meetings.bodies import body_of
from zope.globalrequest import getRequest
from zope.i18n import translate

import re


STATUSES = ("present", "absent", "excused", "represented", "replaced")
# The statuses of the members counted at the meeting: they vote (for a
# represented member, the member who represents them votes in their name;
# for a replaced member, the substitute)
AT_MEETING = ("present", "represented", "replaced")
# Who may leave the session and come back: members sitting in person or through a substitute
MAY_MOVE = ("present", "replaced")
NUMBER = re.compile(r"^\s*([1-9][0-9]{0,3})(?:\.([1-9][0-9]?))?\s*$")
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


def replaced_by(rows, member_id):
    """The substitute of ``member_id`` in ``rows`` ("" if the member is not replaced)."""
    for row in rows or ():
        if row.get("member") == member_id and row.get("status") == "replaced":
            return row.get("replaced_by") or ""
    return ""


def seat_holder(rows, member_id, person):
    """Who votes in the seat of ``member_id`` (named ``person``) at the meeting whose
    attendance is ``rows``: ``person``, or, for a replaced member, their substitute
    "Julie Dasnoy (replacing Paul Collard)" (a message to translate)."""
    substitute = replaced_by(rows, member_id)
    if not substitute:
        return person
    return _(
        "${substitute} (replacing ${person})",
        mapping={"substitute": substitute, "person": person},
    )


def item_number(label):
    """The stored number of the item numbered ``label`` ("3" is 300, "3.1" is 301), else None."""
    match = NUMBER.match(label) if isinstance(label, str) else None
    if match is None:
        return None
    return int(match.group(1)) * 100 + int(match.group(2) or 0)


def moved_out(moves, number):
    """The ids of the members that ``moves`` say are out of the session for the item
    whose stored number is ``number`` (None: an item on no agenda, nobody)."""
    if not number:
        return set()
    out = set()
    for move in moves or ():
        start = item_number(move.get("leaves_before"))
        end = item_number(move.get("returns_before") or "") if move.get("returns_before") else None
        if start is not None and start <= number and (end is None or number < end):
            out.add(move.get("member"))
    return out


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
        if not isinstance(row.get("replaced_by") or "", str):
            return False
    return True


def problems(meeting, rows, moves=None):
    """What is wrong with ``rows`` as the attendance of ``meeting``, with ``moves`` as
    its comings and goings (the stored ones if None): translatable messages.

    An empty list when the rows and the moves may be stored together: each row
    and each move is right (:func:`row_problems`, :func:`move_problems`), the
    members who leave are at the meeting, and the votes already encoded still
    add up. ``meeting`` must be in its body (its members say who may attend).
    """
    moves = moves_of(meeting) if moves is None else moves
    if not rows and not moves:
        return []
    found = row_problems(meeting, rows)
    if not found:
        found.extend(move_problems(meeting, moves, rows, with_votes=False))
    if not found:
        found.extend(_vote_problems(meeting, rows, moves))
    return found


def row_problems(meeting, rows):
    """What is wrong with each of ``rows`` as the attendance of ``meeting``, on its own
    (without the comings and goings and the votes): translatable messages."""
    if not rows:
        return []
    if not _well_formed(rows):
        return [
            _(
                "The attendance must be a list of rows, each with a member, a status and, "
                "for a represented or replaced member, who represents or replaces them."
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
        substitute = (row.get("replaced_by") or "").strip()
        if status not in STATUSES:
            found.append(
                _(
                    "The attendance of ${person} must be present, absent, excused, "
                    "represented or replaced.",
                    mapping={"person": person},
                )
            )
            continue
        if status == "replaced" and not substitute:
            found.append(
                _(
                    "${person} is replaced: name the substitute who sits in their place.",
                    mapping={"person": person},
                )
            )
        elif status != "replaced" and substitute:
            found.append(
                _(
                    '${person} is not replaced: "replaced by" must be empty.',
                    mapping={"person": person},
                )
            )
        if status != "represented":
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
    return found


def moves_of(meeting):
    return list(getattr(meeting, "moves", None) or ())


def move_problems(meeting, moves, rows=None, with_votes=True, with_attendance=True):
    """What is wrong with ``moves`` as the comings and goings of ``meeting``
    (with ``rows`` as its attendance, if not the stored one): translatable messages.
    Without ``with_attendance``, each move on its own (not whether its member is at
    the meeting, nor the votes)."""
    if not moves:
        return []
    rows = (meeting.attendance if rows is None else rows) or []
    if not isinstance(moves, (list, tuple)) or not all(
        isinstance(move, dict)
        and isinstance(move.get("member"), str)
        and isinstance(move.get("leaves_before"), str)
        and isinstance(move.get("returns_before") or "", str)
        for move in moves
    ):
        return [
            _(
                "The comings and goings must be a list of rows, each with a member, the "
                "item before which they leave and, if they come back, the item before "
                "which they return."
            )
        ]
    if meeting is None or body_of(meeting) is None:
        return [_("The attendance is encoded once the meeting is created in its body.")]
    people = {row["id"]: row.get("person") or row["id"] for row in members(meeting)}
    found = []
    spans = {}
    for move in moves:
        member_id = move["member"]
        if member_id not in people:
            found.append(
                _(
                    '"${member}" is not a member of the body at the date of this meeting.',
                    mapping={"member": member_id},
                )
            )
            continue
        person = people[member_id]
        if with_attendance and status_of(rows, member_id)[0] not in MAY_MOVE:
            found.append(
                _(
                    "${person} is not at the meeting: they cannot leave it during the session.",
                    mapping={"person": person},
                )
            )
            continue
        start = item_number(move["leaves_before"])
        end = item_number(move.get("returns_before") or "") if move.get("returns_before") else None
        if start is None or (move.get("returns_before") and end is None):
            found.append(
                _(
                    "${person}: an item is given by its number, such as 3 or 3.1.",
                    mapping={"person": person},
                )
            )
            continue
        if end is not None and end <= start:
            found.append(
                _(
                    "${person} must return before a later item than the one before which "
                    "they leave.",
                    mapping={"person": person},
                )
            )
            continue
        for other_start, other_end in spans.get(member_id, ()):
            if start < (other_end or 10**9) and other_start < (end or 10**9):
                found.append(
                    _(
                        "${person} leaves twice without coming back in between.",
                        mapping={"person": person},
                    )
                )
                break
        spans.setdefault(member_id, []).append((start, end))
    if not found and with_votes and with_attendance:
        found.extend(_vote_problems(meeting, rows, moves))
    return found


def clean_moves(moves):
    """``moves`` as they are stored: the keys of the schema, numbers as "3" or "3.1"."""
    from communesplone.meetings import agenda

    return [
        {
            "member": move["member"],
            "leaves_before": agenda.number_label(item_number(move["leaves_before"])),
            "returns_before": agenda.number_label(item_number(move["returns_before"]))
            if move.get("returns_before")
            else None,
        }
        for move in moves
    ]


def check_moves(meeting, moves):
    """Raise :class:`AttendanceError` unless ``moves`` may be the comings and goings of
    ``meeting``, with its stored attendance."""
    found = move_problems(meeting, moves)
    if found:
        raise AttendanceError(found)


def check_rows(meeting, rows):
    """The attendance field's own rule: raise :class:`AttendanceError` unless each of
    ``rows`` is right (:func:`row_problems`)."""
    found = row_problems(meeting, rows)
    if found:
        raise AttendanceError(found)


def check_own_moves(meeting, moves):
    """The moves field's own rule: raise :class:`AttendanceError` unless each of
    ``moves`` is right on its own."""
    found = move_problems(meeting, moves, with_attendance=False)
    if found:
        raise AttendanceError(found)


def check_together(data):
    """The meeting schema's invariant: the attendance and the comings and goings that
    are being stored (``data``: the values of a form or a REST request, the meeting's
    own for the fields they do not change) agree with each other and with the votes
    already encoded. A PATCH that changes both is checked with both new values, as
    the attendance page checks them.

    Raise :class:`AttendanceError` with the messages of :func:`problems`.
    """
    meeting = getattr(data, "__context__", None)
    if getattr(meeting, "portal_type", None) != "meeting":
        return
    rows = data.attendance or []
    moves = data.moves or []
    found = problems(meeting, rows, moves)
    if found:
        error = AttendanceError(found)
        # plone.restapi answers an invariant's first argument: every message, as doc()
        error.args = (error.doc(),)
        raise error


def _vote_problems(meeting, rows, moves):
    # votes.py reads the attendance: imported here, where both are loaded
    from communesplone.meetings import votes

    broken = votes.broken_by_attendance(meeting, rows, moves)
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
    """``rows`` as they are stored: the keys of the schema, nobody representing
    (replacing) a member who is not represented (replaced)."""
    return [
        {
            "member": row["member"],
            "status": row.get("status"),
            "represented_by": (row.get("represented_by") or None)
            if row.get("status") == "represented"
            else None,
            "replaced_by": (row.get("replaced_by") or "").strip() or None
            if row.get("status") == "replaced"
            else None,
        }
        for row in rows
    ]


def check(meeting, rows, moves=None):
    """Raise :class:`AttendanceError` unless ``rows`` may be the attendance of ``meeting``
    (with ``moves`` as its comings and goings, if not the stored ones)."""
    found = problems(meeting, rows, moves)
    if found:
        raise AttendanceError(found)


# One item: who is away for it, who signs it ----------------------------------

ITEM_KEYS = ("item_absents", "item_excused", "item_signatories")


def at_meeting(meeting):
    """The body's member rows at ``meeting`` (present, represented or replaced), in order."""
    return [
        row for row in members(meeting) if status_of(meeting.attendance, row["id"])[0] in AT_MEETING
    ]


def away_for(item, meeting, moves=None):
    """The ids of the members of ``meeting`` away for ``item``: absent or excused for it,
    or out of the session for it (``moves``, if not the meeting's)."""
    moves = moves_of(meeting) if moves is None else moves
    return (
        set(item.item_absents or ())
        | set(item.item_excused or ())
        | moved_out(moves, getattr(item, "item_number", None))
    )


def _member_list(value):
    return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)


def item_problems(item, values):
    """What is wrong with ``values`` (some of :data:`ITEM_KEYS`) for ``item``: translatable
    messages. The values not given are the item's."""
    from communesplone.meetings import agenda

    meeting = agenda.meeting_of(item)
    absents = values.get("item_absents", item.item_absents or ())
    excused = values.get("item_excused", item.item_excused or ())
    signatories = values.get("item_signatories", item.item_signatories or {})
    if not _member_list(absents) or not _member_list(excused):
        return [_("The members absent or excused for this item must be lists of member ids.")]
    if not isinstance(signatories, dict) or not all(
        isinstance(member, str) for member in signatories.values()
    ):
        return [_("The signatories of this item must map a position (1, 2...) to a member id.")]
    if meeting is None:
        if absents or excused or signatories:
            return [_("The item is on no meeting's agenda: nobody attends it yet.")]
        return []
    here = {row["id"]: row.get("person") or row["id"] for row in at_meeting(meeting)}
    signing = meeting_signatories(meeting)
    everyone = {row["id"]: row.get("person") or row["id"] for row in members(meeting)}
    found = []
    unknown = sorted({m for m in (*absents, *excused) if m not in here})
    if unknown:
        found.append(
            _(
                "${members} are not members present at the meeting.",
                mapping={"members": ", ".join(everyone.get(m, m) for m in unknown)},
            )
        )
    both = sorted(set(absents) & set(excused))
    if both:
        found.append(
            _(
                "${members} cannot be both absent and excused for this item.",
                mapping={"members": ", ".join(everyone.get(m, m) for m in both)},
            )
        )
    for position, member_id in sorted(signatories.items(), key=lambda pair: str(pair[0])):
        try:
            valid_position = int(position) >= 1
        except (TypeError, ValueError):
            valid_position = False
        if not valid_position or int(position) > len(signing):
            found.append(
                _(
                    'There is no signatory at position "${position}": the meeting has '
                    "${count} signatories.",
                    mapping={"position": position, "count": len(signing)},
                )
            )
        elif member_id not in here:
            found.append(
                _(
                    '"${member}" cannot sign this item: not a member present at the meeting.',
                    mapping={"member": everyone.get(member_id, member_id)},
                )
            )
        elif member_id in absents or member_id in excused:
            found.append(
                _(
                    "${person} cannot sign this item, being away for it.",
                    mapping={"person": here[member_id]},
                )
            )
    return found


def clean_item(values):
    """The item's values as they are stored: lists without repeats, positions as text."""
    cleaned = {}
    for key in ("item_absents", "item_excused"):
        if key in values:
            cleaned[key] = list(dict.fromkeys(values[key]))
    if "item_signatories" in values:
        cleaned["item_signatories"] = {
            str(int(position)): member
            for position, member in (values["item_signatories"] or {}).items()
            if member
        }
    return cleaned


def set_item(item, values):
    """Check, then store ``values`` (some of :data:`ITEM_KEYS`) on ``item``; the votes
    already encoded must still add up (else nothing is stored)."""
    from communesplone.meetings import votes

    found = item_problems(item, values)
    if found:
        raise AttendanceError(found)
    cleaned = clean_item(values)
    previous = {key: item.__dict__[key] for key in cleaned if key in item.__dict__}
    for key, value in cleaned.items():
        setattr(item, key, value)
    if item.votes:
        try:
            votes.check(item, item.votes)
        except votes.VoteError as error:
            for key in cleaned:
                if key in previous:
                    setattr(item, key, previous[key])
                else:
                    delattr(item, key)  # back to the class default
            raise AttendanceError(
                [
                    _(
                        "These absences do not match the votes already encoded; delete "
                        "those votes first."
                    )
                ]
            ) from error
    return cleaned


def meeting_signatories(meeting):
    """The ids of who signs the acts of ``meeting``, in order: its signatories, or else
    the body's members with a signatory order."""
    chosen = list(getattr(meeting, "signatories", None) or ())
    if chosen:
        return chosen
    signing = [row for row in members(meeting) if row.get("signatory_order")]
    signing.sort(key=lambda row: row["signatory_order"])
    return [row["id"] for row in signing]


def item_signatories(item, meeting):
    """The ids of who signs the acts of ``item``, in order: the meeting's, with another
    signatory where the item names one for a position (``item_signatories``)."""
    signing = meeting_signatories(meeting)
    for position, member_id in (item.item_signatories or {}).items():
        index = int(position) - 1
        if 0 <= index < len(signing):
            signing[index] = member_id
    return signing


def migrate_1002():
    """Existing meetings' attendance rows get the key of replacements (empty): every
    row has the keys of the schema. Returns how many meetings were changed."""
    from plone import api

    catalog = api.portal.get_tool("portal_catalog")
    changed = 0
    for brain in catalog.unrestrictedSearchResults(portal_type="meeting"):
        meeting = brain._unrestrictedGetObject()
        rows = meeting.attendance or []
        if any("replaced_by" not in row for row in rows):
            meeting.attendance = [{**row, "replaced_by": row.get("replaced_by")} for row in rows]
            changed += 1
    return changed
