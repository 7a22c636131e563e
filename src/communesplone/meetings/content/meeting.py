"""A meeting ("séance") of a body: date, place, attendance, signatories, agenda.

The agenda is not stored on the meeting: the items presented to it say so
(``meeting_uid``) and carry their number (``item_number``); see ``agenda.py``.
"""

from collective.z3cform.datagridfield.datagridfield import DataGridFieldWidgetFactory
from collective.z3cform.datagridfield.row import DictRow
from communesplone import _
from communesplone.core.i18n import commune_language
from communesplone.meetings import attendance as attendance_rules
from plone.app.textfield import RichText
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.supermodel import model
from zope import schema
from zope.i18n import translate
from zope.interface import implementer
from zope.interface import invariant


class AttendanceField(schema.List):
    """The attendance rows, checked against the meeting's body.

    Bound to the meeting (as z3c.form and plone.restapi's deserializer bind
    it), it refuses what ``attendance.row_problems`` finds, with its messages;
    with the comings and goings and the votes, the schema's invariant checks
    them (``attendance.check_together``).
    """

    def _validate(self, value):
        attendance_rules.check_rows(self.context, value)
        super()._validate(value)


class Row(DictRow):
    """A row whose optional keys may be left out (REST clients, rows stored before a
    key existed): they are read as empty."""

    def _validate(self, value):
        if isinstance(value, dict):
            for name, field in schema.getFields(self.schema).items():
                if name not in value and not field.required:
                    value[name] = None
        super()._validate(value)


class IAttendanceRow(model.Schema):
    member = schema.ASCIILine(title=_("Member"), required=True)
    status = schema.Choice(
        title=_("Attendance"),
        vocabulary="communesplone.meetings.attendance",
        default="present",
        required=True,
    )
    represented_by = schema.ASCIILine(title=_("Represented by"), required=False)
    replaced_by = schema.TextLine(
        title=_("Replaced by"),
        description=_("The substitute who sits in the member's place (a suppléant)."),
        required=False,
    )


class MovesField(schema.List):
    """Who leaves the session and comes back, by item number; each move on its own
    (``attendance.check_own_moves``); with the attendance and the votes, the schema's
    invariant checks them (``attendance.check_together``)."""

    def _validate(self, value):
        attendance_rules.check_own_moves(self.context, value)
        super()._validate(value)


class IMoveRow(model.Schema):
    member = schema.ASCIILine(title=_("Member"), required=True)
    leaves_before = schema.TextLine(
        title=_("Leaves before item"), description=_("Its number: 3, or 3.1."), required=True
    )
    returns_before = schema.TextLine(
        title=_("Returns before item"),
        description=_("Empty if the member does not come back."),
        required=False,
    )


def default_place():
    """The usual place of meetings, in the commune's language ("Salle du Conseil, ...")."""
    return translate(_("Council chamber, town hall"), target_language=commune_language())


class IMeeting(model.Schema):
    """A meeting of a decision body."""

    date = schema.Datetime(title=_("Date and time"), required=True)
    place = schema.TextLine(title=_("Place"), required=False, defaultFactory=default_place)
    convocation_date = schema.Date(title=_("Convocation date"), required=False)
    directives.mode(meeting_number="display")
    meeting_number = schema.Int(
        title=_("Meeting number"),
        description=_("Given when the meeting is created: the body's yearly sequence."),
        required=False,
    )
    directives.omitted("attendance")
    directives.widget("attendance", DataGridFieldWidgetFactory)
    attendance = AttendanceField(
        title=_("Attendance"),
        description=_("Encoded on the meeting's attendance page."),
        value_type=Row(title=_("Attendance"), schema=IAttendanceRow),
        required=False,
        default=[],
        missing_value=[],
    )
    directives.omitted("moves")
    directives.widget("moves", DataGridFieldWidgetFactory)
    moves = MovesField(
        title=_("Comings and goings"),
        description=_(
            "Members who leave the session and come back: they are away for the items in "
            "between. Encoded on the meeting's attendance page."
        ),
        value_type=Row(title=_("Coming and going"), schema=IMoveRow),
        required=False,
        default=[],
        missing_value=[],
    )

    @invariant
    def attendance_with_moves(data):
        """The attendance and the comings and goings together, and the votes."""
        attendance_rules.check_together(data)

    signatories = schema.List(
        title=_("Signatories"),
        description=_("Members who sign the minutes and extracts, in order."),
        value_type=schema.Choice(vocabulary="communesplone.meetings.members"),
        required=False,
        default=[],
        missing_value=[],
    )
    observations = RichText(
        title=_("Observations"),
        description=_("Shown in the minutes, before the public session."),
        required=False,
    )
    closed_session_observations = RichText(
        title=_("Closed session observations"),
        description=_("Shown in the minutes before the items heard in closed session."),
        required=False,
    )


@implementer(IMeeting)
class Meeting(Container):
    """A meeting; its title says its date ("Séance du 8 décembre 2026")."""

    meeting_number = None

    @property
    def title(self):
        if not self.date:
            return ""
        from communesplone.documents.helper import DocumentHelper

        language = commune_language()
        return translate(
            _("Meeting of ${date}", mapping={"date": DocumentHelper(language).date(self.date)}),
            target_language=language,
        )

    @title.setter
    def title(self, value):
        """The title follows the date."""

    def attendance_of(self, member_id):
        """(status, represented_by) of ``member_id``: present unless encoded otherwise."""
        return attendance_rules.status_of(self.attendance, member_id)
