"""Interfaces of CommunesPlone Meetings."""

from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class IMeetingsLayer(IDefaultBrowserLayer):
    """Browser layer, active where the meetings profile is installed."""
