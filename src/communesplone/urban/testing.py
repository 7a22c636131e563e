"""An urban world for tests, demos and benchmarks: services, staff, applicants, files.

The layer (``communesplone.core.testing.URBAN``) installs the urban profile:
the service ``urbanisme``, the desk ``/urbanisme`` and its default licence and
event types. The helpers here make what a test needs on top of it:

- :func:`make_licence` makes a licence of a licence type (its content type is
  the type's family), with a reference, as Manager;
- :func:`add_event` adds an event of an event type to a licence;
- :func:`transition` runs transitions (as a given user, or as Manager);
- :func:`grant_applicant` gives a member the ``UrbanApplicant`` role on a licence;
- :func:`build` makes one user per role of the permission matrix (logins in
  :data:`USERS`, password :data:`PASSWORD`) and returns the desk.
"""

from communesplone.core import services
from communesplone.core.citizens import GROUP as CITIZENS
from communesplone.core.testing import create_users
from communesplone.core.testing import http_session
from communesplone.urban.constants import APPLICANT
from communesplone.urban.constants import KIND_TYPES
from communesplone.urban.constants import SERVICE
from communesplone.urban.desk import get_desk
from communesplone.urban.desk import get_event_type
from communesplone.urban.desk import get_licence_type
from plone import api
from plone.dexterity.utils import createContentInContainer

import datetime


PASSWORD = "secret-password"
OTHER_SERVICE = "travaux"
# login -> (groups, site roles); "applicant" and "other_applicant" get the applicant
# role on their own files (grant_applicant)
USERS = {
    "citizen": ([CITIZENS], ()),
    "applicant": ([CITIZENS], ()),
    "other_applicant": ([CITIZENS], ()),
    "editor": ([f"{SERVICE}_editors"], ()),
    "reviewer": ([f"{SERVICE}_reviewers"], ()),
    "observer": ([f"{SERVICE}_observers"], ()),
    "other_staff": ([f"{OTHER_SERVICE}_editors", f"{OTHER_SERVICE}_reviewers"], ()),
    "siteadmin": ([], ("Site Administrator",)),
    "manager": ([], ("Manager",)),
}
SUBJECT = "Construction d'une maison unifamiliale"


def make_licence(desk=None, licence_type="building_permit", **fields):
    """A new licence of ``licence_type`` (an id of the configuration) in ``desk``.

    ``fields`` are set on it (``subject`` has a default). Made as Manager and
    named as the add form and REST name it: after its reference, taken then.
    """
    desk = desk if desk is not None else get_desk()
    configured = get_licence_type(licence_type)
    if configured is None:
        raise ValueError(f"No licence type {licence_type!r} in the configuration")
    fields.setdefault("subject", SUBJECT)
    with api.env.adopt_roles(["Manager"]):
        return createContentInContainer(
            desk, configured.family, licence_type=licence_type, **fields
        )


def add_event(licence, event_type_id, **fields):
    """A new event of ``event_type_id`` in ``licence`` (dated today unless
    ``event_date`` is given), made as Manager."""
    event_type = get_event_type(event_type_id)
    if event_type is None:
        raise ValueError(f"No event type {event_type_id!r} in the configuration")
    fields.setdefault("event_date", datetime.date.today())
    with api.env.adopt_roles(["Manager"]):
        return createContentInContainer(
            licence, KIND_TYPES[event_type.kind], event_type=event_type_id, **fields
        )


def transition(obj, *transitions, user=None):
    """Run ``transitions`` on ``obj`` as ``user`` (as Manager if None); a
    WorkflowException says one is not allowed."""
    workflow = api.portal.get_tool("portal_workflow")
    for name in transitions:
        if user is None:
            with api.env.adopt_roles(["Manager"]):
                workflow.doActionFor(obj, name)
        else:
            with api.env.adopt_user(username=user):
                workflow.doActionFor(obj, name)


def grant_applicant(licence, login):
    """Give ``login`` the applicant's local role on ``licence``."""
    roles = set(licence.get_local_roles_for_userid(login)) | {APPLICANT}
    licence.manage_setLocalRoles(login, sorted(roles))
    licence.reindexObjectSecurity()


def ensure_other_service():
    """A second service (its staff must see nothing of the urban files)."""
    if services.get(OTHER_SERVICE) is None:
        rows = services.get_all()
        rows.append({"id": OTHER_SERVICE, "title": "Travaux", "email": None})
        api.portal.set_registry_record(services.RECORD, rows)


def build(portal):
    """The users of :data:`USERS` (made once), and the desk."""
    with api.env.adopt_roles(["Manager"]):
        ensure_other_service()
        create_users(USERS, PASSWORD)
    return get_desk()


def session(login=None):
    """A ``requests`` session logged in as the test user ``login``, or anonymous."""
    return http_session(login, PASSWORD)
