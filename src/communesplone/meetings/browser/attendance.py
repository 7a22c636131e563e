"""``@@attendance`` of a meeting: who is present, absent, excused or represented, and by whom.

Declared with "Modify portal content" on the meeting: the meeting managers
encode it. The rules are the schema's (``attendance.py``, through the
meeting's ``attendance`` field): the page refuses what the edit form and
REST refuse, with the same messages, and stores nothing then.
"""

from communesplone import _
from communesplone.meetings import attendance
from communesplone.meetings.browser.utils import check_post
from communesplone.meetings.browser.utils import vocabulary_titles
from communesplone.meetings.content.meeting import IMeeting
from plone import api
from plone.protect import createToken
from Products.Five import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.schema.interfaces import ValidationError


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
        self.rows = []
        for member in members:
            member_id = member["id"]
            if self.submitted is not None:
                status = self.submitted.get(f"status.{member_id}") or attendance.DEFAULT
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

    def rows_from(self, form):
        """The attendance rows that ``form`` says, one per member of the page.

        The page offers "represented by" beside every member: it counts only
        for a represented member."""
        rows = []
        for member in attendance.members(self.context):
            member_id = member["id"]
            represented_by = form.get(f"represented_by.{member_id}")
            rows.append(
                {
                    "member": member_id,
                    "status": form.get(f"status.{member_id}") or attendance.DEFAULT,
                    "represented_by": represented_by if isinstance(represented_by, str) else None,
                }
            )
        return attendance.clean(rows)

    def save(self, form):
        """Store the attendance from ``form``; False (and messages) if the schema refuses it."""
        rows = self.rows_from(form)
        field = IMeeting["attendance"].bind(self.context)
        try:
            field.validate(rows)
        except attendance.AttendanceError as error:
            messages = error.messages
        except ValidationError as error:
            messages = [error.doc()]
        else:
            messages = []
        if messages:
            for message in messages:
                api.portal.show_message(message, request=self.request, type="error")
            return False
        self.context.attendance = rows
        self.context.setModificationDate()
        self.context.reindexObject(idxs=["modified"])
        return True
