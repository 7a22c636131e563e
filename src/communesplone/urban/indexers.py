"""Catalog indexers of the licences and their events (indexes: constants.INDEX_*)."""

from communesplone.urban.content.event import IUrbanEvent
from communesplone.urban.content.licence import ILicence
from DateTime import DateTime
from plone.indexer import indexer


@indexer(ILicence)
def licence_type(obj):
    return obj.licence_type


@indexer(ILicence)
def licence_reference(obj):
    return obj.reference


@indexer(ILicence)
def folder_managers(obj):
    return tuple(obj.folder_managers or ())


@indexer(IUrbanEvent)
def event_type(obj):
    return obj.event_type


@indexer(IUrbanEvent)
def event_date(obj):
    return DateTime(obj.event_date.isoformat()) if obj.event_date else None
