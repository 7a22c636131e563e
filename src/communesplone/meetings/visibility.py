"""What the workflow tables cannot say: secrecy and publication, as permissions.

The workflows (``workflow_spec.py``) set each state's permissions. Two rules
depend on more than the state, and are applied here on top of them, on the
object itself, with Zope's own permission settings, so that the catalog,
views and REST all follow them:

- a **secret** item ("huis clos"), once validated, is hidden from the
  proposing service's observers and from advisers: only the meeting managers,
  the body's members and the service's editors and reviewers see it. It is
  never public;
- a **public** item is opened to anonymous visitors when its meeting is in
  one of the body's public meeting states and the item in one of its public
  item states; its decision (the permission that guards the ``decision``
  field) when the meeting is in a public decision state. A meeting is opened
  when it is in a public meeting state;
- **copy groups, groups in charge, power observers** read more than the
  workflow says, in the states the body sets: the services an item is copied
  to (MeetingCopyGroup) in the body's ``copy_groups_states``; the alderman in
  charge of the item's service (MeetingGroupInCharge) from its proposal on;
  the body's power observers (MeetingPowerObserver) every item in the body's
  ``power_observer_states`` and every meeting in its
  ``power_observer_meeting_states``. They read the item, its decision, its
  given advices and its annexes that are not confidential; never edit. A
  secret item, once validated, is hidden from copy groups as from observers;
- the items of a **closed** meeting are read-only for the meeting managers,
  as the meeting itself is (they reopen the meeting to correct them);
- an item's **advices and annexes** are never seen by more than the item: a
  given advice by whoever sees the item (and its adviser service), not the
  public; a confidential annex by those of the proposing service's editors
  and reviewers and the meeting managers who see the item; another annex
  follows its item.

:func:`update` recomputes an object's permissions from its workflow state,
then applies these rules. It runs after every transition of an item or a
meeting, when an item's privacy changes, and when a body's publication
settings change. (Plone's "update security settings" on the workflow tool
resets objects to their state's table: run :func:`update_body` afterwards.)
"""

from AccessControl.Permission import Permission
from Acquisition import aq_inner
from Acquisition import aq_parent
from communesplone.meetings.bodies import body_of
from communesplone.meetings.constants import ADD
from communesplone.meetings.constants import ADD_ADVICE
from communesplone.meetings.constants import ADD_ANNEX
from communesplone.meetings.constants import ADD_FILE
from communesplone.meetings.constants import ENCODE_VOTES
from communesplone.meetings.constants import EXTEND_ADVICE_DELAY
from communesplone.meetings.constants import MODIFY
from communesplone.meetings.constants import VIEW_DECISION
from plone import api
from Products.DCWorkflow.utils import ac_inherited_permissions


VIEW_PERMISSIONS = ("View", "Access contents information")
SECRET_HIDDEN_ROLES = ("Reader", "MeetingAdviser", "MeetingCopyGroup")
# What copy groups, groups in charge and power observers get where they read
READ_PERMISSIONS = (*VIEW_PERMISSIONS, "List folder contents", VIEW_DECISION)
COPY_GROUP = "MeetingCopyGroup"
GROUP_IN_CHARGE = "MeetingGroupInCharge"
POWER_OBSERVER = "MeetingPowerObserver"
BEYOND_SERVICE = (COPY_GROUP, GROUP_IN_CHARGE, POWER_OBSERVER)
# The group in charge of a service reads its items from their proposal on
IN_CHARGE_HIDDEN = ("itemcreated",)
SECRET_FROM = (
    "validated",
    "presented",
    "itemfrozen",
    "returned_to_proposing_group",
    "accepted",
    "accepted_but_modified",
    "refused",
    "delayed",
    "postponed_next_meeting",
)


class _Permissions:
    """The permissions of one object, whose roles are read and set.

    Zope's ``rolesOfPermission`` and DCWorkflow's ``modifyRolesForPermission``
    search every permission the object inherits (its classes', the site's) at
    each call: recomputing an item searched them 16 times. Here they are
    searched once per object; reading and setting roles do as those two do.
    """

    def __init__(self, obj):
        self.obj = obj
        self._data = {}
        for permission in ac_inherited_permissions(obj, 1):
            self._data.setdefault(permission[0], permission[1])
        self._valid_roles = None

    def roles(self, permission):
        """The roles given ``permission`` on the object (``rolesOfPermission``'s selected ones)."""
        if permission not in self._data:
            raise ValueError(f"The permission {permission} is invalid.")
        if self._valid_roles is None:
            self._valid_roles = self.obj.valid_roles()
        given = Permission(permission, self._data[permission], self.obj).getRoles()
        return [role for role in self._valid_roles if role in given]

    def set(self, permission, roles):
        """Give ``permission`` to ``roles``: a list to acquire it too, a tuple not to."""
        setting = Permission(permission, self._data.get(permission, ()), self.obj)
        if setting.getRoles() != roles:
            setting.setRoles(roles)


def _roles(obj, permission):
    return _Permissions(obj).roles(permission)


def _set(permissions, permission, roles):
    permissions.set(permission, tuple(sorted(set(roles))))


def _add(permissions, names, role):
    for permission in names:
        _set(permissions, permission, [*permissions.roles(permission), role])


def _remove(permissions, names, roles):
    for permission in names:
        _set(permissions, permission, [r for r in permissions.roles(permission) if r not in roles])


def _reset(obj):
    workflow_tool = api.portal.get_tool("portal_workflow")
    for workflow in workflow_tool.getWorkflowsFor(obj):
        workflow.updateRoleMappingsFor(obj)


# What the meeting managers may no longer do on the items of a closed meeting
CLOSED_READ_ONLY = (MODIFY, ADD, ADD_FILE, ADD_ANNEX, ADD_ADVICE, ENCODE_VOTES)


def update(obj, reindex=True, with_items=True, reset=True):
    """Recompute the permissions of an item or a meeting (and of a meeting's items).

    ``reset=False`` when the object's permissions are its state's table
    already (a transition has just set them).
    """
    from communesplone.meetings import agenda

    if reset:
        _reset(obj)
    permissions = _Permissions(obj)
    body = body_of(obj)
    if obj.portal_type == "meeting":
        meeting_state = api.content.get_state(obj)
        if body is not None and meeting_state in (body.public_meeting_states or ()):
            _add(permissions, VIEW_PERMISSIONS, "Anonymous")
        if body is not None and meeting_state in _setting(body, "power_observer_meeting_states"):
            _add(permissions, (*VIEW_PERMISSIONS, "List folder contents"), POWER_OBSERVER)
        if reindex:
            obj.reindexObjectSecurity()
        if with_items:
            for item in agenda.items(obj):
                update(item, reindex=reindex)
        return
    state = api.content.get_state(obj)
    meeting = agenda.meeting_of(obj)
    meeting_state = api.content.get_state(meeting) if meeting is not None else None
    if meeting_state == "closed":
        _remove(permissions, CLOSED_READ_ONLY, ("MeetingManager",))
    if body is not None:
        _beyond_service(permissions, body, state)
    if obj.privacy == "secret":
        if state in SECRET_FROM:
            # and what they could still do by URL: extend the delay of their advice
            _remove(
                permissions,
                (*VIEW_PERMISSIONS, "List folder contents", VIEW_DECISION, EXTEND_ADVICE_DELAY),
                SECRET_HIDDEN_ROLES,
            )
    elif (
        body is not None
        and meeting_state in (body.public_meeting_states or ())
        and state in (body.public_item_states or ())
    ):
        _add(permissions, VIEW_PERMISSIONS, "Anonymous")
        if meeting_state in (body.public_decision_states or ()):
            _add(permissions, (VIEW_DECISION,), "Anonymous")
    for child in obj.objectValues():
        if child.portal_type == "meeting_annex":
            update_annex(child, reindex=False, item_permissions=permissions)
        elif child.portal_type == "meeting_advice":
            update_advice(child, reindex=False, item_permissions=permissions)
    if reindex:
        obj.reindexObjectSecurity()  # the item and its advices and annexes


def _setting(body, name):
    return getattr(body, name, None) or ()


def _beyond_service(permissions, body, state):
    """Copy groups, the group in charge and power observers read the item (whose
    ``permissions``) in the states the body sets (their roles come from ``localroles.py``)."""
    if state in _setting(body, "copy_groups_states"):
        _add(permissions, READ_PERMISSIONS, COPY_GROUP)
    if state not in IN_CHARGE_HIDDEN:
        _add(permissions, READ_PERMISSIONS, GROUP_IN_CHARGE)
    if state in _setting(body, "power_observer_states"):
        _add(permissions, READ_PERMISSIONS, POWER_OBSERVER)


# The body's settings that the rules above read: changing one of them is
# what makes the permissions of its meetings and items change.
BODY_SETTINGS = (
    "public_meeting_states",
    "public_item_states",
    "public_decision_states",
    "copy_groups_states",
    "groups_in_charge",
    "power_observer_states",
    "power_observer_meeting_states",
)


def update_body(body):
    """Recompute every meeting and item of ``body`` (after its publication settings changed)."""
    catalog = api.portal.get_tool("portal_catalog")
    path = "/".join(body.getPhysicalPath())
    for portal_type in ("meeting", "meeting_item"):
        for brain in catalog.unrestrictedSearchResults(portal_type=portal_type, path=path):
            update(brain._unrestrictedGetObject(), with_items=False)


def is_public(obj):
    """Whether anonymous visitors may view ``obj`` now (for views and tests)."""
    return "Anonymous" in _roles(obj, "View")


CONFIDENTIAL_READERS = ("Manager", "Site Administrator", "MeetingManager", "Editor", "Reviewer")


def _within_item(item_permissions, permission, roles):
    """``roles`` less those that may not do ``permission`` on the item."""
    allowed = set(item_permissions.roles(permission))
    return [role for role in roles if role in allowed]


def _item_permissions(obj, item_permissions):
    """The permissions of the item holding ``obj``: ``item_permissions`` if given."""
    return item_permissions or _Permissions(aq_parent(aq_inner(obj)))


def update_annex(annex, reindex=True, item_permissions=None):
    """A confidential annex is seen only by the proposing service's editors and
    reviewers and the meeting managers who see its item; another one follows its item.

    ``item_permissions``: its item's, when the item's have just been recomputed."""
    permissions = _Permissions(annex)
    for permission in VIEW_PERMISSIONS:
        if annex.confidential:
            item_permissions = _item_permissions(annex, item_permissions)
            roles = _within_item(item_permissions, permission, CONFIDENTIAL_READERS)
            permissions.set(permission, tuple(roles))
        else:
            permissions.set(permission, [])  # a list: acquired from the item
    if reindex:
        annex.reindexObjectSecurity()


def update_advice(advice, reindex=True, item_permissions=None):
    """An advice is seen as its state says, but only by those who see its item
    (and by its adviser service, which wrote it). Where the state opens it to
    the item's readers, copy groups, the group in charge and power observers
    who read the item read it too.

    ``item_permissions``: its item's, when the item's have just been recomputed."""
    _reset(advice)
    permissions = _Permissions(advice)
    item_permissions = _item_permissions(advice, item_permissions)
    for permission in VIEW_PERMISSIONS:
        roles = permissions.roles(permission)
        if "Reader" in roles:  # read by the item's readers: also by those beyond its service
            roles = [*roles, *BEYOND_SERVICE]
        kept = _within_item(item_permissions, permission, roles)
        if "MeetingAdviceEditor" in roles:
            kept.append("MeetingAdviceEditor")
        _set(permissions, permission, kept)
    if reindex:
        advice.reindexObjectSecurity()


def migrate_1002():
    """Each existing body gets its power observers group, and the permissions of its
    meetings and items are recomputed: copy groups, groups in charge and power
    observers read them as the body's settings say (and the secrecy and publication
    rules are applied again after the workflows' role mappings were updated)."""
    from communesplone.meetings import bodies

    for body in bodies.all_bodies():
        bodies.ensure_groups(body)
        update_body(body)


def added(obj, event):
    """A new meeting or item: the body's settings may open its first state to power
    observers (or to the public), which no transition has applied yet."""
    if body_of(obj) is not None:
        update(obj, with_items=False)
