"""A meeting item ("point"): proposed by a service, validated, presented, decided.

Workflow state, agenda number, reference and votes are set by the
application, not by forms: ``item_number``, ``reference``, ``meeting_uid``,
``list_type`` and ``votes`` are attributes written by ``agenda.py``,
``votes.py`` and the workflow subscribers.
"""

from collective.z3cform.datagridfield.datagridfield import DataGridFieldWidgetFactory
from collective.z3cform.datagridfield.row import DictRow
from communesplone import _
from communesplone.core.behaviors.service import IService
from plone.app.textfield import RichText
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.supermodel import model
from zope import schema
from zope.interface import implementer


class IAdviceAskedRow(model.Schema):
    service = schema.Choice(
        title=_("Adviser service"), vocabulary="communesplone.core.services", required=True
    )
    deadline_days = schema.Int(
        title=_("Deadline (days)"),
        description=_("Days the service has to give its advice, from the item's proposal."),
        required=True,
        default=10,
        min=1,
        max=365,
    )


class IMeetingItem(model.Schema):
    """An agenda item."""

    # The proposing service. The item is a "Municipal service" content (it
    # provides core's IService, whose local roles and index follow), but the
    # field is its own: only the services the user may propose for are offered,
    # and accepted.
    service = schema.Choice(
        title=_("Service"),
        description=_("The proposing service; its staff get their roles on the item."),
        vocabulary="communesplone.meetings.proposing_services",
        required=True,
    )
    category = schema.Choice(
        title=_("Category"), vocabulary="communesplone.meetings.categories", required=False
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


@implementer(IMeetingItem, IService)
class MeetingItem(Container):
    """An agenda item."""

    meeting_uid = None
    item_number = None  # 100 for point 1, 101 for 1.1 (see agenda.py)
    reference = ""
    votes = ()
    item_absents = ()
    predecessor_uid = None
    successor_uid = None
    forwarded_from_uid = None
    forwarded_to_uid = None
    insertion = 0  # order of presentation, the last agenda ordering rule
    is_subitem = False  # numbered as a sub-point of the item before it (2.1)
    proposed_on = None  # date of the last proposal: advice deadlines count from it

    def asked_services(self):
        return [row["service"] for row in self.advices_asked or ()]
