"""The meeting page for the municipal staff, and its actions.

- ``view`` of a meeting: its numbered agenda (public then closed session),
  rendered from catalog brains only, and, for those who manage the meeting,
  the validated items they may present, batch transitions and reordering;
- ``@@present-items``, ``@@agenda-transition``, ``@@agenda-move``: the meeting
  page's actions, declared with "Review portal content" on the meeting (each
  transition is guarded by the item workflow besides).

The attendance page is in ``attendance.py``, an item's votes in ``votes.py``,
its decision's quick edit in ``decision.py``. Every form posts with
plone.protect's authenticator, and bad input writes nothing: the user gets a
translated message.
"""

from communesplone import _
from communesplone.core import services
from communesplone.meetings import agenda
from communesplone.meetings import workflows
from communesplone.meetings.bodies import body_of
from communesplone.meetings.browser.utils import check_post
from communesplone.meetings.browser.utils import form_list
from communesplone.meetings.browser.utils import static_url
from communesplone.meetings.browser.utils import transition_titles
from communesplone.meetings.browser.utils import vocabulary_titles
from communesplone.meetings.constants import ACCEPTS_ITEMS
from communesplone.meetings.constants import MODIFY
from communesplone.meetings.constants import REVIEW
from communesplone.meetings.constants import VIEW_DECISION
from plone import api
from plone.protect import createToken
from Products.Five import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.i18n import translate

import json


# The item transitions the meeting page offers, by state of the meeting
# (the workflow's guards decide in the end).
BATCH_TRANSITIONS = {
    "created": ("backToValidated", "return_to_proposing_group", "backToPresented"),
    "frozen": ("itemfreeze", "return_to_proposing_group", "backToItemFrozen"),
    "decided": (
        "accept",
        "accept_but_modify",
        "refuse",
        "delay",
        "postpone_next_meeting",
        "return_to_proposing_group",
        "backToItemFrozen",
    ),
}
ALL_BATCH_TRANSITIONS = tuple(
    dict.fromkeys(name for names in BATCH_TRANSITIONS.values() for name in names)
)


class MeetingView(BrowserView):
    """The meeting page: agenda, available items and the managers' tools."""

    template = ViewPageTemplateFile("templates/meeting.pt")

    def __call__(self):
        self.update()
        return self.template()

    def update(self):
        meeting = self.context
        request = self.request
        self.body = body_of(meeting)
        self.state = api.content.get_state(meeting)
        self.can_manage = api.user.has_permission(REVIEW, obj=meeting)
        self.can_edit = api.user.has_permission(MODIFY, obj=meeting)
        self.token = createToken() if self.can_manage else ""
        self.url = meeting.absolute_url()
        self.static = static_url()
        self.state_title = vocabulary_titles(
            "communesplone.meetings.meeting_states", meeting, request
        ).get(self.state, self.state)
        self.date = (
            api.portal.get_localized_time(datetime=meeting.date, long_format=True)
            if meeting.date
            else ""
        )
        self.service_titles = {row["id"]: row["title"] for row in services.get_all()}
        self.category_titles = {
            row["id"]: row["title"] for row in (self.body.categories if self.body else None) or ()
        }
        self.item_state_titles = vocabulary_titles(
            "communesplone.meetings.item_states", meeting, request
        )
        rows = self.agenda_rows()
        self.count = len(rows)
        self.sessions = [
            {
                "id": "public",
                "title": translate(_("Public session"), context=request),
                "rows": [row for row in rows if not row["secret"]],
            },
            {
                "id": "closed",
                "title": translate(_("Closed session (huis clos)"), context=request),
                "rows": [row for row in rows if row["secret"]],
            },
        ]
        self.rows = rows
        self.transitions = (
            transition_titles(request, BATCH_TRANSITIONS.get(self.state, ()))
            if self.can_manage
            else []
        )
        self.accepts_items = self.can_manage and self.state in ACCEPTS_ITEMS
        self.available = self.available_rows() if self.accepts_items else []

    def reads_votes(self, brain):
        """Whether the user may read the votes of the item (its decision's permission).

        The meeting's managers read every item's decision; the others are
        asked item by item (the agenda itself comes from brains only)."""
        if self.can_manage:
            return True
        return api.user.has_permission(VIEW_DECISION, obj=brain.getObject())

    def agenda_rows(self):
        """One dict per agenda item the user may see, from the catalog's metadata only."""
        rows = []
        for position, brain in enumerate(agenda.brains(self.context), 1):
            number = brain.item_number or 0
            service = brain.service or ""
            category = brain.category or ""
            rows.append(
                {
                    "uid": brain.UID,
                    "url": brain.getURL(),
                    "position": position,
                    "number": agenda.number_label(number),
                    "subitem": bool(number % 100),
                    "reference": brain.reference or "",
                    "title": brain.Title,
                    "service": self.service_titles.get(service, service),
                    "category": self.category_titles.get(category, category),
                    "state": brain.review_state,
                    "state_title": self.item_state_titles.get(
                        brain.review_state, brain.review_state
                    ),
                    "secret": brain.privacy == "secret",
                    "late": brain.list_type == "late",
                    "votes": self.reads_votes(brain),
                }
            )
        return rows

    def available_rows(self):
        """The body's validated items (not on an agenda, then), that the user may see."""
        catalog = api.portal.get_tool("portal_catalog")
        brains = catalog(
            portal_type="meeting_item",
            review_state="validated",
            path="/".join(self.body.getPhysicalPath()),
            sort_on="created",
        )
        return [
            {
                "uid": brain.UID,
                "url": brain.getURL(),
                "title": brain.Title,
                "service": self.service_titles.get(brain.service or "", brain.service or ""),
                "category": self.category_titles.get(brain.category or "", brain.category or ""),
                "secret": brain.privacy == "secret",
            }
            for brain in brains
        ]


class MeetingAction(BrowserView):
    """A POST action of the meeting page, that goes back to it with a message."""

    def back(self, message=None, type="info"):
        if message is not None:
            api.portal.show_message(message, request=self.request, type=type)
        self.request.response.redirect(self.context.absolute_url())
        return ""

    def show(self, message, type="info"):
        api.portal.show_message(message, request=self.request, type=type)


class PresentItems(MeetingAction):
    """``@@present-items``: present the selected validated items to this meeting."""

    def __call__(self):
        check_post(self.request)
        meeting = self.context
        if api.content.get_state(meeting) not in ACCEPTS_ITEMS:
            return self.back(_("This meeting no longer accepts items."), "error")
        uids = form_list(self.request, "uids")
        if not uids:
            return self.back(_("Select at least one item to present."), "warning")
        catalog = api.portal.get_tool("portal_catalog")
        body = body_of(meeting)
        brains = catalog(
            portal_type="meeting_item", UID=uids, path="/".join(body.getPhysicalPath())
        )
        order = {uid: index for index, uid in enumerate(uids)}
        items = [brain.getObject() for brain in sorted(brains, key=lambda b: order[b.UID])]
        refused = workflows.present(items, meeting)
        presented = len(items) - len(refused)
        if presented == 1:
            self.show(_("${count} item presented.", mapping={"count": presented}))
        elif presented:
            self.show(_("${count} items presented.", mapping={"count": presented}))
        if refused:
            self.show(
                _(
                    "Not presented: ${items}. Only the body's validated items can be presented.",
                    mapping={"items": ", ".join(item.Title() for item in refused)},
                ),
                "error",
            )
        missing = len(set(uids)) - len(items)
        if missing == 1:
            self.show(
                _(
                    "${count} selected item is no longer waiting to be presented.",
                    mapping={"count": missing},
                ),
                "error",
            )
        elif missing:
            self.show(
                _(
                    "${count} selected items are no longer waiting to be presented.",
                    mapping={"count": missing},
                ),
                "error",
            )
        return self.back()


class AgendaTransition(MeetingAction):
    """``@@agenda-transition``: apply one transition to the selected agenda items."""

    def __call__(self):
        check_post(self.request)
        name = self.request.form.get("transition")
        if name not in ALL_BATCH_TRANSITIONS:
            return self.back(_("Choose an action to apply."), "warning")
        uids = form_list(self.request, "uids")
        if not uids:
            return self.back(_("Select at least one item."), "warning")
        title = dict(transition_titles(self.request, [name]))[name]
        # read everything before the first transition renumbers the agenda
        selected = [
            (brain.getObject(), f"{agenda.number_label(brain.item_number)}. {brain.Title}")
            for brain in agenda.brains(self.context, UID=uids)
        ]
        failed = [label for obj, label in selected if not self._apply(obj, name)]
        done = len(selected) - len(failed)
        missing = len(set(uids)) - len(selected)
        mapping = {"transition": title, "count": done}
        if done == 1:
            self.show(_('"${transition}" applied to ${count} item.', mapping=mapping))
        elif done:
            self.show(_('"${transition}" applied to ${count} items.', mapping=mapping))
        if failed:
            self.show(
                _(
                    '"${transition}" is not possible in their current state for: ${items}.',
                    mapping={"transition": title, "items": "; ".join(failed)},
                ),
                "error",
            )
        if missing == 1:
            self.show(
                _(
                    "${count} selected item is no longer on this agenda.",
                    mapping={"count": missing},
                ),
                "error",
            )
        elif missing:
            self.show(
                _(
                    "${count} selected items are no longer on this agenda.",
                    mapping={"count": missing},
                ),
                "error",
            )
        return self.back()

    def _apply(self, obj, name):
        try:
            api.content.transition(obj=obj, transition=name)
        except api.exc.InvalidParameterError:
            return False
        return True


class AgendaMove(MeetingAction):
    """``@@agenda-move``: move an item (``uid``) to ``position``, as a sub-item or not.

    Answers JSON (400 with the message if the move is refused), or, for the
    page's form without JavaScript (``fallback``), goes back to the page.
    """

    def __call__(self):
        check_post(self.request)
        form = self.request.form
        fallback = bool(form.get("fallback"))
        try:
            result = self.move(form.get("uid"), form.get("position"), self.subitem(form))
        except agenda.AgendaError as error:
            if fallback:
                return self.back(error.message, "error")
            return self.json({"error": translate(error.message, context=self.request)}, 400)
        if fallback:
            return self.back(
                _("The item is now number ${number}.", mapping={"number": result["number"]})
            )
        return self.json(result)

    @staticmethod
    def subitem(form):
        value = form.get("subitem")
        if value is None:
            return None
        return str(value).lower() in ("1", "true", "on", "yes")

    def move(self, uid, position, subitem):
        found = agenda.brains(self.context, UID=uid) if uid and isinstance(uid, str) else []
        if not found:
            raise agenda.AgendaError(_("This item is not on this meeting's agenda."))
        item = found[0].getObject()
        agenda.move(item, position, subitem)
        return {
            "uid": item.UID(),
            "item_number": item.item_number,
            "number": agenda.number_label(item.item_number),
        }

    def json(self, data, status=200):
        response = self.request.response
        response.setStatus(status)
        response.setHeader("Content-Type", "application/json; charset=utf-8")
        return json.dumps(data)
