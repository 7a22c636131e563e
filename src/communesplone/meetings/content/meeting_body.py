"""The meeting body: a decision body's configuration ("Collège communal", "Conseil communal").

A body is the folder that holds its meetings and the items proposed to it,
and the configuration of how it works: its members, categories, validation
levels, reference format, agenda ordering, recurring items, item templates,
forwarding to another body, what is public, and its document templates
(a "templates" folder of POD templates inside the body).
"""

from collective.z3cform.datagridfield.datagridfield import DataGridFieldWidgetFactory
from collective.z3cform.datagridfield.row import DictRow
from communesplone import _
from communesplone.core.validation import check_row_ids
from communesplone.meetings.constants import FROZEN_OR_DECIDED
from communesplone.meetings.content.meeting_annex import check_annex_types
from communesplone.meetings.content.meeting_annex import default_annex_types
from communesplone.meetings.content.meeting_annex import IAnnexTypeRow
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.supermodel import model
from z3c.form.browser.checkbox import CheckBoxFieldWidget
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant


class IMemberRow(model.Schema):
    id = schema.ASCIILine(
        title=_("Identifier"),
        description=_("Short and stable: attendance and votes refer to it."),
        required=True,
    )
    person = schema.TextLine(title=_("Person"), required=True)
    function = schema.TextLine(
        title=_("Function"),
        description=_("Bourgmestre-Président, Échevin, Conseiller, Directeur général…"),
        required=True,
    )
    voting = schema.Bool(title=_("Votes"), required=False, default=True)
    signatory_order = schema.Int(
        title=_("Signatory order"),
        description=_("1 signs first; empty for members who do not sign."),
        required=False,
        min=1,
    )
    active_from = schema.Date(title=_("Active from"), required=False)
    active_to = schema.Date(title=_("Active until"), required=False)
    userid = schema.TextLine(
        title=_("Login"),
        description=_("The member's login, if any: it gives access to the body's meetings."),
        required=False,
    )


class ICategoryRow(model.Schema):
    id = schema.ASCIILine(title=_("Identifier"), required=True)
    title = schema.TextLine(title=_("Name"), required=True)


class IRecurringItemRow(model.Schema):
    title = schema.TextLine(title=_("Title"), required=True)
    service = schema.Choice(
        title=_("Service"), vocabulary="communesplone.core.services", required=True
    )
    category = schema.ASCIILine(title=_("Category"), required=False)
    decision = schema.Text(title=_("Decision"), required=False)


class IItemTemplateRow(model.Schema):
    title = schema.TextLine(title=_("Title"), required=True)
    service = schema.Choice(
        title=_("Service"),
        description=_(
            "The service of the items started from this template: it is offered to "
            "those who may propose items for that service."
        ),
        vocabulary="communesplone.core.services",
        required=True,
    )
    category = schema.ASCIILine(title=_("Category"), required=False)
    motivation = schema.Text(title=_("Motivation"), required=False)
    decision = schema.Text(title=_("Decision"), required=False)


def check_group(value):
    """A Plone group that exists (the alderman's group, for example)."""
    from communesplone.core.validation import Refusal
    from plone import api

    if api.group.get(groupname=value) is None:
        raise Refusal(_('There is no group "${group}".', mapping={"group": value}))
    return True


class IGroupInChargeRow(model.Schema):
    service = schema.Choice(
        title=_("Service"), vocabulary="communesplone.core.services", required=True
    )
    group = schema.ASCIILine(
        title=_("Group in charge"),
        description=_(
            "The group of the alderman (échevin) in charge of the service, in Site Setup → Groups."
        ),
        required=True,
        constraint=check_group,
    )


def _unique_ids(rows, what):
    check_row_ids(rows, what)
    return True


def check_members(rows):
    _unique_ids(rows, _("members"))
    for row in rows or ():
        start, end = row.get("active_from"), row.get("active_to")
        if start and end and end < start:
            raise Invalid(
                _(
                    "${person} leaves before arriving: check the dates.",
                    mapping={"person": row.get("person")},
                )
            )
    return True


def check_categories(rows):
    return _unique_ids(rows, _("categories"))


class IAdviceRuleRow(model.Schema):
    service = schema.Choice(
        title=_("Adviser service"), vocabulary="communesplone.core.services", required=True
    )
    condition = schema.Choice(
        title=_("When"),
        vocabulary="communesplone.meetings.advice_conditions",
        default="budget_above",
        required=True,
    )
    value = schema.TextLine(
        title=_("Value"),
        description=_("The amount, the category's identifier or the service's identifier."),
        required=False,
    )
    delay_days = schema.Int(
        title=_("Delay (days)"),
        description=_("Empty: no delay."),
        required=False,
        min=1,
        max=365,
    )
    working_days = schema.Bool(title=_("Working days"), required=False, default=False)
    mandatory = schema.Bool(title=_("Mandatory"), required=False, default=True)


def check_advice_rules(rows):
    if not rows:
        return True  # (also while this module is imported: no import of advices then)
    from communesplone.meetings import advices

    return advices.check_rules(rows)


class IMeetingBody(model.Schema):
    """A decision body and its configuration."""

    model.fieldset(
        "members",
        label=_("Members"),
        fields=["members"],
    )
    directives.widget("members", DataGridFieldWidgetFactory, allow_reorder=True)
    members = schema.List(
        title=_("Members"),
        description=_("The body's members, in their order of precedence."),
        value_type=DictRow(title=_("Member"), schema=IMemberRow),
        required=False,
        default=[],
        missing_value=[],
        constraint=check_members,
    )

    model.fieldset(
        "agenda",
        label=_("Agenda"),
        fields=[
            "categories",
            "validation_levels",
            "reference_format",
            "ordering",
            "recurring_items",
            "item_templates",
        ],
    )
    directives.widget("categories", DataGridFieldWidgetFactory, allow_reorder=True)
    categories = schema.List(
        title=_("Categories"),
        description=_("Agenda categories, in their order."),
        value_type=DictRow(title=_("Category"), schema=ICategoryRow),
        required=False,
        default=[],
        missing_value=[],
        constraint=check_categories,
    )
    validation_levels = schema.Choice(
        title=_("Item validation"),
        values=(1, 2),
        description=_(
            "One level: the service's reviewers validate. Two levels: the service's "
            "reviewers pre-validate, then the meeting managers validate."
        ),
        default=1,
        required=True,
    )
    reference_format = schema.TextLine(
        title=_("Item reference format"),
        description=_(
            "Placeholders: {year}, {meeting_number}, {item_number}, {service}, {category}."
        ),
        default="{year}/{meeting_number}/{item_number}",
        required=True,
    )
    directives.widget("ordering", CheckBoxFieldWidget)
    ordering = schema.List(
        title=_("Agenda ordering"),
        description=_(
            "Where a presented item is inserted: the rules apply in this order, then "
            "the order of presentation."
        ),
        value_type=schema.Choice(vocabulary="communesplone.meetings.ordering_rules"),
        default=["list_type", "category"],
        required=False,
        missing_value=[],
    )
    directives.widget("recurring_items", DataGridFieldWidgetFactory, allow_reorder=True)
    recurring_items = schema.List(
        title=_("Recurring items"),
        description=_("Added to every new meeting, already presented."),
        value_type=DictRow(title=_("Recurring item"), schema=IRecurringItemRow),
        required=False,
        default=[],
        missing_value=[],
    )
    directives.widget("item_templates", DataGridFieldWidgetFactory, allow_reorder=True)
    item_templates = schema.List(
        title=_("Item templates"),
        description=_("Texts that a service's editors can start an item from."),
        value_type=DictRow(title=_("Item template"), schema=IItemTemplateRow),
        required=False,
        default=[],
        missing_value=[],
    )

    model.fieldset(
        "forwarding",
        label=_("Forwarding and publication"),
        fields=[
            "forward_to",
            "forwarded_item_state",
            "public_meeting_states",
            "public_item_states",
            "public_decision_states",
        ],
    )
    forward_to = schema.Choice(
        title=_("Forward accepted items to"),
        description=_("The body that accepted items marked for it are sent to."),
        vocabulary="communesplone.meetings.bodies",
        required=False,
    )
    forwarded_item_state = schema.Choice(
        title=_("State of items received from another body"),
        vocabulary="communesplone.meetings.forwarded_states",
        default="itemcreated",
        required=True,
    )
    directives.widget("public_meeting_states", CheckBoxFieldWidget)
    public_meeting_states = schema.List(
        title=_("Public meetings"),
        description=_("In these states a meeting and its public agenda are public."),
        value_type=schema.Choice(vocabulary="communesplone.meetings.meeting_states"),
        default=["frozen", "decided", "decisions_published", "closed"],
        required=False,
        missing_value=[],
    )
    directives.widget("public_item_states", CheckBoxFieldWidget)
    public_item_states = schema.List(
        title=_("Public items"),
        description=_(
            "Items in these states are public when their meeting is. Secret items never are."
        ),
        value_type=schema.Choice(vocabulary="communesplone.meetings.item_states"),
        default=list(FROZEN_OR_DECIDED),
        required=False,
        missing_value=[],
    )
    directives.widget("public_decision_states", CheckBoxFieldWidget)
    public_decision_states = schema.List(
        title=_("Public decisions"),
        description=_("In these meeting states the decisions of public items are public."),
        value_type=schema.Choice(vocabulary="communesplone.meetings.meeting_states"),
        default=["decisions_published", "closed"],
        required=False,
        missing_value=[],
    )

    model.fieldset(
        "visibility",
        label=_("Copy groups, groups in charge, power observers"),
        fields=[
            "copy_groups_allowed",
            "copy_groups_states",
            "groups_in_charge",
            "power_observer_states",
            "power_observer_meeting_states",
        ],
    )
    directives.widget("copy_groups_allowed", CheckBoxFieldWidget)
    copy_groups_allowed = schema.List(
        title=_("Services that items may be copied to"),
        description=_(
            "An item may name some of them in copy: their staff read it without acting on it."
        ),
        value_type=schema.Choice(vocabulary="communesplone.core.services"),
        required=False,
        default=[],
        missing_value=[],
    )
    directives.widget("copy_groups_states", CheckBoxFieldWidget)
    copy_groups_states = schema.List(
        title=_("Copy groups read items in these states"),
        value_type=schema.Choice(vocabulary="communesplone.meetings.item_states"),
        default=[
            "validated",
            "presented",
            "itemfrozen",
            "returned_to_proposing_group",
            "accepted",
            "accepted_but_modified",
            "refused",
            "delayed",
            "postponed_next_meeting",
        ],
        required=False,
        missing_value=[],
    )
    directives.widget("groups_in_charge", DataGridFieldWidgetFactory, allow_reorder=True)
    groups_in_charge = schema.List(
        title=_("Groups in charge"),
        description=_(
            "For each service, the group of the alderman in charge of it: they read the "
            "service's items from their proposal on."
        ),
        value_type=DictRow(title=_("Group in charge"), schema=IGroupInChargeRow),
        required=False,
        default=[],
        missing_value=[],
    )
    directives.widget("power_observer_states", CheckBoxFieldWidget)
    power_observer_states = schema.List(
        title=_("Power observers read items in these states"),
        description=_(
            "The body's power observers group reads every item of the body in these states."
        ),
        value_type=schema.Choice(vocabulary="communesplone.meetings.item_states"),
        default=list(FROZEN_OR_DECIDED),
        required=False,
        missing_value=[],
    )
    directives.widget("power_observer_meeting_states", CheckBoxFieldWidget)
    power_observer_meeting_states = schema.List(
        title=_("Power observers read meetings in these states"),
        value_type=schema.Choice(vocabulary="communesplone.meetings.meeting_states"),
        default=["frozen", "decided", "decisions_published", "closed"],
        required=False,
        missing_value=[],
    )

    model.fieldset("annexes", label=_("Annexes"), fields=["annex_types"])
    directives.widget("annex_types", DataGridFieldWidgetFactory, allow_reorder=True)
    annex_types = schema.List(
        title=_("Annex types"),
        description=_(
            "Each annex has one of these types: its icon, and the flags an annex takes "
            "when it is added."
        ),
        value_type=DictRow(title=_("Annex type"), schema=IAnnexTypeRow),
        required=False,
        defaultFactory=default_annex_types,
        missing_value=[],
        constraint=check_annex_types,
    )

    model.fieldset(
        "advices",
        label=_("Advices"),
        fields=["advice_rules", "waiting_advices", "overdue_advices_release"],
    )
    directives.widget("advice_rules", DataGridFieldWidgetFactory, allow_reorder=True)
    advice_rules = schema.List(
        title=_("Advices asked automatically"),
        description=_(
            "When an item is proposed, the advice of each service whose condition it meets "
            "is asked. The Code de la démocratie locale (art. L1124-40) asks the financial "
            "director's advice on budget-related items above 22,000 €, in 10 working days."
        ),
        value_type=DictRow(title=_("Rule"), schema=IAdviceRuleRow),
        required=False,
        default=[],
        missing_value=[],
        constraint=check_advice_rules,
    )
    waiting_advices = schema.Bool(
        title=_("Items wait for their mandatory advices"),
        description=_(
            'A proposed item goes to "Waiting for advices" while a mandatory advice is '
            "awaited, and comes back when each is given or overdue."
        ),
        required=False,
        default=False,
    )
    overdue_advices_release = schema.Bool(
        title=_("Items may go on without overdue advices"),
        description=_(
            "Once its delay has run out, an advice is no longer awaited (nor accepted): the "
            "item may be validated without it."
        ),
        required=False,
        default=False,
    )

    @invariant
    def advice_rule_categories_exist(data):
        from communesplone.meetings import advices

        known = {row["id"] for row in getattr(data, "categories", None) or ()}
        for rule in getattr(data, "advice_rules", None) or ():
            if rule.get("condition") == "category" and rule.get("value") not in known:
                raise Invalid(
                    _(
                        'The category "${id}" of the advice rule is not one of the '
                        "body's categories.",
                        mapping={"id": rule.get("value")},
                    )
                )
            advices.check_rule(rule)

    @invariant
    def recurring_categories_exist(data):
        known = {row["id"] for row in getattr(data, "categories", None) or ()}
        for rows in (data.recurring_items, data.item_templates):
            for row in rows or ():
                if row.get("category") and row["category"] not in known:
                    raise Invalid(
                        _(
                            'The category "${id}" of "${title}" is not one of the body\'s '
                            "categories.",
                            mapping={"id": row["category"], "title": row.get("title")},
                        )
                    )


@implementer(IMeetingBody)
class MeetingBody(Container):
    """A decision body: holds its meetings and items."""

    advice_rules = ()
    waiting_advices = False
    overdue_advices_release = False

    def category_title(self, category_id):
        for row in self.categories or ():
            if row["id"] == category_id:
                return row["title"]
        return category_id or ""

    def member(self, member_id):
        for row in self.members or ():
            if row["id"] == member_id:
                return row
        return None

    def active_members(self, day=None):
        """The members active on ``day`` (every member if ``day`` is None), in order."""
        return [
            row
            for row in self.members or ()
            if day is None
            or (
                (row.get("active_from") is None or row["active_from"] <= day)
                and (row.get("active_to") is None or day <= row["active_to"])
            )
        ]
