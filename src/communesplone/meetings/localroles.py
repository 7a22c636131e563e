"""Local roles of the meetings application, through borg.localrole providers.

- On a body: its meeting managers and members groups get MeetingManager and
  MeetingMember, and every service's editors MeetingItemCreator (they may
  add items to the body). The roles are acquired by the body's meetings and items.
- On an item: the advisers group of each service whose advice is asked gets
  MeetingAdviser (see the item, add the advice).
- On an advice: the advisers group of its service gets MeetingAdviceEditor.

The proposing service's groups get their roles from core's provider.
"""

from borg.localrole.interfaces import ILocalRoleProvider
from communesplone.core import services
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


@implementer(ILocalRoleProvider)
@adapter(IMeetingItem)
class ItemAdviserRoles(_Provider):
    def _roles(self):
        return {
            services.group_id(service_id, "advisers"): ("MeetingAdviser",)
            for service_id in self.context.asked_services()
        }


@implementer(ILocalRoleProvider)
@adapter(IMeetingAdvice)
class AdviceLocalRoles(_Provider):
    def _roles(self):
        service_id = getattr(self.context, "service", None)
        if not service_id:
            return {}
        return {services.group_id(service_id, "advisers"): ("MeetingAdviceEditor",)}
