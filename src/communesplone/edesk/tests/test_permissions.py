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

from communesplone.edesk.testing import build
from communesplone.edesk.testing import PASSWORD
from html import escape
from plone.locking.interfaces import ILockable

import pytest
import requests
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


def _session(role):
    http = requests.Session()
    if role != "anonymous":
        http.auth = (role, PASSWORD)
    return http


def _denied(response):
    if response.status_code in (401, 403):
        return True
    location = response.headers.get("Location", "")
    return response.status_code == 302 and "login" in location


class Matrix:
    def __init__(self, table, objects):
        self.cells = [
            (row, role, objects[row], code)
            for row, codes in table.items()
            for role, code in zip(ROLES, codes.split(), strict=True)
        ]
        self.sessions = {role: _session(role) for role in ROLES}
        self.mismatches = []

    def check(self):
        for row, role, obj, code in self.cells:
            self.view(row, role, obj, CELLS[code][0])
            self.notes(row, role, obj, CELLS[code][2])
        for row, role, obj, code in self.cells:
            self.edit_form(row, role, obj, CELLS[code][1])
        for row, role, obj, code in sorted(self.cells, key=lambda cell: CELLS[cell[3]][1]):
            self.patch(row, role, obj, CELLS[code][1])
        assert not self.mismatches, "\n".join(
            [f"{len(self.mismatches)} checks differ from the table", *self.mismatches]
        )

    def view(self, row, role, obj, expected):
        http, url = self.sessions[role], obj.absolute_url()
        page = http.get(url, allow_redirects=False)
        shown = page.status_code == 200 and escape(obj.Title()) in page.text
        self._compare(row, role, "page", expected, shown, page)
        got = http.get(url, headers={"Accept": "application/json"}, allow_redirects=False)
        shown = got.status_code == 200 and got.json().get("@id") == url
        self._compare(row, role, "REST GET", expected, shown, got)
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

    def edit_form(self, row, role, obj, expected):
        form = self.sessions[role].get(f"{obj.absolute_url()}/edit", allow_redirects=False)
        shown = form.status_code == 200 and "form.buttons.save" in form.text
        self._compare(row, role, "edit form", expected, shown, form)
        if form.status_code == 200:
            transaction.begin()
            lockable = ILockable(obj, None)
            if lockable is not None and lockable.locked():
                lockable.clear_locks()
                transaction.commit()

    def patch(self, row, role, obj, expected):
        transaction.begin()
        before = obj.address
        value = f"Edited by {role} ({row})"
        response = self.sessions[role].patch(
            obj.absolute_url(),
            headers={"Accept": "application/json"},
            json={"address": value},
            allow_redirects=False,
        )
        transaction.begin()
        stored = obj.address
        edited = response.status_code == 204 and stored == value
        self._compare(row, role, "REST PATCH", expected, edited, response)
        if not expected and stored != before:
            self._differ(row, role, "database after a refused PATCH", repr(before), repr(stored))

    def _compare(self, row, role, check, expected, allowed, response, refusal=True):
        if allowed is expected:
            if refusal and not allowed and not _denied(response):
                self._differ(row, role, check, "refused (401, 403, login)", self._got(response))
            return
        got = "allowed" if allowed else f"refused ({self._got(response)})"
        self._differ(row, role, check, "allowed" if expected else "refused", got)

    def _differ(self, row, role, check, expected, got):
        self.mismatches.append(f"{row:16} | {role:11} | {check}: expected {expected}, got {got}")

    @staticmethod
    def _got(response):
        location = response.headers.get("Location")
        return f"HTTP {response.status_code}" + (f" -> {location}" if location else "")


def test_requests(world):
    for state, request in world.items():
        assert request.portal_workflow.getInfoFor(request, "review_state") == state
    Matrix(REQUESTS, world).check()
