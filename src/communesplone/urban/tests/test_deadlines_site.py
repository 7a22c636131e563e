"""The deadlines in a site: indexed on licences and opinion requests, moved by
every event change, and the folder managers' dashboard ``@@urban-deadlines``."""

from communesplone.urban import constants
from communesplone.urban import testing
from datetime import date
from datetime import timedelta
from plone import api
from zope.event import notify
from zope.lifecycleevent import ObjectModifiedEvent

import pytest


TODAY = date.today()


def ago(days):
    return TODAY - timedelta(days=days)


def indexed(obj):
    """(deadline, rule) of ``obj`` as the catalog has them, or None."""
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(UID=obj.UID())
    assert len(brains) == 1
    brain = brains[0]
    due = getattr(brain, constants.INDEX_DEADLINE)
    rule = getattr(brain, constants.INDEX_DEADLINE_RULE)
    found = catalog.unrestrictedSearchResults(
        UID=obj.UID(), **{constants.INDEX_DEADLINE: {"query": due, "range": "min:max"}}
    ) if due else []  # fmt: skip
    assert bool(found) == bool(due)  # the index agrees with the metadata
    return (due, rule) if due else None


@pytest.fixture
def desk(portal):
    return testing.build(portal)


def test_events_move_the_licence_deadline(desk):
    licence = testing.make_licence(desk, folder_managers=["editor"])
    assert indexed(licence) is None
    testing.add_event(licence, "deposit", event_date=date(2026, 3, 2))
    receipt = testing.add_event(licence, "receipt", event_date=date(2026, 3, 3))
    # 3/3/2026 + 30 (deposited after 1 April 2024) = Thu 2/4/2026
    assert indexed(licence) == (date(2026, 4, 2), "completeness")
    receipt.event_date = date(2026, 3, 5)  # modified: Sat 4/4, Easter Monday 6/4 -> Tue 7/4
    notify(ObjectModifiedEvent(receipt))
    assert indexed(licence) == (date(2026, 4, 7), "completeness")
    testing.add_event(licence, "complete", event_date=date(2026, 3, 20))
    ack = testing.add_event(licence, "acknowledgement", event_date=date(2026, 3, 23))
    # 23/3 + 30 = Wed 22/4
    assert indexed(licence) == (date(2026, 4, 22), "decision_30")
    testing.add_event(licence, "opinion_fire", event_date=date(2026, 3, 24))
    # an opinion required: 23/3 + 75 = Sat 6/6 -> Mon 8/6
    assert indexed(licence) == (date(2026, 6, 8), "decision_75")
    with api.env.adopt_roles(["Manager"]):
        api.content.delete(ack)
    # no acknowledgement: decision counted from the completeness deadline? The
    # check was met (complete on 20/3), so no decision deadline runs: none open.
    assert indexed(licence) is None


def test_opinion_request_overdue_after_its_delay(desk):
    licence = testing.make_licence(desk, folder_managers=["editor"])
    testing.add_event(licence, "deposit", event_date=date(2026, 3, 2))
    testing.add_event(licence, "receipt", event_date=date(2026, 3, 3))
    request = testing.add_event(licence, "opinion_fd", event_date=date(2026, 3, 4))
    assert indexed(request) is None  # not sent yet
    request.sent_date = date(2026, 3, 4)
    notify(ObjectModifiedEvent(request))
    # the FD's delay in the configuration, 35 days: 4/3 + 35 = Wed 8/4
    assert indexed(request) == (date(2026, 4, 8), "opinion")
    brain = api.portal.get_tool("portal_catalog").unrestrictedSearchResults(UID=request.UID())[0]
    assert brain.folder_managers == ("editor",)
    assert brain.licence_reference == licence.reference
    request.received_date = date(2026, 4, 1)
    notify(ObjectModifiedEvent(request))
    assert indexed(request) is None


def test_closing_days_move_indexed_deadlines(desk):
    licence = testing.make_licence(desk)
    testing.add_event(licence, "deposit", event_date=date(2026, 3, 2))
    testing.add_event(licence, "receipt", event_date=date(2026, 3, 3))
    assert indexed(licence) == (date(2026, 4, 2), "completeness")
    api.portal.set_registry_record("communesplone.closing_days", [date(2026, 4, 2)])
    # Thursday 2/4 closed: Friday 3/4
    assert indexed(licence) == (date(2026, 4, 3), "completeness")


def file_due(desk, manager, receipt_days_ago):
    """A permit of ``manager`` whose completeness check ends ~30 days after receipt."""
    licence = testing.make_licence(desk, folder_managers=[manager])
    testing.add_event(licence, "deposit", event_date=ago(receipt_days_ago))
    testing.add_event(licence, "receipt", event_date=ago(receipt_days_ago))
    return licence


def test_dashboard_lists_overdue_and_upcoming(desk, portal):
    action = portal.portal_actions.object.urban_deadlines
    assert action.getProperty("url_expr").endswith("/@@urban-deadlines")
    overdue = file_due(desk, "editor", 60)
    upcoming = file_due(desk, "editor", 27)  # due in 3 days, at most 6 after closing days
    later = file_due(desk, "editor", 5)  # due in 25 days: not listed
    other = file_due(desk, "manager", 60)
    request = testing.add_event(later, "opinion_fire", event_date=ago(40), sent_date=ago(40))
    with api.env.adopt_user(username="editor"):
        view = desk.restrictedTraverse("@@urban-deadlines")
        html = view()
    assert {row["url"] for row in view.overdue} == {overdue.absolute_url(), request.absolute_url()}
    assert [row["url"] for row in view.upcoming] == [upcoming.absolute_url()]
    assert overdue.reference in html and upcoming.reference in html
    assert later.absolute_url() + '"' not in html and other.reference not in html
    assert "deadlines-manager" not in html  # an editor sees theirs, no choice
    # asking for another manager's files changes nothing for an editor
    desk.REQUEST.form["manager"] = "manager"
    try:
        with api.env.adopt_user(username="editor"):
            view = desk.restrictedTraverse("@@urban-deadlines")
            view()
    finally:
        del desk.REQUEST.form["manager"]
    assert {row["url"] for row in view.overdue} == {overdue.absolute_url(), request.absolute_url()}


def test_a_reviewer_chooses_the_manager(desk):
    mine = file_due(desk, "editor", 60)
    theirs = file_due(desk, "other_editor", 60)
    desk.REQUEST.form["manager"] = "other_editor"
    try:
        with api.env.adopt_user(username="reviewer"):
            view = desk.restrictedTraverse("@@urban-deadlines")
            html = view()
    finally:
        del desk.REQUEST.form["manager"]
    assert "deadlines-manager" in html
    assert [row["url"] for row in view.overdue] == [theirs.absolute_url()]
    assert mine.reference not in html


def test_suspension_stops_the_decision_deadline_and_resumption_counts_it_again(desk):
    """A suspended permit's decision deadline does not run (it leaves the index and
    the dashboard); resumed, the CoDT's decision period is counted again in full."""
    licence = testing.make_licence(desk, folder_managers=["editor"])
    testing.add_event(licence, "deposit", event_date=ago(10))
    testing.add_event(licence, "receipt", event_date=ago(9))
    testing.add_event(licence, "complete", event_date=ago(6))
    testing.add_event(licence, "acknowledgement", event_date=ago(5))
    testing.transition(licence, "declare_complete")
    due, rule = indexed(licence)
    assert rule == "decision_30" and ago(-24) <= due <= ago(-25 - 4)
    testing.transition(licence, constants.SUSPEND, user="editor")
    assert indexed(licence) is None  # paused: nothing due while suspended
    testing.transition(licence, constants.RESUME, user="editor")
    due, rule = indexed(licence)
    # counted again from today: 30 days (an end on a closing day moved on)
    assert rule == "decision_30" and ago(-30) <= due <= ago(-30 - 4)
