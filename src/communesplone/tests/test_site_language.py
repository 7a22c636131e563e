"""A site made for a Dutch-speaking commune (``bootstrap.py`` with
``COMMUNESPLONE_LANGUAGE=nl``) is Dutch: Plone's default language and the
commune's."""

from communesplone.core.sitefactory import create_site
from plone import api
from plone.app.testing import SITE_OWNER_NAME


def test_a_dutch_site(app):
    site, created = create_site(
        app, site_id="gemeente", admin=SITE_OWNER_NAME, demo=False, language="nl"
    )
    assert created
    assert api.portal.get_registry_record("plone.default_language") == "nl"
    assert api.portal.get_registry_record("communesplone.default_language") == "nl"
    assert "nl" in api.portal.get_registry_record("plone.available_languages")
