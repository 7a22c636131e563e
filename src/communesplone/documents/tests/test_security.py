"""Who may generate what, and who may touch templates: through the views and REST."""

from communesplone.documents import generation
from plone import api
from plone.app.testing import login
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.textfield.value import RichTextValue
from plone.autoform import directives
from plone.dexterity.fti import DexterityFTI
from plone.supermodel import model
from zope import schema

import io
import pytest
import requests
import transaction
import zipfile


PASSWORD = "secret-password"
JSON = {"Accept": "application/json"}


class ISecretNote(model.Schema):
    """A test type whose ``secret`` field only editors may read."""

    directives.read_permission(secret="cmf.ModifyPortalContent")
    secret = schema.TextLine(title="Secret", required=False)


def content_xml(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("content.xml").decode("utf-8")


@pytest.fixture
def site(functional_portal):
    portal = functional_portal
    with api.env.adopt_roles(["Manager"]):
        portal.portal_workflow.setChainForPortalTypes(["Document"], "simple_publication_workflow")
        for login_name, roles in (
            ("anne", ["Member"]),
            ("bruno", ["Member"]),
            ("templates", ["Member", "TemplateManager"]),
            ("siteadmin", ["Member", "Site Administrator"]),
            ("editor", ["Member", "Editor"]),
        ):
            api.user.create(
                username=login_name, email=f"{login_name}@example.org", password=PASSWORD
            )
            api.user.grant_roles(username=login_name, roles=roles)
        for login_name in ("anne", "bruno"):
            api.group.add_user(groupname="Citizens", username=login_name)
        for login_name in ("anne", "bruno"):
            document = api.content.create(
                container=portal,
                type="Document",
                id=f"demande-{login_name}",
                title=f"Demande de {login_name}",
                text=RichTextValue("<p>Données personnelles</p>", "text/html"),
            )
            document.manage_setLocalRoles(login_name, ["Owner"])
            document.reindexObjectSecurity()
        published = api.content.create(
            container=portal, type="Document", id="avis", title="Avis public"
        )
        api.content.transition(obj=published, transition="publish")
        # The example is offered to editors only; here it is offered to all
        # readers, so that View alone decides.
        portal["templates"]["documents"]["fiche-odt"].condition = ""
    transaction.commit()
    return portal


def fiche_uid(site):
    return site["templates"]["documents"]["fiche-odt"].UID()


def get(site, path, who, **params):
    auth = (
        None
        if who == "anonymous"
        else ((SITE_OWNER_NAME, SITE_OWNER_PASSWORD) if who == "admin" else (who, PASSWORD))
    )
    return requests.get(f"{site.absolute_url()}/{path}", auth=auth, allow_redirects=False, **params)


# (who, object) -> may generate
CASES = [
    ("anne", "demande-anne", True),
    ("anne", "demande-bruno", False),
    ("bruno", "demande-anne", False),
    ("anonymous", "demande-anne", False),
    ("anne", "avis", True),
    ("anonymous", "avis", True),
]


@pytest.mark.parametrize("who,obj,allowed", CASES)
def test_generate_through_the_view(site, who, obj, allowed):
    response = get(
        site,
        f"{obj}/@@generate-document",
        who,
        params={"template": fiche_uid(site), "output_format": "odt"},
    )
    assert (response.status_code == 200) is allowed, response.status_code
    if allowed:
        assert response.headers["Content-Type"] == "application/vnd.oasis.opendocument.text"
        assert "attachment" in response.headers["Content-Disposition"]
        assert site[obj].Title() in content_xml(response.content)
    else:
        assert "Données personnelles" not in response.text


@pytest.mark.parametrize("who,obj,allowed", CASES)
def test_generate_through_rest(site, who, obj, allowed):
    response = get(
        site,
        f"{obj}/@generate-document",
        who,
        headers=JSON,
        params={"template": fiche_uid(site), "output_format": "odt"},
    )
    assert (response.status_code == 200) is allowed, response.status_code
    if allowed:
        assert site[obj].Title() in content_xml(response.content)


@pytest.mark.parametrize("who,obj,allowed", CASES)
def test_documents_listing_through_rest(site, who, obj, allowed):
    response = get(site, f"{obj}/@documents", who, headers=JSON)
    assert (response.status_code == 200) is allowed, response.status_code
    if allowed:
        titles = [item["title"] for item in response.json()["items"]]
        assert titles == [site["templates"]["documents"]["fiche-odt"].Title()]


def test_viewlet_lists_the_templates(site):
    response = get(site, "demande-anne", "anne")
    assert response.status_code == 200
    assert "communesplone-documents" in response.text
    assert f"template={fiche_uid(site)}" in response.text


def test_unknown_template_is_a_clear_404(site):
    response = get(
        site,
        "avis/@generate-document",
        "anne",
        headers=JSON,
        params={"template": "nope", "output_format": "odt"},
    )
    assert response.status_code == 404
    assert response.json()["error"]["message"]


# Templates run code: only Manager and TemplateManager may see or change them.
TEMPLATE_ROLES = {
    "admin": True,
    "templates": True,
    "siteadmin": False,
    "editor": False,
    "anne": False,
    "anonymous": False,
}


@pytest.mark.parametrize("who,allowed", TEMPLATE_ROLES.items())
def test_template_view_and_edit_form(site, who, allowed):
    url = "templates/documents/fiche-odt"
    assert (get(site, url, who).status_code == 200) is allowed
    assert (get(site, f"{url}/edit", who).status_code == 200) is allowed


@pytest.mark.parametrize("who,allowed", TEMPLATE_ROLES.items())
def test_template_over_rest(site, who, allowed):
    url = f"{site.absolute_url()}/templates/documents/fiche-odt"
    auth = (
        None
        if who == "anonymous"
        else ((SITE_OWNER_NAME, SITE_OWNER_PASSWORD) if who == "admin" else (who, PASSWORD))
    )
    assert (requests.get(url, headers=JSON, auth=auth).status_code == 200) is allowed
    patched = requests.patch(url, headers=JSON, auth=auth, json={"title": f"Par {who}"})
    assert (patched.status_code == 204) is allowed
    added = requests.post(
        f"{site.absolute_url()}/templates/documents",
        headers=JSON,
        auth=auth,
        json={
            "@type": "pod_template",
            "title": f"Nouveau par {who}",
            "portal_types": ["Document"],
            "output_formats": ["odt"],
        },
    )
    # Without a file the add is refused as bad input (400) for those allowed to add.
    assert (added.status_code in (201, 400)) is allowed, added.status_code


def test_read_protected_fields_stay_out(portal):
    """``helper.value`` reads as the user: a field they may not read comes out empty."""
    from communesplone.documents.tests.test_generation import broken_copy

    fti = DexterityFTI("secret_note", schema=f"{__name__}.ISecretNote", global_allow=True)
    portal.portal_types._setObject("secret_note", fti)
    portal.portal_workflow.setChainForPortalTypes(["secret_note"], "simple_publication_workflow")
    with api.env.adopt_roles(["Manager"]):
        api.user.create(username="reader", email="r@example.org", password=PASSWORD)
        note = api.content.create(
            container=portal, type="secret_note", id="note", title="Note", secret="XYZZY-42"
        )
        api.content.transition(obj=note, transition="publish")
        template = broken_copy(portal, "helper.value(context, 'secret')")
        template.portal_types = ["secret_note"]
        template.reindexObject()
        as_manager = generation.render(note, template, "odt")
    assert "XYZZY-42" in content_xml(as_manager.data)
    login(portal, "reader")
    as_reader = generation.render(note, template, "odt")
    assert "XYZZY-42" not in content_xml(as_reader.data)


def test_example_templates_are_offered_to_editors_only(site):
    with api.env.adopt_roles(["Manager"]):
        site["templates"]["documents"][
            "fiche-odt"
        ].condition = "python: checkPermission('Modify portal content', object)"
    transaction.commit()
    assert get(site, "avis/@documents", "anonymous", headers=JSON).json()["items"] == []
    assert get(site, "avis/@documents", "admin", headers=JSON).json()["items"] != []
    response = get(
        site,
        "avis/@generate-document",
        "anonymous",
        headers=JSON,
        params={"template": fiche_uid(site), "output_format": "odt"},
    )
    assert response.status_code == 404
