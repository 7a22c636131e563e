"""Copy groups, groups in charge and power observers (issue 12, part 5): the item's
field, the catalog, the body's settings, and the upgrade of an existing site.

The permission matrix of these roles over HTTP is in ``test_permissions.py``."""

from communesplone.meetings import visibility
from communesplone.meetings.content.meeting_item import IMeetingItem
from communesplone.meetings.testing import build
from plone import api
from zope.event import notify
from zope.i18n import translate
from zope.lifecycleevent import Attributes
from zope.lifecycleevent import ObjectModifiedEvent
from zope.schema.interfaces import ValidationError

import pytest


@pytest.fixture
def world(portal):
    world = build(portal)
    with api.env.adopt_roles(["Manager"]):
        api.group.create(groupname="echevin_travaux")
        for login, group in (
            ("alderman", "echevin_travaux"),
            ("powerobs", "college_powerobservers"),
        ):
            api.user.create(
                username=login, email=f"{login}@example.org", password="secret-password"
            )
            api.group.add_user(groupname=group, username=login)
    return world


def found(user, item):
    """Whether ``user`` finds ``item`` in the catalog (its security)."""
    with api.env.adopt_user(username=user):
        return [brain.UID for brain in api.content.find(UID=item.UID())] == [item.UID()]


def test_an_item_names_in_copy_only_services_the_body_allows(world):
    item = world.item()
    field = IMeetingItem["copy_groups"].bind(item)
    with pytest.raises(ValidationError) as refused:
        field.validate(["population"])
    assert translate(refused.value.doc()) == (
        '"population" is not one of the services that Collège communal allows in copy.'
    )
    world.college.copy_groups_allowed = ["population"]
    IMeetingItem["copy_groups"].bind(item).validate(["population"])


def test_a_copy_group_finds_the_item_from_the_bodys_states(world):
    world.college.copy_groups_allowed = ["population"]
    item = world.item(copy_groups=["population"])
    world.transition(item, "propose", user="editor_a")
    assert not found("editor_b", item)  # proposed: not one of the default copy states
    world.transition(item, "validate")
    assert found("editor_b", item)
    with api.env.adopt_user(username="editor_b"):
        assert not api.user.has_permission("Modify portal content", obj=item)
    # the item's copy groups edited: the roles follow
    item.copy_groups = []
    notify(ObjectModifiedEvent(item))
    assert not found("editor_b", item)


def test_the_group_in_charge_follows_the_bodys_setting(world):
    item = world.item()
    world.transition(item, "propose", user="editor_a")
    assert not found("alderman", item)
    world.college.groups_in_charge = [{"service": "travaux", "group": "echevin_travaux"}]
    notify(ObjectModifiedEvent(world.college, Attributes(None, "groups_in_charge")))
    assert found("alderman", item)
    created = world.item("Encore en préparation")
    assert not found("alderman", created)  # not before its proposal


def test_power_observers_read_the_states_the_body_sets(world):
    meeting = world.meeting()
    item = world.validated_item()
    world.transition(item, "present")
    assert not found("powerobs", item) and not found("powerobs", meeting)
    world.college.power_observer_states = ["presented"]
    world.college.power_observer_meeting_states = ["created"]
    notify(
        ObjectModifiedEvent(
            world.college,
            Attributes(None, "power_observer_states", "power_observer_meeting_states"),
        )
    )
    assert found("powerobs", item) and found("powerobs", meeting)


def test_the_upgrade_gives_existing_bodies_their_power_observers(world):
    """A site from before: no power observers group, attendance rows without
    replacements, permissions of the workflows' tables only."""
    meeting = world.meeting()
    meeting.attendance = [{"member": "martin", "status": "excused", "represented_by": None}]
    item = world.validated_item()
    world.transition(item, "present")
    with api.env.adopt_roles(["Manager"]):
        api.group.delete(groupname="college_powerobservers")
        api.group.delete(groupname="council_powerobservers")
    world.college.power_observer_states = ["presented"]
    visibility._reset(item)
    item.reindexObjectSecurity()
    assert "MeetingPowerObserver" not in visibility._roles(item, "View")
    setup = api.portal.get_tool("portal_setup")
    setup.setLastVersionForProfile("communesplone.meetings:default", "1001")
    setup.upgradeProfile("communesplone.meetings:default")
    assert api.group.get(groupname="college_powerobservers") is not None
    assert api.group.get(groupname="council_powerobservers") is not None
    assert meeting.attendance == [
        {"member": "martin", "status": "excused", "represented_by": None, "replaced_by": None}
    ]
    assert "MeetingPowerObserver" in visibility._roles(item, "View")
    api.group.add_user(groupname="college_powerobservers", username="powerobs")
    assert found("powerobs", item)
