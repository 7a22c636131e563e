"""Storing a generated document is a POST (issue 8, point 4), over real HTTP.

From the Documents box, a form posts the template, the format and
plone.protect's CSRF token; over REST, ``POST @generate-document`` with
``"store": true``. A GET that asks to store stores nothing and says so.
"""

from communesplone.documents.tests.podfiles import add_template
from communesplone.documents.tests.podfiles import expression
from communesplone.documents.tests.podfiles import odt
from communesplone.documents.tests.podfiles import read
from plone import api
from types import SimpleNamespace

import pytest
import re
import requests
import transaction


PASSWORD = "secret-password"
JSON = {"Accept": "application/json", "Content-Type": "application/json"}


@pytest.fixture
def site(functional_portal):
    portal = functional_portal
    with api.env.adopt_roles(["Manager"]):
        portal.portal_workflow.setChainForPortalTypes(["Folder"], "simple_publication_workflow")
        for name in ("editor", "reader"):
            api.user.create(username=name, email=f"{name}@example.org", password=PASSWORD)
        folder = api.content.create(container=portal, type="Folder", id="dossier", title="Dossier")
        folder.manage_setLocalRoles("editor", ["Contributor", "Editor", "Reader"])
        folder.manage_setLocalRoles("reader", ["Reader"])
        folder.reindexObjectSecurity()
        storable = add_template(
            portal,
            odt(expression("context.Title()")),
            "Liste à garder",
            portal_types=("Folder",),
            formats=("odt",),
            storable=True,
        )
        download_only = add_template(
            portal,
            odt(expression("context.Title()")),
            "Liste à lire",
            portal_types=("Folder",),
            formats=("odt",),
        )
    transaction.commit()
    return SimpleNamespace(
        portal=portal,
        folder=folder,
        url=folder.absolute_url(),
        storable=storable.UID(),
        download_only=download_only.UID(),
    )


def session(who):
    http = requests.Session()
    http.auth = (who, PASSWORD)
    return http


def files(site):
    transaction.begin()
    return [obj.getId() for obj in site.folder.objectValues() if obj.portal_type == "File"]


def token(http, site):
    """The CSRF token of the Documents box, as the browser gets it."""
    page = http.get(site.url)
    assert page.status_code == 200
    box = re.search(r'<section class="communesplone-documents.*?</section>', page.text, re.S)
    assert box is not None
    found = re.search(r'name="_authenticator" value="([0-9a-f]+)"', box.group(0))
    assert found is not None, "no CSRF token in the Documents box"
    return found.group(1)


def test_the_box_offers_a_store_button_per_format(site):
    page = session("editor").get(site.url).text
    box = re.search(r'<section class="communesplone-documents.*?</section>', page, re.S).group(0)
    form = re.search(r'<form method="post".*?</form>', box, re.S).group(0)
    assert f'action="{site.url}/@@generate-document"' in form
    assert f'name="template" value="{site.storable}"' in form
    assert re.search(r'<button type="submit"\s+name="output_format"[^>]*value="odt"', form)
    assert "store=1" not in box  # no link stores anything
    # The template that does not store has no form, only its download link.
    assert box.count("<form") == 1
    assert f"template={site.download_only}" in box


def test_the_box_offers_no_store_button_to_who_may_not_add_files(site):
    page = session("reader").get(site.url).text
    box = re.search(r'<section class="communesplone-documents.*?</section>', page, re.S).group(0)
    assert "<form" not in box
    assert "_authenticator" not in box


def test_post_with_the_token_stores(site):
    http = session("editor")
    response = http.post(
        f"{site.url}/@@generate-document",
        data={
            "template": site.storable,
            "output_format": "odt",
            "store": "1",
            "_authenticator": token(http, site),
        },
        allow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["Location"] == site.url
    stored = files(site)
    assert len(stored) == 1
    document = site.folder[stored[0]]
    assert "Dossier" in read(document.file.data)
    assert document.file.filename == "Liste à garder Dossier.odt"
    entry = site.folder.workflow_history["simple_publication_workflow"][-1]
    assert entry["action"] == "generate_document"
    assert entry["actor"] == "editor"
    assert document.Title() in entry["comments"]
    # Back on the folder, the message says where the document went.
    page = http.get(response.headers["Location"])
    assert f'The document is stored as "{document.Title()}".' in page.text


@pytest.mark.parametrize("sent", [None, "0123456789abcdef"], ids=["no token", "a wrong token"])
def test_post_without_a_valid_token_is_refused(site, sent):
    data = {"template": site.storable, "output_format": "odt", "store": "1"}
    if sent:
        data["_authenticator"] = sent
    response = session("editor").post(
        f"{site.url}/@@generate-document", data=data, allow_redirects=False
    )
    assert response.status_code == 403
    assert "The form has expired or does not come from this site" in response.text
    assert files(site) == []


def test_get_with_store_stores_nothing_and_says_so(site):
    response = session("editor").get(
        f"{site.url}/@@generate-document",
        params={"template": site.storable, "output_format": "odt", "store": "1"},
        allow_redirects=False,
    )
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert "A link cannot store a document" in response.text
    assert "Nothing was stored" in response.text
    assert files(site) == []


def test_get_downloads_as_before(site):
    response = session("reader").get(
        f"{site.url}/@@generate-document",
        params={"template": site.storable, "output_format": "odt"},
    )
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert files(site) == []


def test_post_by_who_may_not_add_files_is_refused(site):
    http = session("reader")
    response = http.post(
        f"{site.url}/@@generate-document",
        data={
            "template": site.storable,
            "output_format": "odt",
            "_authenticator": token_of_the_page(http, site),
        },
        allow_redirects=False,
    )
    assert response.status_code == 403
    assert "You may not add files here" in response.text
    assert files(site) == []


def token_of_the_page(http, site):
    """A CSRF token of the user from any page (the reader's box has no form)."""
    page = http.get(f"{site.portal.absolute_url()}/@@personal-information")
    return re.search(r'name="_authenticator" value="([0-9a-f]+)"', page.text).group(1)


# REST -----------------------------------------------------------------------------


def post(who, site, body):
    return session(who).post(f"{site.url}/@generate-document", headers=JSON, json=body)


def test_rest_post_stores_and_answers_the_file_url(site):
    response = post("editor", site, {"template": site.storable, "format": "odt", "store": True})
    assert response.status_code == 201, response.text
    stored = files(site)
    assert len(stored) == 1
    url = f"{site.url}/{stored[0]}"
    assert response.headers["Location"] == url
    body = response.json()
    assert body["@id"] == url
    assert body["filename"] == "Liste à garder Dossier.odt"
    entry = site.folder.workflow_history["simple_publication_workflow"][-1]
    assert entry["action"] == "generate_document"
    # The stored File is served like any other.
    assert session("editor").get(url, headers={"Accept": "application/json"}).status_code == 200


def test_rest_post_by_who_may_not_add_files(site):
    response = post("reader", site, {"template": site.storable, "format": "odt", "store": True})
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["type"] == "Forbidden"
    assert error["message"] == "You may not add files here, so the document cannot be stored."
    assert files(site) == []


@pytest.mark.parametrize(
    "body,status,message",
    [
        ({"format": "odt", "store": True}, 400, 'Give the template\'s UID as "template".'),
        ({"template": "TEMPLATE", "format": "odt"}, 400, 'send "store": true'),
        ({"template": "TEMPLATE", "format": "odt", "store": "yes"}, 400, 'send "store": true'),
        ({"template": "TEMPLATE", "format": "pdf", "store": True}, 400, '"pdf"'),
        ({"template": "TEMPLATE", "format": 3, "store": True}, 400, 'as "format"'),
        ({"template": "nope", "format": "odt", "store": True}, 404, "No such document template"),
        ({"template": "READ-ONLY", "format": "odt", "store": True}, 400, "does not store"),
    ],
)
def test_rest_post_bad_input(site, body, status, message):
    uids = {"TEMPLATE": site.storable, "READ-ONLY": site.download_only}
    body = {key: uids.get(value, value) for key, value in body.items()}
    response = post("editor", site, body)
    assert response.status_code == status, response.text
    assert message in response.json()["error"]["message"]
    assert files(site) == []


def test_rest_post_of_something_else_than_json(site):
    response = session("editor").post(
        f"{site.url}/@generate-document", headers=JSON, data="store=1"
    )
    assert response.status_code == 400
    assert "Send a JSON object" in response.json()["error"]["message"]


def test_rest_get_with_store_stores_nothing_and_says_so(site):
    response = session("editor").get(
        f"{site.url}/@generate-document",
        headers={"Accept": "application/json"},
        params={"template": site.storable, "output_format": "odt", "store": "1"},
    )
    assert response.status_code == 405
    assert response.json()["error"]["type"] == "MethodNotAllowed"
    assert "POST to @generate-document" in response.json()["error"]["message"]
    assert files(site) == []


def test_rest_get_still_downloads(site):
    response = session("reader").get(
        f"{site.url}/@generate-document",
        headers={"Accept": "application/json"},
        params={"template": site.storable, "output_format": "odt"},
    )
    assert response.status_code == 200
    assert "Dossier" in read(response.content)
