"""Install and uninstall handlers: the meetings' document templates."""

from communesplone import _
from communesplone.documents.setuphandlers import install_templates
from communesplone.meetings import workflows
from communesplone.meetings.masking import editor as editor_format
from plone import api


def post_install(context):
    from communesplone.meetings.templates import TEMPLATES

    install_templates("meetings", _("Meeting templates"), TEMPLATES)
    editor_format.install()  # the editor's "Personal data" (masking)


def uninstall(context):
    """Bodies (with their meetings and items) and templates go with their types."""
    portal = api.portal.get()
    catalog = api.portal.get_tool("portal_catalog")
    editor_format.uninstall()
    with api.env.adopt_roles(["Manager"]), workflows.uninstalling():
        for brain in catalog.unrestrictedSearchResults(portal_type="meeting_body"):
            body = brain._unrestrictedGetObject()
            api.content.delete(obj=body, check_linkintegrity=False)
        templates = portal.get("templates")
        if templates is not None and "meetings" in templates.objectIds():
            api.content.delete(obj=templates["meetings"], check_linkintegrity=False)
