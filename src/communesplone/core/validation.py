"""Refusals with their reason, and the checks of the commune's settings.

:class:`Refusal` is the one error every application raises for a refused
value: its message is a translatable message of the ``communesplone`` domain.
:class:`ExplainedChoice` is a choice whose refusal says why. The settings'
checks below are shared by the control panel and REST; each raises a Refusal.
:func:`check_row_ids` is the check of every configuration's list of rows
with identifiers (a body's members and categories, a licence type's terms,
a request type's fields).
z3c.form and plone.restapi both show ``error.doc()``, so the same text
reaches the user either way, and since validation runs before anything is
written, nothing is half-saved.
"""

from communesplone import _
from plone.registry.interfaces import IRegistry
from plone.schema.email import Email
from plone.supermodel.exportimport import ChoiceHandler
from zope import schema
from zope.component import queryUtility
from zope.i18nmessageid import Message
from zope.interface import implementer
from zope.schema import ValidationError
from zope.schema.interfaces import ConstraintNotSatisfied
from zope.schema.interfaces import IChoice

import re


SERVICE_ID = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
NIS_CODE = re.compile(r"^[0-9]{5}$")
# The identifier of a row of a configuration's list (members, categories, terms...)
ROW_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
INVALID_ROW_ID = _(
    '"${id}" is not a valid identifier for ${what}: use lowercase letters, digits, - and _.'
)
ROW_ID_TWICE = _('The identifier "${id}" is used twice in ${what}.')


class Refusal(ValidationError):
    """A value refused; ``message`` (translatable) says which and why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def doc(self):
        return self.message

    def __str__(self):
        return str(self.message)


class IExplainedChoice(IChoice):
    """A choice that says why it refuses a value (see :class:`ExplainedChoice`)."""


@implementer(IExplainedChoice)
class ExplainedChoice(schema.Choice):
    """A ``Choice`` whose refusal of a value outside its vocabulary says why.

    zope.schema's own refusal is "Constraint not satisfied". Here
    ``refusal(context, value)`` gives the translatable reason, raised as a
    :class:`Refusal`. The vocabulary stays what the forms and REST offer;
    ``browser/terms.py`` lets a form send a value from outside it, so that the
    form refuses it with the same message as REST.
    """

    def __init__(self, refusal=None, **kw):
        self.refusal = refusal
        super().__init__(**kw)

    def _validate(self, value):
        try:
            super()._validate(value)
        except ConstraintNotSatisfied:
            if self.refusal is None:  # read from a model (plone.supermodel)
                raise
            error = Refusal(self.refusal(self.context, value))
            raise error.with_field_and_value(self, value) from None


# plone.supermodel (the types control panel's model of a type) handles it as a Choice.
ExplainedChoiceHandler = ChoiceHandler(ExplainedChoice)


def check_row_ids(
    rows, what=None, *, key="id", pattern=ROW_ID, invalid=INVALID_ROW_ID, twice=ROW_ID_TWICE
):
    """The identifiers of ``rows`` (a datagrid's dicts), each well formed and unique.

    Returns them in order; raises a :class:`Refusal` for the first one that
    does not match ``pattern`` (None: any identifier) with the message
    ``invalid``, or for the first repeated one with ``twice``. The messages
    are translatable messages whose mapping gets ``id`` (the row's
    identifier) and ``what`` (``what``: the list's name, itself translatable),
    so that each list keeps its own wording. Used as a field's constraint or
    in a schema's invariant (a Refusal is an ``Invalid``), it refuses the
    form and REST alike, before anything is written.
    """
    ids = []
    for row in rows or ():
        row_id = row.get(key) or ""
        if pattern is not None and not pattern.match(row_id):
            raise Refusal(_refusal(invalid, row_id, what))
        if row_id in ids:
            raise Refusal(_refusal(twice, row_id, what))
        ids.append(row_id)
    return ids


def _refusal(message, row_id, what):
    mapping = {**(message.mapping or {}), "id": row_id}
    if what is not None:
        mapping["what"] = what
    return Message(message, mapping=mapping)


def check_email(value):
    """An empty value, or an email address (Plone's own check and message)."""
    if value:
        Email().validate(value)
    return True


def check_nis_code(value):
    if value and not NIS_CODE.match(value):
        raise Refusal(
            _(
                'The NIS code must have exactly five digits, not "${value}".',
                mapping={"value": value},
            )
        )
    return True


def check_services(rows):
    """Refuse empty names, duplicate or unsafe ids, and removing a used service.

    The last check reads the current services and the catalog: it is part of
    the field's validation so that the form and ``@controlpanels`` both refuse
    the change before anything is written.
    """
    from communesplone.core import services

    seen = set()
    for row in rows or ():
        service_id = (row.get("id") or "").strip()
        title = (row.get("title") or "").strip()
        if not service_id:
            raise Refusal(_("Every service needs an identifier."))
        if not SERVICE_ID.match(service_id):
            raise Refusal(
                _(
                    'The identifier "${id}" is not URL-safe: use at most 40 '
                    "lower-case letters, digits, hyphens or underscores, starting "
                    "with a letter.",
                    mapping={"id": service_id},
                )
            )
        if service_id in seen:
            raise Refusal(
                _(
                    'The identifier "${id}" is used by two services.',
                    mapping={"id": service_id},
                )
            )
        if not title:
            raise Refusal(
                _(
                    'The service "${id}" needs a name.',
                    mapping={"id": service_id},
                )
            )
        seen.add(service_id)
    if queryUtility(IRegistry) is not None:  # in a site, not at import time
        for service in services.get_all():
            if service["id"] not in seen:
                services.check_removable(service["id"])
    return True
