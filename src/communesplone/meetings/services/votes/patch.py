"""PATCH ``@votes`` on an item: ``{"votes": [...], "item_absents": [member ids]}``.

Both keys are optional: absent, the stored value is kept (and the stored votes
are checked again against new absents). Votes that do not account for every
member present are refused with a message (see ``votes.check``), and nothing
is stored then. Answers 204, or the new votes with ``Prefer: return=representation``.
"""

from communesplone import _
from communesplone.meetings import votes
from communesplone.meetings.bodies import body_of
from communesplone.meetings.services.errors import bad_request
from communesplone.meetings.services.votes.get import serialize
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.deserializer import json_body
from plone.restapi.exceptions import DeserializationError
from plone.restapi.services import Service
from zope.interface import alsoProvides


def _absents(item, value):
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise votes.VoteError(_("The members absent for this item must be a list of member ids."))
    body = body_of(item)
    unknown = sorted({member for member in value if body.member(member) is None})
    if unknown:
        raise votes.VoteError(
            _(
                "Unknown members: ${members}.",
                mapping={"members": ", ".join(unknown)},
            )
        )
    return list(dict.fromkeys(value))


class VotesPatch(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        try:
            data = json_body(self.request)
        except DeserializationError:
            return bad_request(self.request, _("The body must be a JSON object."))
        item = self.context
        previous = item.item_absents
        stored_here = "item_absents" in item.__dict__
        try:
            if "item_absents" in data:
                item.item_absents = _absents(item, data["item_absents"])
            votes.encode(item, data.get("votes", list(item.votes or ())))
        except votes.VoteError as error:
            if stored_here:
                item.item_absents = previous
            elif "item_absents" in item.__dict__:
                del item.item_absents  # back to the class default
            return bad_request(self.request, error.message)
        if self.request.getHeader("Prefer") == "return=representation":
            return serialize(item)
        return self.reply_no_content()
