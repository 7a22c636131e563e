"""A citizen's request: the values of its type's fields, its state, its thread.

The request belongs to its type's processing service (it provides core's
``IService``: the service's groups get their roles on it through core's local
roles, and the ``service`` index finds it; the field is set from the type
when the request is added, and only staff may change it); the citizen who
made it is its Owner. The tracking number (``YYYY-NNNNNN``) is taken when
it is submitted (``workflows.py``).
Internal notes are read and written with their own permission, which the
workflow gives to staff only. Messages between the citizen and staff are
kept in the request (``messages``), written by the message form.
"""

from communesplone import _
from communesplone.core.behaviors.service import IService
from communesplone.core.validation import ExplainedChoice
from communesplone.edesk.fields import contact_email_constraint
from communesplone.edesk.fields import validate_values
from communesplone.edesk.worklists import agent_refusal
from communesplone.edesk.worklists import service_agents
from plone import api
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.supermodel import model
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant


INTERNAL_NOTES = "communesplone.edesk.ViewInternalNotes"
REVIEW = "cmf.ReviewPortalContent"


def request_type_of(uid):
    """The request type of ``uid``, whoever asks (types are not secret), or None."""
    if not uid:
        return None
    with api.env.adopt_roles(["Manager"]):
        return api.content.get(UID=uid)


def check_values(type_uid, values):
    """Raise Invalid (the first refused value's message) unless ``values`` fit the type."""
    request_type = request_type_of(type_uid)
    if request_type is None or request_type.portal_type != "request_type":
        raise Invalid(_("Choose an existing request type."))
    _values, errors = validate_values(request_type.definitions(), values)
    if errors:
        raise next(iter(errors.values()))
    return True


class ICitizenRequest(model.Schema):
    """A request made by a citizen (or an anonymous contact) to a service."""

    directives.mode(request_type="hidden")
    request_type = schema.ASCIILine(title=_("Request type"), required=True)
    directives.omitted("values")
    values = schema.Dict(
        title=_("Values"),
        key_type=schema.TextLine(),
        value_type=schema.Field(),
        required=False,
        default={},
        missing_value={},
    )
    directives.mode(tracking_number="display")
    tracking_number = schema.ASCIILine(title=_("Tracking number"), required=False, readonly=True)
    contact_email = schema.ASCIILine(
        title=_("Contact email"),
        description=_("For an anonymous request: where its news are sent."),
        required=False,
        constraint=contact_email_constraint,
    )
    address = schema.TextLine(title=_("Address"), required=False)
    latitude = schema.Float(title=_("Latitude"), required=False, min=-90.0, max=90.0)
    longitude = schema.Float(title=_("Longitude"), required=False, min=-180.0, max=180.0)
    directives.write_permission(service=REVIEW)
    service = schema.Choice(
        title=_("Processing service"),
        description=_(
            "Its staff handle the request. Given by the request type; staff change it "
            "to transmit the request to another service."
        ),
        vocabulary="communesplone.core.services",
        required=False,
    )
    directives.write_permission(assigned_agent=REVIEW)
    assigned_agent = ExplainedChoice(
        title=_("Assigned agent"),
        description=_("One of the agents (editors, reviewers) of the processing service."),
        source=service_agents,
        refusal=agent_refusal,
        required=False,
    )
    directives.read_permission(internal_notes=INTERNAL_NOTES)
    directives.write_permission(internal_notes=INTERNAL_NOTES)
    internal_notes = schema.Text(
        title=_("Internal notes"),
        description=_("Seen by staff only, never by the citizen."),
        required=False,
    )
    directives.mode(rejection_reason="display")
    rejection_reason = schema.Text(title=_("Reason of the refusal"), required=False, readonly=True)

    @invariant
    def valid_values(data):
        type_uid = getattr(data, "request_type", None)
        if type_uid:
            check_values(type_uid, getattr(data, "values", None) or {})


@implementer(ICitizenRequest, IService)
class CitizenRequest(Container):
    tracking_number = None
    rejection_reason = None
    messages = ()

    def get_request_type(self):
        return request_type_of(self.request_type)

    def requester(self):
        """The requester's login, or the contact email of an anonymous request."""
        return self.contact_email or (self.listCreators() or ("",))[0]
