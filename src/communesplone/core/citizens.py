"""Citizens: members who registered themselves join the Citizens group.

Members that an administrator creates (municipal staff) do not: the group is
joined only when the member was created by an anonymous visitor, which is what
self-registration is, through the join form or through ``@users`` in REST.
"""

from plone import api


GROUP = "Citizens"


def on_principal_created(event):
    principal = event.principal
    if not api.user.is_anonymous():
        return
    if api.group.get(groupname=GROUP) is None:
        return  # the core is not installed in this site
    if principal.getId() == GROUP or api.group.get(groupname=principal.getId()):
        return  # a group, not a member
    api.group.add_user(groupname=GROUP, username=principal.getId())
