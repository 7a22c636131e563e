"""Applicants' space: the staff link a member's account to a licence; the member
gets the applicant's role on it (and its events), and follows their own files,
only theirs, in "Mes dossiers"."""

from communesplone.urban import applicants
from communesplone.urban import testing
from communesplone.urban.constants import APPLICANT
from communesplone.urban.constants import VIEW_INTERNAL_NOTES
from communesplone.urban.constants import VIEW_PERSONAL_DATA
from plone import api
from types import SimpleNamespace
from zope.annotation.interfaces import IAnnotations
from zope.event import notify
from zope.lifecycleevent import Attributes
from zope.lifecycleevent import ObjectModifiedEvent

import pytest


@pytest.fixture
def world(portal):
    testing.build(portal)
    mine = testing.make_licence(subject="Construction d'une maison unifamiliale")
    deposit = testing.add_event(mine, "deposit")
    other = testing.make_licence(subject="Extension d'un hangar agricole")
    return SimpleNamespace(mine=mine, deposit=deposit, other=other)


def link(licence, *logins):
    """As the staff do in the licence's form: the field, then the modified event."""
    with api.env.adopt_user(username="editor"):
        licence.applicant_members = list(logins)
        notify(ObjectModifiedEvent(licence, Attributes(applicants.IApplicantMembers,
                                                       "applicant_members")))  # fmt: skip
    # The next checks are another request's: borg.localrole caches its answers on the request.
    cache = IAnnotations(licence.REQUEST)
    for key in [key for key in cache if "checkLocalRolesAllowed" in str(key)]:
        del cache[key]


def can(user, permission, obj):
    with api.env.adopt_user(username=user):
        return api.user.has_permission(permission, obj=obj)


def test_the_applicant_sees_their_file_and_its_events_only(world):
    assert not can("applicant", "View", world.mine)
    link(world.mine, "applicant")
    assert APPLICANT in api.user.get_roles(username="applicant", obj=world.mine)
    assert can("applicant", "View", world.mine)
    assert can("applicant", "View", world.deposit)
    assert can("applicant", VIEW_PERSONAL_DATA, world.mine)
    assert not can("applicant", VIEW_INTERNAL_NOTES, world.mine)
    assert not can("applicant", "Modify portal content", world.mine)
    assert not can("applicant", "View", world.other)
    assert not can("other_applicant", "View", world.mine)


def test_my_files_lists_the_members_files_from_the_catalog(world):
    link(world.mine, "applicant")
    with api.env.adopt_user(username="applicant"):
        assert [b.getObject() for b in applicants.my_files()] == [world.mine]
        assert [b.getObject() for b in applicants.events_of(applicants.my_files()[0])] == [
            world.deposit
        ]
    with api.env.adopt_user(username="other_applicant"):
        assert applicants.my_files() == []
    # Staff see every file, but "Mes dossiers" lists where they are applicants.
    with api.env.adopt_user(username="editor"):
        assert applicants.my_files() == []


def test_unlinking_takes_the_role_back(world):
    link(world.mine, "applicant")
    link(world.mine)
    assert not can("applicant", "View", world.mine)
    with api.env.adopt_user(username="applicant"):
        assert applicants.my_files() == []


def test_the_page_shows_reference_state_and_events(world, portal):
    link(world.mine, "applicant")
    request = portal.REQUEST
    with api.env.adopt_user(username="applicant"):
        view = api.content.get_view("mes-dossiers", portal, request)
        [row] = view.files()
        html = view()
    assert row["reference"] == world.mine.reference
    assert row["state"]
    assert [event["title"] for event in row["events"]] == [world.deposit.Title()]
    assert world.mine.reference in html
    assert "Extension d" not in html


def test_the_member_accounts_are_personal_data(world):
    link(world.mine, "applicant")
    testing.transition(world.mine, "declare_complete")
    inquiry = testing.add_event(world.mine, "inquiry")
    testing.transition(inquiry, "announce")
    assert not can("citizen", VIEW_PERSONAL_DATA, world.mine)
    assert not can("other_applicant", "View", world.mine)
