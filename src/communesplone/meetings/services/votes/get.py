"""GET ``@votes`` on an item: its poll, who votes, who is away for it (absent,
excused, out of the session), who signs it, the votes encoded and their results.

Votes are part of the decision: the endpoint needs the permission that guards
the decision ("communesplone.meetings: View decision").
"""

from communesplone.meetings import agenda
from communesplone.meetings import attendance
from communesplone.meetings import votes
from plone.restapi.serializer.converters import json_compatible
from plone.restapi.services import Service


def serialize(item):
    stored = list(item.votes or ())
    meeting = agenda.meeting_of(item)
    moved = (
        attendance.moved_out(attendance.moves_of(meeting), item.item_number) if meeting else set()
    )
    return json_compatible(
        {
            "@id": f"{item.absolute_url()}/@votes",
            "poll_type": getattr(item, "poll_type", None),
            "voters": [
                {"id": row["id"], "person": row.get("person"), "function": row.get("function")}
                for row in votes.voters(item)
            ],
            "item_absents": list(item.item_absents or ()),
            "item_excused": list(item.item_excused or ()),
            "item_signatories": dict(item.item_signatories or {}),
            "out_of_session": sorted(moved),
            "signatories": attendance.item_signatories(item, meeting) if meeting else [],
            "votes": stored,
            "results": [votes.result(vote) for vote in stored],
        }
    )


class VotesGet(Service):
    def reply(self):
        return serialize(self.context)
