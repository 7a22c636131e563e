"""Directory entry: a business, an association or a service of the commune."""

from collective.z3cform.datagridfield.datagridfield import DataGridFieldWidgetFactory
from collective.z3cform.datagridfield.row import DictRow
from communesplone import _
from communesplone.core.validation import check_email
from communesplone.website.validation import check_latitude
from communesplone.website.validation import check_longitude
from communesplone.website.validation import check_opening_hours
from communesplone.website.validation import check_time
from plone.autoform import directives
from plone.dexterity.content import Item
from plone.namedfile.field import NamedBlobImage
from plone.supermodel import model
from zope import schema
from zope.interface import implementer


class IOpeningHoursRow(model.Schema):
    day = schema.Choice(title=_("Day"), vocabulary="communesplone.website.weekdays", required=True)
    opens = schema.TextLine(
        title=_("Opens at"),
        description=_("For example 08:30."),
        required=False,
        constraint=check_time,
    )
    closes = schema.TextLine(
        title=_("Closes at"),
        description=_("For example 12:00."),
        required=False,
        constraint=check_time,
    )


class IDirectoryEntry(model.Schema):
    """A directory entry (its name and description come from plone.basic)."""

    category = schema.Choice(
        title=_("Category"),
        vocabulary="communesplone.website.directory_categories",
        required=True,
    )
    address = schema.Text(title=_("Address"), required=False)
    latitude = schema.Float(title=_("Latitude"), required=False, constraint=check_latitude)
    longitude = schema.Float(title=_("Longitude"), required=False, constraint=check_longitude)
    phone = schema.TextLine(title=_("Phone"), required=False)
    email = schema.TextLine(title=_("Email"), required=False, constraint=check_email)
    website = schema.URI(title=_("Website"), required=False)
    directives.widget("opening_hours", DataGridFieldWidgetFactory, allow_reorder=True)
    opening_hours = schema.List(
        title=_("Opening hours"),
        description=_("One row per opening: a day, when it opens and when it closes."),
        value_type=DictRow(title=_("Opening"), schema=IOpeningHoursRow),
        required=False,
        default=[],
        missing_value=[],
        constraint=check_opening_hours,
    )
    logo = NamedBlobImage(title=_("Logo"), required=False)


@implementer(IDirectoryEntry)
class DirectoryEntry(Item):
    """A directory entry."""
