"""PATCH ``@votes`` on an item: ``{"votes": [...], "item_absents": [member ids],
"item_excused": [member ids], "item_signatories": {"2": member id}}``.

Every key is optional: absent, the stored value is kept (and the stored votes
are checked again against new absences). The item's attendance follows the
rules of ``attendance.item_problems``, the votes those of ``votes.check``
(they must account for every member present for the item, in the item's
poll); anything refused answers 400 with the message, and nothing is stored
then. Answers 204, or the new votes with ``Prefer: return=representation``.
"""

from communesplone import _
from communesplone.meetings import attendance
from communesplone.meetings import votes
from communesplone.meetings.services.errors import bad_request
from communesplone.meetings.services.votes.get import serialize
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.deserializer import json_body
from plone.restapi.exceptions import DeserializationError
from plone.restapi.services import Service
from zope.i18n import translate
from zope.interface import alsoProvides


class VotesPatch(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        try:
            data = json_body(self.request)
        except DeserializationError:
            return bad_request(self.request, _("The body must be a JSON object."))
        if not isinstance(data, dict):
            return bad_request(self.request, _("The body must be a JSON object."))
        item = self.context
        values = {key: data[key] for key in attendance.ITEM_KEYS if key in data}
        found = attendance.item_problems(item, values)
        if found:
            if len(found) == 1:
                return bad_request(self.request, found[0])
            return bad_request(
                self.request, " ".join(translate(m, context=self.request) for m in found)
            )
        cleaned = attendance.clean_item(values)
        previous = {key: item.__dict__[key] for key in cleaned if key in item.__dict__}
        for key, value in cleaned.items():
            setattr(item, key, value)
        try:
            votes.encode(item, data.get("votes", list(item.votes or ())))
        except votes.VoteError as error:
            for key in cleaned:
                if key in previous:
                    setattr(item, key, previous[key])
                elif key in item.__dict__:
                    delattr(item, key)  # back to the class default
            return bad_request(self.request, error.message)
        if self.request.getHeader("Prefer") == "return=representation":
            return serialize(item)
        return self.reply_no_content()
