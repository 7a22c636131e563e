"""The events of a licence's timeline, items inside the licence.

Four content types (``constants.EVENTS``) share the base fields: the event
type (an ``urban_event_type`` of the configuration, whose kind says which
content type its events are; chosen at creation, then fixed), the date, key
dates, and internal notes. They are folderish: generated documents and
attachments are Files inside them. Their title is their type's.

- ``urban_event``: filing, college, notification, works, appeal;
- ``urban_opinion_request``: a "Demande d'avis" to one body, sent and received
  (its workflow), with the opinion given; overdue is computed from the sent
  date and the delay, it is not a state;
- ``urban_inquiry``: "Enquête publique" / "Annonce de projet", with its dates
  and claimants (personal data);
- ``urban_decision``: the college's decision, recorded on the licence
  (``workflows.py``).
"""

from collective.z3cform.datagridfield.datagridfield import DataGridFieldWidgetFactory
from collective.z3cform.datagridfield.row import DictRow
from communesplone import _
from communesplone.core.validation import Refusal
from communesplone.urban.constants import KIND_TYPES
from communesplone.urban.constants import VIEW_INTERNAL_NOTES_ID
from communesplone.urban.constants import VIEW_PERSONAL_DATA_ID
from communesplone.urban.content.fields import FixedChoice
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.supermodel import model
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant

import datetime


def check_event_type(value, portal_type):
    """An event type of the configuration, whose kind is of this content type, if known."""
    from communesplone.urban.desk import get_event_type

    event_type = get_event_type(value)
    if event_type is None:
        raise Refusal(_("Choose an event type of the configuration."))
    if portal_type is not None and KIND_TYPES.get(event_type.kind) != portal_type:
        raise Refusal(_("This event type is not of this kind of event."))


class IKeyDate(model.Schema):
    label = schema.TextLine(title=_("Label"), required=True)
    date = schema.Date(title=_("Date"), required=True)


class IClaimant(model.Schema):
    name = schema.TextLine(title=_("Name"), required=True)
    address = schema.TextLine(title=_("Address"), required=False)
    email = schema.TextLine(title=_("Email"), required=False)
    claim = schema.Text(title=_("Claim"), required=False)
    date = schema.Date(title=_("Date"), required=False)


class IUrbanEvent(model.Schema):
    """The base of every event."""

    directives.omitted("title")
    title = schema.TextLine(title=_("Title"), description=_("Its type's."), readonly=True)
    event_type = FixedChoice(
        title=_("Event type"),
        vocabulary="communesplone.urban.event_types",
        check=check_event_type,
        required=True,
    )
    event_date = schema.Date(title=_("Date"), required=True, defaultFactory=datetime.date.today)
    directives.widget("key_dates", DataGridFieldWidgetFactory, allow_reorder=True)
    key_dates = schema.List(
        title=_("Key dates"),
        value_type=DictRow(title=_("Key date"), schema=IKeyDate),
        required=False,
        default=[],
        missing_value=[],
    )
    directives.read_permission(notes=VIEW_INTERNAL_NOTES_ID)
    directives.write_permission(notes=VIEW_INTERNAL_NOTES_ID)
    notes = schema.Text(
        title=_("Internal notes"),
        description=_("Seen by the staff only, never by the applicant."),
        required=False,
    )

    @invariant
    def in_order(data):
        """The timeline's rules (licence type, state, order): ``timeline.check_data``."""
        from communesplone.urban.timeline import check_data

        check_data(data)


class IOpinionRequest(IUrbanEvent):
    """A "Demande d'avis" to one body."""

    body = schema.TextLine(
        title=_("Body"), description=_("By default, the event type's."), required=False
    )
    delay = schema.Int(
        title=_("Delay (days)"),
        description=_("By default, the event type's."),
        required=False,
        min=0,
    )
    directives.mode(sent_date="display", received_date="display")
    sent_date = schema.Date(title=_("Sent on"), required=False)
    received_date = schema.Date(title=_("Received on"), required=False)
    opinion = schema.Choice(
        title=_("Opinion given"), vocabulary="communesplone.urban.opinions", required=False
    )
    opinion_text = schema.Text(title=_("Opinion"), required=False)


class IInquiry(IUrbanEvent):
    """An "Enquête publique" or "Annonce de projet"."""

    start_date = schema.Date(title=_("Start date"), required=False)
    end_date = schema.Date(title=_("End date"), required=False)
    notice = schema.Text(
        title=_("Notice"), description=_("The project, as the public notice presents it."),
        required=False,
    )  # fmt: skip
    directives.read_permission(claimants=VIEW_PERSONAL_DATA_ID)
    directives.write_permission(claimants=VIEW_PERSONAL_DATA_ID)
    directives.widget("claimants", DataGridFieldWidgetFactory, allow_reorder=True)
    claimants = schema.List(
        title=_("Claimants"),
        value_type=DictRow(title=_("Claimant"), schema=IClaimant),
        required=False,
        default=[],
        missing_value=[],
    )

    @invariant
    def dates_in_order(data):
        start, end = getattr(data, "start_date", None), getattr(data, "end_date", None)
        if start and end and end < start:
            raise Invalid(_("The inquiry ends before it starts."))


class IDecision(IUrbanEvent):
    """The college's decision: octroi or refus."""

    decision = schema.Choice(
        title=_("Decision"), vocabulary="communesplone.urban.decisions", required=True
    )


class _Event(Container):
    notes = None

    @property
    def title(self):
        from communesplone.urban.desk import get_event_type

        event_type = get_event_type(getattr(self, "event_type", None))
        return event_type.title if event_type is not None else ""

    @title.setter
    def title(self, value):
        pass

    def Title(self):
        return self.title

    def get_event_type(self):
        from communesplone.urban.desk import get_event_type

        return get_event_type(self.event_type)

    def licence(self):
        return self.__parent__


@implementer(IUrbanEvent)
class UrbanEvent(_Event):
    pass


@implementer(IOpinionRequest)
class OpinionRequest(_Event):
    body = None
    delay = None
    sent_date = None
    received_date = None
    opinion = None
    opinion_text = None


@implementer(IInquiry)
class Inquiry(_Event):
    start_date = None
    end_date = None
    notice = None

    def claims_count(self):
        return len(self.claimants or ())


@implementer(IDecision)
class Decision(_Event):
    decision = None
