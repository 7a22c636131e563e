"""A request type: what citizens may ask a service, and the form they fill.

Administrators manage the catalogue; the processing service's staff handle
the requests of the type (core's local roles, through the request's service).
"""

from collective.z3cform.datagridfield.datagridfield import DataGridFieldWidgetFactory
from collective.z3cform.datagridfield.row import DictRow
from communesplone import _
from communesplone.edesk.fields import check_definitions
from plone.autoform import directives
from plone.dexterity.content import Item
from plone.supermodel import model
from zope import schema
from zope.interface import implementer
from zope.interface import invariant
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


class IFieldRow(model.Schema):
    id = schema.ASCIILine(
        title=_("Identifier"),
        description=_("Short and stable: the submitted values are stored under it."),
        required=True,
    )
    label = schema.TextLine(title=_("Label"), required=True)
    type = schema.Choice(
        title=_("Type"), vocabulary="communesplone.edesk.field_types", required=True
    )
    required = schema.Bool(title=_("Required"), required=False, default=False)
    help = schema.TextLine(title=_("Help"), required=False)
    options = schema.Text(
        title=_("Options"), description=_("For a choice: one option per line."), required=False
    )


# Months the personal data of a closed request are kept (retention.py).
DEFAULT_RETENTION_MONTHS = 24

ASSURANCES = SimpleVocabulary(
    [
        SimpleTerm("password", "password", _("Password")),
        SimpleTerm("eid", "eid", _("Electronic identity card (eID)")),
    ]
)


class IRequestType(model.Schema):
    """A type of request, with its form."""

    help_text = schema.Text(
        title=_("Help text"),
        description=_("Shown to citizens above the form."),
        required=False,
    )
    service = schema.Choice(
        title=_("Processing service"),
        description=_("Its staff handle the requests of this type."),
        vocabulary="communesplone.core.services",
        required=True,
    )
    directives.widget("field_definitions", DataGridFieldWidgetFactory, allow_reorder=True)
    field_definitions = schema.List(
        title=_("Fields"),
        description=_("The form citizens fill, in this order."),
        value_type=DictRow(title=_("Field"), schema=IFieldRow),
        required=False,
        default=[],
        missing_value=[],
    )
    needs_location = schema.Bool(
        title=_("Needs a location"),
        description=_("The citizen gives an address and a point on the map."),
        required=False,
        default=False,
    )
    anonymous_allowed = schema.Bool(
        title=_("Anonymous visitors may submit"),
        description=_("For problem reports: a contact email address is asked instead of a login."),
        required=False,
        default=False,
    )
    assurance = schema.Choice(
        title=_("Required assurance"),
        vocabulary=ASSURANCES,
        required=True,
        default="password",
    )
    processing_days = schema.Int(
        title=_("Target processing time (days)"), required=False, min=0, default=None
    )
    fee = schema.TextLine(
        title=_("Fee"), description=_("Informational, for example 5 EUR."), required=False
    )
    certificate_template = schema.Choice(
        title=_("Certificate template"),
        description=_(
            "The document produced when a request of this type is approved (marked as done): "
            "one of the document templates offered on requests. It is kept in the request, "
            "for the citizen to download."
        ),
        vocabulary="communesplone.edesk.certificate_templates",
        required=False,
        default=None,
    )
    retention_months = schema.Int(
        title=_("Keep personal data (months)"),
        description=_(
            "How long after a request is closed its personal data are kept: then they are "
            "removed (values, attachments, messages, the requester), and its statistics stay."
        ),
        required=True,
        min=1,
        max=600,
        default=DEFAULT_RETENTION_MONTHS,
    )
    open311_code = schema.ASCIILine(title=_("Open311 service code"), required=False, default=None)
    active = schema.Bool(
        title=_("Active"),
        description=_("Only active types are offered to citizens."),
        required=False,
        default=True,
    )

    @invariant
    def valid_fields(data):
        check_definitions(getattr(data, "field_definitions", None) or [])


@implementer(IRequestType)
class RequestType(Item):
    def definitions(self):
        return [dict(row) for row in (self.field_definitions or [])]
