"""Collaborative sections: a section delegated to an association's member, over REST and pages.

The web team's site administrator gives the role on the section's sharing
page (REST ``@sharing``, the same view); the member then adds and edits in
that section only, submits, and the web team publishes.
"""

from communesplone.core.matrix import denied
from communesplone.core.matrix import session
from communesplone.website import sections
from communesplone.website.testing import build
from communesplone.website.testing import PASSWORD
from plone import api

import pytest
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}


@pytest.fixture
def site(functional_portal):
    build(functional_portal)
    with api.env.adopt_roles(["Manager"]):
        api.user.create(username="asso", email="asso@example.org", password=PASSWORD)
        world = {}
        for folder_id in ("culture", "social"):
            folder = api.content.create(
                container=functional_portal, type="Folder", id=folder_id, title=folder_id
            )
            api.content.transition(obj=folder, transition="publish")
            page = api.content.create(
                container=folder, type="Document", id="page", title=f"Page {folder_id}"
            )
            api.content.transition(obj=page, transition="publish")
            api.content.create(
                container=folder, type="Document", id="draft", title=f"Draft {folder_id}"
            )
            world[folder_id] = folder
    transaction.commit()
    world["portal"] = functional_portal
    return world


def delegate(section, login, member="asso"):
    return session(login, PASSWORD).post(
        f"{section.absolute_url()}/@sharing",
        headers=JSON,
        json={"entries": [{"id": member, "type": "user", "roles": {sections.ROLE: True}}]},
    )


def refused_transition(response):
    """plone.restapi answers a transition the user may not make with 400 (or 401, 403)."""
    return response.status_code in (400, 401, 403)


def local_roles(obj, member="asso"):
    transaction.begin()
    return set(obj.get_local_roles_for_userid(member))


def test_the_web_team_delegates_a_section_on_its_sharing_page(site):
    culture = site["culture"]
    listed = session("siteadmin", PASSWORD).get(f"{culture.absolute_url()}/@sharing", headers=JSON)
    assert sections.ROLE in [role["id"] for role in listed.json()["available_roles"]]
    # A page is no section: the role is offered on folders only
    page = session("siteadmin", PASSWORD).get(
        f"{culture['page'].absolute_url()}/@sharing", headers=JSON
    )
    assert sections.ROLE not in [role["id"] for role in page.json()["available_roles"]]
    # A site-wide editor may not give it
    assert sections.ROLE not in [
        role["id"]
        for role in session("editor", PASSWORD)
        .get(f"{culture.absolute_url()}/@sharing", headers=JSON)
        .json()
        .get("available_roles", [])
    ]
    delegate(culture, "editor")
    assert sections.ROLE not in local_roles(culture)
    assert delegate(culture, "siteadmin").status_code == 204
    assert local_roles(culture) == {sections.ROLE}
    assert sections.ROLE not in local_roles(site["social"])


def test_the_member_writes_in_the_section_and_the_web_team_publishes(site):
    culture = site["culture"]
    assert delegate(culture, "siteadmin").status_code == 204
    asso, anonymous = session("asso", PASSWORD), session("anonymous", PASSWORD)
    created = asso.post(
        culture.absolute_url(),
        headers=JSON,
        json={"@type": "News Item", "id": "concert", "title": "Concert de la chorale"},
    )
    assert created.status_code == 201, created.text
    url = created.json()["@id"]
    assert created.json()["review_state"] == "private"
    assert asso.patch(url, headers=JSON, json={"description": "Samedi"}).status_code == 204
    assert denied(anonymous.get(url, allow_redirects=False))
    # The member cannot publish: they submit
    assert refused_transition(asso.post(f"{url}/@workflow/publish", headers=JSON))
    assert asso.get(url, headers=JSON).json()["review_state"] == "private"
    assert asso.post(f"{url}/@workflow/submit", headers=JSON).status_code == 200
    assert denied(asso.patch(url, headers=JSON, json={"description": "Changed"}))
    # The web team sends it back, the member corrects and submits again, the team publishes
    reviewer = session("reviewer", PASSWORD)
    rejected = reviewer.post(f"{url}/@workflow/reject", headers=JSON)
    assert rejected.status_code == 200, rejected.text
    assert asso.patch(url, headers=JSON, json={"description": "Samedi 20 h"}).status_code == 204
    assert asso.post(f"{url}/@workflow/submit", headers=JSON).status_code == 200
    assert reviewer.post(f"{url}/@workflow/publish", headers=JSON).status_code == 200
    page = anonymous.get(url)
    assert page.status_code == 200 and "Concert de la chorale" in page.text
    # Published: the member no longer changes it, but may take it back to private
    assert denied(asso.patch(url, headers=JSON, json={"description": "Live edit"}))
    transaction.begin()
    assert culture["concert"].description == "Samedi 20 h"
    assert denied(asso.get(f"{url}/edit", allow_redirects=False))
    assert asso.post(f"{url}/@workflow/retract", headers=JSON).status_code == 200
    assert denied(anonymous.get(url, allow_redirects=False))
    edit_form = asso.get(f"{url}/edit", allow_redirects=False)
    assert edit_form.status_code == 200 and "form.buttons.save" in edit_form.text


def test_the_member_touches_nothing_outside_the_section(site):
    culture, social, portal = site["culture"], site["social"], site["portal"]
    assert delegate(culture, "siteadmin").status_code == 204
    asso = session("asso", PASSWORD)
    # Adding elsewhere, or a type the commune keeps for itself, is refused
    for container, portal_type in (
        (social, "Document"),
        (portal, "Document"),
        (culture, "job_vacancy"),
        (culture, "alert_banner"),
    ):
        response = asso.post(
            container.absolute_url(),
            headers=JSON,
            json={"@type": portal_type, "id": "intrus", "title": "Intrus"},
        )
        assert denied(response), (container.getId(), portal_type, response.status_code)
        add_form = asso.get(f"{container.absolute_url()}/++add++{portal_type}")
        assert add_form.status_code != 200 or "form.buttons.save" not in add_form.text
    # The other section's pages: read what is public, change nothing
    for obj in (social["page"], social, portal, culture, culture["page"]):
        url = obj.absolute_url()
        assert denied(asso.patch(url, headers=JSON, json={"title": "Hacked"})), url
        assert denied(asso.get(f"{url}/edit", allow_redirects=False)), url
        assert refused_transition(asso.post(f"{url}/@workflow/retract", headers=JSON)), url
    assert denied(asso.get(social["draft"].absolute_url(), allow_redirects=False))
    assert asso.get(culture["draft"].absolute_url()).status_code == 200
    assert denied(asso.post(f"{culture.absolute_url()}/@sharing", headers=JSON, json={}))
    # Nor can the member delete the commune's page in their section
    assert denied(asso.delete(culture["page"].absolute_url(), headers=JSON))
    transaction.begin()
    assert "intrus" not in culture and "intrus" not in social and "intrus" not in portal
    assert social["page"].title == "Page social" and culture["page"].title == "Page culture"
