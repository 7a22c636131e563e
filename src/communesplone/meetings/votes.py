"""Votes on an item: who may vote, and checking what is encoded.

An item holds a list of votes (``item.votes``), for example one on the
whole and one per amendment. Each vote is a dict:

- ``label``: what is voted on ("Sur l'ensemble", "Amendement 1");
- ``secret``: False for a public (named) vote, True for a secret one;
- ``voters``: for a public vote, {member id: one of :data:`PUBLIC_VALUES`}
  ("yes", "no", "abstain", "does_not_vote": "ne vote pas");
- ``counts``: for a secret vote, {value: n} for :data:`SECRET_VALUES` (also
  "blank" and "invalid" ballots).

The item's ``poll_type`` chooses its poll: "public" (named votes only),
"secret" (counts only), "no_vote" (a point taken for information: no vote);
none chosen, public and secret votes may both be encoded (one per amendment…).

The voters are the body's voting members at the meeting (present,
represented, or replaced by a substitute who votes in their seat), less those
away for this item: absent or excused for it (``item.item_absents``,
``item.item_excused``), or out of the session for it (the meeting's ``moves``).
A vote must account for every one of them, exactly: :func:`check` refuses
anything else with a message that says what is wrong, and :func:`encode`
stores nothing unless every vote passes. :func:`replace` changes one stored
vote in place, with the same checks.

The votes depend on the attendance: a new attendance of the meeting that
would make stored votes wrong is refused (:func:`broken_by_attendance`, used
by ``attendance.py``).
"""

from communesplone import _
from communesplone.meetings import agenda
from communesplone.meetings import attendance as attendance_rules
from communesplone.meetings.bodies import body_of
from plone.uuid.interfaces import IUUID


VALUES = ("yes", "no", "abstain", "blank", "invalid", "does_not_vote")
PUBLIC_VALUES = ("yes", "no", "abstain", "does_not_vote")
SECRET_VALUES = VALUES
POLL_TYPES = ("public", "secret", "no_vote")
# Always in counts and results; the other values only when some vote has them
# (so that the shape of votes encoded before them stays the same)
CORE_VALUES = ("yes", "no", "abstain")


def _counts(numbers):
    """{value: n} with the core values always, the others when not zero."""
    return {value: n for value, n in numbers.items() if value in CORE_VALUES or n}


class VoteError(ValueError):
    """Refused votes; ``message`` is translatable."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def voters(item, attendance=None, moves=None):
    """The members who vote on ``item``, as the body's member rows, in order.

    ``attendance``, ``moves``: the meeting's attendance rows and comings and goings
    to count with, if not the stored ones.
    """
    meeting = agenda.meeting_of(item)
    if meeting is None or body_of(item) is None:
        return []
    absent_here = attendance_rules.away_for(item, meeting, moves)
    away = attendance_rules.away(meeting.attendance if attendance is None else attendance)
    return [
        row
        for row in attendance_rules.members(meeting)
        if row.get("voting", True) and row["id"] not in away and row["id"] not in absent_here
    ]


def _check_one(index, vote, expected, poll_type=None):
    label = vote.get("label") or str(index)
    if poll_type == "no_vote":
        raise VoteError(
            _(
                'Vote "${label}": this item is taken for information, without a vote.',
                mapping={"label": label},
            )
        )
    if poll_type == "public" and vote.get("secret"):
        raise VoteError(
            _(
                'Vote "${label}": this item is voted in public, member by member: '
                "not by secret ballot.",
                mapping={"label": label},
            )
        )
    if poll_type == "secret" and not vote.get("secret"):
        raise VoteError(
            _(
                'Vote "${label}": this item is voted by secret ballot: give the counts only, '
                "not who voted what.",
                mapping={"label": label},
            )
        )
    if vote.get("secret"):
        counts = vote.get("counts") or {}
        unknown = set(counts) - set(SECRET_VALUES)
        if unknown:
            raise VoteError(
                _(
                    'Vote "${label}": unknown vote values: ${values}.',
                    mapping={"label": label, "values": ", ".join(sorted(unknown))},
                )
            )
        try:
            numbers = [int(counts.get(value) or 0) for value in SECRET_VALUES]
        except (TypeError, ValueError):
            numbers = [-1]
        if any(number < 0 for number in numbers):
            raise VoteError(
                _('Vote "${label}": counts must be whole numbers.', mapping={"label": label})
            )
        if sum(numbers) != len(expected):
            raise VoteError(
                _(
                    'Vote "${label}": ${total} votes, but ${present} members present may vote.',
                    mapping={"label": label, "total": sum(numbers), "present": len(expected)},
                )
            )
        return {
            "label": vote.get("label") or "",
            "secret": True,
            "counts": _counts(dict(zip(SECRET_VALUES, numbers, strict=True))),
        }
    cast = dict(vote.get("voters") or {})
    strangers = set(cast) - set(expected)
    if strangers:
        raise VoteError(
            _(
                'Vote "${label}": ${members} may not vote on this item (absent or not members).',
                mapping={"label": label, "members": ", ".join(sorted(strangers))},
            )
        )
    wrong = {member for member, value in cast.items() if value not in PUBLIC_VALUES}
    if wrong:
        raise VoteError(
            _(
                'Vote "${label}": the vote of ${members} must be yes, no, abstain or '
                "does not vote.",
                mapping={"label": label, "members": ", ".join(sorted(wrong))},
            )
        )
    missing = [member for member in expected if member not in cast]
    if missing:
        mapping = {"label": label, "count": len(missing), "members": ", ".join(missing)}
        if len(missing) == 1:
            message = _(
                'Vote "${label}": 1 member present has no vote: ${members}.', mapping=mapping
            )
        else:
            message = _(
                'Vote "${label}": ${count} members present have no vote: ${members}.',
                mapping=mapping,
            )
        raise VoteError(message)
    return {"label": vote.get("label") or "", "secret": False, "voters": cast}


def check(item, votes, attendance=None, moves=None, poll_type=None):
    """The votes, cleaned; VoteError if one of them does not add up.

    ``attendance``, ``moves``: the meeting's attendance rows and comings and goings
    to check with, if not the stored ones; ``poll_type``: the item's poll, if not its own.
    """
    expected = [row["id"] for row in voters(item, attendance, moves)]
    poll_type = getattr(item, "poll_type", None) if poll_type is None else poll_type
    if not isinstance(votes, (list, tuple)):
        raise VoteError(_("Votes must be a list."))
    for vote in votes:
        if not isinstance(vote, dict):
            raise VoteError(_("Each vote must be an object."))
    return [
        _check_one(index, dict(vote), expected, poll_type) for index, vote in enumerate(votes, 1)
    ]


def encode(item, votes):
    """Check, then store ``votes`` on ``item`` (all or nothing)."""
    item.votes = check(item, votes)
    return item.votes


def replace(item, index, vote):
    """Change the stored vote at ``index`` (0 is the first) to ``vote``, with the same checks."""
    stored = list(item.votes or ())
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(stored):
        raise VoteError(_("This vote does not exist (any more)."))
    stored[index] = vote
    return encode(item, stored)


def poll_problems(item, poll_type):
    """Why ``item`` may not get ``poll_type`` now: the votes already encoded are of
    another kind (translatable messages; an empty list if it may)."""
    if not poll_type or not getattr(item, "votes", None):
        return []
    try:
        check(item, item.votes, poll_type=poll_type)
    except VoteError:
        return [
            _(
                "The votes already encoded for this item are not of this kind of poll: "
                "delete them first."
            )
        ]
    return []


def broken_by_attendance(meeting, attendance, moves=None):
    """The items of ``meeting`` whose stored votes would not add up with ``attendance``
    (and ``moves``, if given), as "number. title" labels, in agenda order."""
    broken = []
    if IUUID(meeting, None) is None:
        return broken  # a meeting being created: no item yet
    for item in agenda.items(meeting):
        if not item.votes:
            continue
        try:
            check(item, item.votes, attendance, moves)
        except VoteError:
            number = agenda.number_label(item.item_number)
            broken.append(f"{number}. {item.Title()}" if number else item.Title())
    return broken


def result(vote):
    """{value: n} of one vote, public or secret: "yes", "no" and "abstain" always,
    "blank", "invalid" and "does_not_vote" when not zero."""
    counts = dict.fromkeys(VALUES, 0)
    if vote.get("secret"):
        counts.update({key: n for key, n in (vote.get("counts") or {}).items() if key in counts})
    else:
        for value in vote.get("voters", {}).values():
            counts[value] += 1
    return _counts(counts)
