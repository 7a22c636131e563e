"""Translation into the site's language, for text stored in the site (group titles)."""

from plone import api
from zope.i18n import translate


def translate_for_site(message):
    """Translate ``message`` into the site's default language."""
    language = api.portal.get_registry_record("plone.default_language", default="en")
    return translate(message, target_language=language)
