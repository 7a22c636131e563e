"""Interfaces of CommunesPlone Website."""

from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class IWebsiteLayer(IDefaultBrowserLayer):
    """Browser layer, active where the website profile is installed."""
