"""JSON of meetings and advices: their computed title, which no schema field holds.

A meeting's title says its date, an advice's its service (see ``content/``);
plone.restapi serializes schema fields only, so it would leave them out.
"""

from communesplone.core.i18n import request_language
from communesplone.meetings import masking
from communesplone.meetings.content.meeting import IMeeting
from communesplone.meetings.content.meeting_advice import IMeetingAdvice
from communesplone.meetings.content.meeting_item import IMeetingItem
from communesplone.meetings.interfaces import IMeetingsLayer
from plone.app.textfield.interfaces import IRichText
from plone.restapi.interfaces import IFieldSerializer
from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.serializer.dxcontent import SerializeFolderToJson
from plone.restapi.serializer.dxcontent import SerializeToJson
from plone.restapi.serializer.dxfields import RichttextFieldSerializer
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


@implementer(IFieldSerializer)
@adapter(IRichText, IMeetingItem, IMeetingsLayer)
class MaskedRichTextSerializer(RichttextFieldSerializer):
    """An item's rich text with the spans marked as personal data replaced by the
    placeholder, for whoever may not view its personal data (``masking.for_viewer``)."""

    def __call__(self):
        result = super().__call__()
        if isinstance(result, dict) and result.get("data"):
            data = masking.for_viewer(self.context, result["data"], request_language(self.request))
            result = dict(result, data=data)
        return result
