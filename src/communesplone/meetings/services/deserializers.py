"""JSON to field values, where plone.restapi's defaults do not fit.

A meeting's ``attendance``: plone.restapi's collection deserializer would
validate each row on its own first (a bad status answers only "Constraint not
satisfied"). Here the rows are taken as sent and the field validates them
whole, with ``attendance.py``'s rules and messages: REST refuses what the
attendance page refuses, with the same words.
"""

from communesplone.meetings import attendance
from communesplone.meetings.content.meeting import AttendanceField
from communesplone.meetings.content.meeting import IMeeting
from plone.restapi.deserializer.dxfields import DefaultFieldDeserializer
from plone.restapi.interfaces import IFieldDeserializer
from zope.component import adapter
from zope.interface import implementer
from zope.publisher.interfaces.browser import IBrowserRequest


KEYS = ("member", "status", "represented_by")


@implementer(IFieldDeserializer)
@adapter(AttendanceField, IMeeting, IBrowserRequest)
class AttendanceDeserializer(DefaultFieldDeserializer):
    def __call__(self, value):
        if isinstance(value, list):
            value = [
                {key: row.get(key) for key in KEYS} if isinstance(row, dict) else row
                for row in value
            ]
        self.field.validate(value)
        return attendance.clean(value) if value else value
