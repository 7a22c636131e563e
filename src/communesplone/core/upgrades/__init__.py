"""Upgrade steps of the core profile, numbered from 1000."""

from communesplone.core.interfaces import ICommunesPloneSettings
from plone.registry.interfaces import IRegistry
from zope.component import getUtility


# The records that registry.xml keeps out of the interface's records (they
# are declared there as plain lists of dicts).
OMITTED = ("services", "signatories")


def to_1001(context):
    """The commune's closing days: ``communesplone.closing_days`` and
    ``communesplone.public_holidays`` in the registry.

    Registers the settings' missing records only: re-importing registry.xml
    would reset the services and signatories to its empty values.
    """
    registry = getUtility(IRegistry)
    registry.registerInterface(ICommunesPloneSettings, prefix="communesplone", omit=OMITTED)


PROFILE = "profile-communesplone.core:default"


def to_1002(context):
    """The project's settings panels open to the commune's administrator: the
    permission ``communesplone: Manage settings`` (Manager and Site Administrator,
    ``rolemap.xml``) guards the CommunesPlone panel (``controlpanel.xml``); and
    Plone's default language follows the commune's where the commune's was chosen
    (another than the field's default, French)."""
    from communesplone.core import language
    from plone import api

    for step in ("rolemap", "controlpanel"):
        context.runImportStepFromProfile(PROFILE, step)
    commune = api.portal.get_registry_record(language.COMMUNE_LANGUAGE, default=None)
    if commune and commune != ICommunesPloneSettings["default_language"].default:
        language.set_site_language(commune)
