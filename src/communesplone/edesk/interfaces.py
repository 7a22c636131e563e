"""Interfaces of CommunesPlone e-desk."""

from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class IEDeskLayer(IDefaultBrowserLayer):
    """Browser layer, active where the edesk profile is installed."""
