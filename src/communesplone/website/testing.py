"""A website world for tests: staff with Plone's editorial roles, a citizen, settings.

``build(portal)`` creates (as Manager) one user per role of the permission
matrix (the section editors get their section from the test), the services,
the directory categories and contract types, and returns the portal. Logins
share :data:`PASSWORD`.
"""

from communesplone.core.citizens import GROUP as CITIZENS
from communesplone.core.testing import create_users
from communesplone.core.testing import set_services
from communesplone.website.interfaces import PREFIX
from plone import api


PASSWORD = "secret-password"
SERVICES = [{"id": "personnel", "title": "Personnel", "email": None}]
# login -> (groups, site roles)
USERS = {
    "citizen": ([CITIZENS], ()),
    "contributor": ([], ("Contributor",)),
    "editor": ([], ("Editor",)),
    "reviewer": ([], ("Reviewer",)),
    "siteadmin": ([], ("Site Administrator",)),
    # Members of associations: each is given a section to edit (sections.py)
    "sectioneditor": ([], ()),
    "outsider": ([], ()),
}
CATEGORIES = ["Commerces", "Associations sportives", "Santé"]
CONTRACTS = ["CDI", "CDD", "Étudiant"]


def build(portal):
    with api.env.adopt_roles(["Manager"]):
        set_services(SERVICES)
        api.portal.set_registry_record(f"{PREFIX}.directory_categories", CATEGORIES)
        api.portal.set_registry_record(f"{PREFIX}.contract_types", CONTRACTS)
        create_users(USERS, PASSWORD)
    return portal
