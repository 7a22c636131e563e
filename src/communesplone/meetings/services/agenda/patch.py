"""PATCH ``@agenda`` on a meeting: move one item, ``{"item": uid, "position": n, "subitem": bool}``.

The item is looked up in the agenda as the catalog lets the caller see it: an
item the caller may not see is answered like an item that is not there.
Answers 204, or the new agenda with ``Prefer: return=representation``; 400
with a message for a refused move, and nothing is changed then.
"""

from communesplone import _
from communesplone.meetings import agenda
from communesplone.meetings.services.agenda.get import serialize
from communesplone.meetings.services.errors import bad_request
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.deserializer import json_body
from plone.restapi.exceptions import DeserializationError
from plone.restapi.services import Service
from zope.interface import alsoProvides


class AgendaPatch(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        try:
            data = json_body(self.request)
        except DeserializationError:
            return bad_request(self.request, _("The body must be a JSON object."))
        uid = data.get("item")
        found = agenda.brains(self.context, UID=uid) if uid and isinstance(uid, str) else []
        if not found:
            return bad_request(
                self.request,
                _('This meeting has no item "${uid}" on its agenda.', mapping={"uid": str(uid)}),
            )
        position = data.get("position")
        if isinstance(position, bool) or not isinstance(position, int):
            position = None  # refused by agenda.move, with the allowed range
        subitem = data.get("subitem")
        if subitem is not None and not isinstance(subitem, bool):
            return bad_request(self.request, _('"subitem" must be true or false.'))
        try:
            agenda.move(found[0].getObject(), position, subitem)
        except agenda.AgendaError as error:
            return bad_request(self.request, error.message)
        if self.request.getHeader("Prefer") == "return=representation":
            return serialize(self.context)
        return self.reply_no_content()
