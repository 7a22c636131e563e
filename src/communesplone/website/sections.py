"""Collaborative sections: a section delegated to a member of an association or a business.

The commune's web team opens a section's sharing page and gives a member the
"Can edit the section" role (:data:`ROLE`, registered for the sharing page
by :func:`install`, titled in the communesplone domain as Plone titles its
own roles there; only Site Administrators and Managers may give it:
:data:`DELEGATE`). Plone keeps it as a local role on the section
folder, so everything below it inherits it and nothing else does.

What the role allows comes from two places, both Plone's own:

- the website's workflow (``workflow_spec.py``), bound to the site's content
  types: a section editor reads the section, writes and submits drafts,
  never publishes, and never changes what is published;
- :data:`ADD_PERMISSIONS`, given to the role site-wide here: the role is only
  ever held on a section, so that is where it adds content.

Installing binds the website's workflow to :data:`TYPES` (``workflows.xml``)
and :func:`adopt` carries each existing object's state over from Plone's
simple publication workflow (the two share their states), so that nothing
published goes private. Uninstalling does the reverse.
"""

from communesplone import _
from communesplone.website.workflow_spec import SECTION_EDITOR
from communesplone.website.workflow_spec import WEBSITE
from DateTime import DateTime
from plone import api
from plone.app.contenttypes.interfaces import IFolder
from plone.app.workflow.exportimport import PersistentSharingPageRole
from plone.app.workflow.interfaces import ISharingPageRole

import transaction


ROLE = SECTION_EDITOR
WORKFLOW = WEBSITE.id
PLONE_WORKFLOW = "simple_publication_workflow"
DELEGATE = "communesplone.website: Delegate sections"
PLONE_TYPES = ("Folder", "Document", "News Item", "Event", "Link", "Collection")
WEBSITE_TYPES = ("directory_entry", "job_vacancy", "procedure", "quick_link", "alert_banner")
TYPES = PLONE_TYPES + WEBSITE_TYPES
# What a section editor may add in their section: pages, news, events, images,
# files, links, folders and directory entries (not the commune's vacancies,
# procedures, quick links or alerts).
ADD_PERMISSIONS = (
    "Add portal content",
    "plone.app.contenttypes: Add Document",
    "plone.app.contenttypes: Add News Item",
    "plone.app.contenttypes: Add Event",
    "plone.app.contenttypes: Add Folder",
    "plone.app.contenttypes: Add Image",
    "plone.app.contenttypes: Add File",
    "plone.app.contenttypes: Add Link",
    "communesplone.website: Add Directory entry",
)
DELEGATES = ("Manager", "Site Administrator")
# The role's column on the sharing page. (A role of a profile's sharing.xml is
# titled in the plone domain, where this one has no translation.)
ROLE_TITLE = _("Can edit the section")


def _roles_of(portal, permission):
    return [role["name"] for role in portal.rolesOfPermission(permission) if role["selected"]]


def _acquires(portal, permission):
    return bool(portal.acquiredRolesAreUsedBy(permission))


def _grant(portal, permission, roles):
    current = _roles_of(portal, permission)
    wanted = [*current, *(role for role in roles if role not in current)]
    portal.manage_permission(permission, wanted, _acquires(portal, permission))


def _revoke(portal, permission, roles):
    kept = [role for role in _roles_of(portal, permission) if role not in roles]
    portal.manage_permission(permission, kept, _acquires(portal, permission))


def adopt(portal, types, source, target):
    """Give each object of ``types`` in the ``target`` workflow the state it has in ``source``.

    The two workflows share their states. An object whose latest change in
    ``target`` is newer than in ``source`` keeps its ``target`` state (both
    histories stay on the object). Role mappings and the catalog follow for
    the objects carried over; return how many they are.
    """
    workflow_tool = api.portal.get_tool("portal_workflow")
    catalog = api.portal.get_tool("portal_catalog")
    workflow = workflow_tool[target]
    count = 0
    for brain in catalog.unrestrictedSearchResults(portal_type=list(types)):
        obj = brain._unrestrictedGetObject()
        status = workflow_tool.getStatusOf(source, obj) or {}
        known = workflow_tool.getStatusOf(target, obj)
        if known is not None and not (status and status["time"] > known["time"]):
            continue  # already in its state there: nothing to carry, nothing to reindex
        state = status.get("review_state")
        workflow_tool.setStatusOf(
            target,
            obj,
            {
                "action": None,
                "actor": None,
                "comments": f"State carried over from {source}",
                "review_state": state if state in workflow.states else workflow.initial_state,
                "time": DateTime(),
            },
        )
        workflow.updateRoleMappingsFor(obj)
        obj.reindexObject(idxs=["allowedRolesAndUsers", "review_state"])
        count += 1
        if count % 500 == 0:
            transaction.savepoint(optimistic=True)
    return count


def install(portal):
    """The role, what it may add, who may delegate it; the objects' states carried over."""
    if ROLE not in portal.validRoles():
        portal._addRole(ROLE)
    for permission in ADD_PERMISSIONS:
        _grant(portal, permission, (ROLE,))
    _grant(portal, DELEGATE, DELEGATES)
    register_sharing_role(portal)
    adopt(portal, TYPES, PLONE_WORKFLOW, WORKFLOW)


def register_sharing_role(portal):
    """The role on folders' sharing page, for those who may delegate (Plone's own utility)."""
    role = PersistentSharingPageRole(required_permission=DELEGATE, required_interface=IFolder)
    role.title = ROLE_TITLE
    portal.getSiteManager().registerUtility(role, ISharingPageRole, name=ROLE)


def uninstall(portal):
    """Plone's types back on their default workflow, states carried back; role and workflow gone."""
    workflow_tool = api.portal.get_tool("portal_workflow")
    chains = workflow_tool._chains_by_type
    for portal_type in PLONE_TYPES:
        if chains is not None and tuple(chains.get(portal_type, ())) == (WORKFLOW,):
            del chains[portal_type]
    default = workflow_tool.getDefaultChain()
    if PLONE_WORKFLOW in default:
        adopt(portal, PLONE_TYPES, WORKFLOW, PLONE_WORKFLOW)
    if WORKFLOW in workflow_tool.objectIds():
        workflow_tool.manage_delObjects([WORKFLOW])
    site_manager = portal.getSiteManager()
    if site_manager.queryUtility(ISharingPageRole, name=ROLE) is not None:
        site_manager.unregisterUtility(provided=ISharingPageRole, name=ROLE)
    for permission in ADD_PERMISSIONS:
        _revoke(portal, permission, (ROLE,))
    if ROLE in portal.validRoles():
        portal._delRoles([ROLE])
