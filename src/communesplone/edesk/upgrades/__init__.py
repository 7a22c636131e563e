"""Upgrade steps of the edesk profile, numbered from 1000."""

from communesplone.edesk.setuphandlers import post_install
from plone import api


PROFILE = "profile-communesplone.edesk:default"
# The steps that the first real edesk profile (1001) brings to a site that
# installed the empty one (1000).
STEPS_1001 = ("rolemap", "plone.app.registry", "typeinfo", "workflow", "catalog")


def to_1001(context):
    """Types, workflows, permissions, catalog indexes, registry records, and the desk."""
    for step in STEPS_1001:
        context.runImportStepFromProfile(PROFILE, step)
    post_install(context)


# Open311 API keys and the public map: registry records, Site Setup's
# configlets, and the catalog's public facts of the reports.
STEPS_1002 = ("plone.app.registry", "controlpanel", "catalog")


def to_1002(context):
    """Map settings and Open311 keys; the address and point of each request in the catalog."""
    for step in STEPS_1002:
        context.runImportStepFromProfile(PROFILE, step)
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="citizen_request"):
        brain._unrestrictedGetObject().reindexObject(idxs=["getId"])  # refreshes the metadata


# eID login: pas.plugins.oidc's profile, our plugin in acl_users, the
# national register number member property, and the "eID login" configlet.
OIDC_PROFILE = "profile-pas.plugins.oidc:default"
STEPS_1003 = ("memberdata-properties", "controlpanel")


def to_1003(context):
    """eID login through OpenID Connect."""
    from communesplone.edesk.login import plugin as eid_login

    if context.getLastVersionForProfile(OIDC_PROFILE[len("profile-") :]) == "unknown":
        context.runAllImportStepsFromProfile(OIDC_PROFILE)
    for step in STEPS_1003:
        context.runImportStepFromProfile(PROFILE, step)
    eid_login.install()


def to_1004(context):
    """Certificates: the shipped templates in ``templates/edesk``; the templates
    already there are brought up to the shipped files unless edited."""
    from communesplone.documents.templates import upgrade
    from communesplone.edesk.setuphandlers import install_certificates
    from communesplone.edesk.templates import TEMPLATES

    install_certificates()
    upgrade("edesk", TEMPLATES)


# Anonymous requests: the settings of their rate limit, fill time and
# confirmation link (registry), and their Site Setup page.
STEPS_1005 = ("plone.app.registry", "controlpanel")


def to_1005(context):
    """The anonymous requests' settings and their configlet."""
    for step in STEPS_1005:
        context.runImportStepFromProfile(PROFILE, step)


# Personal data: the closing date and the anonymised mark in the catalog
# (retention.py), the "E-desk personal data" configlet and the permissions to
# ask for and process account deletions.
STEPS_1006 = ("rolemap", "catalog", "controlpanel")


def to_1006(context):
    """Retention and account deletion; the requests' closing dates indexed."""
    from communesplone.edesk.retention import INDEXES as INDEXES_1006

    for step in STEPS_1006:
        context.runImportStepFromProfile(PROFILE, step)
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="citizen_request"):
        brain._unrestrictedGetObject().reindexObject(idxs=list(INDEXES_1006))


# The staff's worklists: the indexes of the listing's sorts, date filter and
# overdue marks (worklists.py), and "" in assigned_agent for the unassigned.
INDEXES_1007 = ("requester", "submitted", "due_date", "assigned_agent")


def to_1007(context):
    """Indexes and metadata of the submission and due dates and the requester; reindexed."""
    context.runImportStepFromProfile(PROFILE, "catalog")
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="citizen_request"):
        # the named indexes, and the metadata (every column) with them
        brain._unrestrictedGetObject().reindexObject(idxs=list(INDEXES_1007))


WORKFLOW_1008 = "communesplone_citizen_request_workflow"


def to_1008(context):
    """Citizens register themselves, confirmed by mail; only administrators
    give roles on a request (its sharing page)."""
    context.runImportStepFromProfile(PROFILE, "plone.app.registry")
    context.runImportStepFromProfile(PROFILE, "workflow")
    workflow_tool = api.portal.get_tool("portal_workflow")
    workflow = workflow_tool.getWorkflowById(WORKFLOW_1008)
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="citizen_request"):
        workflow.updateRoleMappingsFor(brain._unrestrictedGetObject())


# Due dates indexed by day (the index's precision: a day), the requester's
# full name in the catalog (the staff listing's "By" column), the staff's
# permission of the requests' administration and its role on the desk, and
# Plone's toolbar for staff and administrators only on the e-desk's pages.
INDEXES_1009 = ("due_date", "requester_name")
STEPS_1009 = ("rolemap", "catalog", "workflow")
WORKFLOWS_1009 = (
    "communesplone_citizen_request_workflow",
    "communesplone_edesk_catalogue_workflow",
)


def to_1009(context):
    """Due days, requesters' names, the administration's permission, the toolbar."""
    for step in STEPS_1009:
        context.runImportStepFromProfile(PROFILE, step)
    workflow_tool = api.portal.get_tool("portal_workflow")
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(
        portal_type=["citizen_request", "request_desk", "request_type"]
    ):
        obj = brain._unrestrictedGetObject()
        for workflow_id in WORKFLOWS_1009:
            workflow = workflow_tool.getWorkflowById(workflow_id)
            if workflow_id in workflow_tool.getChainFor(obj):
                workflow.updateRoleMappingsFor(obj)
        if brain.portal_type == "citizen_request":
            # the due dates (emptied by the new precision), the requesters' names, and
            # the metadata with them
            obj.reindexObject(idxs=list(INDEXES_1009))


# The settings panels open to the commune's administrator (core's permission
# "communesplone: Manage settings"), and the public map's settings in core's
# schema (maps.IMapSettings): communesplone.edesk.map_<name> becomes
# communesplone.edesk.map.<name>, as urban's communesplone.urban.map.<name>.
MAP_FIELDS_1010 = ("tile_url", "attribution", "latitude", "longitude", "zoom")


def to_1010(context):
    """The e-desk's map, anonymous requests and Open311 keys panels for Site
    Administrators; the map's records under their new names, with their values."""
    from communesplone.core.maps import IMapSettings
    from communesplone.edesk.settings import MAP_PREFIX
    from plone.registry.interfaces import IRegistry
    from zope.component import getUtility

    context.runImportStepFromProfile(PROFILE, "controlpanel")
    registry = getUtility(IRegistry)
    registry.registerInterface(IMapSettings, prefix=MAP_PREFIX)
    for name in MAP_FIELDS_1010:
        old = f"communesplone.edesk.map_{name}"
        if old in registry.records:
            value = registry.records[old].value
            if value is not None:
                registry[f"{MAP_PREFIX}.{name}"] = value
            del registry.records[old]
