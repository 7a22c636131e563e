"""The permission matrix of the meetings' own pages and endpoints, over HTTP.

``test_permissions.py`` checks who views and edits each object; this module
checks the pages and endpoints that the meetings application adds, with the
same :class:`Matrix` (mismatches listed together as one table), the same
roles plus the site's administrators (Site Administrator), in the states that
change the answer. The tables are written from the application's intent:

- an item's **votes** are part of its decision: ``@@votes`` and REST GET
  ``@votes`` are for whoever may read the decision ("View decision": the
  public once the meeting's decisions are published, never for a secret
  item); ``@@encode-votes`` and REST PATCH ``@votes`` for the meeting
  managers while the meeting runs (frozen, decided, decisions published) and
  for the site's administrators, also once it is closed;
- ``@@edit-decision`` is for whoever may modify the item and read its
  decision: the proposing service's editor while the item is created, then
  the meeting managers until the meeting is closed, the site's
  administrators always;
- a meeting's **actions** (``@@attendance``, ``@@present-items``,
  ``@@agenda-move``, ``@@agenda-transition``, REST PATCH ``@agenda``) are for
  the meeting managers until the meeting is closed, and for the site's
  administrators; REST GET ``@agenda`` for whoever views the meeting.

Codes: "-" refused (as Plone refuses: 401, 403 or the login form), "v" read
only, "e" read and write. A write that is allowed must also be done (the
database says so); a refused one must change nothing. All reads are checked
before any write, refused writes before allowed ones.
"""

from communesplone.core.matrix import Matrix
from communesplone.meetings import agenda
from communesplone.meetings import votes
from communesplone.meetings import workflows
from communesplone.meetings.testing import build
from communesplone.meetings.testing import PASSWORD
from communesplone.meetings.tests import test_permissions
from communesplone.meetings.tests.test_meeting_page import call
from datetime import datetime
from plone import api
from plone.app.textfield.value import RichTextValue
from plone.protect import createToken
from zExceptions import Unauthorized

import pytest
import transaction


ROLES = (*test_permissions.ROLES, "siteadmin")
CODES = {"-": (False, False), "v": (True, False), "e": (True, True)}

# --- An item's votes: @@votes and GET @votes ("v"); @@encode-votes and PATCH @votes ("e")
VOTES = {
    #                                               anon cit  ed_a ed_b rev  mgr  mem  obs  adv  sadm  # noqa: E501
    "public itemcreated":                          "-    -    v    -    v    -    -    v    -    v",
    "public presented, meeting created":           "-    -    v    -    v    v    -    v    v    v",
    "public itemfrozen, meeting frozen":           "-    -    v    -    v    e    v    v    v    e",
    "public accepted, meeting decided":            "-    -    v    -    v    e    v    v    v    e",
    "public accepted, meeting decisions_published":"v    v    v    v    v    e    v    v    v    e",
    "public accepted, meeting closed":             "v    v    v    v    v    v    v    v    v    e",
    "secret itemfrozen, meeting frozen":           "-    -    v    -    v    e    v    -    -    e",
    "secret accepted, meeting decided":            "-    -    v    -    v    e    v    -    -    e",
    "secret accepted, meeting decisions_published":"-    -    v    -    v    e    v    -    -    e",
}  # fmt: skip

# --- An item's decision: @@edit-decision ("e": the form, and saving it)
DECISION = {
    #                                               anon cit  ed_a ed_b rev  mgr  mem  obs  adv  sadm  # noqa: E501
    "public itemcreated":                          "-    -    e    -    -    -    -    -    -    e",
    "public presented, meeting created":           "-    -    -    -    -    e    -    -    -    e",
    "public itemfrozen, meeting frozen":           "-    -    -    -    -    e    -    -    -    e",
    "public accepted, meeting decided":            "-    -    -    -    -    e    -    -    -    e",
    "public accepted, meeting decisions_published":"-    -    -    -    -    e    -    -    -    e",
    "public accepted, meeting closed":             "-    -    -    -    -    -    -    -    -    e",
    "secret itemfrozen, meeting frozen":           "-    -    -    -    -    e    -    -    -    e",
    "secret accepted, meeting decided":            "-    -    -    -    -    e    -    -    -    e",
    "secret accepted, meeting decisions_published":"-    -    -    -    -    e    -    -    -    e",
}  # fmt: skip

# --- A meeting: GET @agenda ("v"); @@attendance (page and saving it),
# @@present-items, @@agenda-move, @@agenda-transition and PATCH @agenda ("e")
MEETINGS = {
    #                        anon cit  ed_a ed_b rev  mgr  mem  obs  adv  sadm
    "created":              "-    -    v    v    -    e    -    -    -    e",
    "frozen":               "v    v    v    v    v    e    v    v    v    e",
    "decided":              "v    v    v    v    v    e    v    v    v    e",
    "decisions_published":  "v    v    v    v    v    e    v    v    v    e",
    "closed":               "v    v    v    v    v    v    v    v    v    e",
}  # fmt: skip

MEETING_DAYS = {
    "decided": datetime(2026, 11, 3, 20, 0),
    "decisions_published": datetime(2026, 11, 10, 20, 0),
    "closed": datetime(2026, 11, 17, 20, 0),
    "frozen": datetime(2026, 11, 24, 20, 0),
    "created": datetime(2026, 12, 1, 20, 0),
}
MARKER = "Vote of the matrix"
MARKER_VOTE = {
    "label": MARKER,
    "secret": False,
    "voters": {"dupont": "yes", "martin": "no", "leroy": "yes"},
}
# The batch transition that each meeting state allows on one of its items, by
# the item's state: it toggles the item between two states.
RETURNED = "returned_to_proposing_group"
TOGGLES = {
    "created": {"presented": "return_to_proposing_group", RETURNED: "backToPresented"},
    "frozen": {"itemfrozen": "return_to_proposing_group", RETURNED: "backToItemFrozen"},
    "decided": {"accepted": "backToItemFrozen", "itemfrozen": "accept"},
}
JSON = {"Accept": "application/json"}


def _decision(text):
    return RichTextValue(f"<p>{text}</p>", "text/html", "text/x-html-safe")


def _world(portal):
    """Meetings in each state, items on them; the site administrator; committed."""
    world = build(portal)
    with api.env.adopt_roles(["Manager"]):
        if api.user.get(username="siteadmin") is None:
            api.user.create(username="siteadmin", email="siteadmin@example.org", password=PASSWORD)
        api.user.grant_roles(username="siteadmin", roles=["Site Administrator"])
    meetings = {state: world.meeting(day) for state, day in MEETING_DAYS.items()}
    items = {}
    pools = {state: [] for state in MEETINGS}

    def item(label, privacy="public", meeting=None):
        created = world.item(
            f"{label} ({privacy})",
            privacy=privacy,
            decision=_decision(f"Decision of {label} ({privacy})"),
            advices_asked=test_permissions.ASKED,
        )
        if meeting is not None:
            world.transition(created, "propose", user="editor_a")
            world.transition(created, "validate", user="reviewer")
            with api.env.adopt_user(username="manager"):
                assert not workflows.present([created], meetings[meeting])
        return created

    items["public itemcreated"] = item("itemcreated")
    items["public presented, meeting created"] = item("presented", meeting="created")
    item("second", meeting="created")  # the agenda-move needs two items
    for privacy in ("public", "secret"):
        items[f"{privacy} itemfrozen, meeting frozen"] = item("itemfrozen", privacy, "frozen")
        for state in ("decided", "decisions_published"):
            items[f"{privacy} accepted, meeting {state}"] = item("accepted", privacy, state)
    items["public accepted, meeting closed"] = item("accepted", meeting="closed")
    item("second", "secret", "closed")
    for state in ("frozen", "decided", "decisions_published", "closed"):
        world.transition(meetings[state], "freeze")
    for state in ("decided", "decisions_published", "closed"):
        world.transition(meetings[state], "decide")
        for accepted in agenda.items(meetings[state]):
            world.transition(accepted, "accept")
    world.transition(meetings["decisions_published"], "publish_decisions")
    world.transition(meetings["closed"], "publish_decisions", "close")
    # validated items for @@present-items: one for each allowed cell, and one
    # that the refused cells try to present
    for state, codes in MEETINGS.items():
        for index in range(codes.split().count("e") + 1):
            pools[state].append(world.validated_item(f"Waiting {index} ({state})"))
    for label, obj in items.items():
        obj.votes = [dict(MARKER_VOTE)]
        state = label.split(" ")[1].rstrip(",")
        assert api.content.get_state(obj) == state, label
    for state, meeting in meetings.items():
        assert api.content.get_state(meeting) == state
    tokens = {role: _token(role) for role in ROLES}
    transaction.commit()
    return items, meetings, pools, tokens


def _token(role):
    """The CSRF token that plone.protect expects from ``role``."""
    if role == "anonymous":
        from AccessControl.SecurityManagement import getSecurityManager
        from AccessControl.SecurityManagement import newSecurityManager
        from AccessControl.SecurityManagement import setSecurityManager
        from AccessControl.SpecialUsers import nobody

        previous = getSecurityManager()
        newSecurityManager(None, nobody)
        try:
            return createToken()
        finally:
            setSecurityManager(previous)
    with api.env.adopt_user(username=role):
        return createToken()


@pytest.fixture
def world(functional_portal):
    return _world(functional_portal)


class ViewMatrix(Matrix):
    """``Matrix`` over the roles of this module, with a check per page or endpoint."""

    def __init__(self, name, table, objects, tokens):
        super().__init__(name, table, objects, ROLES, PASSWORD)
        self.tokens = tokens

    def run(self, reads, writes, forms=()):
        """``reads`` on every cell, then ``forms`` (pages for those who may write),
        then ``writes``, refused cells first."""
        for check in reads:
            for row, role, obj, code in self.cells:
                check(row, role, obj, CODES[code][0])
        for check in forms:
            for row, role, obj, code in self.cells:
                check(row, role, obj, CODES[code][1])
        refused_first = sorted(self.cells, key=lambda cell: CODES[cell[3]][1])
        for check in writes:
            for row, role, obj, code in refused_first:
                check(row, role, obj, CODES[code][1])
        self.assert_as_table()

    def get(self, role, url, **kwargs):
        return self.sessions[role].get(url, allow_redirects=False, **kwargs)

    def post(self, role, url, data):
        data = {**data, "_authenticator": self.tokens[role]}
        return self.sessions[role].post(url, data=data, allow_redirects=False)

    def redirected_to(self, response, url):
        return response.status_code == 302 and response.headers["Location"].startswith(url)


class VotesMatrix(ViewMatrix):
    def page(self, row, role, item, expected):
        page = self.get(role, f"{item.absolute_url()}/@@votes")
        shown = page.status_code == 200 and MARKER in page.text
        self._compare(row, role, "@@votes", expected, shown, page)

    def rest_get(self, row, role, item, expected):
        got = self.get(role, f"{item.absolute_url()}/@votes", headers=JSON)
        shown = got.status_code == 200 and MARKER in [v["label"] for v in got.json()["votes"]]
        self._compare(row, role, "GET @votes", expected, shown, got)

    def _new_vote(self, item, label):
        transaction.begin()
        count = len(votes.voters(item))
        return {"label": label, "secret": True, "counts": {"yes": count, "no": 0, "abstain": 0}}

    def _stored(self, row, role, item, check, expected, response, label, before):
        transaction.begin()
        labels = [vote["label"] for vote in item.votes]
        self._compare(row, role, check, expected, label in labels, response)
        if not expected and len(labels) != before:
            self._differ(row, role, f"{check}: votes after a refusal", before, len(labels))

    def encode(self, row, role, item, expected):
        label = f"{role}, @@encode-votes"
        vote = self._new_vote(item, label)
        before = len(item.votes)
        url = item.absolute_url()
        form = {"action": "secret", "label": label}
        form.update({f"count.{value}": str(n) for value, n in vote["counts"].items()})
        response = self.post(role, f"{url}/@@encode-votes", form)
        if expected and not self.redirected_to(response, f"{url}/@@votes"):
            self._differ(row, role, "@@encode-votes", "back to @@votes", self._got(response))
        self._stored(row, role, item, "@@encode-votes", expected, response, label, before)

    def rest_patch(self, row, role, item, expected):
        label = f"{role}, PATCH @votes"
        vote = self._new_vote(item, label)
        before = len(item.votes)
        response = self.sessions[role].patch(
            f"{item.absolute_url()}/@votes",
            headers=JSON,
            json={"votes": [*item.votes, vote]},
            allow_redirects=False,
        )
        self._stored(row, role, item, "PATCH @votes", expected, response, label, before)


class DecisionMatrix(ViewMatrix):
    def form(self, row, role, item, expected):
        page = self.get(role, f"{item.absolute_url()}/@@edit-decision")
        shown = (
            page.status_code == 200
            and 'name="form.widgets.decision"' in page.text
            and "Decision of " in page.text
        )
        self._compare(row, role, "@@edit-decision", expected, shown, page)

    def save(self, row, role, item, expected):
        transaction.begin()
        before = item.decision.raw
        text = f"Edited by {role}"
        response = self.post(
            role,
            f"{item.absolute_url()}/@@edit-decision",
            {
                "form.widgets.decision": f"<p>{text}</p>",
                "form.widgets.decision.mimeType": "text/html",
                "form.buttons.save": "Save",
            },
        )
        transaction.begin()
        saved = response.status_code == 302 and text in item.decision.raw
        self._compare(row, role, "@@edit-decision saved", expected, saved, response)
        if not expected and item.decision.raw != before:
            self._differ(row, role, "decision after a refusal", before, item.decision.raw)


class MeetingsMatrix(ViewMatrix):
    def __init__(self, name, table, objects, tokens, pools):
        super().__init__(name, table, objects, tokens)
        self.pools = pools

    def state(self, meeting):
        transaction.begin()
        return api.content.get_state(meeting)

    def rest_get(self, row, role, meeting, expected):
        url = f"{meeting.absolute_url()}/@agenda"
        got = self.get(role, url, headers=JSON)
        shown = got.status_code == 200 and got.json()["@id"] == url
        self._compare(row, role, "GET @agenda", expected, shown, got)

    def attendance_page(self, row, role, meeting, expected):
        page = self.get(role, f"{meeting.absolute_url()}/@@attendance")
        shown = page.status_code == 200 and 'name="status.godin"' in page.text
        self._compare(row, role, "@@attendance", expected, shown, page)

    def attendance(self, row, role, meeting, expected):
        transaction.begin()
        before = meeting.attendance_of("godin")[0]  # Godin does not vote
        wanted = "absent" if before == "excused" else "excused"
        response = self.post(
            role,
            f"{meeting.absolute_url()}/@@attendance",
            {"status.godin": wanted, "form.buttons.save": "1"},
        )
        transaction.begin()
        after = meeting.attendance_of("godin")[0]
        self._compare(row, role, "@@attendance saved", expected, after == wanted, response)

    def present(self, row, role, meeting, expected):
        pool = self.pools[row]
        item = pool.pop() if expected else pool[0]
        response = self.post(
            role, f"{meeting.absolute_url()}/@@present-items", {"uids:list": item.UID()}
        )
        transaction.begin()
        presented = item.meeting_uid == meeting.UID()
        if expected and row not in ("created", "frozen", "decided"):
            # allowed, but the meeting no longer accepts items: back to it, unchanged
            allowed = self.redirected_to(response, meeting.absolute_url()) and not presented
            self._compare(row, role, "@@present-items", expected, allowed, response)
            return
        self._compare(row, role, "@@present-items", expected, presented, response)

    def _first_and_last(self, meeting):
        transaction.begin()
        ordered = agenda.items(meeting)
        return ordered[0], len(ordered)

    def _moved(self, row, role, meeting, check, expected, response, item, count):
        transaction.begin()
        last = agenda.items(meeting)[-1]
        self._compare(row, role, check, expected, last.UID() == item.UID(), response)

    def move(self, row, role, meeting, expected):
        item, count = self._first_and_last(meeting)
        response = self.post(
            role,
            f"{meeting.absolute_url()}/@@agenda-move",
            {"uid": item.UID(), "position": str(count)},
        )
        self._moved(row, role, meeting, "@@agenda-move", expected, response, item, count)

    def rest_patch(self, row, role, meeting, expected):
        item, count = self._first_and_last(meeting)
        response = self.sessions[role].patch(
            f"{meeting.absolute_url()}/@agenda",
            headers=JSON,
            json={"item": item.UID(), "position": count},
            allow_redirects=False,
        )
        self._moved(row, role, meeting, "PATCH @agenda", expected, response, item, count)

    def transition(self, row, role, meeting, expected):
        transaction.begin()
        toggles = TOGGLES.get(row, {})
        candidates = [i for i in agenda.items(meeting) if api.content.get_state(i) in toggles]
        item = candidates[0] if candidates else agenda.items(meeting)[0]
        before = api.content.get_state(item)
        name = toggles.get(before, "backToItemFrozen")
        response = self.post(
            role,
            f"{meeting.absolute_url()}/@@agenda-transition",
            {"transition": name, "uids:list": item.UID()},
        )
        transaction.begin()
        changed = api.content.get_state(item) != before
        if expected and not toggles:
            # allowed, but no batch transition is possible in this state
            allowed = self.redirected_to(response, meeting.absolute_url()) and not changed
            self._compare(row, role, "@@agenda-transition", expected, allowed, response)
            return
        self._compare(row, role, "@@agenda-transition", expected, changed, response)


def test_votes(world):
    items, _meetings, _pools, tokens = world
    matrix = VotesMatrix("votes", VOTES, items, tokens)
    matrix.run(reads=[matrix.page, matrix.rest_get], writes=[matrix.encode, matrix.rest_patch])


def test_edit_decision(world):
    items, _meetings, _pools, tokens = world
    matrix = DecisionMatrix("edit-decision", DECISION, items, tokens)
    matrix.run(reads=[], forms=[matrix.form], writes=[matrix.save])


def test_meeting_actions(world):
    _items, meetings, pools, tokens = world
    matrix = MeetingsMatrix("meeting actions", MEETINGS, meetings, tokens, pools)
    matrix.run(
        reads=[matrix.rest_get],
        forms=[matrix.attendance_page],
        writes=[
            matrix.attendance,
            matrix.present,
            matrix.move,
            matrix.rest_patch,
            matrix.transition,
        ],
    )


# The pages declared with the permission of what they change ask for the
# decision's permission as well, since they show the decision or the votes.


@pytest.fixture
def frozen_item(portal):
    world = build(portal)
    meeting = world.meeting()
    item = world.validated_item("Marché de travaux: voirie")
    world.transition(item, "present")
    world.transition(meeting, "freeze")
    item.votes = [dict(MARKER_VOTE)]
    return item


def _without_view_decision(item):
    """The meeting managers keep Modify and Encode votes, not View decision."""
    roles = [
        entry["name"]
        for entry in item.rolesOfPermission("communesplone.meetings: View decision")
        if entry["selected"] and entry["name"] != "MeetingManager"
    ]
    item.manage_permission("communesplone.meetings: View decision", roles, acquire=False)


def test_pages_that_show_the_decision_ask_for_its_permission(frozen_item):
    item = frozen_item
    assert "Decision of" in call(item, "edit-decision", "manager").body
    assert MARKER in call(item, "votes", "manager").body
    _without_view_decision(item)
    with api.env.adopt_user(username="manager"):
        assert api.user.has_permission("Modify portal content", obj=item)
        assert api.user.has_permission("communesplone.meetings: Encode votes", obj=item)
    with pytest.raises(Unauthorized):
        call(item, "edit-decision", "manager")
    with pytest.raises(Unauthorized):
        call(item, "encode-votes", "manager", {"action": "delete", "index": "0"}, True)
    with pytest.raises(Unauthorized):
        call(item, "votes", "manager")
    assert item.votes == [MARKER_VOTE]
