"""Languages, for every application: the request's, the commune's, the site's.

- :func:`request_language` is the language of the page or answer being made
  for a request: Plone's negotiation (``plone.i18n``) puts it in the
  request's ``LANGUAGE`` when the request is traversed (the visitor's
  choice, their browser's, or the site's default, as the site's language
  settings say). Outside a request, or before the negotiation: ``default``.
- :func:`commune_language` is the language of what the commune produces
  without a visitor: generated documents, the texts written into the site
  (the CommunesPlone control panel's ``default_language``, else Plone's
  default language, else French); ``language.py`` makes Plone's default
  language follow it.
- :func:`translate_for_site` translates into Plone's default language, for
  text stored in the site (group titles).
"""

from communesplone.core.language import COMMUNE_LANGUAGE
from communesplone.core.language import PLONE_LANGUAGE
from plone import api
from zope.globalrequest import getRequest
from zope.i18n import translate


FALLBACK = "fr"


def request_language(request=None, default=None):
    """The language (``"fr"``, ``"nl"``…) of the answer to ``request`` (default: the
    current one), or ``default`` when there is no request or it has no language yet."""
    if request is None:
        request = getRequest()
    if request is None:
        return default
    return request.get("LANGUAGE") or default


def commune_language():
    """The commune's language: the CommunesPlone control panel's, else Plone's default."""
    for record in (COMMUNE_LANGUAGE, PLONE_LANGUAGE):
        language = api.portal.get_registry_record(record, default=None)
        if language:
            return language
    return FALLBACK


def translate_for_site(message):
    """Translate ``message`` into the site's default language."""
    language = api.portal.get_registry_record("plone.default_language", default="en")
    return translate(message, target_language=language)
