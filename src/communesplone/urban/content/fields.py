"""Fields shared by the licences and their events.

A :class:`FixedChoice` is chosen when the content is made and never changed
after: a licence's type (its references and its workflow depend on it) and an
event's type (its content type depends on it). Its ``check`` says whether a
value fits the content type being made or edited; both the add and edit forms
and REST call ``validate``, so they refuse the same input with the same message.
"""

from communesplone import _
from communesplone.core.validation import Refusal
from zope.schema import Choice


def content_type_of(context):
    """The portal type being edited (context is the content) or added (context is
    its container, and the add form's URL names the type); None if unknown."""
    from communesplone.urban.constants import EVENTS
    from communesplone.urban.constants import LICENCES

    request = getattr(context, "REQUEST", None)
    url = request.get("ACTUAL_URL", "") if request is not None else ""
    if "++add++" in url:  # an add form (its context is the container: a licence for an event)
        added = url.split("++add++", 1)[1].split("/", 1)[0].split("?", 1)[0]
        if added in LICENCES or added in EVENTS:
            return added
    portal_type = getattr(context, "portal_type", None)
    if portal_type in LICENCES or portal_type in EVENTS:
        return portal_type
    return None


class FixedChoice(Choice):
    """A Choice set at creation, then fixed. ``check(value, portal_type)`` raises
    core's Refusal (a ValidationError: forms and REST show its message) when
    ``value`` does not fit ``portal_type``."""

    def __init__(self, check=None, **kw):
        self.check = check
        super().__init__(**kw)

    def _validate(self, value):
        # Its own checks first: their messages say more than "not in the vocabulary".
        context = self.context
        if getattr(context, "portal_type", None) == content_type_of(context):
            current = getattr(context, self.__name__, None)
            if current and value != current:
                raise Refusal(_("It is chosen when the file or event is created, then fixed."))
        if self.check is not None:
            self.check(value, content_type_of(context))
        super()._validate(value)
