"""Catalog indexers of CommunesPlone Documents."""

from communesplone.documents.content.pod_template import IPodTemplate
from plone.indexer import indexer


@indexer(IPodTemplate)
def pod_portal_types(obj):
    return tuple(obj.portal_types or ())
