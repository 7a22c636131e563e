"""The staff's role on the desk, through a borg.localrole provider.

On the desk, the editors, reviewers and observers groups of every service get
``EDeskStaff``, which gives the permission of the requests' administration
(``communesplone.edesk: Manage requests``: the staff listing, its CSV export,
batch transitions and assignment). The role is acquired by the requests, where
no workflow permission names it: what a member of staff may see or do on a
request still comes from its own service's groups (core's provider).
"""

from borg.localrole.interfaces import ILocalRoleProvider
from communesplone.core import services
from communesplone.edesk.content.request_desk import IRequestDesk
from communesplone.edesk.worklists import STAFF_FUNCTIONS
from zope.component import adapter
from zope.interface import implementer


ROLE = "EDeskStaff"


@implementer(ILocalRoleProvider)
@adapter(IRequestDesk)
class DeskStaffRoles:
    def __init__(self, context):
        self.context = context

    def _roles(self):
        return {
            services.group_id(service["id"], function): (ROLE,)
            for service in services.get_all()
            for function in STAFF_FUNCTIONS
        }

    def getRoles(self, principal_id):
        return self._roles().get(principal_id, ())

    def getAllRoles(self):
        yield from self._roles().items()
