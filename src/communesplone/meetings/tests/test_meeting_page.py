"""The meeting page: agenda, presenting items, batch transitions, reordering,
the decision's quick edit and the attendance page; as views, then over HTTP."""

from communesplone.meetings import agenda
from communesplone.meetings.browser.meeting import MeetingView
from communesplone.meetings.interfaces import IMeetingsLayer
from communesplone.meetings.testing import build
from communesplone.meetings.testing import PASSWORD
from dataclasses import dataclass
from plone import api
from plone.app.textfield.value import RichTextValue
from plone.protect import createToken
from Products.statusmessages.interfaces import IStatusMessage
from zExceptions import Forbidden
from zExceptions import Unauthorized
from zope.interface import alsoProvides

import json
import pytest
import re
import requests
import transaction


@dataclass
class Result:
    body: str
    status: int
    location: str
    messages: list


def call(context, name, user, form=None, post=False, token=True):
    """Traverse to ``@@name`` on ``context`` as ``user`` (so its permission applies), call it."""
    request = context.REQUEST
    alsoProvides(request, IMeetingsLayer)
    request.response.setStatus(200)
    IStatusMessage(request).show()
    request.response.headers.pop("location", None)
    request.form.clear()
    request.form.update(form or {})
    request.environ["REQUEST_METHOD"] = "POST" if post else "GET"
    try:
        with api.env.adopt_user(username=user):
            if post and token:
                request.form["_authenticator"] = createToken()
            body = context.restrictedTraverse(f"@@{name}")()
    finally:
        request.environ["REQUEST_METHOD"] = "GET"
    return Result(
        body=body,
        status=request.response.getStatus(),
        location=request.response.getHeader("location") or "",
        messages=[message.message for message in IStatusMessage(request).show()],
    )


def numbers(meeting):
    """[(number label, title)] of the agenda, in order."""
    return [(agenda.number_label(i.item_number), i.title) for i in agenda.items(meeting)]


@pytest.fixture
def world(portal):
    return build(portal)


@pytest.fixture
def meeting(world):
    return world.meeting()


def test_meeting_page_is_the_default_view(world, meeting):
    alsoProvides(meeting.REQUEST, IMeetingsLayer)
    with api.env.adopt_user(username="manager"):
        view = meeting.restrictedTraverse(meeting.getLayout())
    assert isinstance(view, MeetingView)


def test_agenda_numbered_in_public_and_closed_sessions(world, meeting):
    public = world.validated_item("Réfection de la rue Haute", category="travaux")
    secret = world.validated_item("Personnel: nomination", category="administration")
    secret.privacy = "secret"
    secret.reindexObject()
    world.transition(public, "present")
    world.transition(secret, "present")
    world.transition(meeting, "freeze")
    late = world.validated_item("Subside urgent", service="population")
    world.transition(late, "present")
    page = call(meeting, "view", "manager").body
    public_part, closed_part = page.split('id="session-closed"')
    assert "Réfection de la rue Haute" in public_part
    assert "Subside urgent" in public_part
    assert "Personnel: nomination" in closed_part
    assert "Personnel: nomination" not in public_part
    assert "Travaux publics" in public_part  # the category's title
    assert "Administration générale" in closed_part
    assert ">Population<" in public_part  # the service's title
    row = re.search(rf'<tr id="item-{late.UID()}".*?</tr>', page, re.S).group(0)
    assert "Late" in row
    assert re.search(r'agenda-number">\s*3\s*<', row)
    assert f"{late.absolute_url()}/@@votes" in row
    assert f"{late.absolute_url()}/@@edit-decision" in row
    secret_row = re.search(rf'<tr id="item-{secret.UID()}".*?</tr>', page, re.S).group(0)
    assert "Closed session" in secret_row
    assert re.search(r'agenda-number">\s*1\s*<', secret_row)  # administration first


def test_present_selected_items(world, meeting):
    first = world.validated_item("Un")
    second = world.validated_item("Deux", service="population")
    draft = world.item("Brouillon")  # not validated: the managers do not even see it
    proposed = world.item("Proposé")  # not validated yet: seen, but not presentable
    world.transition(proposed, "propose", user="editor_a")
    page = call(meeting, "view", "manager").body
    assert f'id="present-{first.UID()}"' in page
    assert f'id="present-{second.UID()}"' in page
    assert draft.UID() not in page
    result = call(
        meeting,
        "present-items",
        "manager",
        {"uids": [second.UID(), first.UID(), draft.UID(), proposed.UID()]},
        post=True,
    )
    assert result.location == meeting.absolute_url()
    assert numbers(meeting) == [("1", "Deux"), ("2", "Un")]
    assert "2 items presented." in result.messages
    assert "1 selected item is no longer waiting to be presented." in result.messages
    assert (
        "Not presented: Proposé. Only the body's validated items can be presented."
        in result.messages
    )
    assert api.content.get_state(proposed) == "proposed"
    assert api.content.get_state(draft) == "itemcreated"
    page = call(meeting, "view", "manager").body
    assert f'id="present-{first.UID()}"' not in page  # presented now: on the agenda


def test_present_refused_when_meeting_no_longer_accepts_items(world, meeting):
    item = world.validated_item("Un")
    world.transition(meeting, "freeze", "decide", "publish_decisions")
    assert 'id="available-items-title"' not in call(meeting, "view", "manager").body
    result = call(meeting, "present-items", "manager", {"uids": [item.UID()]}, post=True)
    assert result.messages == ["This meeting no longer accepts items."]
    assert api.content.get_state(item) == "validated"
    world.transition(meeting, "close")
    with pytest.raises(Unauthorized):  # closed: only administrators may act on the meeting
        call(meeting, "present-items", "manager", {"uids": [item.UID()]}, post=True)


def test_batch_transition(world, meeting):
    first, second, third = (world.validated_item(t) for t in ("Un", "Deux", "Trois"))
    for item in (first, second, third):
        world.transition(item, "present")
    world.transition(meeting, "freeze", "decide")
    world.transition(third, "refuse")
    page = call(meeting, "view", "manager").body
    assert 'value="accept"' in page and 'value="itemfreeze"' not in page
    result = call(
        meeting,
        "agenda-transition",
        "manager",
        {"transition": "accept", "uids": [first.UID(), second.UID(), third.UID()]},
        post=True,
    )
    assert result.location == meeting.absolute_url()
    assert api.content.get_state(first) == "accepted"
    assert api.content.get_state(second) == "accepted"
    assert api.content.get_state(third) == "refused"
    assert '"Accept" applied to 2 items.' in result.messages
    assert '"Accept" is not possible in their current state for: 3. Trois.' in result.messages


def test_counts_said_in_singular_and_plural(world, meeting):
    item = world.validated_item("Un")
    result = call(meeting, "present-items", "manager", {"uids": [item.UID()]}, post=True)
    assert result.messages == ["1 item presented."]
    world.transition(meeting, "freeze", "decide")
    result = call(
        meeting,
        "agenda-transition",
        "manager",
        {"transition": "accept", "uids": [item.UID(), "gone"]},
        post=True,
    )
    assert result.messages == [
        '"Accept" applied to 1 item.',
        "1 selected item is no longer on this agenda.",
    ]


def test_votes_link_for_those_who_read_the_decision(world, meeting):
    item = world.validated_item("Un")
    world.transition(item, "present")
    world.transition(meeting, "freeze")  # the agenda is public, not the decisions
    votes_url = f"{item.absolute_url()}/@@votes"
    page = call(meeting, "view", "citizen").body
    assert f'id="item-{item.UID()}"' in page
    assert votes_url not in page
    assert votes_url in call(meeting, "view", "member").body
    assert votes_url in call(meeting, "view", "manager").body
    world.transition(meeting, "decide", "publish_decisions")
    assert votes_url in call(meeting, "view", "citizen").body


def test_batch_transition_refuses_unknown_actions(world, meeting):
    item = world.validated_item("Un")
    world.transition(item, "present")
    result = call(
        meeting,
        "agenda-transition",
        "manager",
        {"transition": "propose", "uids": [item.UID()]},
        True,
    )
    assert result.messages == ["Choose an action to apply."]
    assert api.content.get_state(item) == "presented"


def test_agenda_move(world, meeting):
    items = [world.validated_item(title) for title in ("Un", "Deux", "Trois")]
    for item in items:
        world.transition(item, "present")
    result = call(
        meeting, "agenda-move", "manager", {"uid": items[2].UID(), "position": "1"}, post=True
    )
    assert json.loads(result.body) == {
        "uid": items[2].UID(),
        "item_number": 100,
        "number": "1",
    }
    assert numbers(meeting) == [("1", "Trois"), ("2", "Un"), ("3", "Deux")]
    result = call(
        meeting,
        "agenda-move",
        "manager",
        {"uid": items[1].UID(), "position": "3", "subitem": "1"},
        post=True,
    )
    assert json.loads(result.body)["number"] == "2.1"
    assert numbers(meeting) == [("1", "Trois"), ("2", "Un"), ("2.1", "Deux")]
    result = call(
        meeting, "agenda-move", "manager", {"uid": items[0].UID(), "position": "9"}, post=True
    )
    assert result.status == 400
    assert json.loads(result.body) == {"error": "The position must be between 1 and 3."}
    assert numbers(meeting) == [("1", "Trois"), ("2", "Un"), ("2.1", "Deux")]


def test_agenda_move_fallback_form(world, meeting):
    items = [world.validated_item(title) for title in ("Un", "Deux")]
    for item in items:
        world.transition(item, "present")
    page = call(meeting, "view", "manager").body
    assert 'name="fallback"' in page
    result = call(
        meeting,
        "agenda-move",
        "manager",
        {"uid": items[1].UID(), "position": "1", "fallback": "1", "subitem": "0"},
        post=True,
    )
    assert result.location == meeting.absolute_url()
    assert result.messages == ["The item is now number 1."]
    assert numbers(meeting) == [("1", "Deux"), ("2", "Un")]
    result = call(
        meeting,
        "agenda-move",
        "manager",
        {"uid": items[1].UID(), "position": "1", "fallback": "1", "subitem": "1"},
        post=True,
    )
    assert result.messages == ["The first item cannot be a sub-item."]
    assert numbers(meeting) == [("1", "Deux"), ("2", "Un")]


def test_actions_need_post_authenticator_and_permission(world, meeting):
    item = world.validated_item("Un")
    world.transition(item, "present")
    form = {"uid": item.UID(), "position": "1"}
    with pytest.raises(Forbidden):
        call(meeting, "agenda-move", "manager", form)  # GET
    with pytest.raises(Forbidden):
        call(meeting, "agenda-move", "manager", form, post=True, token=False)
    for name in ("agenda-move", "present-items", "agenda-transition", "attendance"):
        with pytest.raises(Unauthorized):
            call(meeting, name, "editor_a", form, post=True)


def test_staff_without_review_permission_see_no_controls(world, meeting):
    mine = world.validated_item("Voirie")
    other = world.validated_item("État civil", service="population")
    world.transition(mine, "present")
    world.transition(other, "present")
    page = call(meeting, "view", "editor_a").body
    assert "Voirie" in page
    assert "État civil" not in page  # another service's item: the catalog hides it
    assert "agenda-batch" not in page
    assert "@@agenda-move" not in page
    assert "@@present-items" not in page
    assert "@@edit-decision" not in page
    assert "@@attendance" not in page
    assert 'draggable="true"' not in page
    page = call(meeting, "view", "editor_b").body
    assert "État civil" in page and "Voirie" not in page


def test_edit_decision(world, meeting):
    item = world.validated_item("Un")
    world.transition(item, "present")
    request = item.REQUEST
    alsoProvides(request, IMeetingsLayer)
    page = call(item, "edit-decision", "manager").body
    assert 'name="form.widgets.decision"' in page
    assert "Decision of 1. Un" in page
    assert "form.widgets.title" not in page
    result = call(
        item,
        "edit-decision",
        "manager",
        {
            "form.widgets.decision": "<p>Le Collège décide d'approuver.</p>",
            "form.widgets.decision.mimeType": "text/html",
            "form.buttons.save": "Save",
        },
        post=True,
    )
    assert result.location == f"{meeting.absolute_url()}#item-{item.UID()}"
    assert "Le Collège décide d'approuver." in item.decision.raw
    with pytest.raises(Unauthorized):  # the service's editor may not modify a presented item
        call(item, "edit-decision", "editor_a")


def test_attendance(world, meeting):
    page = call(meeting, "attendance", "manager").body
    for person in ("Jean Dupont", "Anne Martin", "Paul Leroy", "Delphine Godin"):
        assert person in page
    form = {
        "status.dupont": "present",
        "status.martin": "excused",
        "status.leroy": "represented",
        "represented_by.leroy": "dupont",
        "status.godin": "present",
        "represented_by.godin": "martin",  # ignored: Godin is present
        "form.buttons.save": "1",
    }
    result = call(meeting, "attendance", "manager", form, post=True)
    assert result.location == meeting.absolute_url()
    assert meeting.attendance_of("martin") == ("excused", None)
    assert meeting.attendance_of("leroy") == ("represented", "dupont")
    assert meeting.attendance_of("godin") == ("present", None)


@pytest.mark.parametrize(
    "represented_by, message",
    [
        ("", "Paul Leroy is represented: choose the member who represents them."),
        ("leroy", "Paul Leroy must be represented by another member of the body."),
        ("nobody", "Paul Leroy must be represented by another member of the body."),
        ("martin", "Paul Leroy cannot be represented by Anne Martin, who is not present."),
    ],
)
def test_attendance_refuses_bad_representation(world, meeting, represented_by, message):
    before = list(meeting.attendance)
    form = {
        "status.martin": "absent",
        "status.leroy": "represented",
        "represented_by.leroy": represented_by,
        "form.buttons.save": "1",
    }
    result = call(meeting, "attendance", "manager", form, post=True)
    assert result.location == ""
    assert message in result.body  # the page is shown again, with the message
    assert meeting.attendance == before
    # the form is shown again with what was chosen
    assert re.search(r'<option value="absent"\s+selected', result.body.split("status.martin")[1])


def test_attendance_refuses_unknown_status(world, meeting):
    form = {"status.martin": "asleep", "form.buttons.save": "1"}
    result = call(meeting, "attendance", "manager", form, post=True)
    assert (
        "The attendance of Anne Martin must be present, absent, excused, represented or "
        "replaced." in result.body
    )
    assert meeting.attendance == []


# Over HTTP: the pages as a browser gets them, auto-CSRF protection included.


def token_of(html):
    return re.search(r'name="_authenticator" value="([^"]+)"', html).group(1)


def agenda_order(html):
    return re.findall(r'<a href="[^"]+" id="title-[^"]+">([^<]+)</a>', html)


@pytest.fixture
def site(functional_portal):
    world = build(functional_portal)
    meeting = world.meeting()
    items = [world.validated_item(title) for title in ("Un", "Deux")]
    other = world.validated_item("État civil", service="population")
    world.transition(other, "present")
    with api.env.adopt_roles(["Manager"]):
        decision = RichTextValue("<p>Décision</p>", "text/html", "text/x-html-safe")
        items[0].decision = decision
    transaction.commit()
    return world, meeting, items


def session(login=None):
    http = requests.Session()
    if login:
        http.auth = (login, PASSWORD)
    return http


def test_meeting_page_over_http(site):
    world, meeting, items = site
    url = meeting.absolute_url()
    manager = session("manager")
    page = manager.get(url)
    assert page.status_code == 200
    assert "agenda.js" in page.text
    token = token_of(page.text)
    response = manager.post(
        f"{url}/@@present-items",
        data={"uids:list": [item.UID() for item in items], "_authenticator": token},
    )
    assert response.status_code == 200 and response.url == url
    assert "2 items presented." in response.text
    assert agenda_order(response.text) == ["État civil", "Un", "Deux"]
    assert re.search(
        r'agenda-number">\s*3\s*</td>\s*<td>[^<]*</td>\s*<td>\s*<a[^>]*>Deux<', response.text
    )

    moved = manager.post(
        f"{url}/@@agenda-move",
        data={"uid": items[1].UID(), "position": "1", "_authenticator": token},
    )
    assert moved.status_code == 200 and moved.json()["number"] == "1"
    refused = manager.post(
        f"{url}/@@agenda-move",
        data={"uid": items[0].UID(), "position": "0", "_authenticator": token},
    )
    assert refused.status_code == 400
    assert refused.json() == {"error": "The position must be between 1 and 3."}
    forged = manager.post(f"{url}/@@agenda-move", data={"uid": items[0].UID(), "position": "1"})
    assert forged.status_code == 403
    page = manager.get(url)
    assert agenda_order(page.text) == ["Deux", "État civil", "Un"]

    page = session("editor_a").get(url)
    assert page.status_code == 200
    assert agenda_order(page.text) == ["Deux", "Un"]  # not the population's item
    assert "agenda-batch" not in page.text

    transaction.begin()  # see what the server did
    world.transition(meeting, "freeze")  # frozen: the meeting and its public items are public
    transaction.commit()
    page = session().get(url)
    assert page.status_code == 200
    assert "Un" in agenda_order(page.text)
    assert "agenda-batch" not in page.text
    assert "@@agenda-move" not in page.text and "uids:list" not in page.text
    anonymous = session().post(
        f"{url}/@@agenda-move", data={"position": "1"}, allow_redirects=False
    )
    assert anonymous.status_code == 302 and "require_login" in anonymous.headers["Location"]
