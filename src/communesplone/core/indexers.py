"""Catalog indexers of the core."""

from communesplone.core.behaviors.service import IService
from plone.indexer import indexer


@indexer(IService)
def service(obj):
    return getattr(obj, "service", None) or None
