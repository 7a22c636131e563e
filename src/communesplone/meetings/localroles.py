"""Local roles of the meetings application, through borg.localrole providers.

- On a body: its meeting managers and members groups get MeetingManager and
  MeetingMember, and every service's editors MeetingItemCreator (they may
  add items to the body). The roles are acquired by the body's meetings and items.
- On a body: its power observers group gets MeetingPowerObserver.
- On an item: the advisers group of each service whose advice is asked gets
  MeetingAdviser (see the item, add the advice); the groups of each service
  the item is copied to (``copy_groups``) get MeetingCopyGroup; the group in
  charge of the item's service (the body's ``groups_in_charge``) gets
  MeetingGroupInCharge. Which states these roles read is ``visibility.py``'s
  business (the body's settings), not the workflow's.
- On an advice: the advisers group of its service gets MeetingAdviceEditor.

The proposing service's groups get their roles from core's provider.
"""

from borg.localrole.interfaces import ILocalRoleProvider
from communesplone.core import services
from communesplone.meetings.bodies import body_of
from communesplone.meetings.bodies import group_id
from communesplone.meetings.bodies import GROUPS
from communesplone.meetings.content.meeting_advice import IMeetingAdvice
from communesplone.meetings.content.meeting_body import IMeetingBody
from communesplone.meetings.content.meeting_item import IMeetingItem
from zope.component import adapter
from zope.interface import implementer


class _Provider:
    """Answers borg.localrole from ``_roles()``, which each provider below defines."""

    def __init__(self, context):
        self.context = context

    def getRoles(self, principal_id):
        return tuple(self._roles().get(principal_id, ()))

    def getAllRoles(self):
        yield from self._roles().items()


@implementer(ILocalRoleProvider)
@adapter(IMeetingBody)
class BodyLocalRoles(_Provider):
    def _roles(self):
        roles = {
            services.group_id(row["id"], "editors"): ("MeetingItemCreator",)
            for row in services.get_all()
        }
        for function, (_label, role) in GROUPS.items():
            roles[group_id(self.context, function)] = (role,)
        return roles


# The groups of a copy service that read the items copied to it
COPY_FUNCTIONS = ("editors", "reviewers", "observers")


def _add(roles, principal, role):
    roles[principal] = (*roles.get(principal, ()), role)


@implementer(ILocalRoleProvider)
@adapter(IMeetingItem)
class ItemAdviserRoles(_Provider):
    """The item's advisers, copy groups and group in charge."""

    def _roles(self):
        item = self.context
        roles = {}
        for service_id in item.asked_services():
            _add(roles, services.group_id(service_id, "advisers"), "MeetingAdviser")
        for service_id in getattr(item, "copy_groups", None) or ():
            for function in COPY_FUNCTIONS:
                _add(roles, services.group_id(service_id, function), "MeetingCopyGroup")
        body = body_of(item)
        for row in (getattr(body, "groups_in_charge", None) or ()) if body is not None else ():
            if row.get("service") == getattr(item, "service", None) and row.get("group"):
                _add(roles, row["group"], "MeetingGroupInCharge")
        return roles


@implementer(ILocalRoleProvider)
@adapter(IMeetingAdvice)
class AdviceLocalRoles(_Provider):
    def _roles(self):
        service_id = getattr(self.context, "service", None)
        if not service_id:
            return {}
        return {services.group_id(service_id, "advisers"): ("MeetingAdviceEditor",)}
