"""Open decision data at stable URLs (``opendata.py`` says what they hold):

- ``<item>/@@decision.json``: one public item;
- ``<meeting>/@@decisions.json`` and ``<meeting>/@@decisions.csv``: the public
  items of a meeting;
- ``<body>/@@decisions/<year>.json`` and ``<body>/@@decisions/<year>.csv``:
  the public decisions of a year.

Each caller gets what they may see; texts are masked for everyone. The same
JSON is served over REST (``services/opendata``).
"""

from communesplone.core.i18n import request_language
from communesplone.meetings import opendata
from Products.Five import BrowserView
from zExceptions import NotFound
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse

import json
import re


YEAR = re.compile(r"^(\d{4})\.(json|csv)$")


def send_json(request, data):
    request.response.setHeader("Content-Type", "application/json; charset=utf-8")
    return json.dumps(data, ensure_ascii=False, indent=2)


def send_csv(request, text, filename):
    response = request.response
    response.setHeader("Content-Type", "text/csv; charset=utf-8")
    response.setHeader("Content-Disposition", f'attachment; filename="{filename}"')
    return "\ufeff" + text  # a byte order mark, so that spreadsheets read UTF-8


class ItemDecisionJSON(BrowserView):
    """``@@decision.json`` on an item."""

    def __call__(self):
        return send_json(
            self.request,
            opendata.item_json(self.context, self.request, request_language(self.request)),
        )


class MeetingDecisionsJSON(BrowserView):
    """``@@decisions.json`` on a meeting."""

    def __call__(self):
        items = opendata.meeting_items(self.context)
        url = f"{self.context.absolute_url()}/@@decisions.json"
        return send_json(
            self.request,
            opendata.listing(url, items, self.request, request_language(self.request)),
        )


class MeetingDecisionsCSV(BrowserView):
    """``@@decisions.csv`` on a meeting."""

    def __call__(self):
        items = opendata.meeting_items(self.context)
        return send_csv(
            self.request,
            opendata.to_csv(items, request_language(self.request)),
            f"{self.context.getId()}.csv",
        )


@implementer(IPublishTraverse)
class YearlyDecisions(BrowserView):
    """``@@decisions/<year>.json`` and ``@@decisions/<year>.csv`` on a body."""

    year = None
    format = None

    def publishTraverse(self, request, name):
        match = YEAR.match(name)
        if self.year is not None or match is None:
            raise NotFound(name)
        self.year, self.format = int(match.group(1)), match.group(2)
        return self

    def __call__(self):
        if self.year is None:
            raise NotFound("@@decisions")
        items = opendata.year_items(self.context, self.year)
        language = request_language(self.request)
        name = f"{self.context.getId()}-{self.year}"
        if self.format == "csv":
            return send_csv(self.request, opendata.to_csv(items, language), f"{name}.csv")
        url = f"{self.context.absolute_url()}/@@decisions/{self.year}.json"
        return send_json(self.request, opendata.listing(url, items, self.request, language))
