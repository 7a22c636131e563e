"""The permission matrix of the urban application, every cell over real HTTP.

The tables say, for each urban content type and state, what each role may do.
They are written from the issue's intent, not computed from
``workflow_spec.py``:

- only the Urbanisme service's staff handle files: editors and reviewers edit
  open files, observers read them; another service's staff see nothing;
- the applicant's member account (the local role UrbanApplicant on their own
  file) sees the file, its applicants' data and its events, never the internal
  notes nor the claimants of an inquiry; another applicant sees nothing of it;
- a decided, withdrawn or abandoned file is read-only for the staff;
  administrators (Site Administrator, Manager) see and correct everything;
- the public (anonymous visitors, members) sees the announced inquiries'
  notices, without their claimants nor notes, and nothing else;
- the configuration is read by the staff and managed by administrators; the
  contacts directory is kept by the editors.

Each cell is checked through the page (GET of the object's URL) and REST GET
(view; personal data and internal notes in what each serves), the edit form
and REST PATCH (then the database). The catalog (REST ``@search``) is asked
once per role for every urban object, and must find exactly those the role may
view. Mismatches are listed together as one table.
"""

from communesplone.core import matrix
from communesplone.urban import testing
from communesplone.urban.constants import EVENTS
from communesplone.urban.constants import LICENCES
from communesplone.urban.testing import PASSWORD
from html import escape
from plone import api
from plone.dexterity.utils import createContentInContainer

import datetime
import pytest
import transaction


ROLES = (
    "anonymous",
    "citizen",  # a member
    "applicant",  # UrbanApplicant on the files below
    "other_applicant",  # UrbanApplicant on another file
    "editor",  # Urbanisme editors
    "reviewer",  # Urbanisme reviewers
    "observer",  # Urbanisme observers
    "other_staff",  # editor and reviewer of another service
    "siteadmin",
    "manager",
)
# code -> (view, personal data, internal notes, edit); personal data and notes are
# checked only where the object has them
CELLS = {
    "-": (False, False, False, False),
    "v": (True, False, False, False),
    "p": (True, True, False, False),
    "r": (True, True, True, False),
    "e": (True, True, True, True),
}
CONFIGURATION = "-    -    -    -    v    v    v    -    e    e"
CONTACTS = "     -    -    -    -    e    v    v    -    e    e"
OPEN_FILE = "    -    -    p    -    e    e    r    -    e    e"
CLOSED_FILE = "  -    -    p    -    r    r    r    -    e    e"
EVENT = "        -    -    v    -    e    e    r    -    e    e"
PUBLIC = "       v    v    v    v    e    e    r    v    e    e"
TABLE = {
    #                          anon cit  appl oapp edit rev  obs  othr sadm mgr
    "desk":                    CONFIGURATION,
    "configuration":           CONFIGURATION,
    "licence type":            CONFIGURATION,
    "event type":              CONFIGURATION,
    "contacts":                CONTACTS,
    "contact":                 CONTACTS,
    "permit deposit":          OPEN_FILE,
    "permit incomplete":       OPEN_FILE,
    "permit complete":         OPEN_FILE,
    "permit suspended":        OPEN_FILE,
    "permit accepted":         CLOSED_FILE,
    "permit refused":          CLOSED_FILE,
    "permit retired":          CLOSED_FILE,
    "permit abandoned":        CLOSED_FILE,
    "declaration deposit":     OPEN_FILE,
    "declaration accepted":    CLOSED_FILE,
    "declaration refused":     CLOSED_FILE,
    "declaration retired":     CLOSED_FILE,
    "certificate deposit":     OPEN_FILE,
    "certificate delivered":   CLOSED_FILE,
    "certificate retired":     CLOSED_FILE,
    "event":                   EVENT,
    "opinion prepared":        EVENT,
    "opinion sent":            EVENT,
    "opinion received":        EVENT,
    "decision":                EVENT,
    "inquiry draft":           EVENT,
    "inquiry announced":       PUBLIC,
    "inquiry closed":          EVENT,
}  # fmt: skip
LICENCE_PATHS = {
    # row: (licence type, decision, transitions)
    "permit deposit": ("building_permit", None, ()),
    "permit incomplete": ("building_permit", None, ("declare_incomplete",)),
    "permit complete": ("building_permit", None, ("declare_complete",)),
    "permit suspended": ("building_permit", None, ("declare_complete", "suspend")),
    "permit accepted": ("building_permit", "granted", ("declare_complete", "accept")),
    "permit refused": ("building_permit", "refused", ("declare_complete", "refuse")),
    "permit retired": ("building_permit", None, ("retire",)),
    "permit abandoned": ("building_permit", None, ("abandon",)),
    "declaration deposit": ("planning_declaration", None, ()),
    "declaration accepted": ("planning_declaration", "granted", ("accept",)),
    "declaration refused": ("planning_declaration", "refused", ("refuse",)),
    "declaration retired": ("planning_declaration", None, ("retire",)),
    "certificate deposit": ("notary_letter", None, ()),
    "certificate delivered": ("notary_letter", None, ("deliver",)),
    "certificate retired": ("notary_letter", None, ("retire",)),
}
EVENT_PATHS = {
    # row: (event type, transitions); the first before the file is complete
    "event": ("deposit", ()),
    "opinion prepared": ("opinion_fd", ()),
    "opinion sent": ("opinion_fire", ("send",)),
    "opinion received": ("opinion_networks", ("send", "receive")),
    "decision": ("college_decision", ()),
    "inquiry draft": ("inquiry", ()),
    "inquiry announced": ("announcement", ("announce",)),
    "inquiry closed": ("inquiry", ("announce", "close")),
}
PERSONAL = "Applicant-Dupont-Personal"
CLAIMANT = "Claimant-Lambert-Personal"
NOTES = "Internal-Note-Staff-Only"


def _licence(row, licence_type, decision, transitions):
    licence = testing.make_licence(
        licence_type=licence_type,
        subject=f"File {row}",
        applicants=[{"name": PERSONAL, "first_name": "Jean", "email": "jean@example.org"}],
        internal_notes=f"{NOTES} ({row})",
    )
    testing.grant_applicant(licence, "applicant")
    if decision:
        testing.add_event(licence, "college_decision", decision=decision)
    testing.transition(licence, *transitions)
    return licence


@pytest.fixture
def objects(functional_portal):
    desk = testing.build(functional_portal)
    objects = {
        "desk": desk,
        "configuration": desk["configuration"],
        "licence type": desk["configuration"]["building_permit"],
        "event type": desk["configuration"]["deposit"],
        "contacts": desk["contacts"],
    }
    with api.env.adopt_roles(["Manager"]):
        objects["contact"] = createContentInContainer(
            desk["contacts"], "urban_contact", title="Architecte Durand", kind="architect"
        )
    for row, path in LICENCE_PATHS.items():
        objects[row] = _licence(row, *path)
    other = testing.make_licence(subject="Another applicant's file")
    testing.grant_applicant(other, "other_applicant")
    # the events, in the order and states the timeline allows, in a complete permit
    events_licence = _licence("with its events", "building_permit", None, ())
    testing.add_event(events_licence, "receipt", event_date=datetime.date(2026, 3, 1))
    for index, (row, (event_type, transitions)) in enumerate(EVENT_PATHS.items()):
        if index == 1:
            testing.transition(events_licence, "declare_complete")
        fields = {"notes": f"{NOTES} ({row})", "event_date": datetime.date(2026, 3, 2 + index)}
        if row.startswith("inquiry"):
            fields["claimants"] = [{"name": CLAIMANT, "claim": "Trop haut."}]
        if row == "decision":
            fields["decision"] = "granted"
        if row == "opinion received":
            fields["opinion"] = "favorable"  # the guard of "receive"
        event = testing.add_event(events_licence, event_type, **fields)
        testing.transition(event, *transitions)
        objects[row] = event
    transaction.commit()
    return objects


def personal_mark(obj):
    """The personal data the object holds (None: it holds none)."""
    if obj.portal_type in LICENCES:
        return PERSONAL
    if obj.portal_type == "urban_inquiry":
        return CLAIMANT
    return None


def notes_mark(obj):
    return NOTES if obj.portal_type in LICENCES or obj.portal_type in EVENTS else None


def patch_value(obj, role, row):
    """(field, JSON value, stored value) of a PATCH by ``role`` of ``obj``."""
    text = f"Edited by {role} ({row})"
    if obj.portal_type in LICENCES:
        return "subject", text, text
    if obj.portal_type in EVENTS:
        key_date = {"label": text, "date": "2026-03-20"}
        return "key_dates", [key_date], [{"label": text, "date": datetime.date(2026, 3, 20)}]
    return "description", text, text


# The edit form is checked on one row of each kind of permission map (REST PATCH
# checks every row): it is the slowest page to serve.
EDIT_FORM_ROWS = {
    "desk",
    "configuration",
    "licence type",
    "event type",
    "contacts",
    "contact",
    "permit deposit",
    "permit accepted",
    "declaration deposit",
    "declaration refused",
    "certificate deposit",
    "certificate delivered",
    "event",
    "opinion sent",
    "decision",
    "inquiry announced",
}


class Matrix(matrix.Matrix):
    def __init__(self, objects):
        super().__init__("urban", TABLE, objects, ROLES, PASSWORD)
        self.objects = objects

    def check(self):
        self.search()
        for row, role, obj, code in self.cells:
            self.read(row, role, obj, CELLS[code])
        for row, role, obj, code in self.cells:
            if row in EDIT_FORM_ROWS:
                self.edit_form(row, role, obj, CELLS[code][3])
        for row, role, obj, code in sorted(self.cells, key=lambda cell: CELLS[cell[3]][3]):
            self.patch_cell(row, role, obj, CELLS[code][3])
        self.assert_as_table()

    def search(self):
        """One catalog search per role: it finds exactly what the role may view."""
        portal_url = api.portal.get().absolute_url()
        types = sorted({obj.portal_type for obj in self.objects.values()})
        for role in self.roles:
            found = self.sessions[role].get(
                f"{portal_url}/@search",
                params={"portal_type": types, "b_size": 1000},
                headers={"Accept": "application/json"},
            )
            urls = {item["@id"] for item in found.json().get("items", [])}
            for row, cell_role, obj, code in self.cells:
                if cell_role == role:
                    shown = obj.absolute_url() in urls
                    self._compare(row, role, "catalog search", CELLS[code][0], shown, found, False)

    def read(self, row, role, obj, expected):
        """The page and REST GET: shown or refused; their personal data and notes."""
        view, personal, notes, _edit = expected
        http, url = self.sessions[role], obj.absolute_url()
        page = http.get(url, allow_redirects=False)
        title = obj.Title()
        shown = page.status_code == 200 and (title in page.text or escape(title) in page.text)
        self._compare(row, role, "page", view, shown, page)
        got = http.get(url, headers={"Accept": "application/json"}, allow_redirects=False)
        served = got.status_code == 200 and got.json().get("@id") == url
        self._compare(row, role, "REST GET", view, served, got)
        for mark, allowed, what in (
            (personal_mark(obj), personal, "personal data"),
            (notes_mark(obj), notes, "internal notes"),
        ):
            if mark is None:
                continue
            self._compare(row, role, f"{what} on the page", allowed, mark in page.text, page, False)
            in_rest = served and mark in got.text
            self._compare(row, role, f"{what} in REST", allowed, in_rest, got, False)

    def patch_cell(self, row, role, obj, expected):
        field, value, stored_value = patch_value(obj, role, row)
        transaction.begin()
        before = getattr(obj, field)
        response = self.sessions[role].patch(
            obj.absolute_url(),
            headers={"Accept": "application/json"},
            json={field: value},
            allow_redirects=False,
        )
        transaction.begin()  # see what the server committed
        stored = getattr(obj, field)
        edited = response.status_code == 204 and stored == stored_value
        if response.status_code == 400:
            self._differ(row, role, "REST PATCH refused as bad input", "", response.text[:300])
        self._compare(row, role, "REST PATCH", expected, edited, response)
        if not expected and stored != before:
            self._differ(row, role, "database after a refused PATCH", repr(before), repr(stored))


def test_permission_matrix(objects):
    for row in LICENCE_PATHS:
        assert api.content.get_state(objects[row]) == row.split()[1], row
    for row in EVENT_PATHS:
        if row.startswith(("opinion", "inquiry")):
            assert api.content.get_state(objects[row]) == row.split()[1], row
    Matrix(objects).check()
