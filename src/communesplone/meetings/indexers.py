"""Catalog indexers of the meetings application."""

from communesplone.meetings import advices
from communesplone.meetings import agenda
from communesplone.meetings import masking
from communesplone.meetings.content.meeting import IMeeting
from communesplone.meetings.content.meeting_advice import IMeetingAdvice
from communesplone.meetings.content.meeting_item import IMeetingItem
from plone import api
from plone.base.utils import safe_text
from plone.indexer import indexer


def _item_attribute(name):
    """An indexer of an item's own attribute ``name``.

    Indexers, rather than the catalog reading the attribute by name, so that
    an item's advices and annexes do not acquire their item's values.
    """

    @indexer(IMeetingItem)
    def index(obj):
        return getattr(obj, name)

    return index


meeting_uid = _item_attribute("meeting_uid")
item_number = _item_attribute("item_number")
list_type = _item_attribute("list_type")
privacy = _item_attribute("privacy")
category = _item_attribute("category")
reference = _item_attribute("reference")


@indexer(IMeeting)
def meeting_date(obj):
    return obj.date


@indexer(IMeetingItem)
def item_meeting_date(obj):
    meeting = agenda.meeting_of(obj)
    return meeting.date if meeting is not None else None


@indexer(IMeetingItem)
def advices_pending(obj):
    """The services whose advice is awaited (``advices.pending``)."""
    return [service for service, _due in advices.pending(obj)] or None


@indexer(IMeetingItem)
def advices_due(obj):
    """The earliest day an awaited advice is due, None when none has a delay."""
    days = [due for _service, due in advices.pending(obj) if due]
    return min(days) if days else None


@indexer(IMeetingAdvice)
def advice_service(obj):
    return obj.service


@indexer(IMeetingItem)
def SearchableText(obj):
    """Title, description, reference and motivation: what whoever sees the item may read.

    Not the decision: it has its own read permission, and a visitor who sees a
    public item before its decision is published must not find it by words of
    that decision. Nor the words marked as personal data: anyone may search the
    index, and must not find an item by a name that is masked in it
    (``masking``).
    """
    motivation = ""
    if obj.motivation is not None:
        transforms = api.portal.get_tool("portal_transforms")
        raw = safe_text(obj.motivation.raw)
        if obj.motivation.mimeType == "text/html":
            raw = masking.public_text(raw)
        motivation = transforms.convertTo(
            "text/plain", raw, mimetype=obj.motivation.mimeType
        ).getData()
    parts = (obj.getId(), obj.title, obj.description, obj.reference, motivation)
    return " ".join(safe_text(part).strip() for part in parts if part)
