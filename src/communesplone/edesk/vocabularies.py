"""Vocabularies of the e-desk."""

from communesplone.edesk.fields import FIELD_TYPES
from plone import api
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


@provider(IVocabularyFactory)
def field_types(context):
    return SimpleVocabulary(
        [SimpleTerm(value, value, title) for value, title in FIELD_TYPES.items()]
    )


@provider(IVocabularyFactory)
def request_types(context):
    """Every request type, active or not (for filters)."""
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog(portal_type="request_type", sort_on="sortable_title")
    return SimpleVocabulary([SimpleTerm(b.UID, b.UID, b.Title) for b in brains])


@provider(IVocabularyFactory)
def certificate_templates(context):
    """The document templates offered on requests, for a type's certificate."""
    from communesplone.edesk.certificates import certificate_templates as templates

    return SimpleVocabulary([SimpleTerm(t.UID(), t.UID(), t.Title()) for t in templates()])
