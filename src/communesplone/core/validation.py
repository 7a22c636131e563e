"""Validation of the commune's settings, shared by the control panel and REST.

Each check raises :class:`SettingsError`, whose message is a translatable
message of the ``communesplone`` domain. z3c.form and plone.restapi both show
``error.doc()``, so the same text reaches the administrator either way, and
since validation runs before anything is written, nothing is half-saved.
"""

from communesplone import _
from plone.registry.interfaces import IRegistry
from plone.schema.email import Email
from zope.component import queryUtility
from zope.schema import ValidationError

import re


SERVICE_ID = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
NIS_CODE = re.compile(r"^[0-9]{5}$")


class SettingsError(ValidationError):
    """A setting is refused; the message says which and why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def doc(self):
        return self.message

    def __str__(self):
        return str(self.message)


def check_email(value):
    """An empty value, or an email address (Plone's own check and message)."""
    if value:
        Email().validate(value)
    return True


def check_nis_code(value):
    if value and not NIS_CODE.match(value):
        raise SettingsError(
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
            raise SettingsError(_("Every service needs an identifier."))
        if not SERVICE_ID.match(service_id):
            raise SettingsError(
                _(
                    'The identifier "${id}" is not URL-safe: use at most 40 '
                    "lower-case letters, digits, hyphens or underscores, starting "
                    "with a letter.",
                    mapping={"id": service_id},
                )
            )
        if service_id in seen:
            raise SettingsError(
                _(
                    'The identifier "${id}" is used by two services.',
                    mapping={"id": service_id},
                )
            )
        if not title:
            raise SettingsError(
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
