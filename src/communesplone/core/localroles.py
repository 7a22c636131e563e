"""Local roles from a content's service, through borg.localrole.

PlonePAS's local role manager asks every ILocalRoleProvider of a content for
its roles, and the catalog's ``allowedRolesAndUsers`` index is built from the
same answer, so searches and views follow these roles with no code of ours.
The adapter is named, so Plone's default provider (``__ac_local_roles__``,
sharing, ownership) still applies beside it.
"""

from borg.localrole.interfaces import ILocalRoleProvider
from communesplone.core import services
from communesplone.core.behaviors.service import IService
from zope.component import adapter
from zope.interface import implementer


@implementer(ILocalRoleProvider)
@adapter(IService)
class ServiceLocalRoles:
    def __init__(self, context):
        self.context = context

    def _roles(self):
        service_id = getattr(self.context, "service", None)
        return services.local_roles(service_id) if service_id else {}

    def getRoles(self, principal_id):
        return tuple(self._roles().get(principal_id, ()))

    def getAllRoles(self):
        yield from self._roles().items()
