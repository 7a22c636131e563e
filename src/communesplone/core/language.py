"""The commune's language drives Plone's default language.

The CommunesPlone panel's ``default_language`` (the language of the
commune: its documents, its notifications) is also the site's: when it is
set, Plone's ``plone.default_language`` follows (and the language is added to
``plone.available_languages`` if missing), whether it is set in the panel,
over REST or in code (:func:`on_commune_language_modified`, a subscriber of
the registry). A site made by ``bootstrap.py`` (``sitefactory.create_site``)
is made in the commune's language (``COMMUNESPLONE_LANGUAGE``, French by
default), and the commune's language is set to it. Installing the add-on in
a site made otherwise changes neither language: the field's default
(French) is not a choice of the commune's, and the site keeps its own until
the commune's is set in Site Setup → CommunesPlone.
"""

from plone import api


COMMUNE_LANGUAGE = "communesplone.default_language"
PLONE_LANGUAGE = "plone.default_language"
AVAILABLE = "plone.available_languages"


def set_site_language(language):
    """Make ``language`` Plone's default language (and one of its available ones)."""
    if not language:
        return
    available = list(api.portal.get_registry_record(AVAILABLE, default=None) or [])
    if language not in available:
        api.portal.set_registry_record(AVAILABLE, [*available, language])
    if api.portal.get_registry_record(PLONE_LANGUAGE, default=None) != language:
        api.portal.set_registry_record(PLONE_LANGUAGE, language)


def on_commune_language_modified(event):
    """Registry subscriber: Plone's default language follows the commune's."""
    if event.record.__name__ == COMMUNE_LANGUAGE and event.newValue:
        set_site_language(event.newValue)
