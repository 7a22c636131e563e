"""The staff's listing: date filter, sorts, worklists, due dates and overdue marks, assignment."""

from communesplone.core.testing import authenticator
from communesplone.edesk import worklists
from communesplone.edesk.interfaces import IEDeskLayer
from communesplone.edesk.testing import build
from communesplone.edesk.testing import PASSWORD
from communesplone.edesk.upgrades import INDEXES_1007
from DateTime import DateTime
from datetime import date
from datetime import timedelta
from plone import api
from plone.app.z3cform.interfaces import IPloneFormLayer
from zoneinfo import ZoneInfo
from zope.event import notify
from zope.i18n import translate
from zope.interface import alsoProvides
from zope.lifecycleevent import ObjectModifiedEvent

import pytest
import re
import requests
import transaction


def _age(request, days):
    """Move the request's submission ``days`` back, and reindex it."""
    history = request.workflow_history[worklists.WORKFLOW]
    request.workflow_history[worklists.WORKFLOW] = tuple(
        dict(entry, time=entry["time"] - days) if entry["action"] == "submit" else entry
        for entry in history
    )
    request.reindexObject()
    return request


def _catalog(**query):
    catalog = api.portal.get_tool("portal_catalog")
    return {b.getId for b in catalog.unrestrictedSearchResults(portal_type="citizen_request",
                                                                **query)}  # fmt: skip


def test_due_date_and_overdue(portal):
    world = build(portal)
    world.certificate.processing_days = 10
    late = _age(world.request(), 11)
    on_time = _age(world.request(), 9)
    done_late = _age(world.request(), 20)
    world.transition(done_late, "take", "complete")
    no_target = _age(world.request(request_type=world.problem, values={"description": "x"}), 99)
    draft = world.request(submit=False)
    due_today = _age(world.request(), 10)
    submitted = worklists.local_day(worklists.submission_date(late))
    assert worklists.due_date(late) == submitted + timedelta(days=10)
    assert worklists.due_date(due_today) == worklists.today()
    assert worklists.due_date(no_target) is None and worklists.due_date(draft) is None
    brain = api.portal.get_tool("portal_catalog").unrestrictedSearchResults(UID=late.UID())[0]
    assert brain.due_date == worklists.due_date(late)  # metadata: the listing reads it
    assert brain.submitted == worklists.submission_date(late)
    # due today: not overdue until its day is over (tomorrow it is)
    assert _catalog(**worklists.overdue_query()) == {late.getId()}
    assert not worklists.is_overdue("submitted", worklists.due_date(due_today))
    tomorrow = worklists.today() + timedelta(days=1)
    assert worklists.is_overdue("submitted", worklists.due_date(due_today), tomorrow)
    assert _catalog(**worklists.overdue_query(tomorrow)) == {late.getId(), due_today.getId()}
    # the index holds days: one key per due day, whatever the time of the submission
    index = api.portal.get_tool("portal_catalog")._catalog.getIndex("due_date")
    assert index.precision == 1440
    assert all(key % 1440 == 0 for key in index.uniqueValues())
    assert not worklists.is_overdue("in_progress", worklists.NO_DUE_DATE)
    # every request is in the due date's index (or the catalog would leave it out of a sort)
    assert _catalog(sort_on="due_date") == {
        r.getId() for r in (late, on_time, done_late, no_target, draft, due_today)
    }
    # the type's target changes: its requests' due dates follow
    world.certificate.processing_days = 30
    notify(ObjectModifiedEvent(world.certificate))
    assert _catalog(**worklists.overdue_query()) == set()
    world.problem.processing_days = 90
    notify(ObjectModifiedEvent(world.problem))
    assert _catalog(**worklists.overdue_query()) == {no_target.getId()}


def test_local_day_is_the_sites():
    """A submission at 23:30 UTC on 1 December is on 2 December in Brussels."""
    late_evening = DateTime("2026/12/01 23:30:00 UTC")
    assert worklists.local_day(late_evening, ZoneInfo("Europe/Brussels")) == date(2026, 12, 2)
    assert worklists.local_day(late_evening, ZoneInfo("UTC")) == date(2026, 12, 1)


def test_upgrade_to_1007(portal):
    world = build(portal)
    world.certificate.processing_days = 1
    request = _age(world.request(), 2)
    setup, catalog = portal.portal_setup, portal.portal_catalog
    with api.env.adopt_roles(["Manager"]):
        for index in INDEXES_1007[:3]:
            catalog.delIndex(index)
            catalog.delColumn(index)
        setup.setLastVersionForProfile("communesplone.edesk:default", "1006")
        assert [step["dest"] for step in setup.listUpgrades("communesplone.edesk:default")][0] == (
            "1007",
        )
        setup.upgradeProfile("communesplone.edesk:default", dest="1007")
    assert setup.getLastVersionForProfile("communesplone.edesk:default") == ("1007",)
    assert _catalog(**worklists.overdue_query()) == {request.getId()}
    assert _catalog(requester="citizen_a", assigned_agent="") == {request.getId()}


def test_upgrade_to_1009(portal):
    """The due dates are indexed again by day, and the requesters' names filled."""
    world = build(portal)
    world.certificate.processing_days = 1
    request = _age(world.request(), 2)
    setup, catalog = portal.portal_setup, portal.portal_catalog
    index = catalog._catalog.getIndex("due_date")
    with api.env.adopt_roles(["Manager"]):
        index.manage_changeProperties(precision=1)  # as 1008 made it: emptied, reindexed
        catalog.delIndex("requester_name")
        catalog.delColumn("requester_name")
        setup.setLastVersionForProfile("communesplone.edesk:default", "1008")
        setup.upgradeProfile("communesplone.edesk:default", dest="1009")
    assert setup.getLastVersionForProfile("communesplone.edesk:default") == ("1009",)
    index = catalog._catalog.getIndex("due_date")
    assert index.precision == 1440 and all(key % 1440 == 0 for key in index.uniqueValues())
    assert _catalog(**worklists.overdue_query()) == {request.getId()}
    brain = catalog.unrestrictedSearchResults(UID=request.UID())[0]
    assert brain.requester_name == "Citizen A"
    assert _catalog(requester_name="Citizen A") == {request.getId()}


@pytest.fixture
def world(functional_portal):
    world = build(functional_portal)
    transaction.commit()
    return world


def _get(login, world, **params):
    http = requests.Session()
    http.auth = (login, PASSWORD)
    return http.get(f"{world.desk.absolute_url()}/@@requests-admin", params=params)


def _numbers(page):
    return re.findall(r"\d{4}-\d{6}", page.text)


def test_date_filter_and_its_validation(world):
    old, new = _age(world.request(), 30), world.request()
    transaction.commit()
    today = date.today()
    page = _get("editor", world, date_from=(today - timedelta(days=1)).isoformat())
    assert _numbers(page) == [new.tracking_number]
    page = _get("editor", world, date_to=(today - timedelta(days=29)).isoformat())
    assert _numbers(page) == [old.tracking_number]
    page = _get("editor", world, date_from=today.strftime("%d/%m/%Y"), date_to=today.isoformat())
    assert _numbers(page) == [new.tracking_number]
    page = _get("editor", world, date_from="31/02/2026")
    assert page.status_code == 200
    assert "&#34;31/02/2026&#34; is not a date (Submitted from)" in page.text or (
        '"31/02/2026" is not a date (Submitted from)' in page.text
    )
    assert _numbers(page) == []  # not an unfiltered list that looks filtered
    page = _get("editor", world, date_from="2026-03-02", date_to="2026-03-01")
    assert page.status_code == 200
    assert "The period ends (2026-03-01) before it starts (2026-03-02)." in page.text
    url = f"{world.desk.absolute_url()}/@@requests-admin.csv"
    exported = requests.get(url, params={"date_to": "2026-13-01"}, auth=("editor", PASSWORD))
    assert exported.status_code == 200 and len(exported.text.splitlines()) == 1


def test_sorts(world):
    world.certificate.processing_days = 5
    first = _age(world.request(user="citizen_b"), 3)
    second = _age(world.request(), 2)
    problem = world.request(request_type=world.problem, values={"description": "x"})
    world.transition(second, "take")
    transaction.commit()
    numbers = [first.tracking_number, second.tracking_number]

    def order(**sort):
        found = _numbers(_get("manager", world, **sort))
        return [number for number in found if number in numbers + [problem.tracking_number]]

    assert order() == [problem.tracking_number, second.tracking_number, first.tracking_number]
    assert order(sort_on="submitted", sort_order="ascending")[0] == first.tracking_number
    assert order(sort_on="title", sort_order="descending")[0] == problem.tracking_number
    assert order(sort_on="requester", sort_order="ascending")[-1] == first.tracking_number
    assert order(sort_on="requester", sort_order="descending")[0] == first.tracking_number
    assert order(sort_on="state", sort_order="ascending")[0] == second.tracking_number
    # due dates: the earliest first, the request without one last
    assert order(sort_on="due_date", sort_order="ascending") == numbers + [problem.tracking_number]
    page = _get("manager", world, sort_on="due_date", sort_order="ascending")
    assert 'aria-sort="ascending"' in page.text


def test_worklists_and_overdue_marks(world):
    world.certificate.processing_days = 10
    mine = _age(world.request(assigned_agent="editor"), 15)
    theirs = world.request(assigned_agent="reviewer")
    unassigned = world.request()
    closed = _age(world.request(assigned_agent="editor"), 15)
    world.transition(closed, "take", "complete")
    travaux = world.request(request_type=world.problem, values={"description": "x"})
    transaction.commit()
    assert set(_numbers(_get("editor", world, worklist="mine"))) == {mine.tracking_number}
    assert set(_numbers(_get("reviewer", world, worklist="mine"))) == {theirs.tracking_number}
    assert set(_numbers(_get("editor", world, worklist="service"))) == {
        mine.tracking_number,
        theirs.tracking_number,
        unassigned.tracking_number,
    }
    assert set(_numbers(_get("editor", world, worklist="unassigned"))) == {
        unassigned.tracking_number
    }
    assert set(_numbers(_get("editor", world, overdue="1"))) == {mine.tracking_number}
    # staff of another service see none of it
    for worklist in ("mine", "service", "unassigned"):
        assert set(_numbers(_get("other_staff", world, worklist=worklist))) <= {
            travaux.tracking_number
        }
    assert _numbers(_get("other_staff", world, overdue="1")) == []
    # the overdue mark: a text, on the overdue open request's row only
    page = _get("editor", world)
    rows = {
        number: row
        for row in re.findall(r"<tr>.*?</tr>", page.text, re.S)
        for number in _numbers_in(row)
    }
    assert 'class="badge bg-danger overdue">Overdue<' in rows[mine.tracking_number]
    for other in (theirs, unassigned, closed):
        assert "overdue" not in rows[other.tracking_number]
    due = worklists.due_date(mine).strftime("%d/%m/%Y")
    assert due in rows[mine.tracking_number]
    # "By": the requester's full name (catalog metadata), not their login
    assert "<td>Citizen A</td>" in rows[mine.tracking_number]
    assert "<td>citizen_a</td>" not in rows[mine.tracking_number]


def _numbers_in(text):
    return re.findall(r"\d{4}-\d{6}", text)


def test_assignment_from_the_listing_and_rest(world):
    request = world.request()
    transaction.commit()
    http = requests.Session()
    http.auth = ("reviewer", PASSWORD)
    page = http.get(f"{world.desk.absolute_url()}/@@requests-admin")
    assert '<option value="editor">Editor</option>' in page.text  # the service's agents
    assert 'value="other_staff"' not in page.text

    def assign(agent):
        return http.post(
            f"{world.desk.absolute_url()}/@@requests-assign",
            data={
                "_authenticator": authenticator(page),
                "agent": agent,
                "uids:list": [request.UID()],
                "listing": "worklist=service",
            },  # fmt: skip
        )

    refused = assign("other_staff")
    assert 'The agent "other_staff" is not staff of the service' in refused.text.replace(
        "&#34;", '"'
    )
    transaction.begin()
    assert request.assigned_agent is None
    done = assign("editor")
    assert done.url.endswith("@@requests-admin?worklist=service")
    transaction.begin()
    assert request.assigned_agent == "editor"
    assert _catalog(assigned_agent="editor") == {request.getId()}
    # the citizen may not assign
    citizen = requests.Session()
    citizen.auth = ("citizen_a", PASSWORD)
    json = {"Accept": "application/json"}
    response = citizen.patch(request.absolute_url(), headers=json,
                             json={"assigned_agent": "reviewer"})  # fmt: skip
    transaction.begin()
    assert request.assigned_agent == "editor"
    # REST: the same refusal, the same message
    response = http.patch(request.absolute_url(), headers=json,
                          json={"assigned_agent": "other_staff"})  # fmt: skip
    assert response.status_code == 400
    assert 'The agent \\"other_staff\\" is not staff of the service' in response.text or (
        'The agent "other_staff" is not staff of the service' in response.json()["message"]
    )
    response = http.patch(request.absolute_url(), headers=json,
                          json={"assigned_agent": "reviewer"})  # fmt: skip
    assert response.status_code == 204, response.text
    transaction.begin()
    assert request.assigned_agent == "reviewer"
    assert _catalog(assigned_agent="reviewer") == {request.getId()}


def test_submission_date_of_a_draft_is_none(portal):
    world = build(portal)
    draft = world.request(submit=False)
    assert worklists.submission_date(draft) is None
    brain = api.portal.get_tool("portal_catalog").unrestrictedSearchResults(UID=draft.UID())[0]
    assert brain.submitted == draft.created() and brain.submitted < DateTime() + 1


def test_assignment_in_the_edit_form(portal):
    world = build(portal)
    request = world.request()
    http_request = portal.REQUEST
    alsoProvides(http_request, IPloneFormLayer, IEDeskLayer)
    with api.env.adopt_user(username="reviewer"):
        form = request.restrictedTraverse("@@edit").form_instance
        form.update()
        widget = form.widgets["assigned_agent"]
        assert [term.value for term in widget.terms] == ["editor", "reviewer"]
        http_request.form.update({"form.widgets.assigned_agent": ["other_staff"]})
        form = request.restrictedTraverse("@@edit").form_instance
        form.update()
        _data, errors = form.extractData()
    [error] = [e for e in errors if e.widget is not None and e.widget.__name__ == "assigned_agent"]
    message = translate(error.message, context=http_request)
    assert message.startswith('The agent "other_staff" is not staff of the service')
