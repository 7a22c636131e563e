"""The body page: its dashboards, its actions and the items started from templates."""

from communesplone.meetings import advices
from communesplone.meetings.interfaces import IMeetingsLayer
from communesplone.meetings.testing import as_user
from communesplone.meetings.testing import build
from communesplone.meetings.testing import PASSWORD
from communesplone.meetings.workflows import present
from datetime import date
from datetime import datetime
from datetime import timedelta
from plone import api
from plone.protect.authenticator import createToken
from types import SimpleNamespace
from zExceptions import Forbidden
from zope.interface import alsoProvides

import html
import pytest
import re
import requests
import transaction


TEMPLATES = [
    {
        "title": "Désignation d'un surveillant de chantier",
        "service": "travaux",
        "category": "travaux",
        "motivation": "Vu le chantier de la rue Haute;",
        "decision": "Désigne M. X comme surveillant.",
    },
    {
        "title": "Octroi d'une concession de sépulture",
        "service": "population",
        "category": "administration",
        "motivation": "Vu la demande;",
        "decision": "Octroie la concession.",
    },
]


# The item's service field's refusal (the test site speaks English)
NOT_YOUR_SERVICE = 'You may not propose items for the service "{}": choose one of your services.'


@pytest.fixture
def world(portal):
    alsoProvides(portal.REQUEST, IMeetingsLayer)
    return build(portal)


def add_user(login, group):
    with api.env.adopt_roles(["Manager"]):
        api.user.create(username=login, email=f"{login}@example.org", password=PASSWORD)
        api.group.add_user(groupname=group, username=login)


def dashboard(world, user, tab, **form):
    """The body page's ``tab`` as ``user`` (None: anonymous): what it shows, and its HTML."""
    request = world.portal.REQUEST
    request.form.clear()
    request.form.update(tab=tab, **form)

    def render():
        view = api.content.get_view("view", world.college, request)
        html = view()
        return SimpleNamespace(
            html=html,
            tab=view.tab,
            rows=view.rows(),
            tabs=view.tabs(),
            criteria=view.criteria,
            add_item_url=view.add_item_url(),
            add_meeting_url=view.add_meeting_url(),
            templates=view.item_templates(),
        )

    return as_user(user, render)


def titles(rows):
    return [row["title"] for row in rows]


def propose(world, item):
    return world.transition(
        item, "propose", user="editor_a" if item.service == "travaux" else "editor_b"
    )


# My items, all items


def test_my_items_are_the_items_the_user_created(world):
    world.item("A1")
    world.item("A2")
    world.item("B1", service="population")
    page = dashboard(world, "editor_a", "mine")
    assert page.tab == "mine"
    assert sorted(titles(page.rows)) == ["A1", "A2"]
    assert titles(dashboard(world, "editor_b", "mine").rows) == ["B1"]


def test_all_items_are_those_the_user_may_see(world):
    world.item("A1")
    world.item("B1", service="population")
    assert titles(dashboard(world, "editor_a", "all").rows) == ["A1"]
    assert titles(dashboard(world, "manager", "all").rows) == []  # created: still the service's
    assert titles(dashboard(world, "editor_b", "all").rows) == ["B1"]


# Items to validate


def test_items_to_validate_are_the_proposed_items_of_the_services_reviewed(world):
    add_user("reviewer_b", "population_reviewers")
    propose(world, world.item("Proposé"))
    world.item("Encore en création")
    propose(world, world.item("Population proposé", service="population"))
    page = dashboard(world, "reviewer", "to_validate")
    assert titles(page.rows) == ["Proposé"]
    assert [tab["count"] for tab in page.tabs if tab["id"] == "to_validate"] == [1]
    assert titles(dashboard(world, "reviewer_b", "to_validate").rows) == ["Population proposé"]


def test_items_to_validate_offered_only_to_reviewers_and_managers(world):
    page = dashboard(world, "editor_a", "to_validate")
    assert "to_validate" not in [tab["id"] for tab in page.tabs]
    assert page.tab == "all"  # an unavailable tab falls back to the default one


def test_prevalidated_items_are_to_validate_by_the_meeting_managers(world):
    world.college.validation_levels = 2
    item = world.item("Deux niveaux")
    propose(world, item)
    assert titles(dashboard(world, "manager", "to_validate").rows) == []
    assert titles(dashboard(world, "reviewer", "to_validate").rows) == ["Deux niveaux"]
    world.transition(item, "prevalidate", user="reviewer")
    assert titles(dashboard(world, "manager", "to_validate").rows) == ["Deux niveaux"]
    assert titles(dashboard(world, "reviewer", "to_validate").rows) == []


# Awaiting my advice


def test_items_awaiting_my_advice_with_their_deadline_and_overdue_ones(world):
    late = world.item("En retard", advices_asked=[{"service": "finances", "deadline_days": 10}])
    propose(world, late)
    advices.ask(late, today=date.today() - timedelta(days=30), again=True)  # asked 30 days ago
    late.reindexObject()
    timely = world.item("À temps", advices_asked=[{"service": "finances", "deadline_days": 30}])
    propose(world, timely)
    world.item("Pas d'avis demandé")
    page = dashboard(world, "adviser", "advice")
    assert titles(page.rows) == ["En retard", "À temps"]  # earliest deadline first
    assert [row["overdue"] for row in page.rows] == [True, False]
    assert page.rows[0]["deadline"] == api.portal.get_localized_time(
        datetime=advices.recorded(late)["finances"]["due"]  # 10 days after, on a working day
    )
    assert len(re.findall(r'class="[^"]*overdue-marker', page.html)) == 1


def test_a_given_advice_leaves_the_dashboard(world):
    item = world.item("Avis", advices_asked=[{"service": "finances", "deadline_days": 10}])
    propose(world, item)
    with api.env.adopt_user(username="adviser"):
        advice = api.content.create(
            container=item,
            type="meeting_advice",
            id="avis-finances",
            service="finances",
            advice_type="positive",
        )
    assert titles(dashboard(world, "adviser", "advice").rows) == ["Avis"]  # being written
    world.transition(advice, "signAdvice", "giveAdvice", user="adviser")
    assert titles(dashboard(world, "adviser", "advice").rows) == []


def test_awaiting_advice_tab_only_for_advisers(world):
    assert dashboard(world, "editor_a", "advice").tab == "all"
    assert dashboard(world, "adviser", "advice").tab == "advice"


# Meetings


def test_upcoming_and_past_meetings(world):
    now = datetime.now().replace(second=0, microsecond=0)
    for days in (-14, -7, 7, 14):
        world.meeting(now + timedelta(days=days))
    page = dashboard(world, "editor_a", "upcoming")
    expected = [f"seance-{now + timedelta(days=d):%Y-%m-%d}" for d in (7, 14)]
    assert [row["url"].rsplit("/", 1)[1] for row in page.rows] == expected
    assert {row["state"] for row in page.rows} == {"created"}
    assert "Created" in page.html
    page = dashboard(world, "editor_a", "past")
    expected = [f"seance-{now + timedelta(days=d):%Y-%m-%d}" for d in (-7, -14)]
    assert [row["url"].rsplit("/", 1)[1] for row in page.rows] == expected


def test_anonymous_visitors_see_only_public_meetings(world):
    now = datetime.now().replace(second=0, microsecond=0)
    created = world.meeting(now + timedelta(days=7))
    frozen = world.meeting(now + timedelta(days=14))
    world.transition(frozen, "freeze")
    page = dashboard(world, None, "upcoming")
    assert [row["url"] for row in page.rows] == [frozen.absolute_url()]
    assert created.absolute_url() not in page.html
    assert [tab["id"] for tab in page.tabs] == ["upcoming", "past", "search"]


# Decisions search


@pytest.fixture
def decided(world):
    """Decided items of two meetings (8 and 15 December 2026), and one undecided."""
    first = world.meeting(datetime(2026, 12, 8, 20, 0))
    second = world.meeting(datetime(2026, 12, 15, 20, 0))
    voirie = world.validated_item("Voirie de la rue Haute", category="travaux")
    cimetiere = world.validated_item(
        "Concession au cimetière", service="population", category="administration"
    )
    budget = world.validated_item("Modification budgétaire", category="finances")
    pending = world.validated_item("Voirie de la rue Basse", category="travaux")
    with api.env.adopt_user(username="manager"):
        present([voirie, cimetiere], first)
        present([budget, pending], second)
    world.transition(first, "freeze", "decide")
    world.transition(voirie, "accept")
    world.transition(cimetiere, "refuse")
    world.transition(second, "freeze", "decide")
    world.transition(budget, "accept")
    return world


def search_titles(world, **form):
    return titles(dashboard(world, "manager", "search", **form).rows)


def test_decisions_search(decided):
    world = decided
    everything = search_titles(world)
    assert sorted(everything) == [
        "Concession au cimetière",
        "Modification budgétaire",
        "Voirie de la rue Haute",
    ]
    assert everything[0] == "Modification budgétaire"  # latest meeting first
    assert search_titles(world, text="voirie") == ["Voirie de la rue Haute"]
    assert search_titles(world, category="administration") == ["Concession au cimetière"]
    assert search_titles(world, service="population") == ["Concession au cimetière"]
    assert sorted(search_titles(world, start="2026-12-08", end="2026-12-08")) == [
        "Concession au cimetière",
        "Voirie de la rue Haute",
    ]
    assert search_titles(world, start="2026-12-09") == ["Modification budgétaire"]
    assert search_titles(world, end="2026-12-14", category="travaux") == ["Voirie de la rue Haute"]
    assert search_titles(world, text='"(unbalanced') == []  # no error


def test_decisions_search_keeps_its_criteria_in_the_form(decided):
    page = dashboard(decided, "manager", "search", text="voirie", category="travaux")
    assert page.criteria["text"] == "voirie"
    assert 'value="voirie"' in page.html
    assert re.search(r'<option value="travaux"\s+selected="selected"', page.html)


# Actions


def test_add_buttons_follow_the_add_permissions(world):
    url = world.college.absolute_url()
    page = dashboard(world, "editor_a", "all")
    assert page.add_item_url == f"{url}/++add++meeting_item"
    assert page.add_meeting_url is None
    assert 'id="add-meeting-item"' in page.html and 'id="add-meeting"' not in page.html
    page = dashboard(world, "manager", "all")
    assert page.add_meeting_url == f"{url}/++add++meeting"
    assert 'id="add-meeting"' in page.html
    page = dashboard(world, "observer", "all")
    assert page.add_item_url is None and 'id="add-meeting-item"' not in page.html
    page = dashboard(world, None, "upcoming")
    assert page.add_item_url is None and page.add_meeting_url is None


# Item templates


def test_item_templates_are_offered_to_those_who_may_propose_for_their_service(world):
    world.college.item_templates = TEMPLATES
    page = dashboard(world, "editor_a", "all")
    assert [t["title"] for t in page.templates] == [TEMPLATES[0]["title"]]
    assert "@@create-item-from-template?index=0&amp;_authenticator=" in page.html
    page = dashboard(world, "editor_b", "all")
    assert [t["title"] for t in page.templates] == [TEMPLATES[1]["title"]]
    assert "index=1" in page.templates[0]["url"]
    assert dashboard(world, "reviewer", "all").templates == []
    # The meeting managers may propose items for every service (the add form's rule).
    page = dashboard(world, "manager", "all")
    assert [t["title"] for t in page.templates] == [row["title"] for row in TEMPLATES]


def create_from_template(world, user, index, token=True):
    request = world.portal.REQUEST
    request.form.clear()
    request.form["index"] = str(index)
    with api.env.adopt_user(username=user):
        if token:
            request.form["_authenticator"] = createToken()
        view = api.content.get_view("create-item-from-template", world.college, request)
        return view()


def body_items(world):
    return [obj for obj in world.college.objectValues() if obj.portal_type == "meeting_item"]


def test_create_item_from_template(world):
    world.college.item_templates = TEMPLATES
    create_from_template(world, "editor_a", 0)
    (item,) = body_items(world)
    assert item.title == TEMPLATES[0]["title"]
    assert (item.service, item.category) == ("travaux", "travaux")
    assert "Vu le chantier de la rue Haute;" in item.motivation.output
    assert "Désigne M. X comme surveillant." in item.decision.output
    assert item.Creator() == "editor_a"
    assert api.content.get_state(item) == "itemcreated"
    response = world.portal.REQUEST.response
    assert response.getHeader("Location") == f"{item.absolute_url()}/edit"


def test_create_item_from_template_refuses_editors_of_other_services(world):
    world.college.item_templates = TEMPLATES
    message = create_from_template(world, "editor_b", 0)
    assert body_items(world) == []
    assert message == NOT_YOUR_SERVICE.format("Travaux")
    assert world.portal.REQUEST.response.getHeader("Location") == world.college.absolute_url()
    assert create_from_template(world, "editor_a", 7) == "This item template does not exist."
    assert body_items(world) == []


def test_create_item_from_template_needs_the_authenticator(world):
    world.college.item_templates = TEMPLATES
    with pytest.raises(Forbidden):
        create_from_template(world, "editor_a", 0, token=False)
    assert body_items(world) == []


# Over HTTP


@pytest.fixture
def site(functional_portal):
    world = build(functional_portal)
    add_user("reviewer_b", "population_reviewers")
    world.college.item_templates = TEMPLATES
    proposed = world.item(
        "Réfection de la rue Haute", advices_asked=[{"service": "finances", "deadline_days": 10}]
    )
    propose(world, proposed)
    advices.ask(proposed, today=date.today() - timedelta(days=30), again=True)
    proposed.reindexObject()
    transaction.commit()
    return world


def get(world, login, path="", **params):
    http = requests.Session()
    http.auth = (login, PASSWORD)
    return http, http.get(f"{world.college.absolute_url()}{path}", params=params)


def item_rows(html):
    return re.findall(r'<tr class="item-row[^"]*">\s*<td><a href="[^"]*">([^<]*)</a>', html)


def test_http_items_to_validate(site):
    _http, response = get(site, "reviewer", tab="to_validate")
    assert response.status_code == 200
    assert item_rows(response.text) == ["Réfection de la rue Haute"]
    _http, response = get(site, "reviewer_b", tab="to_validate")
    assert response.status_code == 200
    assert 'data-tab="to_validate"' in response.text
    assert item_rows(response.text) == []


def test_http_overdue_advice_is_marked(site):
    _http, response = get(site, "adviser", tab="advice")
    assert response.status_code == 200
    row = re.search(r'<tr class="item-row[^"]*overdue[^"]*">.*?</tr>', response.text, re.S)
    assert row is not None and "Réfection de la rue Haute" in row.group(0)
    assert "overdue-marker" in row.group(0)


def test_http_create_item_from_template_refuses_other_services(site):
    http, response = get(site, "editor_b")
    links = re.findall(r'href="([^"]*@@create-item-from-template[^"]*)"', response.text)
    assert len(links) == 1 and "index=1" in links[0]  # only the population template
    travaux_link = links[0].replace("&amp;", "&").replace("index=1", "index=0")
    response = http.get(travaux_link)
    assert response.status_code == 200  # back on the body page, with the message
    assert response.url.split("?")[0].rstrip("/") == site.college.absolute_url()
    assert html.unescape(NOT_YOUR_SERVICE.format("Travaux")) in html.unescape(response.text)
    transaction.begin()
    assert [i.title for i in body_items(site)] == ["Réfection de la rue Haute"]
    response = http.get(links[0].replace("&amp;", "&"))
    assert response.status_code == 200
    assert response.url.endswith("/edit")
    transaction.begin()
    assert sorted(i.title for i in body_items(site)) == [
        "Octroi d'une concession de sépulture",
        "Réfection de la rue Haute",
    ]


def test_full_text_finds_the_motivation_never_an_unpublished_decision(portal):
    from plone.app.textfield.value import RichTextValue

    world = build(portal)
    world.item(
        "Voirie",
        motivation=RichTextValue("<p>Vu l'état des trottoirs</p>", "text/html", "text/x-html-safe"),
        decision=RichTextValue(
            "<p>Confie le marché à Pavages Dubois</p>", "text/html", "text/x-html-safe"
        ),
    )
    catalog = api.portal.get_tool("portal_catalog")
    assert len(catalog.unrestrictedSearchResults(SearchableText="trottoirs")) == 1
    assert len(catalog.unrestrictedSearchResults(SearchableText="Pavages")) == 0
