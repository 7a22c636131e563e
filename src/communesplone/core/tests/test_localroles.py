"""Local roles from a content's service: each cell through the view, REST and the catalog.

The content is a private Document of the "travaux" service (Document gets the
``communesplone.service`` behavior here, as the applications' types will).
"""

from communesplone.core import services
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import pytest
import requests
import transaction


PASSWORD = "secret-password"
SERVICES = [
    {"id": "travaux", "title": "Travaux", "email": None},
    {"id": "population", "title": "Population", "email": None},
]
# user -> group it belongs to (None: a member with no group; "anonymous": no login)
USERS = {
    "travaux_editor": "travaux_editors",
    "travaux_reviewer": "travaux_reviewers",
    "travaux_observer": "travaux_observers",
    "travaux_adviser": "travaux_advisers",
    "population_editor": "population_editors",
    "citizen": "Citizens",
    "anonymous": None,
}
# user -> (may view, may edit) the private content of the travaux service
EXPECTED = {
    "travaux_editor": (True, True),
    "travaux_reviewer": (True, False),
    "travaux_observer": (True, False),
    "travaux_adviser": (False, False),
    "population_editor": (False, False),
    "citizen": (False, False),
    "anonymous": (False, False),
}


@pytest.fixture
def site(functional_portal):
    portal = functional_portal
    with api.env.adopt_roles(["Manager"]):
        api.portal.set_registry_record(services.RECORD, SERVICES)
        for login, group in USERS.items():
            if login == "anonymous":
                continue
            api.user.create(username=login, email=f"{login}@example.org", password=PASSWORD)
            api.group.add_user(groupname=group, username=login)
        portal.portal_types["Document"].behaviors += ("communesplone.service",)
        portal.portal_workflow.setChainForPortalTypes(["Document"], "simple_publication_workflow")
        document = api.content.create(
            container=portal,
            type="Document",
            id="works-report",
            title="Works report",
            service="travaux",
        )
    assert api.content.get_state(document) == "private"
    transaction.commit()
    return portal


def session(login):
    http = requests.Session()
    if login != "anonymous":
        http.auth = (login, PASSWORD)
    return http


@pytest.mark.parametrize("login", EXPECTED)
def test_view(site, login):
    response = session(login).get(site["works-report"].absolute_url(), allow_redirects=False)
    may_view = EXPECTED[login][0]
    assert (response.status_code == 200) is may_view, response.status_code
    assert ("Works report" in response.text) is may_view


@pytest.mark.parametrize("login", EXPECTED)
def test_rest_get(site, login):
    response = session(login).get(
        site["works-report"].absolute_url(), headers={"Accept": "application/json"}
    )
    may_view = EXPECTED[login][0]
    assert (response.status_code == 200) is may_view, response.status_code
    if may_view:
        assert response.json()["service"]["token"] == "travaux"


@pytest.mark.parametrize("login", EXPECTED)
def test_rest_edit(site, login):
    response = session(login).patch(
        site["works-report"].absolute_url(),
        headers={"Accept": "application/json"},
        json={"title": f"Edited by {login}"},
    )
    may_edit = EXPECTED[login][1]
    assert (response.status_code == 204) is may_edit, response.status_code
    transaction.begin()  # see what the server committed
    edited = site["works-report"].title == f"Edited by {login}"
    assert edited is may_edit


@pytest.mark.parametrize("login", EXPECTED)
def test_catalog_search(site, login):
    response = session(login).get(
        f"{site.absolute_url()}/@search",
        params={"service": "travaux"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    found = [item["@id"].rsplit("/", 1)[-1] for item in response.json()["items"]]
    assert (found == ["works-report"]) is EXPECTED[login][0]


def test_local_roles_are_listed_for_the_service_groups(site):
    roles = api.group.get_roles(groupname="travaux_editors", obj=site["works-report"])
    assert {"Editor", "Contributor", "Reader"} <= set(roles)
    assert "Editor" not in api.group.get_roles(
        groupname="population_editors", obj=site["works-report"]
    )


def test_admin_sees_everything(site):
    response = requests.get(
        site["works-report"].absolute_url(),
        auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD),
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
