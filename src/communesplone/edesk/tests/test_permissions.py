"""The permission matrix of the e-desk, every cell over real HTTP.

The table says who may view and who may edit a request of the Population
service, made by citizen A, in each state. It is written from the issue's
intent, not computed from ``workflow_spec.py``:

- a citizen sees only their own requests, edits them only as drafts, and
  never reads the internal notes;
- staff of the processing service (editor, reviewer) see the request from its
  submission, handle (edit) it while open, and read its internal notes;
  staff of another service see nothing of it;
- Site Administrator and Manager see and edit everything until it is closed;
- a closed request is read-only for everyone; nobody but its citizen and the
  administrators sees a draft.

Each cell is checked through the page (GET of the request's URL), REST GET,
the catalog (REST ``@search``), the edit form and REST PATCH (then the
database says whether the change was made); the internal notes through the
page and REST GET. Mismatches are listed together as one table.
"""

from communesplone.core import matrix
from communesplone.edesk.testing import build
from communesplone.edesk.testing import PASSWORD

import pytest
import transaction


ROLES = (
    "anonymous",
    "citizen_a",  # made the requests
    "citizen_b",
    "editor",  # editor of the processing service (population)
    "reviewer",  # reviewer of the processing service
    "other_staff",  # editor and reviewer of another service (travaux)
    "siteadmin",
    "manager",
)
# "-": may not view; "v": view, not edit; "e": view and edit; "n": view, edit and
# read the internal notes; "r": view and read the internal notes, not edit
CELLS = {
    "-": (False, False, False),
    "v": (True, False, False),
    "e": (True, True, False),
    "n": (True, True, True),
    "r": (True, False, True),
}
REQUESTS = {
    #                    anon cit_a cit_b edit rev  other sadm mgr
    "draft":            "-    e     -     -    -    -     n    n",
    "submitted":        "-    v     -     n    n    -     n    n",
    "in_progress":      "-    v     -     n    n    -     n    n",
    "waiting_citizen":  "-    v     -     n    n    -     n    n",
    "transmitted":      "-    v     -     n    n    -     n    n",
    "done":             "-    v     -     r    r    -     n    n",
    "rejected":         "-    v     -     r    r    -     n    n",
    "closed":           "-    v     -     r    r    -     r    r",
}  # fmt: skip
# Plone's toolbar (its state menu) on a request's page, for whoever views it: for
# the service's handlers and the administrators, never for a citizen ("t": shown)
TOOLBAR = {
    #                    anon cit_a cit_b edit rev  other sadm mgr
    "draft":            "-    -     -     -    -    -     t    t",
    "submitted":        "-    -     -     t    t    -     t    t",
    "in_progress":      "-    -     -     t    t    -     t    t",
    "waiting_citizen":  "-    -     -     t    t    -     t    t",
    "transmitted":      "-    -     -     t    t    -     t    t",
    "done":             "-    -     -     t    t    -     t    t",
    "rejected":         "-    -     -     t    t    -     t    t",
    "closed":           "-    -     -     t    t    -     t    t",
}  # fmt: skip
# The desk's staff pages ("v": opened), guarded by "communesplone.edesk: Manage
# requests": the staff of every service and the administrators, no citizen
DESK = {
    #                        anon cit_a cit_b edit rev  other sadm mgr
    "@@requests-admin":     "-    -     -     v    v    v     v    v",
    "@@requests-admin.csv": "-    -     -     v    v    v     v    v",
}  # fmt: skip
PATHS = {
    "draft": (),
    "submitted": (),
    "in_progress": ("take",),
    "waiting_citizen": ("take", "ask_information"),
    "transmitted": ("transmit",),
    "done": ("take", "complete"),
    "rejected": ("reject",),
    "closed": ("take", "complete", "close"),
}
NOTES = "Internal note: the citizen owes a fee"
ORIGINAL = "Rue Haute 1"


@pytest.fixture
def world(functional_portal):
    world = build(functional_portal)
    objects = {}
    for state, path in PATHS.items():
        request = world.request(
            submit=state != "draft", address=ORIGINAL, internal_notes=f"{NOTES} ({state})"
        )
        request.title = f"Request {state}"
        world.transition(request, *path, comment="Reason")
        request.reindexObject()
        objects[state] = request
    transaction.commit()
    return objects


class Matrix(matrix.Matrix):
    """The e-desk's cells (``CELLS``): view and search, internal notes, edit."""

    def __init__(self, table, objects):
        super().__init__("requests", table, objects, ROLES, PASSWORD)

    def check(self):
        for row, role, obj, code in self.cells:
            self.view(row, role, obj, CELLS[code][0])
            self.search(row, role, obj, CELLS[code][0])
            self.notes(row, role, obj, CELLS[code][2])
        for row, role, obj, code in self.cells:
            self.edit_form(row, role, obj, CELLS[code][1])
        for row, role, obj, code in sorted(self.cells, key=lambda cell: CELLS[cell[3]][1]):
            self.patch(row, role, obj, CELLS[code][1], "address")
        self.assert_as_table()

    def search(self, row, role, obj, expected):
        """The catalog (REST @search) finds the request for whoever may view it."""
        http, url = self.sessions[role], obj.absolute_url()
        portal_url = url.rsplit("/", 2)[0]
        found = http.get(
            f"{portal_url}/@search",
            params={"portal_type": "citizen_request", "b_size": 100},
            headers={"Accept": "application/json"},
        )
        urls = [item["@id"] for item in found.json().get("items", [])]
        self._compare(row, role, "catalog search", expected, url in urls, found, refusal=False)

    def notes(self, row, role, obj, expected):
        http, url = self.sessions[role], obj.absolute_url()
        page = http.get(url, allow_redirects=False)
        self._compare(row, role, "notes on the page", expected, NOTES in page.text, page, False)
        got = http.get(url, headers={"Accept": "application/json"}, allow_redirects=False)
        data = got.json() if got.status_code == 200 else {}
        shown = NOTES in (data.get("internal_notes") or "")
        self._compare(row, role, "notes in REST", expected, shown, got, refusal=False)


class Toolbar(matrix.Matrix):
    """Whether a request's page shows Plone's toolbar to each role."""

    def __init__(self, table, objects):
        super().__init__("toolbar", table, objects, ROLES, PASSWORD)

    def check(self):
        for row, role, obj, code in self.cells:
            page = self.sessions[role].get(obj.absolute_url(), allow_redirects=False)
            shown = page.status_code == 200 and 'id="edit-zone"' in page.text
            self._compare(row, role, "toolbar", code == "t", shown, page, refusal=False)
        self.assert_as_table()


class Desk(matrix.Matrix):
    """The desk's staff pages: opened, or refused the way Plone refuses."""

    def __init__(self, table, desk):
        super().__init__("desk", table, dict.fromkeys(table, desk), ROLES, PASSWORD)

    def check(self):
        for row, role, desk, code in self.cells:
            page = self.sessions[role].get(f"{desk.absolute_url()}/{row}", allow_redirects=False)
            self._compare(row, role, "page", CELLS[code][0], page.status_code == 200, page)
        self.assert_as_table()


def test_requests(world):
    for state, request in world.items():
        assert request.portal_workflow.getInfoFor(request, "review_state") == state
    Matrix(REQUESTS, world).check()
    Toolbar(TOOLBAR, world).check()
    Desk(DESK, world["draft"].aq_parent).check()
