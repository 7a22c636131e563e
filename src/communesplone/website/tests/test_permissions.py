"""The permission matrix of the website's types, every cell through the UI and REST.

The public content follows Plone's simple publication workflow; the table
says what the issue expects of it, per role and state, for each type:

- a contributor creates content (and owns it): edits it while private and
  once published, reads it while it waits for review;
- a site-wide editor reads and edits what is not pending; a reviewer reads
  and edits what is pending (to review it) and reads what is published;
- the site administrator reads and edits everything;
- anonymous visitors and citizens read published content only.

Each cell is checked four ways, as in meetings' matrix: the page, the edit
form, REST GET and REST PATCH (then the database says whether the change
was made).
"""

from communesplone.website.testing import build
from communesplone.website.testing import PASSWORD
from datetime import date
from datetime import datetime
from datetime import timedelta
from html import escape
from plone import api
from plone.locking.interfaces import ILockable

import pytest
import requests
import transaction


ROLES = ("anonymous", "citizen", "contributor", "editor", "reviewer", "siteadmin")
# "-": may not view; "v": may view, not edit; "e": may view and edit
CELLS = {"-": (False, False), "v": (True, False), "e": (True, True)}
TABLE = {
    #              anon cit  con  ed   rev  sadm
    "private":    "-    -    e    e    -    e",
    "pending":    "-    -    v    v    e    e",
    "published":  "v    v    e    e    v    e",
}  # fmt: skip
TRANSITIONS = {"private": (), "pending": ("submit",), "published": ("publish",)}
FIELDS = {
    "directory_entry": {"category": "commerces"},
    "job_vacancy": {
        "service": "personnel",
        "contract_type": "cdi",
        "closing_date": date.today() + timedelta(days=30),
    },
    "procedure": {"cost": "5 €"},
    "quick_link": {"url": "https://example.org"},
    "alert_banner": {
        "message": "Message",
        "level": "info",
        "start": datetime.now() - timedelta(days=1),
        "end": datetime.now() + timedelta(days=1),
    },
}
ORIGINAL = "Original text"


@pytest.fixture
def objects(functional_portal):
    build(functional_portal)
    found = {}
    for portal_type, fields in FIELDS.items():
        for state, transitions in TRANSITIONS.items():
            with api.env.adopt_user(username="contributor"):
                obj = api.content.create(
                    container=functional_portal,
                    type=portal_type,
                    id=f"{portal_type}-{state}",
                    title=f"{portal_type} {state}",
                    description=ORIGINAL,
                    **fields,
                )
            with api.env.adopt_roles(["Manager"]):
                for transition in transitions:
                    api.content.transition(obj=obj, transition=transition)
            found[portal_type, state] = obj
    transaction.commit()
    return found


def _session(role):
    http = requests.Session()
    if role != "anonymous":
        http.auth = (role, PASSWORD)
    return http


def _denied(response):
    if response.status_code in (401, 403):
        return True
    return response.status_code == 302 and "login" in response.headers.get("Location", "")


@pytest.mark.parametrize("portal_type", sorted(FIELDS))
def test_matrix(objects, portal_type):
    sessions = {role: _session(role) for role in ROLES}
    mismatches = []

    def compare(state, role, check, expected, allowed, response):
        if allowed is expected:
            if not allowed and check != "REST PATCH" and not _denied(response):
                mismatches.append(
                    f"{state} | {role} | {check}: refused with {response.status_code}"
                )
            return
        got = "allowed" if allowed else f"refused (HTTP {response.status_code})"
        mismatches.append(f"{state} | {role} | {check}: expected the other way, got {got}")

    cells = [
        (state, role, objects[portal_type, state], CELLS[code])
        for state, codes in TABLE.items()
        for role, code in zip(ROLES, codes.split(), strict=True)
    ]
    for state, role, obj, (view, _edit) in cells:
        http, url = sessions[role], obj.absolute_url()
        page = http.get(url, allow_redirects=False)
        compare(
            state,
            role,
            "page",
            view,
            page.status_code == 200 and escape(obj.title) in page.text,
            page,
        )
        got = http.get(url, headers={"Accept": "application/json"}, allow_redirects=False)
        shown = got.status_code == 200 and got.json().get("@id") == url
        compare(state, role, "REST GET", view, shown, got)
    for state, role, obj, (_view, edit) in cells:
        form = sessions[role].get(f"{obj.absolute_url()}/edit", allow_redirects=False)
        shown = form.status_code == 200 and "form.buttons.save" in form.text
        compare(state, role, "edit form", edit, shown, form)
        if form.status_code == 200:
            transaction.begin()
            lockable = ILockable(obj)
            if lockable.locked():
                lockable.clear_locks()
                transaction.commit()
    for state, role, obj, (_view, edit) in sorted(cells, key=lambda cell: cell[3][1]):
        value = f"Edited by {role} ({state})"
        response = sessions[role].patch(
            obj.absolute_url(),
            headers={"Accept": "application/json"},
            json={"description": value},
            allow_redirects=False,
        )
        transaction.begin()
        edited = response.status_code == 204 and obj.description == value
        compare(state, role, "REST PATCH", edit, edited, response)
        if not edit and not edited and response.status_code == 204:
            mismatches.append(f"{state} | {role} | PATCH answered 204 without writing")
    assert not mismatches, "\n".join([f"{portal_type}: {len(mismatches)} differ", *mismatches])
