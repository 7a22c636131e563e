"""Install and uninstall handlers: the online desk folder."""

from communesplone import _
from communesplone.core.i18n import translate_for_site
from communesplone.documents.setuphandlers import install_templates
from communesplone.documents.templates import SITE_FOLDER
from communesplone.edesk.desk import DESK_ID
from communesplone.edesk.desk import DESK_TITLE
from communesplone.edesk.login import plugin as eid_login
from plone import api


TEMPLATES_FOLDER = "edesk"  # templates/edesk: the certificates


def post_install(context):
    portal = api.portal.get()
    if DESK_ID not in portal.objectIds():
        with api.env.adopt_roles(["Manager"]):
            api.content.create(
                container=portal,
                type="request_desk",
                id=DESK_ID,
                title=translate_for_site(DESK_TITLE),
            )
    eid_login.install()
    install_certificates()


def install_certificates():
    """The shipped certificates in ``templates/edesk`` (those already there are left)."""
    from communesplone.edesk.templates import TEMPLATES

    install_templates(TEMPLATES_FOLDER, _("E-desk templates"), TEMPLATES)


def uninstall(context):
    """The desk, with its types and requests, goes with its types."""
    eid_login.uninstall()
    portal = api.portal.get()
    desk = portal.get(DESK_ID)
    if desk is not None:
        with api.env.adopt_roles(["Manager"]):
            api.content.delete(obj=desk, check_linkintegrity=False)
    templates = portal.get(SITE_FOLDER)
    if templates is not None and TEMPLATES_FOLDER in templates.objectIds():
        with api.env.adopt_roles(["Manager"]):
            api.content.delete(obj=templates[TEMPLATES_FOLDER], check_linkintegrity=False)
