"""GET ``@agenda`` on a meeting: its items in order, those the caller may see."""

from communesplone.meetings import agenda
from plone.restapi.serializer.converters import json_compatible
from plone.restapi.services import Service


def entry(brain):
    """One item of the agenda, from its catalog entry."""
    return json_compatible(
        {
            "@id": brain.getURL(),
            "UID": brain.UID,
            "title": brain.Title,
            "number": agenda.number_label(brain.item_number),
            "item_number": brain.item_number,
            "reference": brain.reference,
            "review_state": brain.review_state,
            "service": brain.service,
            "category": brain.category,
            "privacy": brain.privacy,
            "list_type": brain.list_type,
        }
    )


def serialize(meeting):
    """The agenda of ``meeting`` as the catalog lets the caller see it."""
    return {
        "@id": f"{meeting.absolute_url()}/@agenda",
        "items": [entry(brain) for brain in agenda.brains(meeting)],
    }


class AgendaGet(Service):
    def reply(self):
        return serialize(self.context)
