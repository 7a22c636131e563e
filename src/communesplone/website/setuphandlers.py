"""Install and uninstall: the site root shows the home page while the website is installed.

What the install changes in the site is kept in annotations of the site and
given back on uninstall, so that uninstalling leaves the site as it was: the
root's layout; the values of Plone's settings (languages, caching, navigation,
syndication) that the profile's registry files set, taken before the import
(``pre_install``); Plone's *Events* portlet, which the install takes out of
the root's right column (the home page lists the upcoming events, and the
portlet wakes each event it shows: a quarter of the home page's time with
2,000 events).
"""

from communesplone.website import sections
from pathlib import Path
from plone import api
from zope.annotation.interfaces import IAnnotations

import xml.etree.ElementTree as ET


HOME = "homepage"
SITE_TYPE = "Plone Site"
PREVIOUS = "communesplone.website.previous_layout"
PREVIOUS_SETTINGS = "communesplone.website.previous_settings"
PREVIOUS_EVENTS_PORTLET = "communesplone.website.previous_events_portlet"
PROFILE = Path(__file__).parent / "profiles" / "default"
OWN_RECORDS = ("communesplone.website.", "plone.bundles/communesplone-website")
RIGHT_COLUMN = "plone.rightcolumn"
LANGUAGES = "plone.available_languages"
DEFAULT_LANGUAGE = "plone.default_language"
EVENTS_PORTLET = "events"  # the name plone.app.event gives its assignment at the root


def changed_records():
    """The names of the site's settings (not the website's own) that the profile sets."""
    files = [PROFILE / "registry.xml", *sorted((PROFILE / "registry").glob("*.xml"))]
    names = []
    for path in files:
        for record in ET.parse(path).getroot().iter("record"):
            name = record.get("name")
            if name and not name.startswith(OWN_RECORDS) and name not in names:
                names.append(name)
    return names


def remember_settings(portal, defaults=False):
    """Keep the values the profile is about to change (once: a reinstall keeps the first).

    ``defaults``: keep the fields' defaults instead (for a site that changed
    them before they were kept, by the upgrade step).
    """
    annotations = IAnnotations(portal)
    if PREVIOUS_SETTINGS in annotations:
        return
    records = portal.portal_registry.records
    kept = {}
    for name in changed_records():
        if name not in records:
            kept[name] = ("absent", None)
        elif defaults and name == LANGUAGES:  # the site's own language, alone
            kept[name] = ("value", [records[DEFAULT_LANGUAGE].value])
        elif defaults and records[name].field.default is not None:
            kept[name] = ("value", records[name].field.default)
        else:
            kept[name] = ("value", records[name].value)
    annotations[PREVIOUS_SETTINGS] = kept


def restore_settings(portal):
    """Give the kept settings back; delete the records the profile added."""
    kept = IAnnotations(portal).pop(PREVIOUS_SETTINGS, None) or {}
    records = portal.portal_registry.records
    for name, (how, value) in kept.items():
        if name not in records:
            continue
        if how == "absent":
            del records[name]
        else:
            records[name].value = value


def _right_column(portal):
    from plone.portlets.interfaces import IPortletAssignmentMapping
    from plone.portlets.interfaces import IPortletManager
    from zope.component import getMultiAdapter
    from zope.component import queryUtility

    manager = queryUtility(IPortletManager, name=RIGHT_COLUMN, context=portal)
    if manager is None:
        return None
    return getMultiAdapter((portal, manager), IPortletAssignmentMapping)


def remove_events_portlet(portal):
    """Take Plone's upcoming events portlet out of the root's right column, kept for uninstall."""
    from plone.app.event.portlets.portlet_events import IEventsPortlet

    mapping = _right_column(portal)
    assignment = mapping.get(EVENTS_PORTLET) if mapping is not None else None
    if assignment is None or not IEventsPortlet.providedBy(assignment):
        return
    del mapping[EVENTS_PORTLET]
    IAnnotations(portal)[PREVIOUS_EVENTS_PORTLET] = assignment


def restore_events_portlet(portal):
    assignment = IAnnotations(portal).pop(PREVIOUS_EVENTS_PORTLET, None)
    mapping = _right_column(portal)
    if assignment is not None and mapping is not None and EVENTS_PORTLET not in mapping:
        mapping[EVENTS_PORTLET] = assignment


def pre_install(context):
    remember_settings(api.portal.get())


def post_install(context):
    portal = api.portal.get()
    sections.install(portal)
    remove_events_portlet(portal)
    fti = api.portal.get_tool("portal_types")[SITE_TYPE]
    if HOME not in fti.view_methods:
        fti.view_methods = (*fti.view_methods, HOME)
    if portal.getLayout() != HOME:
        IAnnotations(portal)[PREVIOUS] = portal.getLayout()
        portal.setLayout(HOME)


def remove_portlets(portal):
    """Take the quick links and newsletter portlets out of the root's columns (their type goes)."""
    from communesplone.website.browser.newsletter_portlet import INewsletterPortlet
    from communesplone.website.browser.portlets import IQuickLinksPortlet
    from plone.portlets.interfaces import IPortletAssignmentMapping
    from plone.portlets.interfaces import IPortletManager
    from zope.component import getMultiAdapter
    from zope.component import queryUtility

    for column in ("plone.leftcolumn", "plone.rightcolumn"):
        manager = queryUtility(IPortletManager, name=column, context=portal)
        if manager is None:
            continue
        mapping = getMultiAdapter((portal, manager), IPortletAssignmentMapping)
        for name, assignment in list(mapping.items()):
            if IQuickLinksPortlet.providedBy(assignment) or INewsletterPortlet.providedBy(
                assignment
            ):
                del mapping[name]


def uninstall(context):
    portal = api.portal.get()
    sections.uninstall(portal)
    remove_portlets(portal)
    restore_events_portlet(portal)
    restore_settings(portal)
    fti = api.portal.get_tool("portal_types")[SITE_TYPE]
    previous = IAnnotations(portal).pop(PREVIOUS, None) or fti.default_view
    if portal.getLayout() == HOME:
        portal.setLayout(previous)
    fti.view_methods = tuple(m for m in fti.view_methods if m != HOME)
