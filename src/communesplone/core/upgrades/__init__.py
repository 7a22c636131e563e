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
