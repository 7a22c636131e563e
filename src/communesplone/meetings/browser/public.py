"""The public pages of a meeting body: agendas, decisions, and their feeds.

For anonymous visitors and citizens, and for anyone else: each visitor sees
what the catalog lets them see. The body's publication settings
(``visibility.py``) open meetings, public items and their decisions to
anonymous visitors; a decision is shown only where the visitor has the
"View decision" permission on its item. These pages are what the commune
publishes: the spans of a decision marked as personal data show a
placeholder, for every visitor (``masking.public_text``).

- ``@@public-meetings``: upcoming and recent meetings with their agenda, and
  the decisions once they may be read;
- ``@@decisions-archive``: a search of the published decisions, batched;
- ``@@meetings.ics``: the meetings as an iCalendar feed;
- ``@@decisions.rss``: the latest published decisions as an RSS 2.0 feed.
"""

from communesplone import _
from communesplone.core.i18n import commune_language
from communesplone.core.i18n import request_language
from communesplone.meetings import agenda
from communesplone.meetings import masking
from communesplone.meetings.browser.body import BATCH_SIZE
from communesplone.meetings.browser.body import decisions_query
from communesplone.meetings.browser.body import format_date
from communesplone.meetings.browser.body import search
from communesplone.meetings.browser.body import state_title
from communesplone.meetings.constants import DECIDED
from communesplone.meetings.constants import VIEW_DECISION
from DateTime import DateTime
from datetime import date
from datetime import datetime
from datetime import UTC
from email.utils import format_datetime
from plone import api
from plone.app.event.base import default_timezone
from plone.batching import Batch
from Products.Five import BrowserView
from zoneinfo import ZoneInfo
from zope.i18n import translate

import icalendar
import xml.etree.ElementTree as ET


RECENT_MEETINGS = 5
FEED_SIZE = 20
FEED_SCAN = 200  # items looked at, at most, to find FEED_SIZE readable decisions
CALENDAR_PAST_DAYS = 365
EXCERPT = 500


def _meetings(body, **query):
    return search({"portal_type": "meeting", "path": "/".join(body.getPhysicalPath()), **query})


def _published_meeting_uids(body):
    """UIDs of the body's meetings whose decisions are public, that the visitor may see."""
    states = list(body.public_decision_states or ())
    return [brain.UID for brain in _meetings(body, review_state=states)] if states else []


def readable_decision(item):
    """The decision's HTML if the user may read it and the item is decided, else None."""
    if api.content.get_state(item) not in DECIDED:
        return None
    if not api.user.has_permission(VIEW_DECISION, obj=item):
        return None
    value = item.decision
    return value.output if value is not None and value.raw else None


def _plain(html):
    if not html:
        return ""
    transforms = api.portal.get_tool("portal_transforms")
    text = transforms.convertTo("text/plain", html, mimetype="text/html")
    text = " ".join((text.getData() if text is not None else "").split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def _aware(value):
    """A naive meeting date as an aware datetime in the site's time zone."""
    if value.tzinfo is not None:
        return value
    return value.replace(tzinfo=ZoneInfo(default_timezone()))


def _public_row(brain, body, request):
    item = brain.getObject()
    decision = readable_decision(item)
    if decision is not None:
        decision = masking.public_text(decision, request_language(request))
    return {
        "url": brain.getURL(),
        "title": brain.Title,
        "reference": brain.reference or "",
        "number": agenda.number_label(brain.item_number),
        "category": body.category_title(brain.category) if brain.category else "",
        "meeting_date": format_date(brain.meeting_date),
        "decision": decision,
        "outcome": state_title("meeting_item", brain.review_state, request) if decision else "",
    }


class PublicMeetings(BrowserView):
    """``@@public-meetings``: upcoming and recent meetings, their agenda and decisions."""

    def year(self):
        """The year of the open data export offered (``@@decisions/<year>.csv``)."""
        return date.today().year

    def upcoming(self):
        today = DateTime(f"{date.today().isoformat()} 00:00:00")
        brains = _meetings(
            self.context, meeting_date={"query": today, "range": "min"}, sort_on="meeting_date"
        )
        return [self._meeting(brain) for brain in brains]

    def recent(self):
        today = DateTime(f"{date.today().isoformat()} 00:00:00")
        brains = _meetings(
            self.context,
            meeting_date={"query": today - 1 / 86400, "range": "max"},
            sort_on="meeting_date",
            sort_order="descending",
            sort_limit=RECENT_MEETINGS,
        )[:RECENT_MEETINGS]
        return [self._meeting(brain) for brain in brains]

    def _meeting(self, brain):
        meeting = brain.getObject()
        items = [self._item(item_brain) for item_brain in agenda.brains(meeting)]
        return {
            "id": brain.getId,
            "title": brain.Title,
            "url": brain.getURL(),
            "date": format_date(meeting.date, long_format=True),
            "place": meeting.place or "",
            "state_title": state_title("meeting", brain.review_state, self.request),
            "agenda": items,
        }

    def _item(self, brain):
        return _public_row(brain, self.context, self.request)


class DecisionsArchive(BrowserView):
    """``@@decisions-archive``: the published decisions, searched and batched."""

    def __call__(self):
        query, self.criteria = decisions_query(self.context, self.request.form, with_service=False)
        published = _published_meeting_uids(self.context)
        # An empty list would not restrict the index: no published meeting, no result.
        results = search(dict(query, meeting_uid=published)) if published else []
        try:
            start = max(int(self.request.form.get("b_start", 0)), 0)
        except (TypeError, ValueError):
            start = 0
        self.batch = Batch(results, BATCH_SIZE, start)
        return self.index()

    def searched(self):
        return any(self.criteria.values())

    def rows(self):
        return [_public_row(brain, self.context, self.request) for brain in self.batch]

    def categories(self):
        return [{"id": row["id"], "title": row["title"]} for row in self.context.categories or ()]


class MeetingsCalendar(BrowserView):
    """``@@meetings.ics``: the meetings the visitor may see, from a year ago, as iCalendar."""

    def __call__(self):
        body = self.context
        since = DateTime() - CALENDAR_PAST_DAYS
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//CommunesPlone//Meetings//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", body.Title())
        host = self.request.get("SERVER_NAME") or "communesplone"
        stamp = datetime.now(UTC)
        for brain in _meetings(
            body, meeting_date={"query": since, "range": "min"}, sort_on="meeting_date"
        ):
            meeting = brain.getObject()
            if not meeting.date:
                continue
            event = icalendar.Event()
            event.add("uid", f"{brain.UID}@{host}")
            event.add("dtstamp", stamp)
            event.add("dtstart", _aware(meeting.date))
            event.add("summary", f"{body.Title()} – {brain.Title}")
            if meeting.place:
                event.add("location", meeting.place)
            event.add("url", brain.getURL())
            calendar.add_component(event)
        calendar.add_missing_timezones()
        response = self.request.response
        response.setHeader("Content-Type", "text/calendar; charset=utf-8")
        response.setHeader("Content-Disposition", f'inline; filename="{body.getId()}.ics"')
        return calendar.to_ical()


class DecisionsFeed(BrowserView):
    """``@@decisions.rss``: the latest decisions the visitor may read, as RSS 2.0."""

    def entries(self):
        body = self.context
        published = _published_meeting_uids(body)
        if not published:
            return []
        query, _criteria = decisions_query(body, {})
        entries = []
        for brain in search(dict(query, meeting_uid=published))[:FEED_SCAN]:
            item = brain.getObject()
            decision = readable_decision(item)
            if decision is None:
                continue
            entries.append(
                {
                    "title": brain.Title,
                    "url": brain.getURL(),
                    "uid": brain.UID,
                    "date": brain.meeting_date,
                    "description": _plain(
                        masking.public_text(decision, request_language(self.request))
                    ),
                    "category": body.category_title(brain.category) if brain.category else "",
                }
            )
            if len(entries) == FEED_SIZE:
                break
        return entries

    def __call__(self):
        body = self.context
        rss = ET.Element("rss", version="2.0")
        channel = ET.SubElement(rss, "channel")
        title = translate(
            _("Decisions of ${body}", mapping={"body": body.Title()}), context=self.request
        )
        ET.SubElement(channel, "title").text = title
        ET.SubElement(channel, "link").text = f"{body.absolute_url()}/@@decisions-archive"
        ET.SubElement(channel, "description").text = translate(
            _("The latest decisions published by ${body}.", mapping={"body": body.Title()}),
            context=self.request,
        )
        ET.SubElement(channel, "language").text = request_language(self.request, commune_language())
        for entry in self.entries():
            element = ET.SubElement(channel, "item")
            ET.SubElement(element, "title").text = entry["title"]
            ET.SubElement(element, "link").text = entry["url"]
            ET.SubElement(element, "guid", isPermaLink="false").text = entry["uid"]
            if entry["date"]:
                ET.SubElement(element, "pubDate").text = format_datetime(_aware(entry["date"]))
            if entry["category"]:
                ET.SubElement(element, "category").text = entry["category"]
            ET.SubElement(element, "description").text = entry["description"]
        response = self.request.response
        response.setHeader("Content-Type", "application/rss+xml; charset=utf-8")
        return ET.tostring(rss, encoding="utf-8", xml_declaration=True)
