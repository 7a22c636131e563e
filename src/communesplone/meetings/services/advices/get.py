"""GET ``@advices`` on an item: the advices asked, each with its delay and status.

``{"items": [{"service", "mandatory", "origin", "days", "working_days",
"asked_on", "due", "extension_days", "extension_reason", "status"}]}``;
``status`` is "given", "overdue", "awaited" or "to_ask" (before the
proposal). Whoever may view the item may read it (the advices themselves
are read as their own permissions say).
"""

from communesplone.meetings import advices
from plone.restapi.services import Service


def _day(value):
    return value.isoformat() if value else None


def serialize(item):
    given = advices.given_services(item)
    return {
        "items": [
            {
                "service": record["service"],
                "mandatory": bool(record.get("mandatory")),
                "origin": record.get("origin"),
                "days": record.get("days"),
                "working_days": bool(record.get("working")),
                "asked_on": _day(record.get("asked_on")),
                "due": _day(record.get("due")),
                "extension_days": record.get("extension_days") or 0,
                "extension_reason": record.get("extension_reason") or "",
                "status": advices.status(item, record, given),
            }
            for record in advices.requests(item)
        ]
    }


class AdvicesGet(Service):
    def reply(self):
        return serialize(self.context)
