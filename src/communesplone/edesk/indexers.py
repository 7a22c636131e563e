"""Catalog indexers of the requests."""

from communesplone.edesk.content.citizen_request import ICitizenRequest
from plone.indexer import indexer


@indexer(ICitizenRequest)
def request_type(obj):
    return obj.request_type


@indexer(ICitizenRequest)
def tracking_number(obj):
    return obj.tracking_number


@indexer(ICitizenRequest)
def requester(obj):
    return obj.requester()


@indexer(ICitizenRequest)
def assigned_agent(obj):
    return obj.assigned_agent
