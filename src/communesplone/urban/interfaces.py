"""Interfaces of CommunesPlone Urban."""

from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class IUrbanLayer(IDefaultBrowserLayer):
    """Browser layer, active where the urban profile is installed."""
