"""The project's settings panels belong to the commune's administrator (a Site
Administrator, as Plone's own panels): ``communesplone: Manage settings``
guards each panel's page, its configlet in Site Setup and its REST panel.
A Member or an Editor gets none of them. The panels of the server's
connections (LibreOffice, the eID identity provider) stay the Manager's.
And the toolbar's actions are translated in the communesplone domain."""

from communesplone.core.browser.controlpanel import MANAGE_SETTINGS
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import pytest
import requests
import transaction


PASSWORD = "secret-password-1"
JSON = {"Accept": "application/json", "Content-Type": "application/json"}

# page, REST panel, a value it saves
PANELS = [
    ("communesplone-controlpanel", "communesplone", {"commune_name": "Commune de Plonéville"}),
    ("edesk-map-controlpanel", "edesk-map", {"zoom": 12}),
    ("edesk-anonymous-controlpanel", "edesk-anonymous", {"anonymous_rate_limit": 7}),
    ("urban-controlpanel", "urbanism", {"claim_rate_limit": 9}),
    ("urban-controlpanel", "urban-map", {"zoom": 14}),
    ("website-settings", "website-settings", {"footer_phone": "081 00 00 00"}),
]
CONFIGLETS = {
    "communesplone": MANAGE_SETTINGS,
    "communesplone-edesk-map": MANAGE_SETTINGS,
    "communesplone-edesk-anonymous": MANAGE_SETTINGS,
    "communesplone-urban": MANAGE_SETTINGS,
    "communesplone-website": MANAGE_SETTINGS,
    "communesplone-open311-keys": MANAGE_SETTINGS,  # keys to applications, as accounts
    # the server's connections: Manager only, as Plone's Add-ons or Maintenance
    "communesplone-documents": "Manage portal",
    "communesplone-edesk-eid": "Manage portal",
}


@pytest.fixture
def site(functional_portal):
    with api.env.adopt_roles(["Manager"]):
        for login, roles in (
            ("siteadmin", ["Site Administrator"]),
            ("member", []),
            ("editor", ["Editor"]),
        ):
            api.user.create(username=login, email=f"{login}@example.org", password=PASSWORD)
            for role in roles:
                functional_portal.acl_users.portal_role_manager.assignRoleToPrincipal(role, login)
    api.portal.set_registry_record("plone.available_languages", ["fr", "nl", "en"])
    api.portal.set_registry_record("plone.use_request_negotiation", True)
    transaction.commit()
    return functional_portal


def session(login):
    http = requests.Session()
    http.auth = (login, PASSWORD)
    return http


def test_the_configlets_permissions(site):
    configlets = {action.id: action for action in site.portal_controlpanel.listActions()}
    assert {name: configlets[name].permissions for name in CONFIGLETS} == {
        name: (permission,) for name, permission in CONFIGLETS.items()
    }
    roles = {r["name"] for r in site.rolesOfPermission(MANAGE_SETTINGS) if r["selected"]}
    assert roles == {"Manager", "Site Administrator"}


def test_a_site_administrator_finds_them_in_site_setup(site):
    page = session("siteadmin").get(f"{site.absolute_url()}/@@overview-controlpanel")
    assert page.status_code == 200
    for view in {view for view, _rest, _values in PANELS}:
        assert f"/@@{view}" in page.text, view
    assert "/@@documents-controlpanel" not in page.text
    assert "/@@edesk-eid-controlpanel" not in page.text
    listed = session("siteadmin").get(f"{site.absolute_url()}/@controlpanels", headers=JSON)
    names = {panel["@id"].rsplit("/", 1)[-1] for panel in listed.json()}
    # one panel per configlet: urban's map is a tab of Urbanism, read at @controlpanels/urban-map
    assert {rest for _view, rest, _values in PANELS} - {"urban-map"} <= names


def test_a_site_administrator_gives_open311_keys(site):
    url = f"{site.absolute_url()}/@@open311-keys"
    assert session("siteadmin").get(url).status_code == 200
    for login in ("member", "editor"):
        assert session(login).get(url, allow_redirects=False).status_code in (302, 401, 403)


@pytest.mark.parametrize("view,rest,values", PANELS)
def test_a_site_administrator_opens_and_saves_each_panel(site, view, rest, values):
    http = session("siteadmin")
    page = http.get(f"{site.absolute_url()}/@@{view}")
    assert page.status_code == 200
    assert f"form.widgets.{next(iter(values))}" in page.text
    url = f"{site.absolute_url()}/@controlpanels/{rest}"
    response = http.patch(url, headers=JSON, json=values)
    assert response.status_code == 204, response.text
    data = http.get(url, headers=JSON).json()["data"]
    assert {name: data[name] for name in values} == values


# page, a field of its form, a value the form saves, the registry record it goes to
FORMS = [
    (
        "communesplone-controlpanel",
        "commune_name",
        "Gemeente Ploneveld",
        "communesplone.commune_name",
    ),
    ("edesk-map-controlpanel", "zoom", "11", "communesplone.edesk.map.zoom"),
    (
        "edesk-anonymous-controlpanel",
        "anonymous_rate_limit",
        "6",
        "communesplone.edesk.anonymous_rate_limit",
    ),
    ("urban-controlpanel", "claim_rate_limit", "8", "communesplone.urban.claim_rate_limit"),
    ("website-settings", "footer_phone", "081 11 11 11", "communesplone.website.footer_phone"),
]


@pytest.mark.parametrize("view,name,value,record", FORMS)
def test_a_site_administrator_saves_each_form(site, functional, view, name, value, record):
    from plone.testing.zope import Browser

    browser = Browser(functional["app"])
    browser.handleErrors = False
    browser.addHeader("Authorization", f"Basic siteadmin:{PASSWORD}")
    browser.open(f"{site.absolute_url()}/@@{view}")
    browser.getControl(name=f"form.widgets.{name}").value = value
    browser.getControl(name="form.buttons.save").click()
    assert "Changes saved" in browser.contents
    transaction.begin()
    assert str(api.portal.get_registry_record(record)) == value


@pytest.mark.parametrize("login", ["member", "editor"])
@pytest.mark.parametrize("view,rest,values", PANELS)
def test_a_member_or_an_editor_gets_none(site, login, view, rest, values):
    http = session(login)
    page = http.get(f"{site.absolute_url()}/@@{view}", allow_redirects=False)
    assert page.status_code in (302, 401, 403)
    assert f"form.widgets.{next(iter(values))}" not in page.text
    url = f"{site.absolute_url()}/@controlpanels/{rest}"
    assert http.get(url, headers=JSON).status_code in (401, 403)
    assert http.patch(url, headers=JSON, json=values).status_code in (401, 403)


def test_the_rest_panel_follows_its_permission(site):
    """Over REST, the panel's own permission decides, not only Site Setup's."""
    site.manage_permission(MANAGE_SETTINGS, ["Manager"], acquire=False)
    transaction.commit()
    http = session("siteadmin")
    url = f"{site.absolute_url()}/@controlpanels/edesk-map"
    assert http.get(url, headers=JSON).status_code == 401
    assert http.patch(url, headers=JSON, json={"zoom": 3}).status_code == 401
    assert http.get(f"{site.absolute_url()}/@controlpanels/mail", headers=JSON).ok
    page = http.get(f"{site.absolute_url()}/@@edesk-map-controlpanel", allow_redirects=False)
    assert page.status_code in (302, 401, 403)


@pytest.mark.parametrize(
    "language,deadlines,subscribers",
    [
        ("fr", "Échéancier", "Abonnés"),
        ("nl", "Termijnen", "Abonnees"),
        ("en", "Deadlines", "Subscribers"),
    ],
)
def test_the_toolbar_actions_are_translated(site, language, deadlines, subscribers):
    from communesplone.urban.constants import DESK_ID

    with api.env.adopt_roles(["Manager"]):
        letter = api.content.create(container=site, type="newsletter", id="lettre", title="Lettre")
    transaction.commit()
    http = requests.Session()
    http.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    http.headers["Accept-Language"] = language
    for url, action, title in (
        (f"{site.absolute_url()}/{DESK_ID}", "urban_deadlines", deadlines),
        (letter.absolute_url(), "newsletter_subscribers", subscribers),
    ):
        page = http.get(url)
        assert page.status_code == 200
        item = page.text.split(f'id="contentview-{action}"', 1)[1].split("</li>", 1)[0]
        assert f">{title}</span>" in item.replace("\n", "").replace("  ", ""), item
