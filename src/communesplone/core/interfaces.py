"""Interfaces of the CommunesPlone core: browser layer and settings schema."""

from collective.z3cform.datagridfield.datagridfield import DataGridFieldWidgetFactory
from collective.z3cform.datagridfield.row import DictRow
from communesplone import _
from communesplone.core.validation import check_email
from communesplone.core.validation import check_nis_code
from communesplone.core.validation import check_services
from plone.autoform import directives
from plone.supermodel import model
from zope import schema
from zope.publisher.interfaces.browser import IDefaultBrowserLayer
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


class ICoreLayer(IDefaultBrowserLayer):
    """Browser layer, active where the core profile is installed."""


class IServiceRow(model.Schema):
    """One municipal service (department), a row of the services table."""

    id = schema.ASCIILine(
        title=_("Identifier"),
        description=_("Short, URL-safe and stable: it names the service's groups."),
        required=False,  # checked by check_services, with a clearer message
    )
    title = schema.TextLine(title=_("Name"), required=False)  # idem
    email = schema.TextLine(title=_("Email"), required=False, constraint=check_email)


class ISignatoryRow(model.Schema):
    """Who signs the commune's documents, a row of the signatories table."""

    name = schema.TextLine(title=_("Name"), required=True)
    function = schema.TextLine(
        title=_("Function"),
        description=_("For example Bourgmestre, Directeur général."),
        required=True,
    )


class ICommunesPloneSettings(model.Schema):
    """The commune's settings, kept in the registry and edited in Site Setup."""

    commune_name = schema.TextLine(
        title=_("Name of the commune"),
        required=False,
        default="",
    )
    nis_code = schema.TextLine(
        title=_("NIS code"),
        description=_("The five-digit code that Statbel gives the commune."),
        required=False,
        constraint=check_nis_code,
    )
    address = schema.Text(title=_("Address"), required=False)
    logo = schema.Bytes(
        title=_("Logo"),
        description=_("Shown on generated documents."),
        required=False,
    )
    contact_email = schema.TextLine(
        title=_("Contact email"), required=False, constraint=check_email
    )
    default_language = schema.Choice(
        title=_("Default language"),
        description=_("The language of generated documents and notifications."),
        vocabulary=SimpleVocabulary(
            [
                SimpleTerm("fr", "fr", _("French")),
                SimpleTerm("nl", "nl", _("Dutch")),
                SimpleTerm("en", "en", _("English")),
            ]
        ),
        default="fr",
        required=True,
    )
    directives.widget("signatories", DataGridFieldWidgetFactory, allow_reorder=True)
    signatories = schema.List(
        title=_("Signatories"),
        description=_("Who signs the commune's documents, in signing order."),
        value_type=DictRow(title=_("Signatory"), schema=ISignatoryRow),
        required=False,
        default=[],
        missing_value=[],
    )
    directives.widget("services", DataGridFieldWidgetFactory, allow_reorder=True)
    services = schema.List(
        title=_("Municipal services"),
        description=_(
            "Each service gets its groups of editors, reviewers, observers and "
            "advisers. The order here is the services' order everywhere."
        ),
        value_type=DictRow(title=_("Service"), schema=IServiceRow),
        required=False,
        default=[],
        missing_value=[],
        constraint=check_services,
    )
    public_holidays = schema.Bool(
        title=_("Closed on Belgian legal public holidays"),
        description=_(
            "New Year, Easter Monday, Labour Day, Ascension, Whit Monday, "
            "21 July, 15 August, 1 and 11 November, Christmas: computed for "
            "every year. Legal delays counted in working days skip them."
        ),
        required=False,
        default=True,
    )
    closing_days = schema.List(
        title=_("Closing days"),
        description=_(
            "Other days the administration is closed (for example 27 September, "
            "2 and 15 November, 26 December, the local fair). Weekends are always "
            "closing days. Legal delays counted in working days skip them."
        ),
        value_type=schema.Date(title=_("Date")),
        required=False,
        default=[],
        missing_value=[],
    )
