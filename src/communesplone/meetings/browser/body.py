"""The body page: the dashboards of a meeting body, and items started from templates.

The page shows one dashboard at a time (``?tab=...``), as PloneMeeting's
searches do: every item, my items, the items to validate, the items awaiting
my advice, upcoming and past meetings, and a search of the decisions. Every
list is a catalog query, so each user sees only what they may view; rows are
drawn from the catalog's metadata.

``@@create-item-from-template?index=N`` starts an item from the body's
N-th item template, for those who may propose items for the template's service.
"""

from communesplone import _
from communesplone.core import services
from communesplone.meetings import agenda
from communesplone.meetings import copies
from communesplone.meetings import vocabularies
from communesplone.meetings.bodies import group_id
from communesplone.meetings.constants import ADD_ITEM
from communesplone.meetings.constants import ADD_MEETING
from communesplone.meetings.constants import DECIDED
from communesplone.meetings.constants import ITEM
from communesplone.meetings.constants import MEETING
from DateTime import DateTime
from datetime import date
from datetime import datetime
from plone import api
from plone.base.utils import munge_search_term
from plone.batching import Batch
from plone.protect.authenticator import check
from plone.protect.utils import addTokenToUrl
from Products.Five import BrowserView
from Products.ZCTextIndex.ParseTree import ParseError
from urllib.parse import urlencode
from zope.i18n import translate
from zope.schema.interfaces import ValidationError


BATCH_SIZE = 20
WORKFLOWS = {
    ITEM: "communesplone_meeting_item_workflow",
    MEETING: "communesplone_meeting_workflow",
    "meeting_advice": "communesplone_meeting_advice_workflow",
}


# Helpers shared by the body, item and public pages


def user_services(function):
    """Ids of the services in whose ``function`` group ("editors", "reviewers",
    "advisers"…) the current user is."""
    if api.user.is_anonymous():
        return []
    groups = set(api.user.get_current().getGroups())
    return [
        row["id"] for row in services.get_all() if services.group_id(row["id"], function) in groups
    ]


def is_meeting_manager(body):
    """Whether the current user manages the body's meetings (or the site)."""
    if api.user.is_anonymous():
        return False
    groups = set(api.user.get_current().getGroups())
    return group_id(body, "meetingmanagers") in groups or api.user.has_permission(
        "Manage portal", obj=body
    )


service_title = services.title


def state_title(portal_type, state, request):
    """The translated title of a workflow state."""
    workflow = api.portal.get_tool("portal_workflow").getWorkflowById(WORKFLOWS[portal_type])
    state_def = workflow.states.get(state) if workflow is not None and state else None
    return translate(_(state_def.title), context=request) if state_def is not None else state


def format_date(value, long_format=False):
    """``value`` (date, datetime or DateTime) in the user's language, or ""."""
    if not value:
        return ""
    return api.portal.get_localized_time(datetime=value, long_format=long_format)


def as_date(value):
    """A ``date`` from a date, a datetime or a DateTime (catalog metadata), else None."""
    if not value:
        return None
    if isinstance(value, DateTime):
        return value.asdatetime().date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def day_start(day):
    """The DateTime of ``day`` at midnight, in the server's time like the indexes."""
    return DateTime(f"{day.isoformat()} 00:00:00")


def day_end(day):
    return DateTime(f"{day.isoformat()} 23:59:59")


def parse_day(value):
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def search(catalog_query):
    """Run ``catalog_query``; a full text the index cannot parse finds nothing."""
    catalog = api.portal.get_tool("portal_catalog")
    try:
        return catalog(**catalog_query)
    except ParseError:
        return []


def decisions_query(body, form, with_service=True):
    """(catalog query, criteria) of a decisions search over ``body``'s decided items.

    ``form`` may give ``text`` (full text), ``category``, ``service``,
    ``start`` and ``end`` (YYYY-MM-DD, the meeting dates, inclusive).
    """
    criteria = {
        "text": (form.get("text") or "").strip(),
        "category": form.get("category") or "",
        "service": (form.get("service") or "") if with_service else "",
        "start": form.get("start") or "",
        "end": form.get("end") or "",
    }
    query = {
        "portal_type": ITEM,
        "path": "/".join(body.getPhysicalPath()),
        "review_state": DECIDED,
        "sort_on": "meeting_date",
        "sort_order": "descending",
    }
    if criteria["text"]:
        query["SearchableText"] = munge_search_term(criteria["text"])
    if criteria["category"]:
        query["category"] = criteria["category"]
    if criteria["service"]:
        query["service"] = criteria["service"]
    start, end = parse_day(criteria["start"]), parse_day(criteria["end"])
    if start and end:
        query["meeting_date"] = {"query": (day_start(start), day_end(end)), "range": "min:max"}
    elif start:
        query["meeting_date"] = {"query": day_start(start), "range": "min"}
    elif end:
        query["meeting_date"] = {"query": day_end(end), "range": "max"}
    return query, criteria


def item_row(brain, body, request):
    """What the lists show of an item, from its catalog metadata."""
    deadline = as_date(brain.advices_due)
    return {
        "url": brain.getURL(),
        "title": brain.Title,
        "description": brain.Description,
        "state": brain.review_state,
        "state_title": state_title(ITEM, brain.review_state, request),
        "service": service_title(brain.service),
        "category": body.category_title(brain.category) if brain.category else "",
        "reference": brain.reference or "",
        "number": agenda.number_label(brain.item_number),
        "meeting_date": format_date(brain.meeting_date, long_format=False),
        "modified": format_date(brain.modified),
        "deadline": format_date(deadline),
        "overdue": bool(deadline and deadline < date.today()),
    }


def meeting_row(brain, request):
    return {
        "url": brain.getURL(),
        "title": brain.Title,
        "date": format_date(brain.meeting_date, long_format=True),
        "state": brain.review_state,
        "state_title": state_title(MEETING, brain.review_state, request),
    }


class BodyView(BrowserView):
    """The ``view`` of a meeting body: its dashboards, one tab at a time."""

    TABS = (
        ("all", _("All items")),
        ("mine", _("My items")),
        ("to_validate", _("Items to validate")),
        ("advice", _("Awaiting my advice")),
        ("upcoming", _("Upcoming meetings")),
        ("past", _("Past meetings")),
        ("search", _("Search decisions")),
    )
    MEETING_TABS = ("upcoming", "past")

    def __call__(self):
        self.body = self.context
        self.path = "/".join(self.body.getPhysicalPath())
        self.anonymous = api.user.is_anonymous()
        available = self.available_tabs()
        requested = self.request.form.get("tab")
        if requested in available:
            self.tab = requested
        else:
            self.tab = "upcoming" if self.anonymous else "all"
        self.criteria = {}
        self.batch = Batch(self.results(), BATCH_SIZE, self._b_start())
        return self.index()

    def _b_start(self):
        try:
            return max(int(self.request.form.get("b_start", 0)), 0)
        except (TypeError, ValueError):
            return 0

    # Tabs

    def available_tabs(self):
        if self.anonymous:
            return ["upcoming", "past", "search"]
        tabs = ["all", "mine"]
        if user_services("reviewers") or is_meeting_manager(self.body):
            tabs.append("to_validate")
        if user_services("advisers"):
            tabs.append("advice")
        return [*tabs, "upcoming", "past", "search"]

    def tabs(self):
        available = self.available_tabs()
        counted = {"to_validate": self._to_validate, "advice": self._advice}
        result = []
        for tab_id, title in self.TABS:
            if tab_id not in available:
                continue
            count = len(counted[tab_id]()) if tab_id in counted else None
            result.append(
                {
                    "id": tab_id,
                    "title": translate(title, context=self.request),
                    "url": f"{self.body.absolute_url()}?{urlencode({'tab': tab_id})}",
                    "current": tab_id == self.tab,
                    "count": count,
                }
            )
        return result

    def tab_title(self):
        return translate(dict(self.TABS)[self.tab], context=self.request)

    def lists_meetings(self):
        return self.tab in self.MEETING_TABS

    # Queries

    def _items(self, **query):
        return search({"portal_type": ITEM, "path": self.path, **query})

    def _all(self):
        return self._items(sort_on="modified", sort_order="descending")

    def _mine(self):
        return self._items(
            Creator=api.user.get_current().getId(), sort_on="created", sort_order="descending"
        )

    def _to_validate(self):
        found = []
        reviewed = user_services("reviewers")
        if reviewed:
            found += list(self._items(review_state="proposed", service=reviewed))
        if is_meeting_manager(self.body):
            found += list(self._items(review_state="prevalidated"))
        return sorted(found, key=lambda brain: brain.modified)

    def _advice(self):
        advising = user_services("advisers")
        if not advising:
            return []
        return self._items(advices_pending=advising, sort_on="advices_due")

    def _upcoming(self):
        return search(
            {
                "portal_type": MEETING,
                "path": self.path,
                "meeting_date": {"query": DateTime(), "range": "min"},
                "sort_on": "meeting_date",
            }
        )

    def _past(self):
        return search(
            {
                "portal_type": MEETING,
                "path": self.path,
                "meeting_date": {"query": DateTime(), "range": "max"},
                "sort_on": "meeting_date",
                "sort_order": "descending",
            }
        )

    def _search(self):
        query, self.criteria = decisions_query(self.body, self.request.form)
        return search(query)

    def results(self):
        return getattr(self, f"_{self.tab}")()

    def rows(self):
        if self.lists_meetings():
            return [meeting_row(brain, self.request) for brain in self.batch]
        return [item_row(brain, self.body, self.request) for brain in self.batch]

    # Search form

    def categories(self):
        return [{"id": row["id"], "title": row["title"]} for row in self.body.categories or ()]

    def services(self):
        return [{"id": row["id"], "title": row["title"]} for row in services.get_all()]

    # Actions

    def add_item_url(self):
        if api.user.has_permission(ADD_ITEM, obj=self.body):
            return f"{self.body.absolute_url()}/++add++meeting_item"
        return None

    def add_meeting_url(self):
        if api.user.has_permission(ADD_MEETING, obj=self.body):
            return f"{self.body.absolute_url()}/++add++meeting"
        return None

    def item_templates(self):
        """The templates the user may start an item from: those of the services
        the user may propose items for (the item's ``service`` field's rule)."""
        if not api.user.has_permission(ADD_ITEM, obj=self.body):
            return []
        allowed = vocabularies.proposing_services(self.body)
        base = f"{self.body.absolute_url()}/@@create-item-from-template"
        return [
            {
                "title": row["title"],
                "service": service_title(row["service"]),
                "url": addTokenToUrl(f"{base}?{urlencode({'index': index})}", self.request),
            }
            for index, row in enumerate(self.body.item_templates or ())
            if row.get("service") in allowed
        ]

    def public_links(self):
        base = self.body.absolute_url()
        return [
            {"url": f"{base}/@@public-meetings", "title": _("Public meetings")},
            {"url": f"{base}/@@decisions-archive", "title": _("Decisions archive")},
            {"url": f"{base}/@@meetings.ics", "title": _("Calendar of the meetings (iCal)")},
            {"url": f"{base}/@@decisions.rss", "title": _("Latest decisions (RSS)")},
        ]


class CreateItemFromTemplate(BrowserView):
    """``@@create-item-from-template?index=N``: a new item from the body's N-th template.

    The item is created as the user, with the template's service, category,
    motivation and decision (``copies.from_template``), and the user goes on
    to its edit form. Its values are validated by the item's schema, as in
    the add form and REST: a service the user may not propose items for is
    refused with the same message.
    """

    def __call__(self):
        check(self.request)
        try:
            index = int(self.request.form.get("index", ""))
        except (TypeError, ValueError):
            index = -1
        try:
            item = copies.from_template(self.context, index)
        except ValidationError as error:
            message = error.doc()
            api.portal.show_message(message, request=self.request, type="error")
            self.request.response.redirect(self.context.absolute_url())
            return translate(message, context=self.request)
        api.portal.show_message(
            _('The item "${title}" is created from its template.', mapping={"title": item.title}),
            request=self.request,
        )
        return self.request.response.redirect(f"{item.absolute_url()}/edit")
