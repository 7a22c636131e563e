"""An event type: the configuration of one kind of event of a licence's timeline.

``kind`` says which content type its events are (``constants.KIND_TYPES``);
``states`` the licence states in which it may be added; ``after`` the event
types of which one at least must already be in the licence (the order rule);
``delay`` the days a body has to give its opinion (opinion requests).
"""

from communesplone import _
from plone.dexterity.content import Item
from plone.supermodel import model
from zope import schema
from zope.interface import implementer


class IEventType(model.Schema):
    """The configuration of an event type (the title is its name)."""

    kind = schema.Choice(
        title=_("Kind of event"), vocabulary="communesplone.urban.event_kinds", required=True
    )
    states = schema.List(
        title=_("Licence states where it may be added"),
        description=_(
            "None: in every state. A state that several procedures share may be chosen "
            "for one procedure only."
        ),
        value_type=schema.Choice(vocabulary="communesplone.urban.event_states"),
        required=False,
        default=[],
        missing_value=[],
    )
    after = schema.List(
        title=_("Must follow one of"),
        description=_("Event types of which one at least must be in the file before it."),
        value_type=schema.Choice(vocabulary="communesplone.urban.event_types"),
        required=False,
        default=[],
        missing_value=[],
    )
    delay = schema.Int(
        title=_("Delay (days)"),
        description=_("For an opinion request: the days the body has to answer."),
        required=False,
        min=0,
        default=None,
    )
    body = schema.TextLine(
        title=_("Body"),
        description=_("For an opinion request: the body asked."),
        required=False,
    )
    body_address = schema.Text(
        title=_("Address of the body"),
        description=_("For an opinion request: the address its letter is sent to, one line each."),
        required=False,
    )
    templates = schema.List(
        title=_("Document templates"),
        description=_("Identifiers of the POD templates offered on its events."),
        value_type=schema.ASCIILine(),
        required=False,
        default=[],
        missing_value=[],
    )
    public = schema.Bool(
        title=_("Public"),
        description=_("Shown on the public notice of an inquiry."),
        required=False,
        default=False,
    )


@implementer(IEventType)
class EventType(Item):
    delay = None
    body = None
    body_address = None
    public = False

    @property
    def portal_type_of_events(self):
        from communesplone.urban.constants import KIND_TYPES

        return KIND_TYPES[self.kind]
