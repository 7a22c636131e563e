"""The item page: fields, decision, place on the agenda, annexes, advices, history, links."""

from communesplone.core import calendar
from communesplone.meetings import advices
from communesplone.meetings import agenda
from communesplone.meetings.interfaces import IMeetingsLayer
from communesplone.meetings.testing import as_user
from communesplone.meetings.testing import build
from communesplone.meetings.workflows import present
from datetime import date
from datetime import timedelta
from plone import api
from plone.app.textfield.value import RichTextValue
from plone.namedfile.file import NamedBlobFile
from types import SimpleNamespace
from zope.interface import alsoProvides

import pytest


@pytest.fixture
def world(portal):
    alsoProvides(portal.REQUEST, IMeetingsLayer)
    return build(portal)


def page(item, user):
    """What the item page shows to ``user`` (None: an anonymous visitor)."""
    request = item.REQUEST
    request.form.clear()

    def render():
        view = api.content.get_view("view", item, request)
        return SimpleNamespace(
            html=view(),
            fields={field["label"]: field["value"] for field in view.fields()},
            motivation=view.motivation(),
            decision=view.decision(),
            meeting=view.meeting(),
            neighbours=view.neighbours(),
            annexes=view.annexes(),
            advices=view.advices(),
            asked=view.advices_asked(),
            add_annex=view.add_annex_url(),
            add_advice=view.add_advice_url(),
            history=view.history(),
            related=view.related(),
        )

    return as_user(user, render)


def rich(text):
    return RichTextValue(text, "text/html", "text/x-html-safe")


def test_fields(world):
    meeting = world.meeting()
    item = world.item(
        "Réfection de la rue Haute",
        category="travaux",
        motivation=rich("<p>Vu l'état de la voirie;</p>"),
        decision=rich("<p>Approuve le cahier des charges.</p>"),
        preferred_meeting=meeting.UID(),
    )
    shown = page(item, "editor_a")
    assert shown.fields == {
        "Service": "Travaux",
        "Category": "Travaux publics",
        "Privacy": "Public",
        "List": "Normal",
        "Preferred meeting": meeting.title,
        "To discuss": "Yes",
        "State": "Created",
    }
    assert "Vu l'état de la voirie;" in shown.motivation
    assert "Approuve le cahier des charges." in shown.decision
    assert "Approuve le cahier des charges." in shown.html
    assert shown.meeting is None
    assert shown.neighbours == {"previous": None, "next": None}


def test_decision_only_with_the_view_decision_permission(world):
    meeting = world.meeting()
    item = world.validated_item("Voirie", decision=rich("<p>Décide de réparer.</p>"))
    world.transition(item, "present")
    world.transition(meeting, "freeze", "decide")
    world.transition(item, "accept")
    assert "Décide de réparer." in page(item, "manager").html
    anonymous = page(item, None)
    assert "Voirie" in anonymous.html  # the public item is public…
    assert anonymous.decision is None  # …its decision not yet
    assert "Décide de réparer." not in anonymous.html
    world.transition(meeting, "publish_decisions")
    assert "Décide de réparer." in page(item, None).html


def test_place_on_the_agenda_and_neighbours_the_user_may_see(world):
    meeting = world.meeting()
    first = world.validated_item("Premier")
    secret = world.validated_item("Huis clos", privacy="secret")
    third = world.validated_item("Troisième")
    with api.env.adopt_user(username="manager"):
        present([first, secret, third], meeting)
    shown = page(secret, "manager")
    assert shown.meeting == {
        "title": meeting.title,
        "url": meeting.absolute_url(),
        "number": "2",
        "reference": f"2026/{meeting.meeting_number}/2",
    }
    assert shown.neighbours["previous"]["url"] == first.absolute_url()
    assert shown.neighbours["next"]["url"] == third.absolute_url()
    assert 'rel="prev"' in shown.html and 'rel="next"' in shown.html
    # The observer sees neither the secret item nor the meeting, not public yet
    shown = page(first, "observer")
    assert shown.neighbours == {
        "previous": None,
        "next": {"title": "Troisième", "url": third.absolute_url(), "number": "3"},
    }
    assert shown.meeting["url"] is None and shown.meeting["number"] == "1"
    assert "Huis clos" not in shown.html


def add_annex(item, title, **flags):
    with api.env.adopt_roles(["Manager"]):
        return api.content.create(
            container=item,
            type="meeting_annex",
            title=title,
            file=NamedBlobFile(data=b"%PDF-1.4 test", filename=f"{title}.pdf"),
            **flags,
        )


def test_annexes_and_decision_annexes_confidential_ones_marked(world):
    item = world.item()
    add_annex(item, "Plan")
    add_annex(item, "Note interne", confidential=True)
    add_annex(item, "Délibération signée", decision_annex=True)
    shown = page(item, "editor_a")
    assert [(a["title"], a["confidential"]) for a in shown.annexes["item"]] == [
        ("Plan", False),
        ("Note interne", True),
    ]
    assert [a["title"] for a in shown.annexes["decision"]] == ["Délibération signée"]
    assert shown.annexes["item"][0]["url"].endswith("/plan/@@download/file")
    assert shown.html.count("confidential-marker") == 1
    shown = page(item, "observer")
    assert [a["title"] for a in shown.annexes["item"]] == ["Plan"]
    assert "Note interne" not in shown.html


def test_add_annex_link_follows_the_permission(world):
    item = world.item()
    assert page(item, "editor_a").add_annex == f"{item.absolute_url()}/++add++meeting_annex"
    assert page(item, "observer").add_annex is None
    world.transition(item, "propose", user="editor_a")
    assert page(item, "editor_a").add_annex is None
    assert page(item, "reviewer").add_annex is not None


def test_advices_asked_and_given(world):
    item = world.item(advices_asked=[{"service": "finances", "deadline_days": 10}])
    world.transition(item, "propose", user="editor_a")
    # 10 days, to the next working day if the 10th is a closing day
    due = calendar.next_working_day(date.today() + timedelta(days=10))
    deadline = api.portal.get_localized_time(datetime=due)
    shown = page(item, "editor_a")
    assert shown.asked == [
        {
            "service": "Finances",
            "deadline": deadline,
            "delay": "",
            "given": False,
            "mandatory": False,
            "extension": "",
            "extension_days": 0,
            "status": "Awaited",
            "overdue": False,
        }
    ]
    assert shown.add_advice is None  # not an adviser
    adviser = page(item, "adviser")
    assert adviser.add_advice == f"{item.absolute_url()}/++add++meeting_advice"
    with api.env.adopt_user(username="adviser"):
        advice = api.content.create(
            container=item,
            type="meeting_advice",
            id="avis-finances",
            service="finances",
            advice_type="positive_with_remarks",
            comment="Prévoir le crédit à la modification budgétaire.",
        )
    assert page(item, "adviser").add_advice is None  # written already
    assert page(item, "editor_a").advices == []  # being written: the service does not see it
    world.transition(advice, "signAdvice", "giveAdvice", user="adviser")
    shown = page(item, "editor_a")
    (given,) = shown.advices
    assert given["service"] == "Finances"
    assert given["type"] == "Positive with remarks"
    assert given["comment"] == "Prévoir le crédit à la modification budgétaire."
    assert given["given_on"] == api.portal.get_localized_time(datetime=date.today())
    assert shown.asked[0]["given"] is True and shown.asked[0]["status"] == "Given"
    assert "Prévoir le crédit" in shown.html


def test_overdue_advice_is_marked(world):
    item = world.item(advices_asked=[{"service": "finances", "deadline_days": 10}])
    world.transition(item, "propose", user="editor_a")
    advices.ask(item, today=date.today() - timedelta(days=30), again=True)  # asked 30 days ago
    item.reindexObject()
    shown = page(item, "editor_a")
    assert shown.asked[0]["overdue"] is True
    assert "overdue-marker" in shown.html


def test_history_is_plone_content_history_for_those_who_may_see_it(world):
    item = world.item()
    world.transition(item, "propose", user="editor_a")
    shown = page(item, "reviewer")
    assert 'id="history-list"' in shown.history
    assert "historyAction state-propose" in shown.html
    assert page(item, "observer").history is None


def test_links_to_copies_and_forwarded_items(world):
    meeting = world.meeting()
    delayed = world.validated_item("Reporté")
    forwarded = world.validated_item("Au conseil", forward=True)
    with api.env.adopt_user(username="manager"):
        present([delayed, forwarded], meeting)
    world.transition(meeting, "freeze", "decide")
    world.transition(delayed, "delay")
    world.transition(forwarded, "accept")
    copy = agenda.by_uid(delayed.successor_uid)
    sent = agenda.by_uid(forwarded.forwarded_to_uid)
    assert page(delayed, "manager").related == []  # the copy is back with its service
    assert page(delayed, "reviewer").related == [
        {"label": "Copied to", "title": "Reporté", "url": copy.absolute_url()}
    ]
    assert page(copy, "editor_a").related == [
        {"label": "Copied from", "title": "Reporté", "url": delayed.absolute_url()}
    ]
    assert page(forwarded, "manager").related == [
        {"label": "Sent to", "title": "Au conseil", "url": sent.absolute_url()}
    ]
    assert page(sent, "manager").related == [
        {"label": "Received from", "title": "Au conseil", "url": forwarded.absolute_url()}
    ]
