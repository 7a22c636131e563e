"""An item's votes: ``@@votes`` (read) and ``@@encode-votes`` (the managers' forms).

Votes are part of the decision: ``@@votes`` is declared with the permission
that guards the decision ("communesplone.meetings: View decision"), as REST
``@votes`` is. ``@@encode-votes`` is declared with "Encode votes" (the
meeting managers, while the meeting runs) and asks for the decision's
permission too, since it shows the votes again when it refuses one.

A manager adds a public or a secret vote, changes a stored vote in place
(``@@votes?edit=<index>`` shows the form filled with it), deletes one, or
sets the members absent for the item. Every change goes through ``votes.py``'s
checks: nothing is stored unless the votes add up.
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
        person = people((body.members if body is not None else None) or ())
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
        stored = list(item.votes or ())
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
                "person": row.get("person") or row["id"],
                "function": row.get("function") or "",
                "vote": self.form["voters"].get(row["id"]) or "",
            }
            for row in votes.voters(item)
        ]
        if submitted and submitted.get("action") == "absents":
            absents = set(form_list(request, "absents"))
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

    def _vote_row(self, index, vote, person):
        counts = votes.result(vote)
        cast = vote.get("voters") or {}
        secret = bool(vote.get("secret"))
        return {
            "index": index,
            "label": vote.get("label")
            or translate(_("Vote ${number}", mapping={"number": index + 1}), context=self.request),
            "secret": secret,
            "counts": [counts.get(value, 0) for value in votes.VALUES],
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
                "counts": {value: submitted.get(f"count.{value}") or "" for value in votes.VALUES},
            }
        if self.editing is not None:
            vote = stored[self.editing]
            secret = bool(vote.get("secret"))
            counts = vote.get("counts") or {}
            return {
                "action": "secret" if secret else "public",
                "label": vote.get("label") or "",
                "voters": {} if secret else dict(vote.get("voters") or {}),
                "counts": {value: str(counts.get(value, 0)) for value in votes.VALUES}
                if secret
                else {},
            }
        return {"action": None, "label": "", "voters": {}, "counts": {}}

    def shows(self, kind):
        """Whether the form of ``kind`` ("public", "secret") is on the page."""
        return self.edited is None or self.form["action"] == kind

    def present_at_meeting(self):
        """The body's members present (or represented) at the item's meeting."""
        meeting = agenda.meeting_of(self.context)
        if meeting is None:
            return []
        return [
            row
            for row in attendance.members(meeting)
            if meeting.attendance_of(row["id"])[0] in attendance.AT_MEETING
        ]


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
        counts = {value: (form.get(f"count.{value}") or "").strip() for value in votes.VALUES}
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
        absents = form_list(self.request, "absents")
        known = [row["id"] for row in self.present_at_meeting()]
        unknown = sorted(set(absents) - set(known))
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
