"""Vocabularies shared by the applications."""

from communesplone.core import services
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


@provider(IVocabularyFactory)
def services_vocabulary(context):
    """The municipal services, in their configured order."""
    return SimpleVocabulary(
        [
            SimpleTerm(value=row["id"], token=row["id"], title=row["title"])
            for row in services.get_all()
        ]
    )
