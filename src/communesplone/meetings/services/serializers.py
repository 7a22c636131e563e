"""JSON of meetings and advices: their computed title, which no schema field holds.

A meeting's title says its date, an advice's its service (see ``content/``);
plone.restapi serializes schema fields only, so it would leave them out.
"""

from communesplone.meetings.content.meeting import IMeeting
from communesplone.meetings.content.meeting_advice import IMeetingAdvice
from communesplone.meetings.interfaces import IMeetingsLayer
from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.serializer.dxcontent import SerializeFolderToJson
from plone.restapi.serializer.dxcontent import SerializeToJson
from zope.component import adapter
from zope.interface import implementer


@implementer(ISerializeToJson)
@adapter(IMeeting, IMeetingsLayer)
class MeetingSerializer(SerializeFolderToJson):
    def __call__(self, *args, **kwargs):
        result = super().__call__(*args, **kwargs)
        result["title"] = self.context.Title()
        return result


@implementer(ISerializeToJson)
@adapter(IMeetingAdvice, IMeetingsLayer)
class AdviceSerializer(SerializeToJson):
    def __call__(self, *args, **kwargs):
        result = super().__call__(*args, **kwargs)
        result["title"] = self.context.Title()
        return result
