"""Newsletter: the subscription page, its issues, and (in an annotation) its subscribers."""

from communesplone import _
from plone.dexterity.content import Container
from plone.supermodel import model
from zope import schema
from zope.interface import implementer


class INewsletter(model.Schema):
    confirmation_days = schema.Int(
        title=_("Days to confirm a subscription"),
        description=_("The confirmation link mailed to a new subscriber expires after them."),
        default=7,
        min=1,
        max=60,
        required=True,
    )
    batch_size = schema.Int(
        title=_("Mails per batch"),
        description=_(
            "An issue is sent in batches of this many mails, each recorded as it is "
            "sent, so that a sending interrupted resumes where it stopped."
        ),
        default=100,
        min=1,
        max=5000,
        required=True,
    )


@implementer(INewsletter)
class Newsletter(Container):
    """A newsletter; its subscribers are kept by ``communesplone.website.newsletter``."""
