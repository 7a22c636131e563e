""" "À faire": what the meetings expect of the current user, on one page.

``@@todo`` (on the site) lists the items to validate (proposed items of the
services the user reviews; pre-validated items of the bodies whose meetings
they manage, when the body has two validation levels), the advices to give
(items awaiting the advice of a service the user advises: ``advices_pending``)
and the items returned (to a service where the user is an editor or a
reviewer). Each list is one catalog query, which the catalog's security
filters to what the user may see; rows are drawn from the catalog's metadata,
never from the objects. The toolbar shows the total, with a link to the page
(:class:`TodoViewlet`), and staff who have meetings work land on it after
logging in (:class:`RedirectAfterLogin`).
"""

from communesplone import _
from communesplone.core import services
from communesplone.meetings import agenda
from communesplone.meetings.bodies import group_id
from communesplone.meetings.constants import BODY
from communesplone.meetings.constants import ITEM
from communesplone.meetings.constants import ITEM_WORKFLOW
from datetime import date
from datetime import datetime
from plone import api
from plone.app.layout.viewlets.common import ViewletBase
from plone.base.i18nl10n import ulocalized_time
from plone.base.interfaces import IRedirectAfterLogin
from Products.Five import BrowserView
from urllib.parse import urlsplit
from zope.annotation.interfaces import IAnnotations
from zope.component import getUtility
from zope.component import queryUtility
from zope.globalrequest import getRequest
from zope.i18n import translate
from zope.i18n.interfaces import INegotiator
from zope.i18n.interfaces import ITranslationDomain
from zope.interface import implementer


# Rows shown per list; the count says how many there are in all.
LIMIT = 50
SECTIONS = (
    ("to_validate", _("Items to validate")),
    ("advices", _("Advices to give")),
    ("returned", _("Items returned to my services")),
)


class Work:
    """What the current user does in the meetings: their services per function
    and the bodies whose meetings they manage (from their groups)."""

    def __init__(self, user=None):
        user = user or api.user.get_current()
        anonymous = user is None or api.user.is_anonymous()
        groups = set() if anonymous else set(user.getGroups())
        rows = services.get_all() if groups else []
        self.services = {
            function: [
                row["id"] for row in rows if services.group_id(row["id"], function) in groups
            ]
            for function in ("editors", "reviewers", "advisers")
        }
        # The bodies (a handful): {path: body}
        self.bodies = {}
        if groups:
            catalog = api.portal.get_tool("portal_catalog")
            self.bodies = {
                brain.getPath(): brain._unrestrictedGetObject()
                for brain in catalog.unrestrictedSearchResults(portal_type=BODY)
            }
        self.managed_bodies = [
            path
            for path, body in self.bodies.items()
            if group_id(body, "meetingmanagers") in groups
        ]

    def __bool__(self):
        return bool(any(self.services.values()) or self.managed_bodies)

    def queries(self):
        """{section: [catalog query]} of the user's work (each query a list)."""
        reviewed = self.services["reviewers"]
        staff = sorted({*self.services["editors"], *reviewed})
        advised = self.services["advisers"]
        result = {"to_validate": [], "advices": [], "returned": []}
        if reviewed:
            result["to_validate"].append(
                {"portal_type": ITEM, "review_state": "proposed", "service": reviewed}
            )
        two_levels = [
            path
            for path in self.managed_bodies
            if getattr(self.bodies[path], "validation_levels", None) == 2
        ]
        if two_levels:
            result["to_validate"].append(
                {"portal_type": ITEM, "review_state": "prevalidated", "path": two_levels}
            )
        if advised:
            result["advices"].append({"portal_type": ITEM, "advices_pending": advised})
        if staff:
            result["returned"].append(
                {
                    "portal_type": ITEM,
                    "review_state": "returned_to_proposing_group",
                    "service": staff,
                }
            )
        return result


SORT = {
    "to_validate": {"sort_on": "modified"},
    "advices": {"sort_on": "advices_due"},
    "returned": {"sort_on": "modified", "sort_order": "descending"},
}
# The date each list shows: the advice's due date, else the item's last change
DATE_COLUMN = {"to_validate": "modified", "advices": "due", "returned": "modified"}


def current_work():
    """The current user's :class:`Work`, computed once per request (the toolbar,
    the user menu's actions and the page all ask)."""
    request = getRequest()
    user = api.user.get_current()
    key = f"communesplone.meetings.work:{user.getId() if user is not None else ''}"
    cache = IAnnotations(request) if request is not None else {}
    if key not in cache:
        cache[key] = Work(user)
    return cache[key]


def counts(work=None):
    """{section: number of items} for the current user (catalog counts only)."""
    work = work if work is not None else current_work()
    catalog = api.portal.get_tool("portal_catalog")
    return {
        section: sum(len(catalog(**query)) for query in queries)
        for section, queries in work.queries().items()
    }


def todo_url():
    return f"{api.portal.get().absolute_url()}/@@todo"


class TodoView(BrowserView):
    """``@@todo``: the user's "À faire"."""

    def __call__(self):
        self.work = current_work()
        return self.index()

    def _state_titles(self):
        workflow = api.portal.get_tool("portal_workflow").getWorkflowById(ITEM_WORKFLOW)
        return {
            state_id: translate(_(state.title), context=self.request)
            for state_id, state in workflow.states.items()
        }

    def _date_formatter(self):
        """A function that formats a date as ``api.portal.get_localized_time``
        does (short format), in the language negotiated once for the page.

        ``get_localized_time`` negotiates the language again for each of the
        three translations a date takes (its format, its month): that was most
        of a row's time (150 rows, 0.1 s of the page).
        """
        domain = queryUtility(ITranslationDomain, "plonelocales")
        languages = getattr(domain, "getCatalogsInfo", None)
        language = None
        if languages is not None:
            language = getUtility(INegotiator).getLanguage(languages().keys(), self.request)

        def localized(value):
            if not value:
                return ""
            if type(value) is date:  # as get_localized_time: a day, no time
                value = datetime(value.year, value.month, value.day)
            return ulocalized_time(
                value, False, False, self.context, request=self.request, target_language=language
            )

        return localized

    def _row(self, brain, states, service_titles, column, localized):
        body_path = brain.getPath().rsplit("/", 1)[0]
        body = self.work.bodies.get(body_path)
        due = getattr(brain, "advices_due", None) if column == "due" else None
        return {
            "url": brain.getURL(),
            "title": brain.Title,
            "reference": brain.reference or "",
            "body": body.Title() if body is not None else "",
            "service": service_titles.get(brain.service, brain.service or ""),
            "state": brain.review_state,
            "state_title": states.get(brain.review_state, brain.review_state),
            "number": agenda.number_label(brain.item_number),
            "due": localized(due),
            "modified": localized(brain.modified) if column == "modified" else "",
        }

    def sections(self):
        catalog = api.portal.get_tool("portal_catalog")
        states = self._state_titles()
        service_titles = {row["id"]: row["title"] for row in services.get_all()}
        localized = self._date_formatter()
        result = []
        queries = self.work.queries()
        for section, title in SECTIONS:
            if not queries[section]:
                continue
            rows, count = [], 0
            for query in queries[section]:
                found = catalog(**query, **SORT[section], sort_limit=LIMIT)
                count += found.actual_result_count  # len(found): at most LIMIT
                rows += [
                    self._row(brain, states, service_titles, DATE_COLUMN[section], localized)
                    for brain in found[: LIMIT - len(rows)]
                ]
            result.append(
                {
                    "id": section,
                    "title": translate(title, context=self.request),
                    "count": count,
                    "rows": rows,
                    "more": count - len(rows),
                }
            )
        return result

    def has_work(self):
        return bool(self.work)


class TodoViewlet(ViewletBase):
    """The toolbar's "À faire" entry, with the number of things to do."""

    def update(self):
        super().update()
        self.work = None if api.user.is_anonymous() else current_work()
        self.total = sum(counts(self.work).values()) if self.work else 0
        self.url = todo_url()

    def available(self):
        return bool(self.work)


def has_meetings_work():
    return not api.user.is_anonymous() and bool(current_work())


class MeetingsWork(BrowserView):
    """``@@meetings-work``: whether the user has work in the meetings (the user
    menu's actions ask)."""

    def __call__(self):
        return has_meetings_work()


@implementer(IRedirectAfterLogin)
class RedirectAfterLogin:
    """After logging in, staff with meetings work land on "À faire".

    Only when the login form was not sent from a particular page (``came_from``
    empty, or the site's front page): a page that asked for a login, like the
    e-desk's request form, keeps its way back. Others (citizens) are left alone.
    """

    def __init__(self, context, request):
        self.context = context
        self.request = request

    def __call__(self, came_from=None, is_initial_login=False):
        if not _front_page(came_from) or not has_meetings_work():
            return came_from
        return todo_url()


def _front_page(url):
    if not url:
        return True
    portal_url = api.portal.get().absolute_url()
    path = urlsplit(url).path.rstrip("/")
    return path in ("", urlsplit(portal_url).path.rstrip("/")) or url.rstrip("/") == portal_url
