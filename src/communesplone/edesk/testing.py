"""An e-desk world for tests and benchmarks: services, staff, citizens, request types.

``build(portal)`` creates (as Manager) the services "population" and
"travaux", one user per role of the permission matrix, and two request
types (a certificate of Population, a problem report of Travaux), and
returns a :class:`World`. Logins share :data:`PASSWORD`. It also forgets the
anonymous submissions counted by the rate limit (kept in this process's memory).
:func:`aged_form_stamp` is the time stamp of a form served long enough ago to
pass the anonymous form's fill-time check.
"""

from communesplone.core.citizens import GROUP as CITIZENS
from communesplone.core.testing import create_users
from communesplone.core.testing import http_session
from communesplone.core.testing import set_services
from communesplone.edesk import anonymous
from communesplone.edesk.desk import get_desk
from dataclasses import dataclass
from plone import api

import time


PASSWORD = "secret-password"
SERVICES = [
    {"id": "population", "title": "Population / État civil", "email": None},
    {"id": "travaux", "title": "Travaux", "email": None},
]
# login -> (groups, site roles)
USERS = {
    "citizen_a": ([CITIZENS], ()),
    "citizen_b": ([CITIZENS], ()),
    "editor": (["population_editors"], ()),
    "reviewer": (["population_reviewers"], ()),
    "other_staff": (["travaux_editors", "travaux_reviewers"], ()),
    "siteadmin": ([], ("Site Administrator",)),
    "manager": ([], ("Manager",)),
}
VALID_NRN = "85.07.30-033.28"  # 97 - 850730033 % 97 = 28
CERTIFICATE_FIELDS = [
    {"id": "nrn", "label": "National number", "type": "nrn", "required": True},
    {
        "id": "purpose",
        "label": "Purpose",
        "type": "choice",
        "required": True,
        "options": "Employer\nSchool",
    },
    {"id": "copies", "label": "Copies", "type": "number", "required": False},
    {"id": "when", "label": "Needed on", "type": "date", "required": False},
    {"id": "email", "label": "Other email", "type": "email", "required": False},
    {"id": "phone", "label": "Phone", "type": "phone", "required": False},
    {"id": "urgent", "label": "Urgent", "type": "boolean", "required": False},
    {"id": "proof", "label": "Proof", "type": "file", "required": False},
    {"id": "remarks", "label": "Remarks", "type": "textarea", "required": False},
]
CERTIFICATE_VALUES = {"nrn": VALID_NRN, "purpose": "Employer"}
PROBLEM_FIELDS = [
    {"id": "description", "label": "Description", "type": "textarea", "required": True},
]


@dataclass
class World:
    portal: object
    desk: object
    certificate: object
    problem: object

    def request(self, user="citizen_a", request_type=None, values=None, submit=True, **fields):
        """A request made by ``user`` (submitted unless ``submit`` is false)."""
        request_type = request_type or self.certificate
        with api.env.adopt_user(username=user):
            created = api.content.create(
                container=self.desk,
                type="citizen_request",
                title=request_type.title,
                safe_id=True,
                request_type=request_type.UID(),
                values=dict(CERTIFICATE_VALUES if values is None else values),
                service=request_type.service,
                **fields,
            )
            if submit:
                api.content.transition(obj=created, transition="submit")
        return created

    def transition(self, request, *transitions, user="reviewer", comment=""):
        """Run ``transitions`` as ``user`` (WorkflowException when not allowed)."""
        workflow = api.portal.get_tool("portal_workflow")
        for transition in transitions:
            with api.env.adopt_user(username=user):
                workflow.doActionFor(request, transition, comment=comment)


def build(portal):
    anonymous.LIMIT.reset()  # the counts of anonymous submissions live in this process
    with api.env.adopt_roles(["Manager"]):
        set_services(SERVICES)
        api.portal.set_registry_record("plone.email_from_address", "guichet@commune.example")
        api.portal.set_registry_record("plone.email_from_name", "Guichet")
        create_users(USERS, PASSWORD)
        desk = get_desk()
        certificate = api.content.create(
            container=desk,
            type="request_type",
            id="certificate",
            title="Certificat de résidence",
            service="population",
            field_definitions=CERTIFICATE_FIELDS,
            anonymous_allowed=False,
            active=True,
        )
        problem = api.content.create(
            container=desk,
            type="request_type",
            id="problem",
            title="Problème d'éclairage",
            service="travaux",
            field_definitions=PROBLEM_FIELDS,
            needs_location=True,
            anonymous_allowed=True,
            active=True,
        )
    return World(portal, desk, certificate, problem)


def aged_form_stamp(seconds=60):
    """The anonymous form's stamp as if the form had been served ``seconds`` ago."""
    return anonymous.form_stamp(now=time.time() - seconds)


def session(login=None):
    """A ``requests`` session logged in as the test user ``login``, or anonymous."""
    return http_session(login, PASSWORD)
