"""The pages of a meeting for the municipal staff: agenda, attendance, votes.

- ``view`` of a meeting: its numbered agenda (public then closed session),
  rendered from catalog brains only, and, for those who manage the meeting,
  the validated items they may present, batch transitions and reordering;
- ``@@present-items``, ``@@agenda-transition``, ``@@agenda-move``: the meeting
  page's actions, declared with "Review portal content" on the meeting (each
  transition is guarded by the item workflow besides);
- ``@@attendance`` of a meeting ("Modify portal content");
- ``@@votes`` of an item (View) and ``@@encode-votes`` ("Encode votes");
- ``@@edit-decision`` of an item ("Modify portal content"): its decision only.

Every form posts with plone.protect's authenticator, and bad input writes
nothing: the user gets a translated message.
"""

from communesplone import _
from communesplone.core import services
from communesplone.meetings import agenda
from communesplone.meetings import votes
from communesplone.meetings import workflows
from communesplone.meetings.bodies import body_of
from communesplone.meetings.constants import ENCODE_VOTES
from communesplone.meetings.constants import ITEM_WORKFLOW
from communesplone.meetings.constants import MODIFY
from communesplone.meetings.constants import REVIEW
from communesplone.meetings.content.meeting import ATTENDANCE
from communesplone.meetings.content.meeting_item import IMeetingItem
from plone import api
from plone.protect import CheckAuthenticator
from plone.protect import createToken
from plone.protect import PostOnly
from plone.z3cform.layout import wrap_form
from Products.Five import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from z3c.form import button
from z3c.form import field
from z3c.form import form
from zope.component import getUtility
from zope.i18n import translate
from zope.schema.interfaces import IVocabularyFactory

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


def check_post(request):
    """Forbidden unless ``request`` is a POST with a valid authenticator."""
    PostOnly(request)
    CheckAuthenticator(request)


def vocabulary_titles(name, context, request):
    """{value: translated title} of the named vocabulary."""
    vocabulary = getUtility(IVocabularyFactory, name)(context)
    return {term.value: translate(term.title, context=request) for term in vocabulary}


def transition_titles(request, names):
    """[(transition id, translated title)] of the item workflow, in the order of ``names``."""
    workflow = api.portal.get_tool("portal_workflow").getWorkflowById(ITEM_WORKFLOW)
    result = []
    for name in names:
        transition = workflow.transitions.get(name) if workflow is not None else None
        title = transition.title if transition is not None and transition.title else name
        result.append((name, translate(_(title), context=request)))
    return result


def meeting_url_of(item):
    """The URL of the meeting ``item`` is on, if the user may see it, else None."""
    if not item.meeting_uid:
        return None
    catalog = api.portal.get_tool("portal_catalog")
    found = catalog(UID=item.meeting_uid)
    return found[0].getURL() if found else None


def form_uids(request):
    uids = request.form.get("uids") or []
    if isinstance(uids, str):
        uids = [uids]
    return [uid for uid in uids if isinstance(uid, str) and uid]


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
        self.static = f"{api.portal.get().absolute_url()}/++resource++communesplone.meetings"
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
        self.accepts_items = self.can_manage and self.state in workflows.ACCEPTS_ITEMS
        self.available = self.available_rows() if self.accepts_items else []

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


class PresentItems(MeetingAction):
    """``@@present-items``: present the selected validated items to this meeting."""

    def __call__(self):
        check_post(self.request)
        meeting = self.context
        if api.content.get_state(meeting) not in workflows.ACCEPTS_ITEMS:
            return self.back(_("This meeting no longer accepts items."), "error")
        uids = form_uids(self.request)
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
        if presented:
            api.portal.show_message(
                _("${count} items presented.", mapping={"count": presented}),
                request=self.request,
            )
        if refused:
            api.portal.show_message(
                _(
                    "Not presented: ${items}. Only the body's validated items can be presented.",
                    mapping={"items": ", ".join(item.Title() for item in refused)},
                ),
                request=self.request,
                type="error",
            )
        missing = len(set(uids)) - len(items)
        if missing:
            api.portal.show_message(
                _(
                    "${count} selected items are no longer waiting to be presented.",
                    mapping={"count": missing},
                ),
                request=self.request,
                type="error",
            )
        return self.back()


class AgendaTransition(MeetingAction):
    """``@@agenda-transition``: apply one transition to the selected agenda items."""

    def __call__(self):
        check_post(self.request)
        name = self.request.form.get("transition")
        if name not in ALL_BATCH_TRANSITIONS:
            return self.back(_("Choose an action to apply."), "warning")
        uids = form_uids(self.request)
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
        if done:
            api.portal.show_message(
                _(
                    '"${transition}" applied to ${count} items.',
                    mapping={"transition": title, "count": done},
                ),
                request=self.request,
            )
        if failed:
            api.portal.show_message(
                _(
                    '"${transition}" is not possible in their current state for: ${items}.',
                    mapping={"transition": title, "items": "; ".join(failed)},
                ),
                request=self.request,
                type="error",
            )
        if missing:
            api.portal.show_message(
                _(
                    "${count} selected items are no longer on this agenda.",
                    mapping={"count": missing},
                ),
                request=self.request,
                type="error",
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
        found = agenda.brains(self.context, UID=uid) if uid else []
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


class AttendanceView(BrowserView):
    """``@@attendance``: who is present, absent, excused or represented, and by whom."""

    template = ViewPageTemplateFile("templates/attendance.pt")

    def __call__(self):
        self.submitted = None
        if self.request.form.get("form.buttons.save"):
            check_post(self.request)
            if self.save(self.request.form):
                api.portal.show_message(_("The attendance is saved."), request=self.request)
                self.request.response.redirect(self.context.absolute_url())
                return ""
            self.submitted = self.request.form
        self.update()
        return self.template()

    def members(self):
        body = body_of(self.context)
        day = self.context.date.date() if self.context.date else None
        return body.active_members(day) if body is not None else []

    def update(self):
        request = self.request
        self.token = createToken()
        self.url = self.context.absolute_url()
        titles = vocabulary_titles("communesplone.meetings.attendance", self.context, request)
        self.statuses = [(status, titles.get(status, status)) for status in ATTENDANCE]
        members = self.members()
        self.rows = []
        for member in members:
            member_id = member["id"]
            if self.submitted is not None:
                status = self.submitted.get(f"status.{member_id}") or "present"
                represented_by = self.submitted.get(f"represented_by.{member_id}") or ""
            else:
                status, represented_by = self.context.attendance_of(member_id)
            self.rows.append(
                {
                    "id": member_id,
                    "person": member.get("person") or member_id,
                    "function": member.get("function") or "",
                    "status": status,
                    "represented_by": represented_by or "",
                    "others": [
                        (other["id"], other.get("person") or other["id"])
                        for other in members
                        if other["id"] != member_id
                    ],
                }
            )

    def save(self, form):
        """Store the attendance from ``form``; False (and messages) if it is not consistent."""
        members = self.members()
        people = {member["id"]: member.get("person") or member["id"] for member in members}
        statuses = {}
        errors = []
        for member_id, person in people.items():
            status = form.get(f"status.{member_id}") or "present"
            if status not in ATTENDANCE:
                errors.append(
                    _("The attendance of ${person} is not valid.", mapping={"person": person})
                )
            statuses[member_id] = status
        rows = []
        for member_id, person in people.items():
            status = statuses[member_id]
            represented_by = form.get(f"represented_by.{member_id}") or None
            if status != "represented":
                represented_by = None
            elif not represented_by:
                errors.append(
                    _(
                        "${person} is represented: choose the member who represents them.",
                        mapping={"person": person},
                    )
                )
            elif represented_by == member_id or represented_by not in people:
                errors.append(
                    _(
                        "${person} must be represented by another member of the body.",
                        mapping={"person": person},
                    )
                )
            elif statuses[represented_by] != "present":
                errors.append(
                    _(
                        "${person} cannot be represented by ${other}, who is not present.",
                        mapping={"person": person, "other": people[represented_by]},
                    )
                )
            rows.append({"member": member_id, "status": status, "represented_by": represented_by})
        if errors:
            for error in errors:
                api.portal.show_message(error, request=self.request, type="error")
            return False
        self.context.attendance = rows
        self.context.setModificationDate()
        self.context.reindexObject(idxs=["modified"])
        return True


class VotesView(BrowserView):
    """``@@votes`` of an item: the votes and their results; for managers, the forms."""

    template = ViewPageTemplateFile("templates/votes.pt")

    def __call__(self):
        self.update()
        return self.template()

    def update(self, submitted=None):
        item = self.context
        request = self.request
        body = body_of(item)
        members = {row["id"]: row for row in (body.members if body is not None else None) or ()}
        person = {member_id: row.get("person") or member_id for member_id, row in members.items()}
        self.url = item.absolute_url()
        self.number = agenda.number_label(item.item_number)
        self.meeting_url = meeting_url_of(item)
        self.can_encode = api.user.has_permission(ENCODE_VOTES, obj=item)
        self.token = createToken() if self.can_encode else ""
        self.static = f"{api.portal.get().absolute_url()}/++resource++communesplone.meetings"
        value_titles = vocabulary_titles("communesplone.meetings.vote_values", item, request)
        self.values = [
            {"id": value, "title": value_titles.get(value, value)} for value in votes.VALUES
        ]
        submitted = submitted or {}
        self.submitted = submitted
        self.voters = [
            {
                "id": row["id"],
                "person": row.get("person") or row["id"],
                "function": row.get("function") or "",
                "vote": submitted.get(f"vote.{row['id']}") or "",
            }
            for row in votes.voters(item)
        ]
        self.votes = []
        for index, vote in enumerate(item.votes or ()):
            counts = votes.result(vote)
            cast = vote.get("voters") or {}
            self.votes.append(
                {
                    "index": index,
                    "label": vote.get("label")
                    or translate(
                        _("Vote ${number}", mapping={"number": index + 1}), context=request
                    ),
                    "secret": bool(vote.get("secret")),
                    "counts": [counts.get(value, 0) for value in votes.VALUES],
                    "who": [
                        {
                            "title": value["title"],
                            "names": ", ".join(
                                person.get(member_id, member_id)
                                for member_id, cast_value in cast.items()
                                if cast_value == value["id"]
                            ),
                        }
                        for value in self.values
                    ]
                    if not vote.get("secret")
                    else [],
                }
            )
        if submitted:
            absents = submitted.get("absents") or ()
            absents = {absents} if isinstance(absents, str) else set(absents)
        else:
            absents = set(item.item_absents or ())
        self.present_members = [
            {
                "id": row["id"],
                "person": row.get("person") or row["id"],
                "absent": row["id"] in absents,
            }
            for row in self.present_at_meeting()
        ]

    def present_at_meeting(self):
        """The body's members present (or represented) at the item's meeting."""
        meeting = agenda.meeting_of(self.context)
        body = body_of(self.context)
        if meeting is None or body is None:
            return []
        day = meeting.date.date() if meeting.date else None
        return [
            row
            for row in body.active_members(day)
            if meeting.attendance_of(row["id"])[0] in ("present", "represented")
        ]


class EncodeVotes(VotesView):
    """``@@encode-votes``: add a public or a secret vote, delete one, or set the absences."""

    def __call__(self):
        check_post(self.request)
        form = self.request.form
        action = form.get("action")
        handlers = {
            "public": self.add_public,
            "secret": self.add_secret,
            "delete": self.delete,
            "absents": self.set_absents,
        }
        if action not in handlers:
            return self.back(_("Unknown action."), "error")
        try:
            message = handlers[action](form)
        except votes.VoteError as error:
            api.portal.show_message(error.message, request=self.request, type="error")
            self.update(submitted=form)
            return self.template()
        return self.back(message)

    def back(self, message, type="info"):
        api.portal.show_message(message, request=self.request, type=type)
        self.request.response.redirect(f"{self.context.absolute_url()}/@@votes")
        return ""

    def add_public(self, form):
        cast = {
            key[len("vote.") :]: value
            for key, value in form.items()
            if key.startswith("vote.") and value
        }
        vote = {"label": (form.get("label") or "").strip(), "secret": False, "voters": cast}
        votes.encode(self.context, [*self.context.votes, vote])
        return _("The vote is stored.")

    def add_secret(self, form):
        counts = {value: (form.get(f"count.{value}") or "").strip() for value in votes.VALUES}
        vote = {"label": (form.get("label") or "").strip(), "secret": True, "counts": counts}
        votes.encode(self.context, [*self.context.votes, vote])
        return _("The vote is stored.")

    def delete(self, form):
        stored = list(self.context.votes or ())
        try:
            index = int(form.get("index"))
        except (TypeError, ValueError):
            index = -1
        if not 0 <= index < len(stored):
            raise votes.VoteError(_("This vote does not exist (any more)."))
        del stored[index]
        self.context.votes = stored
        return _("The vote is deleted.")

    def set_absents(self, form):
        absents = form.get("absents") or []
        if isinstance(absents, str):
            absents = [absents]
        known = {row["id"] for row in self.present_at_meeting()}
        unknown = sorted(set(absents) - known)
        if unknown:
            raise votes.VoteError(
                _(
                    "${members} are not members present at the meeting.",
                    mapping={"members": ", ".join(unknown)},
                )
            )
        item = self.context
        previous = item.item_absents
        item.item_absents = [member_id for member_id in known if member_id in absents]
        if item.votes:
            try:
                votes.check(item, item.votes)
            except votes.VoteError as error:
                item.item_absents = previous
                raise votes.VoteError(
                    _(
                        "These absences do not match the votes already encoded; delete "
                        "those votes first."
                    )
                ) from error
        return _("The absences for this item are saved.")


class EditDecisionForm(form.EditForm):
    """Edit the decision of an item, and nothing else."""

    fields = field.Fields(IMeetingItem).select("decision")
    enableCSRFProtection = True

    @property
    def label(self):
        number = agenda.number_label(self.context.item_number)
        title = f"{number}. {self.context.Title()}" if number else self.context.Title()
        return _("Decision of ${item}", mapping={"item": title})

    def next_url(self):
        meeting_url = meeting_url_of(self.context)
        if meeting_url:
            return f"{meeting_url}#item-{self.context.UID()}"
        return self.context.absolute_url()

    @button.buttonAndHandler(_("Save"), name="save")
    def handle_save(self, action):
        CheckAuthenticator(self.request)
        data, errors = self.extractData()
        if errors:
            self.status = self.formErrorsMessage
            return
        self.applyChanges(data)
        api.portal.show_message(_("The decision is saved."), request=self.request)
        self.request.response.redirect(self.next_url())

    @button.buttonAndHandler(_("Cancel"), name="cancel")
    def handle_cancel(self, action):
        api.portal.show_message(_("Nothing was changed."), request=self.request)
        self.request.response.redirect(self.next_url())


EditDecision = wrap_form(EditDecisionForm)
