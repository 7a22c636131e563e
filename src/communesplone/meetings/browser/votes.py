"""An item's votes: ``@@votes`` (read) and ``@@encode-votes`` (the managers' forms).

Votes are part of the decision: ``@@votes`` is declared with the permission
that guards the decision ("communesplone.meetings: View decision"), as REST
``@votes`` is. ``@@encode-votes`` is declared with "Encode votes" (the
meeting managers, while the meeting runs) and asks for the decision's
permission too, since it shows the votes again when it refuses one.

A manager adds a public or a secret vote (as the item's poll allows: none for
a point taken for information), changes a stored vote in place
(``@@votes?edit=<index>`` shows the form filled with it), deletes one, sets
the members absent or excused for the item, or another signatory for it.
Every change goes through ``votes.py``'s and ``attendance.py``'s checks:
nothing is stored unless the votes add up.
"""

from communesplone import _
from communesplone.meetings import agenda
from communesplone.meetings import attendance
from communesplone.meetings import votes
from communesplone.meetings.bodies import body_of
from communesplone.meetings.browser.utils import check_post
from communesplone.meetings.browser.utils import form_list
from communesplone.meetings.browser.utils import meeting_url_of
from communesplone.meetings.browser.utils import people
from communesplone.meetings.browser.utils import require
from communesplone.meetings.browser.utils import static_url
from communesplone.meetings.browser.utils import vocabulary_titles
from communesplone.meetings.constants import ENCODE_VOTES
from communesplone.meetings.constants import VIEW_DECISION
from plone import api
from plone.protect import createToken
from Products.Five import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.i18n import translate


def _index(value):
    """The vote index that a form sent, or None."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


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
        meeting = agenda.meeting_of(item)
        rows = (meeting.attendance if meeting is not None else None) or ()
        # the names of the seats: a replaced member's substitute votes in theirs
        person = {
            member_id: translate(attendance.seat_holder(rows, member_id, name), context=request)
            for member_id, name in people(
                (body.members if body is not None else None) or ()
            ).items()
        }
        self.url = item.absolute_url()
        self.number = agenda.number_label(item.item_number)
        self.meeting_url = meeting_url_of(item)
        self.can_encode = api.user.has_permission(ENCODE_VOTES, obj=item)
        self.token = createToken() if self.can_encode else ""
        self.static = static_url()
        value_titles = vocabulary_titles("communesplone.meetings.vote_values", item, request)
        self.values = [
            {"id": value, "title": value_titles.get(value, value)} for value in votes.VALUES
        ]
        self.public_values = [v for v in self.values if v["id"] in votes.PUBLIC_VALUES]
        self.secret_values = [v for v in self.values if v["id"] in votes.SECRET_VALUES]
        self.poll_type = getattr(item, "poll_type", None) or ""
        self.poll_title = (
            vocabulary_titles("communesplone.meetings.poll_types", item, request).get(
                self.poll_type, ""
            )
            if self.poll_type
            else ""
        )
        stored = list(item.votes or ())
        shown = set()
        for vote in stored:
            shown.update(votes.result(vote))
        # the results' columns: yes, no, abstain, and the other values some vote has
        self.result_values = [
            v for v in self.values if v["id"] in shown or v["id"] in votes.CORE_VALUES
        ]
        self.votes = [self._vote_row(index, vote, person) for index, vote in enumerate(stored)]
        self.submitted = submitted or {}
        self.editing = self._editing(stored)
        self.edited = self.votes[self.editing] if self.editing is not None else None
        self.edit_title = (
            translate(
                _('Change the vote "${label}"', mapping={"label": self.edited["label"]}),
                context=request,
            )
            if self.edited is not None
            else ""
        )
        self.form = self._form_values(stored)
        self.voters = [
            {
                "id": row["id"],
                "person": person.get(row["id"], row["id"]),
                # a substitute's name says whose seat; the member's function is not theirs
                "function": ""
                if attendance.replaced_by(rows, row["id"])
                else row.get("function") or "",
                "vote": self.form["voters"].get(row["id"]) or "",
            }
            for row in votes.voters(item)
        ]
        if submitted and submitted.get("action") == "absents":
            absents = set(form_list(request, "absents"))
            excused = set(form_list(request, "excused"))
        else:
            absents = set(item.item_absents or ())
            excused = set(item.item_excused or ())
        moved = (
            attendance.moved_out(attendance.moves_of(meeting), item.item_number)
            if meeting is not None
            else set()
        )
        self.present_members = [
            {
                "id": row["id"],
                "person": person.get(row["id"], row["id"]),
                "absent": row["id"] in absents,
                "excused": row["id"] in excused,
                "moved": row["id"] in moved,
            }
            for row in self.present_at_meeting()
        ]
        self.signatories = self._signatories(meeting, person, submitted)

    def _signatories(self, meeting, person, submitted):
        """The meeting's signatories by position, with the item's choice for each."""
        if meeting is None:
            return []
        if submitted and submitted.get("action") == "signatories":
            chosen = {
                key[len("signatory.") :]: value
                for key, value in submitted.items()
                if key.startswith("signatory.") and isinstance(value, str)
            }
        else:
            chosen = dict(self.context.item_signatories or {})
        return [
            {
                "position": str(position),
                "person": person.get(member_id, member_id),
                "chosen": chosen.get(str(position)) or "",
            }
            for position, member_id in enumerate(attendance.meeting_signatories(meeting), 1)
        ]

    def may_vote(self, kind):
        """Whether the item's poll lets a vote of ``kind`` ("public", "secret") be encoded."""
        return self.poll_type in ("", kind)

    def _vote_row(self, index, vote, person):
        counts = votes.result(vote)
        cast = vote.get("voters") or {}
        secret = bool(vote.get("secret"))
        return {
            "index": index,
            "label": vote.get("label")
            or translate(_("Vote ${number}", mapping={"number": index + 1}), context=self.request),
            "secret": secret,
            "counts": [counts.get(value["id"], 0) for value in self.result_values],
            "who": []
            if secret
            else [
                {
                    "title": value["title"],
                    "names": ", ".join(
                        person.get(member_id, member_id)
                        for member_id, cast_value in cast.items()
                        if cast_value == value["id"]
                    ),
                }
                for value in self.values
            ],
        }

    def _editing(self, stored):
        """The index of the stored vote being changed (``edit`` in the URL, or the
        form sent back), else None."""
        if not self.can_encode:
            return None
        if self.submitted:
            index = _index(self.submitted.get("index"))
        else:
            index = _index(self.request.form.get("edit"))
        return index if index is not None and 0 <= index < len(stored) else None

    def _form_values(self, stored):
        """What the vote forms show: what was sent back, or the vote being changed."""
        submitted = self.submitted
        if submitted.get("action") in ("public", "secret"):
            return {
                "action": submitted["action"],
                "label": submitted.get("label") or "",
                "voters": {
                    key[len("vote.") :]: value
                    for key, value in submitted.items()
                    if key.startswith("vote.") and isinstance(value, str)
                },
                "counts": {
                    value: submitted.get(f"count.{value}") or "" for value in votes.SECRET_VALUES
                },
            }
        if self.editing is not None:
            vote = stored[self.editing]
            secret = bool(vote.get("secret"))
            counts = vote.get("counts") or {}
            return {
                "action": "secret" if secret else "public",
                "label": vote.get("label") or "",
                "voters": {} if secret else dict(vote.get("voters") or {}),
                "counts": {value: str(counts.get(value, 0)) for value in votes.SECRET_VALUES}
                if secret
                else {},
            }
        return {"action": None, "label": "", "voters": {}, "counts": {}}

    def shows(self, kind):
        """Whether the form of ``kind`` ("public", "secret") is on the page."""
        if not self.may_vote(kind):
            return False
        return self.edited is None or self.form["action"] == kind

    def present_at_meeting(self):
        """The body's members at the item's meeting (present, represented or replaced)."""
        meeting = agenda.meeting_of(self.context)
        if meeting is None:
            return []
        return attendance.at_meeting(meeting)


class EncodeVotes(VotesView):
    """``@@encode-votes``: add, change or delete a vote, or set the absences for the item."""

    def __call__(self):
        check_post(self.request)
        require(VIEW_DECISION, self.context)
        form = self.request.form
        action = form.get("action")
        handlers = {
            "public": self.public,
            "secret": self.secret,
            "delete": self.delete,
            "absents": self.set_absents,
            "signatories": self.set_signatories,
        }
        if action not in handlers:
            return self.back(_("Unknown action."), "error")
        try:
            message = handlers[action](form)
        except votes.VoteError as error:
            api.portal.show_message(error.message, request=self.request, type="error")
            self.update(submitted=form)
            return self.template()
        except attendance.AttendanceError as error:
            for refusal in error.messages:
                api.portal.show_message(refusal, request=self.request, type="error")
            self.update(submitted=form)
            return self.template()
        return self.back(message)

    def back(self, message, type="info"):
        api.portal.show_message(message, request=self.request, type=type)
        self.request.response.redirect(f"{self.context.absolute_url()}/@@votes")
        return ""

    def store(self, form, vote):
        """Add ``vote``, or put it in place of the vote that the form's ``index`` names."""
        if form.get("index") not in (None, ""):
            votes.replace(self.context, _index(form.get("index")), vote)
            return _("The vote is changed.")
        votes.encode(self.context, [*self.context.votes, vote])
        return _("The vote is stored.")

    def public(self, form):
        cast = {
            key[len("vote.") :]: value
            for key, value in form.items()
            if key.startswith("vote.") and value
        }
        label = (form.get("label") or "").strip()
        return self.store(form, {"label": label, "secret": False, "voters": cast})

    def secret(self, form):
        counts = {
            value: (form.get(f"count.{value}") or "").strip() for value in votes.SECRET_VALUES
        }
        label = (form.get("label") or "").strip()
        return self.store(form, {"label": label, "secret": True, "counts": counts})

    def delete(self, form):
        stored = list(self.context.votes or ())
        index = _index(form.get("index"))
        if index is None or not 0 <= index < len(stored):
            raise votes.VoteError(_("This vote does not exist (any more)."))
        del stored[index]
        self.context.votes = stored
        return _("The vote is deleted.")

    def set_absents(self, form):
        attendance.set_item(
            self.context,
            {
                "item_absents": form_list(self.request, "absents"),
                "item_excused": form_list(self.request, "excused"),
            },
        )
        return _("The absences for this item are saved.")

    def set_signatories(self, form):
        chosen = {
            key[len("signatory.") :]: value
            for key, value in form.items()
            if key.startswith("signatory.") and isinstance(value, str) and value
        }
        attendance.set_item(self.context, {"item_signatories": chosen})
        return _("The signatories of this item are saved.")
