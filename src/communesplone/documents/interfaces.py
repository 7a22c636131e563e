"""Interfaces of CommunesPlone Documents."""

from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class IDocumentsLayer(IDefaultBrowserLayer):
    """Browser layer, active where the documents profile is installed."""
