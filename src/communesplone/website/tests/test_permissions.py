"""The permission matrix of the website's types, every cell through the UI and REST.

The public content follows the website's workflow (``workflow_spec.py``:
Plone's simple publication with the collaborative sections' review); the
table says what the issue expects of it, per role and state, for each type.
The objects live in a section delegated to ``sectioneditor``; ``outsider``
was given another section:

- a contributor creates content (and owns it): edits it while private, reads
  it while it waits for review and once published (the web team edits
  published content; its owner takes it back to private to change it);
- a site-wide editor reads and edits what is not pending; a reviewer reads
  and edits what is pending (to review it) and reads what is published;
- the site administrator reads and edits everything;
- the section editor reads everything in their section and edits its drafts
  only; the editor of another section sees what anyone may see;
- anonymous visitors and citizens read published content only.

Each cell is checked four ways by the shared ``core.matrix.Matrix``: the
page, REST GET, the edit form and REST PATCH (then the database says whether
the change was made).
"""

from communesplone.core import matrix
from communesplone.website import sections
from communesplone.website.testing import build
from communesplone.website.testing import PASSWORD
from datetime import date
from datetime import datetime
from datetime import timedelta
from plone import api

import contextlib
import pytest
import transaction


ROLES = (
    "anonymous",
    "citizen",
    "contributor",
    "editor",
    "reviewer",
    "siteadmin",
    "sectioneditor",
    "outsider",
)
# "-": may not view; "v": may view, not edit; "e": may view and edit
CELLS = {"-": (False, False), "v": (True, False), "e": (True, True)}
TABLE = {
    #              anon cit  con  ed   rev  sadm sec  out
    "private":    "-    -    e    e    -    e    e    -",
    "pending":    "-    -    v    v    e    e    v    -",
    "published":  "v    v    v    e    v    e    v    v",
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
    "newsletter": {"batch_size": 50},
    "newsletter_issue": {},  # in the published newsletter
}
# A newsletter is added by the site administrators: the contributor's is made
# with their roles, so that the contributor owns it like the other types.
ADDED_FOR_CONTRIBUTOR = {"newsletter"}
ORIGINAL = "Original text"


@pytest.fixture
def objects(functional_portal):
    build(functional_portal)
    with api.env.adopt_roles(["Manager"]):
        section, other = (
            api.content.create(container=functional_portal, type="Folder", id=i, title=i)
            for i in ("section", "other-section")
        )
        for folder, member in ((section, "sectioneditor"), (other, "outsider")):
            api.content.transition(obj=folder, transition="publish")
            api.user.grant_roles(username=member, obj=folder, roles=[sections.ROLE])
    found = {}
    for portal_type, fields in FIELDS.items():
        for state, transitions in TRANSITIONS.items():
            roles = ["Manager"] if portal_type in ADDED_FOR_CONTRIBUTOR else None
            with (
                api.env.adopt_user(username="contributor"),
                api.env.adopt_roles(roles) if roles else contextlib.nullcontext(),
            ):
                obj = api.content.create(
                    container=found["newsletter", "published"]
                    if portal_type == "newsletter_issue"
                    else section,
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


@pytest.mark.parametrize("portal_type", sorted(FIELDS))
def test_matrix(objects, portal_type):
    rows = {state: objects[portal_type, state] for state in TABLE}
    table = matrix.Matrix(portal_type, TABLE, rows, ROLES, PASSWORD)
    for row, role, obj, code in table.cells:
        table.view(row, role, obj, CELLS[code][0])
    for row, role, obj, code in table.cells:
        table.edit_form(row, role, obj, CELLS[code][1])
    for row, role, obj, code in sorted(table.cells, key=lambda cell: CELLS[cell[3]][1]):
        table.patch(row, role, obj, CELLS[code][1], "description")
    table.assert_as_table()
