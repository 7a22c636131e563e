"""Catalog indexers of the website."""

from communesplone.website.content.directory_entry import IDirectoryEntry
from plone.indexer import indexer


@indexer(IDirectoryEntry)
def directory_category(obj):
    return obj.category
