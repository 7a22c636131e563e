"""POST ``@advice-extension`` on an item: ``{"service", "days", "reason"}``.

Extends the delay of the service's advice once (``advices.extend``); refused
with a 400 and the same message as the form when the rules say no (no
reason, a second extension, less than a day...); 401/403 for whoever lacks
the permission "communesplone.meetings: Extend advice delay" on the item (the
meeting managers of the body and the advisers, while advices are awaited) or,
an adviser, is not one of that service (``advices.may_extend``).
Answers the item's advices (``@advices``).
"""

from communesplone import _
from communesplone.meetings import advices
from communesplone.meetings.services.advices.get import serialize
from communesplone.meetings.services.errors import bad_request
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.deserializer import json_body
from plone.restapi.exceptions import DeserializationError
from plone.restapi.services import Service
from zExceptions import Unauthorized
from zope.interface import alsoProvides
from zope.interface import Invalid


class AdviceExtensionPost(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        try:
            data = json_body(self.request)
        except DeserializationError:
            return bad_request(self.request, _("The body must be a JSON object."))
        if not isinstance(data, dict):
            return bad_request(self.request, _("The body must be a JSON object."))
        service, days, reason = data.get("service"), data.get("days"), data.get("reason")
        if not isinstance(service, str) or not advices.may_extend(self.context, service):
            raise Unauthorized("You may not extend the delay of this advice.")
        if days is not None and (isinstance(days, bool) or not isinstance(days, int)):
            return bad_request(self.request, _("An extension is of one day or more."))
        if reason is not None and not isinstance(reason, str):
            return bad_request(self.request, _("Give the reason of the extension."))
        try:
            advices.extend(self.context, service, days, reason)
        except Invalid as error:
            return bad_request(self.request, error.args[0])
        return serialize(self.context)
