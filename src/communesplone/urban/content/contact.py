"""A contact of the shared directory: an architect, a notary or a geometrician.

Licences refer to contacts by their UID. A contact who no longer works is
made inactive rather than deleted, so that old files keep their reference.
"""

from communesplone import _
from plone.dexterity.content import Item
from plone.supermodel import model
from zope import schema
from zope.interface import implementer


class IContact(model.Schema):
    """A professional contact (the title is the name)."""

    kind = schema.Choice(
        title=_("Kind of contact"),
        vocabulary="communesplone.urban.contact_kinds",
        required=True,
    )
    first_name = schema.TextLine(title=_("First name"), required=False)
    company = schema.TextLine(title=_("Company"), required=False)
    street = schema.TextLine(title=_("Street and number"), required=False)
    postal_code = schema.TextLine(title=_("Postal code"), required=False)
    city = schema.TextLine(title=_("City"), required=False)
    phone = schema.TextLine(title=_("Phone"), required=False)
    email = schema.TextLine(title=_("Email"), required=False)
    registration_number = schema.TextLine(
        title=_("Registration number"),
        description=_("For an architect, the number at the Order of Architects."),
        required=False,
    )
    active = schema.Bool(
        title=_("Active"),
        description=_("Only active contacts are offered on licences."),
        required=False,
        default=True,
    )


@implementer(IContact)
class Contact(Item):
    first_name = None
    active = True
