"""Meeting bodies: finding the body of an object, and the body's groups.

Each body has three groups, created with it: its meeting managers (the
secretariat), its members (who read the agenda once the meeting is frozen)
and its power observers (who read every item and meeting of the body in the
states the body sets: see ``visibility.py``). Members of the body whose row
names a login are kept in the members group. The groups and every service's
editors get their roles on the body through
:class:`communesplone.meetings.localroles.BodyLocalRoles`.
"""

from Acquisition import aq_chain
from Acquisition import aq_inner
from communesplone import _
from communesplone.core.i18n import translate_for_site
from communesplone.meetings.content.meeting_body import IMeetingBody
from plone import api


GROUPS = {
    "meetingmanagers": (_("Meeting managers"), "MeetingManager"),
    "members": (_("Members"), "MeetingMember"),
    "powerobservers": (_("Power observers"), "MeetingPowerObserver"),
}


def body_of(obj):
    """The meeting body that ``obj`` is in (or is), else None."""
    for parent in aq_chain(aq_inner(obj)):
        if IMeetingBody.providedBy(parent):
            return parent
    return None


def group_id(body, function):
    return f"{body.getId()}_{function}"


def ensure_groups(body):
    """Create the body's groups where absent, with the body's title."""
    for function, (label, _role) in GROUPS.items():
        name = group_id(body, function)
        title = f"{body.Title()} – {translate_for_site(label)}"
        group = api.group.get(groupname=name)
        if group is None:
            api.group.create(groupname=name, title=title)
        elif group.getProperty("title") != title:
            group.setGroupProperties({"title": title})


def sync_members(body):
    """Put the members' logins in the members group (and take out those who left)."""
    name = group_id(body, "members")
    wanted = {row["userid"] for row in body.members or () if row.get("userid")}
    wanted = {userid for userid in wanted if api.user.get(userid=userid) is not None}
    current = {user.getId() for user in api.user.get_users(groupname=name)}
    for userid in wanted - current:
        api.group.add_user(groupname=name, username=userid)
    for userid in current - wanted:
        api.group.remove_user(groupname=name, username=userid)


def on_body_saved(body, event):
    ensure_groups(body)
    sync_members(body)


def on_body_removed(body, event):
    for function in GROUPS:
        if api.group.get(groupname=group_id(body, function)) is not None:
            api.group.delete(groupname=group_id(body, function))


def all_bodies():
    catalog = api.portal.get_tool("portal_catalog")
    return [
        b._unrestrictedGetObject()
        for b in catalog.unrestrictedSearchResults(
            portal_type="meeting_body", sort_on="sortable_title"
        )
    ]
