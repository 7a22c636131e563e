"""A meetings world for tests and benchmarks: services, staff, a college and a council.

``build(portal)`` creates (as Manager) two services, one user per role of
the permission matrix, the bodies "college" (forwarding to "council") and
"council", and returns a :class:`World` to reach them. Logins share
:data:`PASSWORD`.
"""

from communesplone.core.testing import set_services
from dataclasses import dataclass
from datetime import datetime
from plone import api


PASSWORD = "secret-password"
SERVICES = [
    {"id": "travaux", "title": "Travaux", "email": None},
    {"id": "population", "title": "Population", "email": None},
    {"id": "finances", "title": "Finances", "email": None},
]
# login -> groups (a body's groups are named after the body: college_...)
USERS = {
    "editor_a": ["travaux_editors"],
    "editor_b": ["population_editors"],
    "reviewer": ["travaux_reviewers"],
    "observer": ["travaux_observers"],
    "adviser": ["finances_advisers"],
    "manager": ["college_meetingmanagers", "council_meetingmanagers"],
    "member": [],  # in college_members through the body's members row
    "citizen": ["Citizens"],
}
MEMBERS = [
    {
        "id": "dupont",
        "person": "Jean Dupont",
        "function": "Bourgmestre-Président",
        "voting": True,
        "signatory_order": 1,
        "userid": "member",
    },
    {
        "id": "martin",
        "person": "Anne Martin",
        "function": "Échevine",
        "voting": True,
        "signatory_order": None,
        "userid": None,
    },
    {
        "id": "leroy",
        "person": "Paul Leroy",
        "function": "Échevin",
        "voting": True,
        "signatory_order": None,
        "userid": None,
    },
    {
        "id": "godin",
        "person": "Delphine Godin",
        "function": "Directrice générale",
        "voting": False,
        "signatory_order": 2,
        "userid": None,
    },
]
CATEGORIES = [
    {"id": "administration", "title": "Administration générale"},
    {"id": "travaux", "title": "Travaux publics"},
    {"id": "finances", "title": "Finances"},
]


@dataclass
class World:
    portal: object
    college: object
    council: object

    def item(self, title="Réfection de la rue Haute", service="travaux", **values):
        """A new item of the college, created by the service's editor (or ``creator``)."""
        creator = values.pop("creator", "editor_a" if service == "travaux" else "editor_b")
        with api.env.adopt_user(username=creator):
            return api.content.create(
                container=values.pop("body", self.college),
                type="meeting_item",
                title=title,
                service=service,
                **values,
            )

    def meeting(self, day=datetime(2026, 12, 8, 20, 0), body=None):
        with api.env.adopt_user(username="manager"):
            return api.content.create(
                container=body or self.college,
                type="meeting",
                id=f"seance-{day:%Y-%m-%d}",
                date=day,
            )

    def transition(self, obj, *transitions, user="manager"):
        with api.env.adopt_user(username=user):
            for transition in transitions:
                api.content.transition(obj=obj, transition=transition)
        return api.content.get_state(obj)

    def validated_item(self, title="Réfection de la rue Haute", **values):
        item = self.item(title, **values)
        self.transition(
            item, "propose", user="editor_a" if item.service == "travaux" else "editor_b"
        )
        self.transition(item, "validate", user="manager")
        return item


def as_user(user, function):
    """Return ``function()`` called as ``user``, or as an anonymous visitor if None.

    Anonymous stays in effect afterwards, as plone.app.testing's ``logout`` does.
    """
    if user is None:
        from plone.app.testing import logout

        logout()
        return function()
    with api.env.adopt_user(username=user):
        return function()


def build(portal, users=True):
    with api.env.adopt_roles(["Manager"]):
        set_services(SERVICES)
        council = api.content.create(
            container=portal,
            type="meeting_body",
            id="council",
            title="Conseil communal",
            members=[dict(row, userid=None) for row in MEMBERS],
            categories=CATEGORIES,
            forwarded_item_state="validated",
        )
        college = api.content.create(
            container=portal,
            type="meeting_body",
            id="college",
            title="Collège communal",
            members=MEMBERS,
            categories=CATEGORIES,
            forward_to=council.UID(),
        )
        if users:
            for login, groups in USERS.items():
                if api.user.get(username=login) is None:
                    api.user.create(username=login, email=f"{login}@example.org", password=PASSWORD)
                for group in groups:
                    api.group.add_user(groupname=group, username=login)
            from communesplone.meetings.bodies import sync_members

            sync_members(college)
    return World(portal, college, council)
