"""The permission matrix of the tests: a table of intent, checked over HTTP.

A table maps each row (a state, or a labelled object) to one code per role,
written from what each role should be able to do. A :class:`Matrix` checks
its cells over real HTTP against a running functional site: the page and
REST GET, the edit form, REST PATCH (then the database), and whatever checks
an application adds. It reads every cell before it writes any, refused
writes first, and reports all the cells that differ from the table as one
table, so a wrong permission map shows whole.
"""

from communesplone.core.testing import http_session
from html import escape
from plone.locking.interfaces import ILockable

import transaction


# A ``requests`` session logged in as ``login`` (none for "anonymous").
session = http_session


def denied(response):
    """Refused the way Plone refuses: 401, 403 or a redirection to the login form."""
    if response.status_code in (401, 403):
        return True
    location = response.headers.get("Location", "")
    return response.status_code == 302 and "login" in location


class Matrix:
    """Checks the cells of ``table`` for ``roles`` and collects those that differ.

    ``objects`` maps each row of the table to the object it is about; each
    role logs in with its own name as login and ``password``.
    """

    def __init__(self, name, table, objects, roles, password):
        self.name = name
        self.roles = roles
        self.cells = [
            (row, role, objects[row], code)
            for row, codes in table.items()
            for role, code in zip(roles, codes.split(), strict=True)
        ]
        assert len(self.cells) == len(table) * len(roles)
        self.sessions = {role: session(role, password) for role in roles}
        self.mismatches = []

    def view(self, row, role, obj, expected):
        """The object's page shows its title, and REST GET answers with it."""
        http, url = self.sessions[role], obj.absolute_url()
        page = http.get(url, allow_redirects=False)
        shown = page.status_code == 200 and escape(obj.Title()) in page.text
        self._compare(row, role, "page", expected, shown, page)
        got = http.get(url, headers={"Accept": "application/json"}, allow_redirects=False)
        shown = got.status_code == 200 and got.json().get("@id") == url
        self._compare(row, role, "REST GET", expected, shown, got)

    def edit_form(self, row, role, obj, expected):
        """The edit form opens (and is unlocked again for the other cells)."""
        form = self.sessions[role].get(f"{obj.absolute_url()}/edit", allow_redirects=False)
        shown = form.status_code == 200 and "form.buttons.save" in form.text
        self._compare(row, role, "edit form", expected, shown, form)
        if form.status_code == 200:
            self._unlock(obj)

    def patch(self, row, role, obj, expected, field):
        """REST PATCH of ``field`` is stored, or refused with nothing changed."""
        transaction.begin()
        before = getattr(obj, field)
        value = f"Edited by {role} ({row})"
        response = self.sessions[role].patch(
            obj.absolute_url(),
            headers={"Accept": "application/json"},
            json={field: value},
            allow_redirects=False,
        )
        transaction.begin()  # see what the server committed
        stored = getattr(obj, field)
        edited = response.status_code == 204 and stored == value
        self._compare(row, role, "REST PATCH", expected, edited, response)
        if not expected and stored != before:
            self._differ(row, role, "database after a refused PATCH", repr(before), repr(stored))

    def _compare(self, row, role, check, expected, allowed, response, refusal=True):
        """Note a mismatch; with ``refusal``, a refusal must also be Plone's own."""
        if allowed is expected:
            if refusal and not allowed and not denied(response):
                # Refused, but not the way Plone refuses: an error page, a 404...
                self._differ(row, role, check, "refused (401, 403, login)", self._got(response))
            return
        got = "allowed" if allowed else f"refused ({self._got(response)})"
        self._differ(row, role, check, "allowed" if expected else "refused", got)

    def _differ(self, row, role, check, expected, got):
        self.mismatches.append(f"{row} | {role} | {check}: expected {expected}, got {got}")

    @staticmethod
    def _got(response):
        location = response.headers.get("Location")
        return f"HTTP {response.status_code}" + (f" -> {location}" if location else "")

    @staticmethod
    def _unlock(obj):
        transaction.begin()
        lockable = ILockable(obj, None)
        if lockable is not None and lockable.locked():
            lockable.clear_locks()
            transaction.commit()

    def assert_as_table(self):
        assert not self.mismatches, "\n".join(
            [f"{self.name}: {len(self.mismatches)} checks differ from the table", *self.mismatches]
        )
