"""An annex of an item: a file of a type of the body, with its flags.

The types are the body's (``annex_types``, see :class:`IAnnexTypeRow`):
each has an icon and default flags, which an annex takes at its creation
(:func:`communesplone.meetings.annexes.annex_added`) for the flags its
creator did not set. The add form does not show the flags: they come from the
type, and the edit form changes them. The preview that the item page shows
and the councillor's file prints is kept beside the file
(:mod:`communesplone.meetings.previews`).
"""

from communesplone import _
from communesplone.core.i18n import commune_language
from plone.autoform import directives
from plone.dexterity.content import Item
from plone.namedfile.field import NamedBlobFile
from plone.supermodel import model
from plone.supermodel.directives import primary
from z3c.form.interfaces import IAddForm
from zope import schema
from zope.interface import implementer


# The flags of an annex, in the order the forms and the item page show them;
# an annex type gives the defaults of all but "signed".
FLAGS = ("to_print", "to_sign", "signed", "confidential", "decision_annex")
DEFAULT_FLAGS = ("to_print", "to_sign", "confidential", "decision_annex")


class IAnnexTypeRow(model.Schema):
    """A type of annex of a body (a row of the body's ``annex_types``)."""

    id = schema.ASCIILine(
        title=_("Identifier"),
        description=_("Short and stable: the annexes of this type refer to it."),
        required=True,
    )
    title = schema.TextLine(title=_("Name"), required=True)
    icon = schema.Choice(
        title=_("Icon"), vocabulary="communesplone.meetings.annex_icons", required=True
    )
    to_print = schema.Bool(title=_("To print"), required=False, default=False)
    to_sign = schema.Bool(title=_("To sign"), required=False, default=False)
    confidential = schema.Bool(title=_("Confidential"), required=False, default=False)
    decision_annex = schema.Bool(title=_("Decision annex"), required=False, default=False)


# The types a body starts with (and a body made before annex types had):
# (id, title, icon, default flags). "annex" is the type of annexes that had none.
DEFAULT_TYPES = (
    ("annex", _("Annex"), "file-earmark", ("to_print",)),
    ("plan", _("Plan"), "map", ("to_print",)),
    ("budget", _("Budget document"), "calculator", ("to_print",)),
    ("contract", _("Document to sign"), "pen", ("to_sign",)),
    ("personal", _("Personal data"), "lock", ("confidential",)),
    ("decision", _("Decision annex"), "file-earmark-check", ("decision_annex", "to_print")),
)
GENERIC_TYPE = "annex"


def default_annex_types():
    """The rows of :data:`DEFAULT_TYPES`, their names in the site's language."""
    from zope.i18n import translate

    language = commune_language()
    return [
        {
            "id": type_id,
            "title": translate(title, target_language=language),
            "icon": icon,
            **{flag: flag in flags for flag in DEFAULT_FLAGS},
        }
        for type_id, title, icon, flags in DEFAULT_TYPES
    ]


def check_annex_types(rows):
    """Identifiers well formed and unique, as the body's other lists'."""
    from communesplone.meetings.content.meeting_body import _unique_ids

    return _unique_ids(rows, _("annex types"))


class IMeetingAnnex(model.Schema):
    """An annex of a meeting item."""

    annex_type = schema.Choice(
        title=_("Type"),
        description=_("One of the body's annex types: its flags are the annex's at creation."),
        vocabulary="communesplone.meetings.annex_types",
        required=True,
    )
    primary("file")
    file = NamedBlobFile(title=_("File"), required=True)

    directives.omitted(IAddForm, *FLAGS)
    to_print = schema.Bool(
        title=_("To print"),
        description=_("Printed in the councillor's file."),
        required=False,
        default=False,
    )
    to_sign = schema.Bool(title=_("To sign"), required=False, default=False)
    signed = schema.Bool(title=_("Signed"), required=False, default=False)
    confidential = schema.Bool(
        title=_("Confidential"),
        description=_(
            "Only the proposing service and the meeting managers see a confidential annex."
        ),
        required=False,
        default=False,
    )
    decision_annex = schema.Bool(
        title=_("Decision annex"),
        description=_("An annex of the decision, rather than of the proposal."),
        required=False,
        default=False,
    )


@implementer(IMeetingAnnex)
class MeetingAnnex(Item):
    """An annex; its preview (a PDF) and the reason it has none are attributes
    that :mod:`communesplone.meetings.previews` sets, not fields."""

    preview = None  # a NamedBlobFile (PDF) for office files and images
    preview_error = None  # a translatable message when the file could not be converted
    preview_source = None  # the checksum of the file the preview was made from
