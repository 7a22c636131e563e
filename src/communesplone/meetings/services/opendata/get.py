"""GET ``@decision`` on an item, ``@decisions`` on a meeting, ``@decisions?year=2026``
on a body: the open decision data (``opendata.py``) over REST, the same JSON as
the browser's ``@@decision.json``, ``@@decisions.json`` and ``@@decisions/<year>.json``."""

from communesplone import _
from communesplone.core.i18n import request_language
from communesplone.meetings import opendata
from communesplone.meetings.services.errors import bad_request
from datetime import date
from plone.restapi.services import Service


class DecisionGet(Service):
    def reply(self):
        return opendata.item_json(self.context, self.request, request_language(self.request))


class MeetingDecisionsGet(Service):
    def reply(self):
        url = f"{self.context.absolute_url()}/@decisions"
        items = opendata.meeting_items(self.context)
        return opendata.listing(url, items, self.request, request_language(self.request))


class YearlyDecisionsGet(Service):
    def reply(self):
        value = self.request.form.get("year", str(date.today().year))
        if not (isinstance(value, str) and value.isdigit() and len(value) == 4):
            return bad_request(self.request, _("The year must be written with four digits."))
        year = int(value)
        url = f"{self.context.absolute_url()}/@decisions?year={year}"
        items = opendata.year_items(self.context, year)
        return opendata.listing(url, items, self.request, request_language(self.request))
