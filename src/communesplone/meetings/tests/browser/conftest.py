"""The demo site for the meetings' browser tests on the demo content.

``demo`` is the functional site with the core's demo (services, staff) and
the meetings' demo applied, in French, as ``make run`` builds it. Where
LibreOffice is installed, it runs for the test session (the office annexes'
previews, the councillor's files); elsewhere the demo is built without it.
"""

from communesplone.documents.testing import _missing as libreoffice_missing
from communesplone.documents.testing import libreoffice  # noqa: F401 (fixture)
from plone import api
from plone.app.testing import applyProfile

import pytest
import transaction


@pytest.fixture
def office(request):
    """True with a LibreOffice started for the session, False where it is not installed."""
    if libreoffice_missing():
        return False
    request.getfixturevalue("libreoffice")
    return True


@pytest.fixture
def demo(functional_portal, office):
    with api.env.adopt_roles(["Manager"]):
        api.portal.set_registry_record("plone.default_language", "fr")
        api.portal.set_registry_record("communesplone.default_language", "fr")
        applyProfile(functional_portal, "communesplone.core:demo")
        applyProfile(functional_portal, "communesplone.meetings:demo")
    transaction.commit()
    return functional_portal
