"""Install and uninstall: the site root shows the home page while the website is installed.

The layout the root had before is kept in an annotation and given back on
uninstall, so that uninstalling leaves the site as it was.
"""

from communesplone.website import sections
from plone import api
from zope.annotation.interfaces import IAnnotations


HOME = "homepage"
SITE_TYPE = "Plone Site"
PREVIOUS = "communesplone.website.previous_layout"


def post_install(context):
    portal = api.portal.get()
    sections.install(portal)
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
    fti = api.portal.get_tool("portal_types")[SITE_TYPE]
    previous = IAnnotations(portal).pop(PREVIOUS, None) or fti.default_view
    if portal.getLayout() == HOME:
        portal.setLayout(previous)
    fti.view_methods = tuple(m for m in fti.view_methods if m != HOME)
