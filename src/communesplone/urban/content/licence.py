"""A licence ("dossier"): a permit, a declaration or a certificate.

The three content types share this schema and class; each has its own
workflow (``workflow_spec.py``). A licence's variant is its ``licence_type``
(the id of an ``urban_licence_type`` of the configuration), chosen at creation
and fixed after: it gives the reference (``workflows.py`` takes the number)
and the terms of the road, zone and category fields.

The licence belongs to the Urbanisme service (core's ``IService``: its
groups get their roles on it). The applicants' personal data are read with
``VIEW_PERSONAL_DATA``, the internal notes with ``VIEW_INTERNAL_NOTES``:
the workflows give those to whom they are due, and the forms and REST follow.
"""

from collective.z3cform.datagridfield.datagridfield import DataGridFieldWidgetFactory
from collective.z3cform.datagridfield.row import DictRow
from communesplone import _
from communesplone.core.behaviors.service import IService
from communesplone.core.validation import Refusal
from communesplone.urban.cadastre import check_parcels
from communesplone.urban.constants import FAMILIES
from communesplone.urban.constants import SERVICE
from communesplone.urban.constants import VIEW_INTERNAL_NOTES_ID
from communesplone.urban.constants import VIEW_PERSONAL_DATA_ID
from communesplone.urban.content.fields import FixedChoice
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.supermodel import model
from zope import schema
from zope.interface import implementer


REVIEW_ID = "cmf.ReviewPortalContent"


def check_licence_type(value, portal_type):
    """A licence type of the licence's family (its portal type), if known."""
    from communesplone.urban.desk import get_licence_type

    licence_type = get_licence_type(value)
    if licence_type is None:
        raise Refusal(_("Choose a licence type of the configuration."))
    if portal_type is not None and licence_type.family != portal_type:
        raise Refusal(_("This licence type is not of this kind of file."))


class IApplicant(model.Schema):
    civility = schema.Choice(
        title=_("Civility"), vocabulary="communesplone.urban.civilities", required=False
    )
    name = schema.TextLine(title=_("Name"), required=False)
    first_name = schema.TextLine(title=_("First name"), required=False)
    address = schema.TextLine(title=_("Address"), required=False)
    phone = schema.TextLine(title=_("Phone"), required=False)
    email = schema.TextLine(title=_("Email"), required=False)
    company = schema.TextLine(title=_("Company"), required=False)
    bce_number = schema.TextLine(title=_("BCE number"), required=False)


class IWorkLocation(model.Schema):
    street = schema.TextLine(title=_("Street"), required=True)
    number = schema.TextLine(title=_("Number"), required=False)
    postal_code = schema.TextLine(title=_("Postal code"), required=False)
    city = schema.TextLine(title=_("City"), required=False)


class IParcel(model.Schema):
    division = schema.TextLine(title=_("Division"), required=True)
    section = schema.TextLine(title=_("Section"), required=True)
    radical = schema.TextLine(title=_("Radical"), required=True)
    bis = schema.TextLine(title=_("Bis"), required=False)
    exposant = schema.TextLine(title=_("Exposant"), required=False)
    puissance = schema.TextLine(title=_("Puissance"), required=False)
    partie = schema.Bool(title=_("Partie"), required=False, default=False)


def _grid(title, row_schema, **kw):
    return schema.List(
        title=title,
        value_type=DictRow(title=title, schema=row_schema),
        required=False,
        default=[],
        missing_value=[],
        **kw,
    )


def _terms(name, title, multiple=False):
    vocabulary = f"communesplone.urban.terms.{name}"
    if multiple:
        return schema.List(
            title=title,
            value_type=schema.Choice(vocabulary=vocabulary),
            required=False,
            default=[],
            missing_value=[],
        )
    return schema.Choice(title=title, vocabulary=vocabulary, required=False)


def _contact(kind, title):
    return schema.Choice(
        title=title, vocabulary=f"communesplone.urban.contacts.{kind}", required=False
    )


TITLE_SEPARATOR = " – "


def title_of(reference, subject):
    """A licence's title: its reference and its subject."""
    return TITLE_SEPARATOR.join(part for part in (reference, subject) if part)


def subject_of(title, reference):
    """A licence's subject from its title and reference (catalog metadata: a brain's
    ``Title`` and ``licence_reference``), the inverse of :func:`title_of`."""
    title = title or ""
    prefix = f"{reference}{TITLE_SEPARATOR}" if reference else ""
    if prefix and title.startswith(prefix):
        return title[len(prefix) :]
    return "" if reference and title == reference else title


class ILicence(model.Schema):
    """A licence of any family."""

    directives.omitted("title")
    title = schema.TextLine(
        title=_("Title"), description=_("The reference and the subject."), readonly=True
    )
    directives.mode(reference="display")
    reference = schema.TextLine(
        title=_("Reference"),
        description=_("Given when the file is created, from its type's format."),
        required=False,
        readonly=True,
    )
    licence_type = FixedChoice(
        title=_("Licence type"),
        vocabulary="communesplone.urban.licence_types",
        check=check_licence_type,
        required=True,
    )
    subject = schema.TextLine(title=_("Subject"), required=True)
    works_description = schema.Text(title=_("Description of the works"), required=False)
    work_types = _terms("work_types", _("Work types"), multiple=True)
    folder_category = _terms("folder_categories", _("Folder category"))
    folder_managers = schema.List(
        title=_("Folder managers"),
        description=_("The agents of the Urbanisme service in charge of the file."),
        value_type=schema.Choice(vocabulary="communesplone.urban.folder_managers"),
        required=False,
        default=[],
        missing_value=[],
    )

    model.fieldset(
        "applicants",
        label=_("Applicants"),
        fields=["applicants", "architect", "notary", "geometrician"],
    )
    directives.read_permission(applicants=VIEW_PERSONAL_DATA_ID)
    directives.write_permission(applicants=VIEW_PERSONAL_DATA_ID)
    directives.widget("applicants", DataGridFieldWidgetFactory, allow_reorder=True)
    applicants = _grid(_("Applicants"), IApplicant)
    architect = _contact("architect", _("Architect"))
    notary = _contact("notary", _("Notary"))
    geometrician = _contact("geometrician", _("Geometrician"))

    model.fieldset(
        "location",
        label=_("Location"),
        fields=["work_locations", "parcels", "latitude", "longitude"],
    )
    directives.widget("work_locations", DataGridFieldWidgetFactory, allow_reorder=True)
    work_locations = _grid(_("Work locations"), IWorkLocation)
    directives.widget("parcels", DataGridFieldWidgetFactory, allow_reorder=True)
    parcels = _grid(_("Cadastral parcels"), IParcel, constraint=check_parcels)
    directives.mode(latitude="display", longitude="display")
    latitude = schema.Float(title=_("Latitude"), required=False, min=-90.0, max=90.0)
    longitude = schema.Float(title=_("Longitude"), required=False, min=-180.0, max=180.0)

    model.fieldset(
        "road",
        label=_("Road"),
        fields=["road_type", "coating", "road_equipments"],
    )
    road_type = _terms("road_types", _("Road type"))
    coating = _terms("coatings", _("Coating"))
    road_equipments = _terms("road_equipments", _("Road equipment at the property"), True)

    model.fieldset(
        "planning",
        label=_("Planning context"),
        fields=[
            "zone",
            "in_subdivision",
            "subdivision_reference",
            "protected_heritage",
            "dwellings_before",
            "dwellings_after",
        ],
    )
    zone = _terms("zones", _("Zone of the plan de secteur"))
    in_subdivision = schema.Bool(
        title=_("In a permis d'urbanisation"), required=False, default=False
    )
    subdivision_reference = schema.TextLine(
        title=_("Reference of the permis d'urbanisation"), required=False
    )
    protected_heritage = schema.Bool(title=_("Protected heritage"), required=False, default=False)
    dwellings_before = schema.Int(title=_("Dwellings before"), required=False, min=0)
    dwellings_after = schema.Int(title=_("Dwellings after"), required=False, min=0)

    model.fieldset(
        "decision",
        label=_("Decision"),
        fields=["decision", "decision_date"],
    )
    directives.mode(decision="display", decision_date="display")
    decision = schema.Choice(
        title=_("Decision"),
        description=_("Recorded by the decision event."),
        vocabulary="communesplone.urban.decisions",
        required=False,
        readonly=True,
    )
    decision_date = schema.Date(title=_("Decision date"), required=False, readonly=True)

    model.fieldset("internal", label=_("Internal"), fields=["service", "internal_notes"])
    directives.write_permission(service=REVIEW_ID)
    service = schema.Choice(
        title=_("Service"),
        description=_("The municipal service that handles the file; its staff get their roles."),
        vocabulary="communesplone.core.services",
        required=True,
        default=SERVICE,
    )
    directives.read_permission(internal_notes=VIEW_INTERNAL_NOTES_ID)
    directives.write_permission(internal_notes=VIEW_INTERNAL_NOTES_ID)
    internal_notes = schema.Text(
        title=_("Internal notes"),
        description=_("Seen by the staff only, never by the applicant."),
        required=False,
    )


@implementer(ILicence, IService)
class Licence(Container):
    reference = None
    decision = None
    decision_date = None
    latitude = None
    longitude = None
    service = SERVICE

    # The title is made of the reference and the subject, never typed.
    @property
    def title(self):
        return title_of(self.reference, getattr(self, "subject", None))

    @title.setter
    def title(self, value):
        pass

    def Title(self):
        return self.title

    def Subject(self):
        """No keywords: ``subject`` is the licence's subject, not Dublin Core's tags."""
        return ()

    @property
    def address(self):
        """The work locations as one line, for display (no personal data)."""
        return "; ".join(
            " ".join(
                part
                for part in (
                    row.get("street"),
                    row.get("number"),
                    row.get("postal_code"),
                    row.get("city"),
                )
                if part
            )
            for row in self.work_locations or ()
        )

    def get_licence_type(self):
        from communesplone.urban.desk import get_licence_type

        return get_licence_type(self.licence_type)

    def family(self):
        return {portal_type: name for name, portal_type in FAMILIES.items()}[self.portal_type]
