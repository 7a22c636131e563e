"""A meeting item ("point"): proposed by a service, validated, presented, decided.

Workflow state, agenda number, reference and votes are set by the
application, not by forms: ``item_number``, ``reference``, ``meeting_uid``,
``list_type`` and ``votes`` are attributes written by ``agenda.py``,
``votes.py`` and the workflow subscribers.
"""

from collective.z3cform.datagridfield.datagridfield import DataGridFieldWidgetFactory
from collective.z3cform.datagridfield.row import DictRow
from communesplone import _
from communesplone.core import services
from communesplone.core.behaviors.service import IService
from communesplone.core.validation import ExplainedChoice
from communesplone.core.validation import Refusal
from communesplone.meetings.bodies import body_of
from decimal import Decimal
from plone.app.textfield import RichText
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.dexterity.utils import iterSchemataForType
from plone.supermodel import model
from plone.supermodel.exportimport import BaseHandler
from plone.supermodel.exportimport import ChoiceHandler
from z3c.form.browser.checkbox import CheckBoxFieldWidget
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant
from zope.schema.interfaces import WrongContainedType


def service_refusal(context, value):
    """Why ``value`` is not a service the current user may propose items for."""
    service = services.get(value) if isinstance(value, str) else None
    if service is None:
        return _('"${service}" is not a service.', mapping={"service": value})
    return _(
        'You may not propose items for the service "${service}": choose one of your services.',
        mapping={"service": service["title"]},
    )


def category_refusal(context, value):
    """Why ``value`` is not a category of the item's body."""
    body = body_of(context) if context is not None else None
    return _(
        '"${category}" is not one of the categories of ${body}.',
        mapping={"category": value, "body": body.Title() if body is not None else ""},
    )


def check(container, values):
    """Validate ``values`` of a new item in ``container`` as the add form and REST do.

    Each value is validated by its field (the item's schema and behaviors),
    bound to ``container``: raise the first refusal, a ``ValidationError``
    whose ``doc()`` is the translatable message. For items that a view
    creates from values it did not get from a form (item templates).
    """
    fields = {}
    for item_schema in iterSchemataForType("meeting_item"):
        fields.update(schema.getFieldsInOrder(item_schema))
    for name, field in fields.items():
        bound = field.bind(container)
        if name in values:
            bound.validate(values[name])
        elif bound.required and bound.default is None and bound.defaultFactory is None:
            bound.validate(bound.missing_value)  # RequiredMissing


def copy_group_refusal(context, value):
    """Why ``value`` may not be a copy group of an item of this body."""
    body = body_of(context) if context is not None else None
    return _(
        '"${service}" is not one of the services that ${body} allows in copy.',
        mapping={"service": value, "body": body.Title() if body is not None else ""},
    )


class PollTypeField(schema.Choice):
    """The item's poll: refused when the votes already encoded are of another kind."""

    def _validate(self, value):
        super()._validate(value)
        if IMeetingItem.providedBy(self.context):
            from communesplone.meetings import votes

            found = votes.poll_problems(self.context, value)
            if found:
                raise Refusal(found[0]).with_field_and_value(self, value)


class CopyGroupsField(schema.List):
    """The item's copy groups: a refused service says why (not "Wrong contained type")."""

    def _validate(self, value):
        try:
            super()._validate(value)
        except WrongContainedType as error:
            refusals = [e for e in error.errors if isinstance(e, Refusal)]
            if refusals:
                raise refusals[0] from None
            raise


# plone.supermodel (the types control panel's model of a type) reads and writes them
PollTypeFieldHandler = ChoiceHandler(PollTypeField)
CopyGroupsFieldHandler = BaseHandler(CopyGroupsField)


class IAdviceAskedRow(model.Schema):
    service = schema.Choice(
        title=_("Adviser service"), vocabulary="communesplone.core.services", required=True
    )
    deadline_days = schema.Int(
        title=_("Deadline (days)"),
        description=_(
            "Days the service has to give its advice, from the item's proposal; empty: no delay."
        ),
        required=False,
        default=10,
        min=1,
        max=365,
    )
    working_days = schema.Bool(
        title=_("Working days"),
        description=_("Count only the days the commune is open."),
        required=False,
        default=False,
    )
    mandatory = schema.Bool(
        title=_("Mandatory"),
        description=_("The item waits for this advice (or for its delay to run out)."),
        required=False,
        default=False,
    )


class IMeetingItem(model.Schema):
    """An agenda item."""

    # The proposing service. The item is a "Municipal service" content (it
    # provides core's IService, whose local roles and index follow), but the
    # field is its own: only the services the user may propose for are offered,
    # and accepted.
    service = ExplainedChoice(
        title=_("Service"),
        description=_("The proposing service; its staff get their roles on the item."),
        vocabulary="communesplone.meetings.proposing_services",
        refusal=service_refusal,
        required=True,
    )
    category = ExplainedChoice(
        title=_("Category"),
        vocabulary="communesplone.meetings.categories",
        refusal=category_refusal,
        required=False,
    )
    motivation = RichText(title=_("Motivation"), required=False)
    # Published with the body's publication settings (visibility.py)
    directives.read_permission(decision="communesplone.meetings.ViewDecision")
    decision = RichText(
        title=_("Decision"), description=_("The operative part (dispositif)."), required=False
    )
    privacy = schema.Choice(
        title=_("Privacy"),
        description=_("Secret items are heard in closed session (huis clos)."),
        vocabulary="communesplone.meetings.privacy",
        default="public",
        required=True,
    )
    preferred_meeting = schema.Choice(
        title=_("Preferred meeting"),
        vocabulary="communesplone.meetings.upcoming_meetings",
        required=False,
    )
    to_discuss = schema.Bool(title=_("To discuss"), required=False, default=True)
    directives.widget("advices_asked", DataGridFieldWidgetFactory)
    advices_asked = schema.List(
        title=_("Advices asked"),
        value_type=DictRow(title=_("Advice asked"), schema=IAdviceAskedRow),
        required=False,
        default=[],
        missing_value=[],
    )
    poll_type = PollTypeField(
        title=_("Poll"),
        description=_(
            "How the item is voted: in public, member by member; by secret ballot; or not "
            "at all (taken for information). Empty: as the votes are encoded."
        ),
        vocabulary="communesplone.meetings.poll_types",
        required=False,
    )
    directives.widget("copy_groups", CheckBoxFieldWidget)
    copy_groups = CopyGroupsField(
        title=_("Copy to"),
        description=_(
            "Services that may read the item without acting on it, among those the body "
            "allows, from the states the body sets."
        ),
        value_type=ExplainedChoice(
            vocabulary="communesplone.meetings.copy_groups", refusal=copy_group_refusal
        ),
        required=False,
        default=[],
        missing_value=[],
    )
    budget_related = schema.Bool(
        title=_("Budget-related"),
        description=_("The decision has a financial impact: the body's rules may ask advices."),
        required=False,
        default=False,
    )
    budget_amount = schema.Decimal(
        title=_("Amount (€)"),
        description=_("The financial impact, VAT included, of a budget-related item."),
        required=False,
        min=Decimal(0),
    )
    forward = schema.Bool(
        title=_("Send to the next body once accepted"),
        description=_("For example from the college to the council."),
        required=False,
        default=False,
    )
    directives.mode(list_type="display")
    list_type = schema.Choice(
        title=_("List"),
        vocabulary="communesplone.meetings.list_types",
        default="normal",
        required=True,
    )

    @invariant
    def amount_of_budget_items(data):
        """An amount belongs to a budget-related item (the rules read both)."""
        amount = getattr(data, "budget_amount", None)
        if amount is not None and not getattr(data, "budget_related", False):
            raise Invalid(_("An amount is given only for a budget-related item: tick it."))


@implementer(IMeetingItem, IService)
class MeetingItem(Container):
    """An agenda item."""

    meeting_uid = None
    item_number = None  # 100 for point 1, 101 for 1.1 (see agenda.py)
    reference = ""
    votes = ()
    item_absents = ()
    item_excused = ()
    item_signatories = None  # {"2": member id}: another signatory at that position
    predecessor_uid = None
    successor_uid = None
    forwarded_from_uid = None
    forwarded_to_uid = None
    insertion = 0  # order of presentation, the last agenda ordering rule
    is_subitem = False  # numbered as a sub-point of the item before it (2.1)
    proposed_on = None  # date of the last proposal: advice deadlines count from it
    budget_related = False
    budget_amount = None
    advice_requests = None  # {service: record} of the advices asked (advices.py)

    def asked_services(self):
        from communesplone.meetings import advices

        return advices.asked_services(self)
