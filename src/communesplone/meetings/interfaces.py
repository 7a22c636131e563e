"""Interfaces of CommunesPlone Meetings."""

from zope import schema
from zope.interface import Attribute
from zope.interface import implementer
from zope.interface.interfaces import IObjectEvent
from zope.interface.interfaces import ObjectEvent
from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class IMeetingsLayer(IDefaultBrowserLayer):
    """Browser layer, active where the meetings profile is installed."""


class IAdviceAskedEvent(IObjectEvent):
    """An advice was asked of a service on an item (by hand or by a body's rule).

    ``object`` is the item. Notified by ``advices.py`` once per advice asked,
    when the item is proposed (or when it is asked later while the item
    awaits advices); not again when nothing changed.
    """

    service = schema.TextLine(title="The adviser service's id")
    due = Attribute("The day the advice is due (a datetime.date), or None without a delay")


@implementer(IAdviceAskedEvent)
class AdviceAskedEvent(ObjectEvent):
    def __init__(self, item, service, due=None):
        super().__init__(item)
        self.service = service
        self.due = due
