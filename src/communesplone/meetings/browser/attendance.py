"""``@@attendance`` of a meeting: who is present, absent, excused, represented (and by
whom) or replaced (and by which substitute), and who leaves the session and comes back.

Declared with "Modify portal content" on the meeting: the meeting managers
encode it. The rules are the schema's (``attendance.py``, through the
meeting's ``attendance`` and ``moves`` fields): the page refuses what the edit
form and REST refuse, with the same messages, and stores nothing then.
"""

from communesplone import _
from communesplone.meetings import attendance
from communesplone.meetings.browser.utils import check_post
from communesplone.meetings.browser.utils import vocabulary_titles
from plone import api
from plone.protect import createToken
from Products.Five import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile


# Empty rows offered for new comings and goings
NEW_MOVES = 2


class AttendanceView(BrowserView):
    """The attendance page: one row per member of the body at the date of the meeting."""

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

    def update(self):
        self.token = createToken()
        self.url = self.context.absolute_url()
        titles = vocabulary_titles("communesplone.meetings.attendance", self.context, self.request)
        self.statuses = [(status, titles.get(status, status)) for status in attendance.STATUSES]
        members = attendance.members(self.context)
        self.members = [(row["id"], row.get("person") or row["id"]) for row in members]
        self.rows = []
        for member in members:
            member_id = member["id"]
            if self.submitted is not None:
                status = self.submitted.get(f"status.{member_id}") or attendance.DEFAULT
                represented_by = self.submitted.get(f"represented_by.{member_id}") or ""
                substitute = self.submitted.get(f"replaced_by.{member_id}") or ""
            else:
                status, represented_by = self.context.attendance_of(member_id)
                substitute = attendance.replaced_by(self.context.attendance, member_id)
            self.rows.append(
                {
                    "id": member_id,
                    "person": member.get("person") or member_id,
                    "function": member.get("function") or "",
                    "status": status,
                    "represented_by": represented_by or "",
                    "replaced_by": substitute if isinstance(substitute, str) else "",
                    "others": [
                        (other["id"], other.get("person") or other["id"])
                        for other in members
                        if other["id"] != member_id
                    ],
                }
            )
        if self.submitted is not None:
            moves = self.moves_from(self.submitted, keep_empty=True)
        else:
            moves = [
                {**move, "returns_before": move.get("returns_before") or ""}
                for move in attendance.moves_of(self.context)
            ]
        empty = {"member": "", "leaves_before": "", "returns_before": ""}
        self.moves = [
            {"index": index, **move} for index, move in enumerate([*moves, *([empty] * NEW_MOVES)])
        ]

    def rows_from(self, form):
        """The attendance rows that ``form`` says, one per member of the page.

        The page offers "represented by" and "replaced by" beside every member:
        they count only for a represented (replaced) member."""
        rows = []
        for member in attendance.members(self.context):
            member_id = member["id"]
            represented_by = form.get(f"represented_by.{member_id}")
            substitute = form.get(f"replaced_by.{member_id}")
            rows.append(
                {
                    "member": member_id,
                    "status": form.get(f"status.{member_id}") or attendance.DEFAULT,
                    "represented_by": represented_by if isinstance(represented_by, str) else None,
                    "replaced_by": substitute if isinstance(substitute, str) else None,
                }
            )
        return attendance.clean(rows)

    def moves_from(self, form, keep_empty=False):
        """The comings and goings that ``form`` says: rows ``move.<n>.<key>``; a row
        without a member is ignored (unless ``keep_empty``, to show it again)."""
        moves = []
        index = 0
        while f"move.{index}.member" in form:
            move = {
                key: form.get(f"move.{index}.{key}") or ""
                for key in ("member", "leaves_before", "returns_before")
            }
            move = {key: value if isinstance(value, str) else "" for key, value in move.items()}
            if move["member"] or (keep_empty and (move["leaves_before"] or move["returns_before"])):
                moves.append(move)
            index += 1
        return moves

    def save(self, form):
        """Store the attendance and the comings and goings from ``form``; False (and
        messages) if the schema's rules refuse them."""
        rows = self.rows_from(form)
        moves = self.moves_from(form)
        messages = attendance.problems(self.context, rows, moves)
        messages.extend(attendance.move_problems(self.context, moves, rows))
        messages = list(dict.fromkeys(messages))
        if messages:
            for message in messages:
                api.portal.show_message(message, request=self.request, type="error")
            return False
        self.context.attendance = rows
        self.context.moves = attendance.clean_moves(moves)
        self.context.setModificationDate()
        self.context.reindexObject(idxs=["modified"])
        return True
