"""Install and uninstall handlers of the core profile."""

from communesplone import _
from communesplone.core import citizens
from communesplone.core import services
from communesplone.core.i18n import translate_for_site
from plone import api
from plone.base.interfaces.installable import INonInstallable
from zope.interface import implementer


@implementer(INonInstallable)
class HiddenProfiles:
    def getNonInstallableProfiles(self):
        return [
            f"communesplone.{app}:{profile}"
            for app in ("core", "documents", "meetings", "edesk", "urban", "website")
            for profile in ("uninstall", "demo")
        ]

    def getNonInstallableProducts(self):
        return []


def post_install(context):
    """Create the Citizens group and the groups of services already configured."""
    if api.group.get(groupname=citizens.GROUP) is None:
        api.group.create(
            groupname=citizens.GROUP,
            title=translate_for_site(_("Citizens")),
            description=translate_for_site(_("Members who registered themselves on the site.")),
        )
    services.sync_groups([], services.get_all())
