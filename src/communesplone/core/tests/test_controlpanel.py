"""The CommunesPlone panel in Site Setup and over REST: saves, and refuses bad input whole."""

from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import pytest
import re
import requests
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}
AUTH = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
TRAVAUX = {"id": "travaux", "title": "Travaux", "email": None}


@pytest.fixture
def site(functional_portal):
    api.portal.set_registry_record("plone.available_languages", ["fr", "nl", "en"])
    api.portal.set_registry_record("plone.use_request_negotiation", True)
    transaction.commit()
    return functional_portal


def patch(site, data, language=None):
    headers = {**JSON, "Accept-Language": language} if language else JSON
    return requests.patch(
        f"{site.absolute_url()}/@controlpanels/communesplone",
        headers=headers,
        auth=AUTH,
        json=data,
    )


def current_settings(site):
    """The settings as the server has them now (read over REST)."""
    response = requests.get(
        f"{site.absolute_url()}/@controlpanels/communesplone", headers=JSON, auth=AUTH
    )
    assert response.status_code == 200
    return response.json()["data"]


def current_services(site):
    transaction.begin()
    return [row["id"] for row in current_settings(site)["services"] or []]


def test_panel_page_for_the_admin(site):
    response = requests.get(f"{site.absolute_url()}/@@communesplone-controlpanel", auth=AUTH)
    assert response.status_code == 200
    assert "form.widgets.services" in response.text
    assert "form.widgets.commune_name" in response.text


def test_panel_refused_to_anonymous(site):
    response = requests.get(
        f"{site.absolute_url()}/@@communesplone-controlpanel", allow_redirects=False
    )
    assert response.status_code in (302, 401, 403)
    assert "form.widgets.services" not in response.text


def test_rest_saves_services_and_creates_groups(site):
    response = patch(site, {"commune_name": "Plonéville", "services": [TRAVAUX]})
    assert response.status_code == 204, response.text
    assert current_services(site) == ["travaux"]
    assert api.group.get(groupname="travaux_editors") is not None
    assert current_settings(site)["commune_name"] == "Plonéville"


@pytest.mark.parametrize(
    "rows,message",
    [
        ([TRAVAUX, {**TRAVAUX, "title": "Bis"}], "par deux services"),
        ([{"id": "travaux", "title": ""}], "doit avoir un nom"),
        ([{"id": "Travaux publics", "title": "Travaux"}], "pas utilisable dans une URL"),
    ],
)
def test_rest_refuses_bad_services_with_a_translated_message(site, rows, message):
    assert patch(site, {"services": [TRAVAUX]}).status_code == 204
    response = patch(site, {"commune_name": "Changed", "services": rows}, language="fr")
    assert response.status_code == 400
    assert message in response.text
    assert current_services(site) == ["travaux"]
    assert current_settings(site)["commune_name"] != "Changed"


def test_rest_refuses_removing_a_service_with_content(site):
    assert patch(site, {"services": [TRAVAUX]}).status_code == 204
    with api.env.adopt_roles(["Manager"]):
        site.portal_types["Document"].behaviors += ("communesplone.service",)
        api.content.create(container=site, type="Document", id="works", service="travaux")
    transaction.commit()
    response = patch(site, {"services": []})
    assert response.status_code == 400
    assert "cannot be removed" in response.text
    assert current_services(site) == ["travaux"]
    assert api.group.get(groupname="travaux_editors") is not None


def test_form_refuses_duplicates_and_keeps_nothing(site):
    """Through the classic form, as an administrator submits it."""
    session = requests.Session()
    session.auth = AUTH
    url = f"{site.absolute_url()}/@@communesplone-controlpanel"
    page = session.get(url)
    assert page.status_code == 200
    token = re.search(r'data-token="([0-9a-f]+)"', page.text).group(1)
    data = {
        "_authenticator": token,
        "form.widgets.commune_name": "Plonéville",
        "form.widgets.default_language:list": "fr",
        "form.widgets.services.count": "2",
        "form.widgets.services.0-empty-marker": "1",
        "form.widgets.services.0.widgets.id": "travaux",
        "form.widgets.services.0.widgets.title": "Travaux",
        "form.widgets.services.0.widgets.email": "",
        "form.widgets.services.1-empty-marker": "1",
        "form.widgets.services.1.widgets.id": "travaux",
        "form.widgets.services.1.widgets.title": "Autres travaux",
        "form.widgets.services.1.widgets.email": "",
        "form.buttons.save": "Save",
    }
    response = session.post(url, data=data)
    assert response.status_code == 200, response.text[-3000:]
    assert "is used by two services" in response.text
    assert current_services(site) == []
    assert api.group.get(groupname="travaux_editors") is None
    data["form.widgets.services.1.widgets.id"] = "voirie"
    response = session.post(url, data=data)
    assert "is used by two services" not in response.text
    assert current_services(site) == ["travaux", "voirie"]
    assert api.group.get(groupname="voirie_reviewers") is not None
