"""Demo content: a fictitious commune, its services, staff and a citizen.

Applied by the ``communesplone.core:demo`` profile (``communesplone:demo``
applies it, then each application's demo). "Plonéville" is not a real
commune, and 99001 is not a real NIS code. Existing users and settings are
left as they are, so applying the profile again changes nothing.
"""

from communesplone.core import citizens
from communesplone.core import services
from plone import api


PASSWORD = "demo-plone"

COMMUNE = {
    "commune_name": "Commune de Plonéville",
    "nis_code": "99001",
    "address": "Administration communale\nPlace de la Maison communale 1\n9999 Plonéville",
    "contact_email": "info@ploneville.example",
    "default_language": "fr",
    "signatories": [
        {"name": "Jean Dupont", "function": "Bourgmestre"},
        {"name": "Delphine Godin", "function": "Directrice générale"},
    ],
}

SERVICES = [
    {
        "id": "secretariat",
        "title": "Secrétariat communal",
        "email": "secretariat@ploneville.example",
    },
    {
        "id": "population",
        "title": "Population / État civil",
        "email": "population@ploneville.example",
    },
    {"id": "travaux", "title": "Travaux", "email": "travaux@ploneville.example"},
    {"id": "urbanisme", "title": "Urbanisme", "email": "urbanisme@ploneville.example"},
    {"id": "finances", "title": "Finances", "email": "finances@ploneville.example"},
    {"id": "environnement", "title": "Environnement", "email": "environnement@ploneville.example"},
]

# login, full name, groups ("Citizens" or "<service>_<function>")
USERS = [
    ("dgodin", "Delphine Godin (directrice générale)", ["secretariat_reviewers"]),
    ("smercier", "Sophie Mercier", ["secretariat_editors"]),
    ("jlambert", "Julie Lambert", ["population_editors"]),
    ("mdubois", "Marc Dubois (chef de service)", ["population_reviewers"]),
    ("pleroy", "Pierre Leroy", ["travaux_editors"]),
    ("afontaine", "Anne Fontaine (cheffe de service)", ["travaux_reviewers"]),
    ("tmartin", "Thomas Martin", ["urbanisme_editors"]),
    ("cpeeters", "Claire Peeters (cheffe de service)", ["urbanisme_reviewers"]),
    ("lrenard", "Luc Renard", ["finances_editors", "secretariat_observers"]),
    ("ejacobs", "Emma Jacobs", ["environnement_editors", "urbanisme_advisers"]),
    ("citoyen", "Camille Citoyenne", [citizens.GROUP]),
]


def logins(users=USERS):
    """Return the demo logins as text lines, for the run command to print."""
    lines = [
        f"  {login:<10} {PASSWORD:<11} {name}" + (f", {', '.join(groups)}" if groups else "")
        for login, name, groups in users
    ]
    return "\n".join(lines)


def create_user(login, fullname, groups=(), *, password=PASSWORD, email=None, roles=()):
    """Create the user ``login`` with its groups and site roles, unless it exists."""
    if api.user.get(username=login) is not None:
        return
    api.user.create(
        username=login,
        email=email or f"{login}@ploneville.example",
        password=password,
        properties={"fullname": fullname},
    )
    for role in roles:
        api.portal.get().acl_users.portal_role_manager.assignRoleToPrincipal(role, login)
    for group in groups:
        api.group.add_user(groupname=group, username=login)


def create_users(users):
    """Create the demo ``users`` (login, full name, groups) that do not exist yet."""
    for login, fullname, groups in users:
        create_user(login, fullname, groups)


def install(context):
    """Post handler of ``communesplone.core:demo``."""
    registry_prefix = "communesplone."
    for key, value in COMMUNE.items():
        if not api.portal.get_registry_record(registry_prefix + key, default=None):
            api.portal.set_registry_record(registry_prefix + key, value)
    # Services an application created before the demo (urban's "urbanisme")
    # get the demo's values where theirs are empty; nothing set is overwritten.
    demo_rows = {row["id"]: row for row in SERVICES}
    rows = [
        {**row, **{k: v for k, v in demo_rows.get(row["id"], {}).items() if not row.get(k)}}
        for row in services.get_all()
    ]
    known = {row["id"] for row in rows}
    rows += [dict(row) for row in SERVICES if row["id"] not in known]
    if rows != services.get_all():
        api.portal.set_registry_record(services.RECORD, rows)
    portal = api.portal.get()
    portal.title = COMMUNE["commune_name"]
    api.portal.set_registry_record("plone.site_title", COMMUNE["commune_name"])
    api.portal.set_registry_record("plone.available_languages", ["fr", "nl", "en"])
    api.portal.set_registry_record("plone.enable_self_reg", True)
    create_users(USERS)
