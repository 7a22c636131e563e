"""Administrative procedure ("Démarche"): what a citizen does to obtain something."""

from communesplone import _
from plone.app.textfield import RichText
from plone.dexterity.content import Item
from plone.supermodel import model
from zope import schema
from zope.interface import implementer


class IProcedure(model.Schema):
    what = RichText(title=_("What is it?"), required=False)
    who = RichText(title=_("Who can ask?"), required=False)
    how = RichText(title=_("How to proceed?"), required=False)
    cost = schema.TextLine(title=_("Cost"), required=False)
    documents = RichText(title=_("Documents to bring"), required=False)
    legal_basis = schema.Text(title=_("Legal basis"), required=False)
    service = schema.Choice(
        title=_("Service concerned"),
        vocabulary="communesplone.core.services",
        required=False,
    )
    request_type = schema.Choice(
        title=_("Online request"),
        description=_("The e-desk's request type that starts this procedure online."),
        vocabulary="communesplone.website.request_types",
        required=False,
    )


@implementer(IProcedure)
class Procedure(Item):
    """An administrative procedure."""
