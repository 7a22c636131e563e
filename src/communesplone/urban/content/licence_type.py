"""A licence type: the configuration of one variant of licence (PU, CU1, DU ...).

A licence's ``licence_type`` is the id of one of these, chosen at creation.
The type says which family (content type, so workflow) its licences have,
how their references are made, which event types they allow, the terms of
their vocabularies (road types, coatings ...) and the delays of their
deadlines. Administrators edit them in ``/urbanisme/configuration``.
"""

from collective.z3cform.datagridfield.datagridfield import DataGridFieldWidgetFactory
from collective.z3cform.datagridfield.row import DictRow
from communesplone import _
from communesplone.core.validation import check_row_ids
from communesplone.urban.constants import REFERENCE_FORMAT
from plone.autoform import directives
from plone.dexterity.content import Item
from plone.supermodel import model
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant


class ITerm(model.Schema):
    id = schema.ASCIILine(
        title=_("Identifier"),
        description=_("Short and stable: the licences store it."),
        required=True,
    )
    title = schema.TextLine(title=_("Title"), required=True)


class IDelay(model.Schema):
    rule = schema.ASCIILine(title=_("Deadline rule"), required=True)
    days = schema.Int(title=_("Days"), required=True, min=0)


# The vocabularies a licence type holds: field name -> title
VOCABULARIES = {
    "work_types": _("Work types"),
    "road_types": _("Road types"),
    "coatings": _("Road coatings"),
    "road_equipments": _("Road equipment"),
    "folder_categories": _("Folder categories"),
    "zones": _("Zones of the plan de secteur"),
}


def check_reference_format(value):
    """True if ``value`` makes a reference from code, year and number; else Invalid."""
    try:
        made = value.format(code="X", year=2026, number=1)
    except (KeyError, IndexError, ValueError, AttributeError):
        made = ""
    if "1" not in made or "2026" not in made:
        raise Invalid(
            _(
                "The reference format must hold {year} and {number} (and may hold {code}), "
                "for example {code}/{year}/{number:04d}."
            )
        )
    return True


def _terms(title):
    return schema.List(
        title=title,
        value_type=DictRow(title=_("Term"), schema=ITerm),
        required=False,
        default=[],
        missing_value=[],
    )


class ILicenceType(model.Schema):
    """The configuration of a licence type (the title is its name)."""

    code = schema.ASCIILine(
        title=_("Code"), description=_("For example PU: it starts the references."), required=True
    )
    family = schema.Choice(
        title=_("Procedure"),
        description=_("The content type, and so the workflow, of its licences."),
        vocabulary="communesplone.urban.families",
        required=True,
    )
    reference_format = schema.TextLine(
        title=_("Reference format"),
        description=_(
            "Made from {code}, {year} and {number}, the yearly sequence of the type: "
            "{code}/{year}/{number:04d} gives PU/2026/0042."
        ),
        required=True,
        default=REFERENCE_FORMAT,
        constraint=check_reference_format,
    )
    event_types = schema.List(
        title=_("Allowed event types"),
        value_type=schema.Choice(vocabulary="communesplone.urban.event_types"),
        required=False,
        default=[],
        missing_value=[],
    )
    model.fieldset("vocabularies", label=_("Vocabularies"), fields=list(VOCABULARIES))
    directives.widget("work_types", DataGridFieldWidgetFactory, allow_reorder=True)
    work_types = _terms(VOCABULARIES["work_types"])
    directives.widget("road_types", DataGridFieldWidgetFactory, allow_reorder=True)
    road_types = _terms(VOCABULARIES["road_types"])
    directives.widget("coatings", DataGridFieldWidgetFactory, allow_reorder=True)
    coatings = _terms(VOCABULARIES["coatings"])
    directives.widget("road_equipments", DataGridFieldWidgetFactory, allow_reorder=True)
    road_equipments = _terms(VOCABULARIES["road_equipments"])
    directives.widget("folder_categories", DataGridFieldWidgetFactory, allow_reorder=True)
    folder_categories = _terms(VOCABULARIES["folder_categories"])
    directives.widget("zones", DataGridFieldWidgetFactory, allow_reorder=True)
    zones = _terms(VOCABULARIES["zones"])
    model.fieldset("deadlines", label=_("Deadlines"), fields=["delays"])
    directives.widget("delays", DataGridFieldWidgetFactory)
    delays = schema.List(
        title=_("Delays"),
        description=_(
            "Days of the deadline rules for this type, where they differ from the law's "
            "defaults (see the deadlines documentation)."
        ),
        value_type=DictRow(title=_("Delay"), schema=IDelay),
        required=False,
        default=[],
        missing_value=[],
    )
    active = schema.Bool(
        title=_("Active"),
        description=_("Only active types are offered for new licences."),
        required=False,
        default=True,
    )

    @invariant
    def unique_terms(data):
        # Unique only: the licences already store the terms' ids, whatever their form.
        for name, title in VOCABULARIES.items():
            check_row_ids(getattr(data, name, None), title, pattern=None)


@implementer(ILicenceType)
class LicenceType(Item):
    active = True
    reference_format = REFERENCE_FORMAT

    def terms(self, name):
        """[(id, title)] of the vocabulary ``name`` (one of ``VOCABULARIES``)."""
        if name not in VOCABULARIES:
            raise KeyError(name)
        return [(row["id"], row["title"]) for row in getattr(self, name, None) or []]

    def delay(self, rule, default=None):
        """The days of the deadline ``rule`` for this type, or ``default``."""
        for row in self.delays or []:
            if row.get("rule") == rule:
                return row.get("days")
        return default

    def make_reference(self, year, number):
        return self.reference_format.format(code=self.code, year=year, number=number)
