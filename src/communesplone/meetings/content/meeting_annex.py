"""An annex of an item: a file, confidential or not, and an annex of the decision or not."""

from communesplone import _
from plone.dexterity.content import Item
from plone.namedfile.field import NamedBlobFile
from plone.supermodel import model
from plone.supermodel.directives import primary
from zope import schema
from zope.interface import implementer


class IMeetingAnnex(model.Schema):
    """An annex of a meeting item."""

    primary("file")
    file = NamedBlobFile(title=_("File"), required=True)
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
    """An annex."""
