"""Upgrade steps of the website profile, numbered from 1000."""

from communesplone.website.setuphandlers import post_install
from communesplone.website.setuphandlers import remember_settings
from communesplone.website.setuphandlers import remove_events_portlet
from plone import api


PROFILE = "profile-communesplone.website:default"
# What the first real website profile (1001) brings to a site that installed
# the empty one (1000).
STEPS_1001 = (
    "rolemap",
    "plone.app.registry",
    "typeinfo",
    "workflow",
    "catalog",
    "controlpanel",
    "portlets",
)


def to_1001(context):
    """Types, permissions, settings, theme bundle, catalog index, Site Setup; the home page."""
    for step in STEPS_1001:
        context.runImportStepFromProfile(PROFILE, step)
    post_install(context)


# The newsletter (1002): its types, workflow bindings, permissions and portlet.
STEPS_1002 = ("rolemap", "typeinfo", "workflow", "portlets")


def to_1002(context):
    """The newsletter and its issues, their permissions, workflow and portlet."""
    for step in STEPS_1002:
        context.runImportStepFromProfile(PROFILE, step)


def to_1003(context):
    """Languages, HTTP caching (plone.app.caching), site map, syndication, Open Graph."""
    from plone.base.utils import get_installer

    installer = get_installer(api.portal.get())
    if not installer.is_product_installed("plone.app.caching"):
        installer.install_product("plone.app.caching")
    context.runImportStepFromProfile(PROFILE, "plone.app.registry")


# Collaborative sections and the listings' speed (1004).
STEPS_1004 = ("workflow", "sharing", "catalog", "plone.app.registry")


def to_1004(context):
    """The website's workflow and the section editor role; the directory's catalog metadata."""
    from communesplone.website import sections

    for step in STEPS_1004:
        context.runImportStepFromProfile(PROFILE, step)
    portal = api.portal.get()
    sections.install(portal)
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="directory_entry"):
        catalog.catalog_object(
            brain._unrestrictedGetObject(), brain.getPath(), idxs=["id"], update_metadata=True
        )


def to_1005(context):
    """The Events portlet out of the right column; the settings kept for uninstall;
    the subscribers' language."""
    from communesplone.website import newsletter
    from communesplone.website import sections

    portal = api.portal.get()
    sections.register_sharing_role(portal)  # titled in the communesplone domain
    remove_events_portlet(portal)
    remember_settings(portal, defaults=True)  # before the import changes the theme's prefix
    context.runImportStepFromProfile(PROFILE, "plone.app.registry")
    default = api.portal.get_registry_record("plone.default_language")
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="newsletter"):
        found = newsletter.subscribers_or_none(brain._unrestrictedGetObject()) or {}
        for subscriber in found.values():
            if not getattr(subscriber, "language", None):
                subscriber.language = default


# The Website panel for the commune's administrator (core's permission
# "communesplone: Manage settings"); a newsletter's "Subscribers" in
# portal_actions, translated in the communesplone domain.
STEPS_1006 = ("controlpanel", "typeinfo", "actions")


def to_1006(context):
    """The Website panel's permission; the Subscribers action, translated."""
    for step in STEPS_1006:
        context.runImportStepFromProfile(PROFILE, step)
