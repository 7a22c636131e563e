"""Vocabularies of the website: categories and contracts (registry), days, levels, request types."""

from communesplone import _
from communesplone.website.interfaces import PREFIX
from communesplone.website.validation import WEEKDAYS
from plone import api
from plone.i18n.normalizer.interfaces import IIDNormalizer
from zope.component import getUtility
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


LEVELS = {
    "info": _("Information"),
    "warning": _("Warning"),
    "danger": _("Alert"),
}


def _from_registry(name):
    try:
        values = api.portal.get_registry_record(f"{PREFIX}.{name}", default=None) or []
    except api.exc.CannotGetPortalError:
        values = []
    normalizer = getUtility(IIDNormalizer)
    terms, seen = [], set()
    for value in values:
        token = normalizer.normalize(value)
        if value and token not in seen:
            seen.add(token)
            terms.append(SimpleTerm(value=token, token=token, title=value))
    return SimpleVocabulary(terms)


@provider(IVocabularyFactory)
def directory_categories(context):
    """The directory's categories, from Site Setup → Website."""
    return _from_registry("directory_categories")


@provider(IVocabularyFactory)
def contract_types(context):
    """The job vacancies' contract types, from Site Setup → Website."""
    return _from_registry("contract_types")


@provider(IVocabularyFactory)
def weekdays(context):
    return SimpleVocabulary([SimpleTerm(k, k, title) for k, title in WEEKDAYS.items()])


@provider(IVocabularyFactory)
def alert_levels(context):
    return SimpleVocabulary([SimpleTerm(k, k, title) for k, title in LEVELS.items()])


@provider(IVocabularyFactory)
def request_types(context):
    """The e-desk's request types (when the e-desk is installed), by UID, from the catalog."""
    try:
        brains = api.content.find(portal_type="request_type", sort_on="sortable_title")
    except api.exc.CannotGetPortalError:
        brains = []
    return SimpleVocabulary([SimpleTerm(b.UID, b.UID, b.Title) for b in brains])
