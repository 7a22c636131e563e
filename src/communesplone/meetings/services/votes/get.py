"""GET ``@votes`` on an item: who votes, the votes encoded and their results.

Votes are part of the decision: the endpoint needs the permission that guards
the decision ("communesplone.meetings: View decision").
"""

from communesplone.meetings import votes
from plone.restapi.serializer.converters import json_compatible
from plone.restapi.services import Service


def serialize(item):
    stored = list(item.votes or ())
    return json_compatible(
        {
            "@id": f"{item.absolute_url()}/@votes",
            "voters": [
                {"id": row["id"], "person": row.get("person"), "function": row.get("function")}
                for row in votes.voters(item)
            ],
            "item_absents": list(item.item_absents or ()),
            "votes": stored,
            "results": [votes.result(vote) for vote in stored],
        }
    )


class VotesGet(Service):
    def reply(self):
        return serialize(self.context)
