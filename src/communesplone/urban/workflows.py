"""Subscribers of the urban content: references, names, decisions.

- A licence takes its reference when it is made, from its licence type's
  format and yearly sequence (``core.numbering``: unique and without gaps
  under concurrency, see the numbering module), and is named after it
  (``PU/2026/0042`` -> ``pu-2026-0042``), whether made by the add form, REST
  or code. An event is named after its type's title.
- A decision event records its decision and date on its licence; the
  licence's ``accept`` / ``refuse`` transitions wait for that record (their
  guards, ``workflow_spec.py``).
"""

from communesplone.core.numbering import next_number
from communesplone.urban.content.event import IUrbanEvent
from communesplone.urban.content.licence import ILicence
from plone.app.content.interfaces import INameFromTitle
from zope.component import adapter
from zope.interface import implementer

import datetime


def reference_year(licence):
    created = licence.created() if getattr(licence, "creation_date", None) else None
    return created.year() if created is not None else datetime.date.today().year


def take_reference(licence):
    """Give ``licence`` its reference (once): its type's next number of the year."""
    if licence.reference:
        return licence.reference
    licence_type = licence.get_licence_type()
    if licence_type is None:
        return None
    year = reference_year(licence)
    number = next_number(licence_type, str(year))
    licence.reference = licence_type.make_reference(year, number)
    return licence.reference


@implementer(INameFromTitle)
@adapter(ILicence)
class LicenceName:
    """The id of a new licence comes from its reference (taken here if not yet)."""

    def __init__(self, context):
        self.context = context

    @property
    def title(self):
        return take_reference(self.context)


@implementer(INameFromTitle)
@adapter(IUrbanEvent)
class EventName:
    def __init__(self, context):
        self.context = context

    @property
    def title(self):
        return self.context.title


def licence_added(licence, event):
    """A licence made without its name chosen (e.g. with a given id) still gets its
    reference."""
    if not licence.reference:
        take_reference(licence)
        licence.reindexObject()


def record_decision(licence, removed=None):
    """Record on ``licence`` the decision and date of its latest decision event
    (none when it has none left; ``removed`` is an event being removed)."""
    from communesplone.urban.content.event import IDecision

    decisions = [
        obj
        for obj in licence.objectValues()
        if IDecision.providedBy(obj) and obj is not removed and obj.decision
    ]
    latest = max(decisions, key=lambda obj: obj.event_date or datetime.date.min, default=None)
    recorded = (latest.decision, latest.event_date) if latest is not None else (None, None)
    if (licence.decision, licence.decision_date) != recorded:
        licence.decision, licence.decision_date = recorded
        licence.reindexObject()


def decision_changed(decision, event):
    """A decision event added or edited: its licence records it."""
    licence = decision.__parent__
    if ILicence.providedBy(licence):
        record_decision(licence)


def decision_removed(decision, event):
    """A decision event removed: its licence records the one left, if any."""
    licence = event.oldParent
    if ILicence.providedBy(licence):
        record_decision(licence, removed=decision)
