"""Job vacancy: a post the commune offers, open until its closing date."""

from communesplone import _
from communesplone.website.content.dates import computed
from plone.app.textfield import RichText
from plone.dexterity.content import Item
from plone.supermodel import model
from zope import schema
from zope.interface import implementer


class IJobVacancy(model.Schema):
    service = schema.Choice(
        title=_("Service"), vocabulary="communesplone.core.services", required=True
    )
    contract_type = schema.Choice(
        title=_("Contract type"),
        vocabulary="communesplone.website.contract_types",
        required=True,
    )
    hours = schema.TextLine(
        title=_("Working hours"),
        description=_("For example: full time, 38 hours a week."),
        required=False,
    )
    closing_date = schema.Date(
        title=_("Closing date"),
        description=_("The last day to apply: the vacancy leaves the listings after it."),
        required=True,
    )
    text = RichText(title=_("Job description"), required=False)
    how_to_apply = RichText(title=_("How to apply"), required=False)


@implementer(IJobVacancy)
class JobVacancy(Item):
    """A job vacancy; it expires (catalog ``expires``) at the end of its closing date."""

    expiration_date = computed("closing_date")

    def is_open(self):
        from DateTime import DateTime

        return self.expiration_date is None or self.expiration_date >= DateTime()
