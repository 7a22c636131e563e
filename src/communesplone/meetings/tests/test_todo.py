""" "À faire": each user's lists and counts (only what they may see), the toolbar's
count, the notification preferences page, and the landing page after login."""

from communesplone.meetings import advices
from communesplone.meetings import notifications
from communesplone.meetings.browser import todo
from communesplone.meetings.testing import as_user
from communesplone.meetings.testing import build
from communesplone.meetings.testing import PASSWORD
from plone import api
from plone.protect.authenticator import createToken

import pytest
import requests
import transaction


@pytest.fixture
def world(portal):
    return build(portal)


def sections(user):
    """{section id: [titles]} of ``user``'s "À faire"."""

    def read():
        view = api.content.get_view("todo", api.portal.get(), api.portal.get().REQUEST)
        view.work = todo.current_work()
        return {
            section["id"]: sorted(row["title"] for row in section["rows"])
            for section in view.sections()
        }

    return as_user(user, read)


def counts(user):
    return as_user(user, lambda: todo.counts(todo.Work()))


@pytest.fixture
def work(world):
    """A proposed item of each service, one asking the finances' advice, one returned."""
    world.item("Trottoirs")  # created: nobody's to do yet
    finances = [{"service": "finances", "deadline_days": 10}]
    asked = world.item("Budget voirie", advices_asked=finances)
    world.transition(asked, "propose", user="editor_a")
    other = world.item("État civil", service="population")
    world.transition(other, "propose", user="editor_b")
    meeting = world.meeting()
    returned = world.validated_item("Éclairage")
    world.transition(returned, "present")
    world.transition(meeting, "freeze")
    world.transition(returned, "return_to_proposing_group")
    secret = world.validated_item("Personnel", privacy="secret", advices_asked=finances)
    return world, asked, other, returned, secret


def test_reviewer(work):
    assert sections("reviewer") == {
        "to_validate": ["Budget voirie"],  # not the other service's
        "returned": ["Éclairage"],
    }
    assert counts("reviewer") == {"to_validate": 1, "advices": 0, "returned": 1}


def test_editor_and_adviser(work):
    assert sections("editor_a") == {"returned": ["Éclairage"]}
    assert sections("editor_b") == {"returned": []}  # nothing returned to Population
    assert sections("adviser") == {"advices": ["Budget voirie"]}
    assert counts("adviser") == {"to_validate": 0, "advices": 1, "returned": 0}


def test_counts_beyond_the_rows_shown(work, monkeypatch):
    """A list shows ``LIMIT`` rows; its count is all the user's items, the rest "more"."""
    world, asked, *_ = work
    second = world.item("Égouts")
    world.transition(second, "propose", user="editor_a")
    monkeypatch.setattr(todo, "LIMIT", 1)

    def read():
        view = api.content.get_view("todo", api.portal.get(), api.portal.get().REQUEST)
        view.work = todo.current_work()
        return {section["id"]: section for section in view.sections()}

    section = as_user("reviewer", read)["to_validate"]
    assert (section["count"], len(section["rows"]), section["more"]) == (2, 1, 1)
    assert counts("reviewer")["to_validate"] == 2


def test_dates_as_plone_shows_them(work):
    """Each list shows one date, as ``api.portal.get_localized_time`` gives it:
    the due date of an advice, the last change of an item otherwise."""
    world, asked, other, returned, secret = work

    def read():
        view = api.content.get_view("todo", api.portal.get(), api.portal.get().REQUEST)
        view.work = todo.current_work()
        return {section["id"]: section["rows"] for section in view.sections()}

    (row,) = as_user("adviser", read)["advices"]
    due = api.portal.get_localized_time(datetime=advices.recorded(asked)["finances"]["due"])
    assert (row["due"], row["modified"]) == (due, "")
    (row,) = as_user("reviewer", read)["to_validate"]
    modified = api.portal.get_localized_time(datetime=asked.modified())
    assert (row["due"], row["modified"]) == ("", modified)
    assert row["modified"] and row["modified"] != asked.modified().ISO8601()


def test_meeting_manager_with_two_levels(work):
    world, asked, *_ = work
    # one level: the reviewers validate; nothing for the meeting managers
    assert sections("manager") == {}
    world.college.validation_levels = 2
    world.transition(asked, "prevalidate", user="reviewer")
    assert sections("manager") == {"to_validate": ["Budget voirie"]}
    assert sections("reviewer")["to_validate"] == []


def test_only_what_the_user_may_see(work):
    world, asked, other, returned, secret = work
    # The secret item awaits the finances' advice too, but is hidden from advisers
    # once validated: the catalog's security leaves it out of the list and the count.
    catalog = api.portal.get_tool("portal_catalog")
    awaiting = catalog.unrestrictedSearchResults(advices_pending="finances")
    assert sorted(brain.Title for brain in awaiting) == ["Budget voirie", "Personnel"]
    assert sections("adviser") == {"advices": ["Budget voirie"]}
    assert counts("adviser")["advices"] == 1
    # someone without meetings work: no lists, no toolbar entry
    assert sections("citizen") == {}
    assert not as_user("citizen", todo.has_meetings_work)
    assert as_user("observer", todo.has_meetings_work) is False


def test_toolbar_count_and_page(functional):
    world = build(functional["portal"])
    item = world.item("Budget voirie")
    world.transition(item, "propose", user="editor_a")
    transaction.commit()
    http = requests.Session()
    http.auth = ("reviewer", PASSWORD)
    page = http.get(f"{world.portal.absolute_url()}/@@todo")
    assert page.status_code == 200
    assert 'id="meetings-todo-toolbar"' in page.text
    assert 'id="meetings-todo-count">1<' in page.text.replace(" ", "").replace("\n", "")
    assert 'id="todo-to_validate" data-count="1"' in page.text
    assert "Budget voirie" in page.text
    # in the user menu: "À faire" and the notification preferences
    assert "@@meetings-notifications" in page.text
    # an observer has nothing to do there
    observer = requests.get(world.portal.absolute_url(), auth=("observer", PASSWORD))
    assert "meetings-todo-toolbar" not in observer.text
    assert "@@meetings-notifications" not in observer.text


def test_preferences_page(functional):
    world = build(functional["portal"])
    transaction.commit()
    url = f"{world.portal.absolute_url()}/@@meetings-notifications"
    http = requests.Session()
    http.auth = ("adviser", PASSWORD)
    page = http.get(url)
    assert page.status_code == 200
    assert page.text.count('name="kinds:list"') == len(notifications.KINDS)
    # a POST without the authenticator changes nothing
    refused = http.post(url, data={"kinds:list": ["advice_asked"]})
    assert refused.status_code == 403
    transaction.begin()
    assert notifications.turned_off(api.user.get(username="adviser")) == set()
    with api.env.adopt_user(username="adviser"):
        token = createToken()
    saved = http.post(
        url, data={"kinds:list": ["advice_asked", "late_item"], "_authenticator": token}
    )
    assert saved.status_code == 200
    transaction.begin()
    assert notifications.turned_off(api.user.get(username="adviser")) == set(
        notifications.KINDS
    ) - {"advice_asked", "late_item"}
    assert 'value="late_item" id="notification-late_item" checked' in http.get(url).text


def _login(portal_url, login, came_from=None):
    data = {"__ac_name": login, "__ac_password": PASSWORD, "buttons.login": "Log in"}
    if came_from is not None:
        data["came_from"] = came_from
    return requests.post(f"{portal_url}/login", data=data, allow_redirects=False)


def test_staff_land_on_todo_after_login(functional):
    world = build(functional["portal"])
    transaction.commit()
    portal_url = world.portal.absolute_url()
    for login in ("reviewer", "adviser", "editor_a", "manager"):
        response = _login(portal_url, login, came_from=portal_url)
        assert response.headers["Location"] == f"{portal_url}/@@todo", login
    assert _login(portal_url, "reviewer").headers["Location"] == f"{portal_url}/@@todo"
    # a page that asked for the login keeps its way back
    body_url = world.college.absolute_url()
    assert _login(portal_url, "reviewer", came_from=body_url).headers["Location"] == body_url
    # citizens (the e-desk's login) and staff without meetings work: as before
    for login in ("citizen", "observer", "member"):
        response = _login(portal_url, login, came_from=portal_url)
        assert response.headers["Location"] == portal_url, login
    assert _login(portal_url, "citizen", came_from=body_url).headers["Location"] == body_url
