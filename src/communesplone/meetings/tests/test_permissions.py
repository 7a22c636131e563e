"""The permission matrix of the meetings application, every cell through the UI and REST.

The tables say who may view and who may edit each kind of object in each
state. They are written from the application's intent (the issue), not
computed from ``workflow_spec.py`` or ``visibility.py``:

- service editors create and edit their service's items until they propose
  them (and again when the meeting returns an item to them); the service's
  reviewers validate them (and may correct them while proposed); the
  service's observers read only; the other services' staff see nothing of
  it that is not public;
- the meeting managers (the secretariat) see items once proposed and edit
  them until the meeting is closed; they prepare, freeze, decide and close
  meetings, and a closed meeting and its items are read-only (reopen it to
  correct it);
- the members of the body read a meeting and its items once it is frozen;
- the advisers of a service whose advice is asked see the item from its
  proposal, and write their advice; a given advice is read by whoever reads
  the item, except the public;
- anonymous visitors and citizens read the public agenda once the meeting is
  frozen, and the decisions of public items once they are published
  (meeting in decisions_published or closed: the bodies' defaults);
- a secret item is never public; once validated only the meeting managers,
  the members of the body and the proposing service's editors and reviewers
  see it (not its observers, not advisers);
- a confidential annex is seen by the proposing service's editors and
  reviewers and the meeting managers only; another annex follows its item;
- the text marked as personal data in an item is read in full by whoever
  sees the item among the commune's staff and the body (the service's roles,
  the body's meeting managers, members and item creators, the advisers, copy
  groups, groups in charge, power observers); anonymous visitors and citizens
  read a placeholder instead, once the item is public;
- the meeting managers and the advisers asked extend the delay of an advice
  while the item awaits advices (proposed, waiting for advices, pre-validated,
  validated), nobody else, and nobody once the item is presented.

Each table is a test; each cell is checked four ways: the page (GET of the
object's URL: 200, or a redirection to the login form / 401 / 403), the edit
form (GET of ``<url>/edit``), REST GET and REST PATCH (then the database
says whether the change was made). Mismatches are collected and listed
together at the end.
"""

from communesplone.core import matrix
from communesplone.meetings import agenda
from communesplone.meetings import masking
from communesplone.meetings.testing import build
from communesplone.meetings.testing import PASSWORD
from datetime import datetime
from plone import api
from plone.app.textfield.value import RichTextValue
from plone.namedfile.file import NamedBlobFile

import pytest
import transaction


ROLES = (
    "anonymous",
    "citizen",
    "editor_a",  # editor of the proposing service (travaux)
    "editor_b",  # editor of another service (population)
    "reviewer",  # reviewer of the proposing service
    "manager",  # meeting manager of the body
    "member",  # member of the body
    "observer",  # observer of the proposing service
    "adviser",  # adviser of a service whose advice is asked (finances)
)
# "-": may not view; "v": may view, not edit; "e": may view and edit
CELLS = {"-": (False, False), "v": (True, False), "e": (True, True)}
HEADER = "anon cit  ed_a ed_b rev  mgr  mem  obs  adv"

# --- Items of the travaux service, with the advice of finances asked ----------
# row: "<item state> [, meeting <state>]"
ITEMS_PUBLIC = {
    #                                      anon cit  ed_a ed_b rev  mgr  mem  obs  adv
    "itemcreated":                        "-    -    e    -    v    -    -    v    -",
    "proposed":                           "-    -    v    -    e    e    -    v    v",
    "proposed, no advice asked":          "-    -    v    -    e    e    -    v    -",
    "waiting_advices":                    "-    -    v    -    v    e    -    v    v",
    "prevalidated (two levels)":          "-    -    v    -    v    e    -    v    v",
    "validated":                          "-    -    v    -    v    e    -    v    v",
    "validated, copy of a postponed item":
                                          "-    -    v    -    v    e    -    v    v",
    "presented, meeting created":         "-    -    v    -    v    e    -    v    v",
    "itemfrozen, meeting frozen":         "v    v    v    v    v    e    v    v    v",
    "returned_to_proposing_group, meeting frozen":
                                          "-    -    e    -    e    e    v    v    v",
    "accepted, meeting decided":          "v    v    v    v    v    e    v    v    v",
    "accepted_but_modified, meeting decided":
                                          "v    v    v    v    v    e    v    v    v",
    "refused, meeting decided":           "v    v    v    v    v    e    v    v    v",
    "delayed, meeting decided":           "v    v    v    v    v    e    v    v    v",
    "postponed_next_meeting, meeting decided":
                                          "v    v    v    v    v    e    v    v    v",
    "accepted, meeting decisions_published":
                                          "v    v    v    v    v    e    v    v    v",
    "accepted, meeting closed":           "v    v    v    v    v    v    v    v    v",
}  # fmt: skip
ITEMS_SECRET = {
    #                                      anon cit  ed_a ed_b rev  mgr  mem  obs  adv
    "itemcreated":                        "-    -    e    -    v    -    -    v    -",
    "proposed":                           "-    -    v    -    e    e    -    v    v",
    "waiting_advices":                    "-    -    v    -    v    e    -    v    v",
    "prevalidated (two levels)":          "-    -    v    -    v    e    -    v    v",
    "validated":                          "-    -    v    -    v    e    -    -    -",
    "validated, copy of a postponed item":
                                          "-    -    v    -    v    e    -    -    -",
    "presented, meeting created":         "-    -    v    -    v    e    -    -    -",
    "itemfrozen, meeting frozen":         "-    -    v    -    v    e    v    -    -",
    "returned_to_proposing_group, meeting frozen":
                                          "-    -    e    -    e    e    v    -    -",
    "accepted, meeting decided":          "-    -    v    -    v    e    v    -    -",
    "accepted_but_modified, meeting decided":
                                          "-    -    v    -    v    e    v    -    -",
    "refused, meeting decided":           "-    -    v    -    v    e    v    -    -",
    "delayed, meeting decided":           "-    -    v    -    v    e    v    -    -",
    "postponed_next_meeting, meeting decided":
                                          "-    -    v    -    v    e    v    -    -",
    "accepted, meeting decisions_published":
                                          "-    -    v    -    v    e    v    -    -",
    "accepted, meeting closed":           "-    -    v    -    v    v    v    -    -",
}  # fmt: skip

# --- Who reads the decision field ("y"), of the items above ---------------------
DECISIONS = {
    #                                                anon cit  ed_a ed_b rev  mgr  mem  obs  adv
    "public itemfrozen, meeting frozen":            "-    -    y    -    y    y    y    y    y",
    "public refused, meeting decided":              "-    -    y    -    y    y    y    y    y",
    "public accepted, meeting decided":             "-    -    y    -    y    y    y    y    y",
    "public accepted, meeting decisions_published": "y    y    y    y    y    y    y    y    y",
    "public accepted, meeting closed":              "y    y    y    y    y    y    y    y    y",
    "secret accepted, meeting decisions_published": "-    -    y    -    y    y    y    -    -",
    "secret accepted, meeting closed":              "-    -    y    -    y    y    y    -    -",
}  # fmt: skip

# --- Meetings of the college ----------------------------------------------------
# Service editors see meetings in preparation: they choose the one for their items.
MEETINGS = {
    #                        anon cit  ed_a ed_b rev  mgr  mem  obs  adv
    "created":              "-    -    v    v    -    e    -    -    -",
    "frozen":               "v    v    v    v    v    e    v    v    v",
    "decided":              "v    v    v    v    v    e    v    v    v",
    "decisions_published":  "v    v    v    v    v    e    v    v    v",
    "closed":               "v    v    v    v    v    v    v    v    v",
}  # fmt: skip

# --- The advice of finances on travaux items --------------------------------------
ADVICES = {
    #                                              anon cit  ed_a ed_b rev  mgr  mem  obs  adv
    "under edit, public item proposed":           "-    -    -    -    -    -    -    -    e",
    "signed, public item proposed":               "-    -    -    -    -    -    -    -    v",
    "given, public item proposed":                "-    -    v    -    v    v    -    v    v",
    "given, secret item validated":               "-    -    v    -    v    v    -    -    v",
    "given, public item itemfrozen":              "-    -    v    -    v    v    v    v    v",
}  # fmt: skip

# --- The text marked as personal data in the motivation of the public items ----------
# "f": the full text, "p": the placeholder instead, "-": the item itself is refused
PERSONAL_DATA = {
    #                                      anon cit  ed_a ed_b rev  mgr  mem  obs  adv
    "itemcreated":                        "-    -    f    -    f    -    -    f    -",
    "proposed":                           "-    -    f    -    f    f    -    f    f",
    "waiting_advices":                    "-    -    f    -    f    f    -    f    f",
    "prevalidated (two levels)":          "-    -    f    -    f    f    -    f    f",
    "validated":                          "-    -    f    -    f    f    -    f    f",
    "presented, meeting created":         "-    -    f    -    f    f    -    f    f",
    "itemfrozen, meeting frozen":         "p    p    f    f    f    f    f    f    f",
    "returned_to_proposing_group, meeting frozen":
                                          "-    -    f    -    f    f    f    f    f",
    "accepted, meeting decided":          "p    p    f    f    f    f    f    f    f",
    "refused, meeting decided":           "p    p    f    f    f    f    f    f    f",
    "postponed_next_meeting, meeting decided":
                                          "p    p    f    f    f    f    f    f    f",
    "accepted, meeting decisions_published":
                                          "p    p    f    f    f    f    f    f    f",
    "accepted, meeting closed":           "p    p    f    f    f    f    f    f    f",
}  # fmt: skip
PERSON = "Jean Dupont"  # marked as personal data in each item's motivation

# --- Who extends the delay of the advice of finances ("y"), public items ---------------
EXTENSIONS = {
    #                                      anon cit  ed_a ed_b rev  mgr  mem  obs  adv
    "itemcreated":                        "-    -    -    -    -    -    -    -    -",
    "proposed":                           "-    -    -    -    -    y    -    -    y",
    "waiting_advices":                    "-    -    -    -    -    y    -    -    y",
    "prevalidated (two levels)":          "-    -    -    -    -    y    -    -    y",
    "validated":                          "-    -    -    -    -    y    -    -    y",
    "presented, meeting created":         "-    -    -    -    -    -    -    -    -",
    "itemfrozen, meeting frozen":         "-    -    -    -    -    -    -    -    -",
    "accepted, meeting closed":           "-    -    -    -    -    -    -    -    -",
}  # fmt: skip

# --- Annexes of the items above -------------------------------------------------------
ANNEXES = {
    #                                              anon cit  ed_a ed_b rev  mgr  mem  obs  adv
    "annex, public itemcreated":                  "-    -    e    -    v    -    -    v    -",
    "confidential annex, public itemcreated":     "-    -    e    -    v    -    -    -    -",
    "annex, public itemfrozen":                   "v    v    v    v    v    e    v    v    v",
    "confidential annex, public itemfrozen":      "-    -    v    -    v    e    -    -    -",
    "annex, secret itemfrozen":                   "-    -    v    -    v    e    v    -    -",
    "confidential annex, secret itemfrozen":      "-    -    v    -    v    e    -    -    -",
}  # fmt: skip

# The meetings, one per state, in date order (a postponed item goes to a later one)
MEETING_DAYS = {
    "decided": datetime(2026, 11, 3, 20, 0),
    "decisions_published": datetime(2026, 11, 10, 20, 0),
    "closed": datetime(2026, 11, 17, 20, 0),
    "frozen": datetime(2026, 11, 24, 20, 0),
    "created": datetime(2026, 12, 1, 20, 0),
}
ASKED = [{"service": "finances", "deadline_days": 10}]
MANDATORY = [{"service": "finances", "deadline_days": 10, "mandatory": True}]
# The items that hold the annexes of the ANNEXES table
ANNEXED = {
    ("public", "itemcreated"): "public itemcreated",
    ("public", "itemfrozen, meeting frozen"): "public itemfrozen",
    ("secret", "itemfrozen, meeting frozen"): "secret itemfrozen",
}
ORIGINAL = "Original text"
# Field changed by the REST PATCH of each type (a harmless one)
EDITED_FIELD = {
    "meeting_item": "description",
    "meeting": "place",
    "meeting_advice": "comment",
    "meeting_annex": "description",
}


def _decision(label):
    return RichTextValue(f"<p>Decision of {label}</p>", "text/html", "text/x-html-safe")


def _motivation(label):
    return RichTextValue(
        f'<p>Motivation of {label}: asked by <span class="personal-data">{PERSON}</span>.</p>',
        "text/html",
        "text/x-html-safe",
    )


def _annex(item, confidential):
    name = "confidential" if confidential else "annex"
    with api.env.adopt_user(username="editor_a"):
        return api.content.create(
            container=item,
            type="meeting_annex",
            id=f"{name}.pdf",
            title=f"{name.capitalize()} of {item.title}",
            description=ORIGINAL,
            file=NamedBlobFile(data=b"%PDF-1.4\n", filename=f"{name}.pdf"),
            confidential=confidential,
        )


def _advice(world, item, give=True):
    with api.env.adopt_user(username="adviser"):
        advice = api.content.create(
            container=item,
            type="meeting_advice",
            id="finances",
            service="finances",
            advice_type="positive",
            comment=ORIGINAL,
        )
    if give:
        world.transition(advice, "signAdvice", "giveAdvice", user="adviser")
    return advice


def _world(portal):
    """Every object of the tables, in its state; committed for the server."""
    world = build(portal)
    world.council.validation_levels = 2
    world.college.waiting_advices = True
    meetings = {state: world.meeting(day) for state, day in MEETING_DAYS.items()}
    items, advices, annexes = {}, {}, {}

    def item(privacy, label, transitions=(), meeting=None, **values):
        values.setdefault("advices_asked", ASKED)
        created = world.item(
            f"{label} ({privacy})",
            privacy=privacy,
            description=ORIGINAL,
            decision=_decision(f"{label} ({privacy})"),
            motivation=_motivation(f"{label} ({privacy})"),
            preferred_meeting=meetings[meeting].UID() if meeting else None,
            **values,
        )
        if (privacy, label) in ANNEXED:  # annexes are added by the editor, at the start
            row = ANNEXED[privacy, label]
            annexes[f"annex, {row}"] = _annex(created, confidential=False)
            annexes[f"confidential annex, {row}"] = _annex(created, confidential=True)
        for transition in transitions:
            user = {"propose": "editor_a", "validate": "reviewer", "prevalidate": "reviewer"}.get(
                transition, "manager"
            )
            world.transition(created, transition, user=user)
        items[privacy, label] = created
        return created

    for privacy in ("public", "secret"):
        item(privacy, "itemcreated")
        item(privacy, "proposed", ["propose"])
        # the college waits for mandatory advices (and the advice of finances is one)
        item(privacy, "waiting_advices", ["propose"], advices_asked=MANDATORY)
        if privacy == "public":
            item(privacy, "proposed, no advice asked", ["propose"], advices_asked=[])
        item(privacy, "validated", ["propose", "validate"])
        # the council validates on two levels: the service's reviewer pre-validates
        item(privacy, "prevalidated (two levels)", ["propose", "prevalidate"], body=world.council)
        for label in ITEMS_PUBLIC:
            if ", meeting " in label:
                meeting = label.split(", meeting ")[1]
                item(privacy, label, ["propose", "validate", "present"], meeting=meeting)

    # Advices: written while the item is proposed
    under_edit = item("public", "advice under edit", ["propose"])
    advices["under edit, public item proposed"] = _advice(world, under_edit, give=False)
    signed = item("public", "advice signed", ["propose"])
    advices["signed, public item proposed"] = _advice(world, signed, give=False)
    world.transition(advices["signed, public item proposed"], "signAdvice", user="adviser")
    given = item("public", "advice given", ["propose"])
    advices["given, public item proposed"] = _advice(world, given)
    secret = item("secret", "advice given", ["propose"])
    advices["given, secret item validated"] = _advice(world, secret)
    world.transition(secret, "validate", user="reviewer")
    frozen = item("public", "advice given, meeting frozen", ["propose"], meeting="frozen")
    advices["given, public item itemfrozen"] = _advice(world, frozen)
    world.transition(frozen, "validate", user="reviewer")
    world.transition(frozen, "present")

    for state in ("frozen", "decided", "decisions_published", "closed"):
        world.transition(meetings[state], "freeze")
    for privacy in ("public", "secret"):
        world.transition(
            items[privacy, "returned_to_proposing_group, meeting frozen"],
            "return_to_proposing_group",
        )
    for state in ("decided", "decisions_published", "closed"):
        world.transition(meetings[state], "decide")
    decisions = {
        "accepted, meeting decided": "accept",
        "accepted_but_modified, meeting decided": "accept_but_modify",
        "refused, meeting decided": "refuse",
        "delayed, meeting decided": "delay",
        "postponed_next_meeting, meeting decided": "postpone_next_meeting",
        "accepted, meeting decisions_published": "accept",
        "accepted, meeting closed": "accept",
    }
    for label, transition in decisions.items():
        for privacy in ("public", "secret"):
            world.transition(items[privacy, label], transition)
    world.transition(meetings["decisions_published"], "publish_decisions")
    world.transition(meetings["closed"], "publish_decisions", "close")
    for privacy in ("public", "secret"):
        postponed = items[privacy, "postponed_next_meeting, meeting decided"]
        copy = agenda.by_uid(postponed.successor_uid)
        items[privacy, "validated, copy of a postponed item"] = copy

    # The world is what the tables say it is
    for (privacy, label), obj in items.items():
        state, _sep, meeting_state = label.partition(", meeting ")
        state = state.split(",")[0].split(" (")[0]
        if label in ITEMS_PUBLIC or label in ITEMS_SECRET:
            assert api.content.get_state(obj) == state, label
            meeting_uid = meetings[meeting_state].UID() if meeting_state else None
            assert obj.meeting_uid == meeting_uid, label
        assert obj.privacy == privacy
    for state, meeting in meetings.items():
        assert api.content.get_state(meeting) == state
    assert api.content.get_state(secret) == "validated"
    assert api.content.get_state(frozen) == "itemfrozen"
    assert set(annexes) == set(ANNEXES) and set(advices) == set(ADVICES)
    transaction.commit()
    return items, meetings, advices, annexes


@pytest.fixture
def world(functional_portal):
    return _world(functional_portal)


class Matrix(matrix.Matrix):
    """The meetings' cells (``CELLS``) for ``ROLES``: view, edit, and the decision field."""

    def __init__(self, name, table, objects):
        super().__init__(name, table, objects, ROLES, PASSWORD)

    def check_view_and_edit(self):
        """All the cells are read (page, REST GET, edit form) before any is written
        (REST PATCH), refused writes first: a write recomputes the object's
        permissions (``visibility.update``), which must not hide a wrong state."""
        for row, role, obj, code in self.cells:
            self.view(row, role, obj, CELLS[code][0])
        for row, role, obj, code in self.cells:
            self.edit_form(row, role, obj, CELLS[code][1])
        refused_first = sorted(self.cells, key=lambda cell: CELLS[cell[3]][1])
        for row, role, obj, code in refused_first:
            self.patch(row, role, obj, CELLS[code][1], EDITED_FIELD[obj.portal_type])
        self.assert_as_table()

    def check_decisions(self):
        for row, role, item, code in self.cells:
            self.decision(row, role, item, code == "y")
        self.assert_as_table()

    def check_personal_data(self):
        for row, role, item, code in self.cells:
            self.personal_data(row, role, item, code)
        self.assert_as_table()

    def personal_data(self, row, role, item, expected):
        """The item's motivation on its page and in REST: the full text ("f"), the
        placeholder instead of the text marked as personal data ("p"), or the item
        refused ("-")."""
        http, url = self.sessions[role], item.absolute_url()
        page = http.get(url, allow_redirects=False)
        self._compare_text(row, role, "page", expected, page, page.text)
        got = http.get(url, headers={"Accept": "application/json"}, allow_redirects=False)
        data = got.json() if got.status_code == 200 else {}
        text = (data.get("motivation") or {}).get("data") or ""
        self._compare_text(row, role, "REST GET", expected, got, text)

    TEXTS = {"f": "the full text", "p": "the placeholder", "-": "refused", "?": "neither"}

    def _compare_text(self, row, role, check, expected, response, text):
        if response.status_code != 200:
            seen = "-" if matrix.denied(response) else "?"
        elif f"Motivation of {row}" not in text:
            seen = "?"  # the item, but not its motivation
        elif PERSON in text and masking.MASKED_CLASS not in text:
            seen = "f"
        elif masking.MASKED_CLASS in text and PERSON not in text:
            seen = "p"
        else:
            seen = "?"
        if seen != expected:
            got = self.TEXTS[seen] + ("" if seen == "f" else f" ({self._got(response)})")
            self._differ(row, role, f"personal data, {check}", self.TEXTS[expected], got)

    def check_extensions(self):
        for row, role, item, code in self.cells:
            self.extension(row, role, item, code == "y")
        self.assert_as_table()

    def extension(self, row, role, item, expected):
        """The item page's link, the form ``@@advice-extension`` and REST
        ``@advice-extension`` (without a reason: refused by the rule, 400, for whoever
        may extend; by the permission, 401 or 403, for the others: nothing is written)."""
        http, url = self.sessions[role], item.absolute_url()
        page = http.get(url, allow_redirects=False)
        shown = page.status_code == 200 and "@@advice-extension" in page.text
        self._compare(row, role, "link on the item page", expected, shown, page, refusal=False)
        form = http.get(f"{url}/@@advice-extension", allow_redirects=False)
        shown = form.status_code == 200 and "form.buttons.extend" in form.text
        self._compare(row, role, "extension form", expected, shown, form)
        answer = http.post(
            f"{url}/@advice-extension",
            headers={"Accept": "application/json"},
            json={"service": "finances", "days": 5},
            allow_redirects=False,
        )
        allowed = answer.status_code == 400 and "Give the reason of the extension." in (
            answer.json().get("error", {}).get("message", "")
        )
        self._compare(row, role, "REST @advice-extension", expected, allowed, answer)

    def decision(self, row, role, item, expected):
        """The decision field, on the page and in REST (the item itself may be visible)."""
        http, url = self.sessions[role], item.absolute_url()
        marker = f"Decision of {item.title}"
        page = http.get(url, allow_redirects=False)
        shown = page.status_code == 200 and marker in page.text
        self._compare(row, role, "decision on the page", expected, shown, page, refusal=False)
        got = http.get(url, headers={"Accept": "application/json"}, allow_redirects=False)
        data = got.json() if got.status_code == 200 else {}
        shown = marker in ((data.get("decision") or {}).get("data") or "")
        self._compare(row, role, "decision in REST", expected, shown, got, refusal=False)


def test_public_items(world):
    items = world[0]
    objects = {label: items["public", label] for label in ITEMS_PUBLIC}
    Matrix("public items", ITEMS_PUBLIC, objects).check_view_and_edit()


def test_secret_items(world):
    items = world[0]
    objects = {label: items["secret", label] for label in ITEMS_SECRET}
    Matrix("secret items", ITEMS_SECRET, objects).check_view_and_edit()


def test_decisions(world):
    items = world[0]
    objects = {row: items[tuple(row.split(" ", 1))] for row in DECISIONS}
    Matrix("decisions", DECISIONS, objects).check_decisions()


def test_meetings(world):
    Matrix("meetings", MEETINGS, world[1]).check_view_and_edit()


def test_advices(world):
    Matrix("advices", ADVICES, world[2]).check_view_and_edit()


def test_annexes(world):
    Matrix("annexes", ANNEXES, world[3]).check_view_and_edit()


def test_personal_data(world):
    items = world[0]
    objects = {label: items["public", label] for label in PERSONAL_DATA}
    Matrix("personal data", PERSONAL_DATA, objects).check_personal_data()


def test_advice_extension(world):
    items = world[0]
    objects = {label: items["public", label] for label in EXTENSIONS}
    Matrix("advice extension", EXTENSIONS, objects).check_extensions()


# --- Beyond the proposing service: copy groups, groups in charge, power observers --
# The college copies items to population (the items name it in copy_groups), the
# alderman in charge of travaux is the group "echevin_travaux", and its power
# observers read items presented and later, and meetings but the decided ones.
# editor_b is an editor of population; "alderman" is in echevin_travaux;
# "powerobs" is in college_powerobservers.
BEYOND_ROLES = ("anonymous", "editor_b", "alderman", "powerobs")
BEYOND_SETTINGS = {
    "copy_groups_allowed": ["population"],
    "copy_groups_states": ["validated", "presented", "itemfrozen", "accepted"],
    "groups_in_charge": [{"service": "travaux", "group": "echevin_travaux"}],
    "power_observer_states": ["presented", "itemfrozen", "accepted"],
    "power_observer_meeting_states": ["created", "frozen", "closed"],
}
BEYOND_ITEMS = {
    #                                       anon ed_b ald  pobs
    "public itemcreated":                  "-    -    -    -",
    "public proposed":                     "-    -    v    -",
    "public validated":                    "-    v    v    -",
    "public presented, meeting created":   "-    v    v    v",
    "public itemfrozen, meeting frozen":   "v    v    v    v",
    "public accepted, meeting closed":     "v    v    v    v",
    "secret proposed":                     "-    -    v    -",
    "secret validated":                    "-    -    v    -",
    "secret presented, meeting created":   "-    -    v    v",
    "secret itemfrozen, meeting frozen":   "-    -    v    v",
    "secret accepted, meeting closed":     "-    -    v    v",
    "population proposed, not copied":     "-    v    -    -",
    "population validated, not copied":    "-    v    -    -",
}  # fmt: skip
BEYOND_DECISIONS = {
    #                                       anon ed_b ald  pobs
    "public validated":                    "-    y    y    -",
    "public itemfrozen, meeting frozen":   "-    y    y    y",
    "secret itemfrozen, meeting frozen":   "-    -    y    y",
}  # fmt: skip
BEYOND_MEETINGS = {
    #                         anon ed_b ald  pobs
    "created":               "-    v    -    v",
    "decided":               "v    v    v    v",
}  # fmt: skip
BEYOND_ADVICES = {
    #                                       anon ed_b ald  pobs
    "given, public item validated":        "-    v    v    -",
    "given, public item itemfrozen":       "-    v    v    v",
}  # fmt: skip
BEYOND_ANNEXES = {
    #                                       anon ed_b ald  pobs
    "annex, public itemfrozen":            "v    v    v    v",
    "confidential annex, public itemfrozen": "-  -    -    -",
}  # fmt: skip
# The text marked as personal data: "f" full, "p" placeholder, "-" the item refused
BEYOND_PERSONAL_DATA = {
    #                                       anon ed_b ald  pobs
    "public itemcreated":                  "-    -    -    -",
    "public proposed":                     "-    -    f    -",
    "public validated":                    "-    f    f    -",
    "public presented, meeting created":   "-    f    f    f",
    "public itemfrozen, meeting frozen":   "p    f    f    f",
    "public accepted, meeting closed":     "p    f    f    f",
    "secret validated":                    "-    -    f    -",
    "secret itemfrozen, meeting frozen":   "-    -    f    f",
    "secret accepted, meeting closed":     "-    -    f    f",
    "population proposed, not copied":     "-    f    -    -",
}  # fmt: skip


class BeyondMatrix(Matrix):
    def __init__(self, name, table, objects):
        matrix.Matrix.__init__(self, name, table, objects, BEYOND_ROLES, PASSWORD)


def _beyond_world(portal):
    world = build(portal)
    with api.env.adopt_roles(["Manager"]):
        api.group.create(groupname="echevin_travaux", title="Échevin des travaux")
        for login, group in (
            ("alderman", "echevin_travaux"),
            ("powerobs", "college_powerobservers"),
        ):
            api.user.create(username=login, email=f"{login}@example.org", password=PASSWORD)
            api.group.add_user(groupname=group, username=login)
    for name, value in BEYOND_SETTINGS.items():
        setattr(world.college, name, value)
    meetings = {
        state: world.meeting(MEETING_DAYS[state])
        for state in ("created", "frozen", "closed", "decided")
    }
    items, advices, annexes = {}, {}, {}

    def item(label, privacy, transitions, meeting=None, service="travaux", copied=True):
        created = world.item(
            label,
            service=service,
            privacy=privacy,
            description=ORIGINAL,
            decision=_decision(label),
            motivation=_motivation(label),
            copy_groups=["population"] if copied else [],
            advices_asked=ASKED,
            preferred_meeting=meetings[meeting].UID() if meeting else None,
        )
        proposer = "editor_a" if service == "travaux" else "editor_b"
        for transition in transitions:
            user = {"propose": proposer, "validate": "manager"}.get(transition, "manager")
            world.transition(created, transition, user=user)
        items[label] = created
        return created

    for privacy in ("public", "secret"):
        if privacy == "public":
            annexed = world.item(
                "public itemcreated",
                privacy=privacy,
                description=ORIGINAL,
                motivation=_motivation("public itemcreated"),
                copy_groups=["population"],
            )
            items["public itemcreated"] = annexed
        item(f"{privacy} proposed", privacy, ["propose"])
        item(f"{privacy} validated", privacy, ["propose", "validate"])
        item(
            f"{privacy} presented, meeting created",
            privacy,
            ["propose", "validate", "present"],
            "created",
        )
        item(
            f"{privacy} itemfrozen, meeting frozen",
            privacy,
            ["propose", "validate", "present"],
            "frozen",
        )
        item(
            f"{privacy} accepted, meeting closed",
            privacy,
            ["propose", "validate", "present"],
            "closed",
        )
    item(
        "population proposed, not copied", "public", ["propose"], service="population", copied=False
    )
    item(
        "population validated, not copied",
        "public",
        ["propose", "validate"],
        service="population",
        copied=False,
    )
    # advices and annexes of public travaux items
    with_advice = item("advice on a validated item", "public", ["propose"])
    advices["given, public item validated"] = _advice(world, with_advice)
    world.transition(with_advice, "validate")
    frozen = item("advice on a frozen item", "public", [], "frozen")
    annexes["annex, public itemfrozen"] = _annex(frozen, confidential=False)
    annexes["confidential annex, public itemfrozen"] = _annex(frozen, confidential=True)
    world.transition(frozen, "propose", user="editor_a")
    advices["given, public item itemfrozen"] = _advice(world, frozen)
    world.transition(frozen, "validate", "present")
    for state in ("frozen", "closed", "decided"):
        world.transition(meetings[state], "freeze")
    world.transition(meetings["decided"], "decide")
    world.transition(meetings["closed"], "decide")
    for privacy in ("public", "secret"):
        world.transition(items[f"{privacy} accepted, meeting closed"], "accept")
    world.transition(meetings["closed"], "close")
    for label in BEYOND_ITEMS:
        obj = items[label]
        expected = label.split(", ")[0].split(" ")[1]
        assert api.content.get_state(obj) == expected, (label, api.content.get_state(obj))
    transaction.commit()
    return items, meetings, advices, annexes


def test_copy_groups_groups_in_charge_and_power_observers(functional_portal):
    """One world for the four tables of those who read beyond the proposing service."""
    items, meetings, advices, annexes = _beyond_world(functional_portal)
    BeyondMatrix("beyond: items", BEYOND_ITEMS, items).check_view_and_edit()
    BeyondMatrix("beyond: decisions", BEYOND_DECISIONS, items).check_decisions()
    BeyondMatrix("beyond: meetings", BEYOND_MEETINGS, meetings).check_view_and_edit()
    BeyondMatrix("beyond: advices", BEYOND_ADVICES, advices).check_view_and_edit()
    BeyondMatrix("beyond: annexes", BEYOND_ANNEXES, annexes).check_view_and_edit()
    BeyondMatrix("beyond: personal data", BEYOND_PERSONAL_DATA, items).check_personal_data()
