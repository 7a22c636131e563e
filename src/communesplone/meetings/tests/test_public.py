"""The public pages of a body: agendas, decisions archive, iCal and RSS feeds."""

from communesplone.meetings.browser import public
from communesplone.meetings.interfaces import IMeetingsLayer
from communesplone.meetings.testing import as_user
from communesplone.meetings.testing import build
from communesplone.meetings.workflows import present
from datetime import datetime
from datetime import timedelta
from plone import api
from plone.app.testing import logout
from plone.app.textfield.value import RichTextValue
from zope.interface import alsoProvides

import icalendar
import pytest
import re
import requests
import transaction
import xml.etree.ElementTree as ET


NOW = datetime.now().replace(second=0, microsecond=0)


def rich(text):
    return RichTextValue(text, "text/html", "text/x-html-safe")


def agenda_of(world, day, *items):
    meeting = world.meeting(day)
    with api.env.adopt_user(username="manager"):
        assert present(list(items), meeting) == []
    return meeting


def scenario(world):
    """A frozen meeting next week (a public and a secret item), a created one after."""
    public_item = world.validated_item(
        "Travaux & <égouts> de la rue Haute",
        category="travaux",
        decision=rich("<p>Décide la réfection des égouts.</p>"),
    )
    secret_item = world.validated_item(
        "Dossier disciplinaire", privacy="secret", decision=rich("<p>Sanction.</p>")
    )
    frozen = agenda_of(world, NOW + timedelta(days=7), public_item, secret_item)
    world.transition(frozen, "freeze")
    later_item = world.validated_item("Point en préparation")
    created = agenda_of(world, NOW + timedelta(days=14), later_item)
    return SimpleScenario(world, frozen, created, public_item, secret_item, later_item)


class SimpleScenario:
    def __init__(self, world, frozen, created, public_item, secret_item, later_item):
        self.world = world
        self.college = world.college
        self.frozen = frozen
        self.created = created
        self.public_item = public_item
        self.secret_item = secret_item
        self.later_item = later_item

    def decide(self, publish=False):
        self.world.transition(self.frozen, "decide")
        self.world.transition(self.public_item, "accept")
        self.world.transition(self.secret_item, "accept")
        if publish:
            self.world.transition(self.frozen, "publish_decisions")


# Integration: the views' data


@pytest.fixture
def world(portal):
    alsoProvides(portal.REQUEST, IMeetingsLayer)
    return build(portal)


def view_as(world, name, user, **form):
    request = world.portal.REQUEST
    request.form.clear()
    request.form.update(form)

    def render():
        view = api.content.get_view(name, world.college, request)
        return view, view()

    return as_user(user, render)


def test_public_meetings_upcoming_and_recent(world):
    s = scenario(world)
    past_item = world.validated_item("Point passé")
    past = agenda_of(world, NOW - timedelta(days=7), past_item)
    world.transition(past, "freeze")
    logout()
    view = api.content.get_view("public-meetings", world.college, world.portal.REQUEST)
    upcoming, recent = view.upcoming(), view.recent()
    assert [m["url"] for m in upcoming] == [s.frozen.absolute_url()]
    assert [(i["number"], i["title"]) for i in upcoming[0]["agenda"]] == [
        ("1", "Travaux & <égouts> de la rue Haute")
    ]
    assert [m["url"] for m in recent] == [past.absolute_url()]
    assert [i["title"] for i in recent[0]["agenda"]] == ["Point passé"]


def test_public_meetings_for_staff_show_what_they_may_see(world):
    s = scenario(world)
    view, html = view_as(world, "public-meetings", "manager")
    with api.env.adopt_user(username="manager"):
        upcoming = view.upcoming()
    assert [m["url"] for m in upcoming] == [s.frozen.absolute_url(), s.created.absolute_url()]
    assert [i["title"] for i in upcoming[0]["agenda"]] == [
        "Travaux & <égouts> de la rue Haute",
        "Dossier disciplinaire",
    ]
    assert upcoming[0]["agenda"][0]["decision"] is None  # not decided yet


def test_archive_lists_published_decisions_only(world):
    s = scenario(world)
    s.decide()
    view, html = view_as(world, "decisions-archive", None)
    assert view.rows() == []
    assert "No decision found." in html
    s.world.transition(s.frozen, "publish_decisions")
    view, html = view_as(world, "decisions-archive", None)
    rows = view.rows()
    assert [row["title"] for row in rows] == ["Travaux & <égouts> de la rue Haute"]
    assert "Décide la réfection des égouts." in rows[0]["decision"]
    assert rows[0]["outcome"] == "Accepted"
    assert "Sanction." not in html and "Dossier disciplinaire" not in html
    # Staff see the secret decision they may read
    view, html = view_as(world, "decisions-archive", "manager")
    with api.env.adopt_user(username="manager"):
        assert sorted(row["title"] for row in view.rows()) == [
            "Dossier disciplinaire",
            "Travaux & <égouts> de la rue Haute",
        ]


@pytest.fixture
def archive(world):
    """Three published decisions over two meetings."""
    first = world.validated_item("Égouts de la rue Haute", category="travaux")
    second = world.validated_item("Règlement du cimetière", category="administration")
    third = world.validated_item("Égouts de la rue Basse", category="travaux")
    one = agenda_of(world, datetime(2026, 3, 3, 20, 0), first, second)
    two = agenda_of(world, datetime(2026, 4, 7, 20, 0), third)
    for meeting, items in ((one, (first, second)), (two, (third,))):
        world.transition(meeting, "freeze", "decide")
        for item in items:
            world.transition(item, "accept")
        world.transition(meeting, "publish_decisions")
    return world


def archive_titles(world, **form):
    view, _html = view_as(world, "decisions-archive", None, **form)
    return [row["title"] for row in view.rows()]


def test_archive_search(archive):
    titles = archive_titles(archive)
    assert titles[0] == "Égouts de la rue Basse"  # latest meeting first
    assert sorted(titles[1:]) == ["Règlement du cimetière", "Égouts de la rue Haute"]
    assert sorted(archive_titles(archive, text="égouts")) == [
        "Égouts de la rue Basse",
        "Égouts de la rue Haute",
    ]
    assert archive_titles(archive, category="administration") == ["Règlement du cimetière"]
    assert sorted(archive_titles(archive, start="2026-03-01", end="2026-03-31")) == [
        "Règlement du cimetière",
        "Égouts de la rue Haute",
    ]
    assert archive_titles(archive, start="2026-04-01", category="travaux") == [
        "Égouts de la rue Basse"
    ]


def test_archive_is_batched(archive, monkeypatch):
    monkeypatch.setattr(public, "BATCH_SIZE", 2)
    view, html = view_as(archive, "decisions-archive", None)
    first_page = [row["title"] for row in view.rows()]
    assert len(first_page) == 2 and view.batch.sequence_length == 3
    assert re.search(r"b_start(:int)?=2", html)
    view, _html = view_as(archive, "decisions-archive", None, b_start="2")
    second_page = [row["title"] for row in view.rows()]
    assert sorted(first_page + second_page) == [
        "Règlement du cimetière",
        "Égouts de la rue Basse",
        "Égouts de la rue Haute",
    ]


def test_pages_are_accessible_html(world):
    scenario(world)
    for name in ("public-meetings", "decisions-archive"):
        _view, html = view_as(world, name, None)
        assert re.search(r'<html[^>]* lang="[a-z]{2}', html)
        assert len(re.findall(r"<h1[ >]", html)) == 1
        for field_id in re.findall(r'<(?:input|select)[^>]*\sid="([^"]+)"', html):
            if field_id.startswith(("archive-", "search-")):
                assert f'for="{field_id}"' in html, field_id


# Over HTTP, as an anonymous visitor


@pytest.fixture
def site(functional_portal):
    alsoProvides(functional_portal.REQUEST, IMeetingsLayer)
    s = scenario(build(functional_portal))
    transaction.commit()
    return s


def anonymous(s, name):
    return requests.get(f"{s.college.absolute_url()}/@@{name}")


def test_http_public_agenda_of_a_frozen_meeting(site):
    response = anonymous(site, "public-meetings")
    assert response.status_code == 200
    html = response.text
    agenda = re.findall(
        r'<span class="item-number[^"]*">([^<]*)</span>\s*<a href="[^"]*">([^<]*)</a>', html
    )
    assert agenda == [("1.", "Travaux &amp; &lt;égouts&gt; de la rue Haute")]
    assert "Dossier disciplinaire" not in html  # secret
    assert "Point en préparation" not in html  # its meeting is still "created"
    assert site.created.absolute_url() not in html


def test_http_decision_public_once_published(site):
    site.decide()
    transaction.commit()
    html = anonymous(site, "public-meetings").text
    assert "Travaux &amp; &lt;égouts&gt; de la rue Haute" in html
    assert "Décide la réfection des égouts." not in html
    assert "Décide la réfection des égouts." not in anonymous(site, "decisions-archive").text
    assert "Décide la réfection" not in anonymous(site, "decisions.rss").text
    site.world.transition(site.frozen, "publish_decisions")
    transaction.commit()
    html = anonymous(site, "public-meetings").text
    assert "Décide la réfection des égouts." in html
    assert "Sanction." not in html
    assert "Décide la réfection des égouts." in anonymous(site, "decisions-archive").text
    site.world.transition(site.frozen, "close")
    transaction.commit()
    assert "Décide la réfection des égouts." in anonymous(site, "public-meetings").text


def test_http_ical_feed_lists_visible_meetings(site):
    response = anonymous(site, "meetings.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(event["URL"]) for event in events] == [site.frozen.absolute_url()]
    (event,) = events
    assert event["SUMMARY"] == f"Collège communal – {site.frozen.title}"
    assert event["LOCATION"] == site.frozen.place
    assert event.decoded("DTSTART").replace(tzinfo=None) == site.frozen.date
    assert str(event["UID"]).startswith(site.frozen.UID())
    # The meeting managers see the created meeting as well
    response = requests.get(
        f"{site.college.absolute_url()}/@@meetings.ics", auth=("manager", "secret-password")
    )
    urls = [str(e["URL"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")]
    assert urls == [site.frozen.absolute_url(), site.created.absolute_url()]


def rss_items(response):
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    return [{child.tag: child.text for child in element} for element in root.iter("item")]


def test_http_rss_feed_lists_visible_decisions(site):
    response = anonymous(site, "decisions.rss")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/rss+xml")
    assert rss_items(response) == []
    site.decide(publish=True)
    transaction.commit()
    (entry,) = rss_items(anonymous(site, "decisions.rss"))
    assert entry["title"] == "Travaux & <égouts> de la rue Haute"
    assert entry["link"] == site.public_item.absolute_url()
    assert entry["description"] == "Décide la réfection des égouts."
    assert entry["pubDate"]
    response = requests.get(
        f"{site.college.absolute_url()}/@@decisions.rss", auth=("manager", "secret-password")
    )
    assert sorted(e["title"] for e in rss_items(response)) == [
        "Dossier disciplinaire",
        "Travaux & <égouts> de la rue Haute",
    ]
