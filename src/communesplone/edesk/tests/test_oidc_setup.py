"""The eID login's installation, its Site Setup page, and its upgrade step."""

from Acquisition import aq_base
from communesplone.edesk.login import plugin as eid_login
from communesplone.edesk.login.controlpanel import PluginSettings
from communesplone.edesk.testing import build
from communesplone.edesk.testing import PASSWORD
from pas.plugins.oidc.plugins import OIDCPlugin
from plone import api
from Products.PluggableAuthService.interfaces.plugins import IChallengePlugin

import re
import requests
import transaction


PROFILE = "communesplone.edesk:default"


def test_the_profile_installs_the_eid_plugin(portal):
    plugin = eid_login.get_plugin()
    assert isinstance(plugin, eid_login.EidOIDCPlugin)
    assert plugin.getProperty("use_pkce") is True
    assert plugin.getProperty("nrn_claim") == "egovNRN"
    assert "egovnrn" in plugin.getProperty("scope")
    # Not the challenger: a protected page still leads to Plone's login form.
    assert "oidc" not in portal.acl_users.plugins.listPluginIds(IChallengePlugin)
    assert portal.portal_memberdata.hasProperty("national_register_number")
    assert not eid_login.is_configured() and eid_login.login_url("x") is None
    actions = {action.id for action in portal.portal_controlpanel.listActions()}
    assert "communesplone-edesk-eid" in actions


def test_a_plain_plugin_is_replaced_keeping_its_settings(portal):
    pas = portal.acl_users
    pas._delObject("oidc")
    pas._setObject("oidc", OIDCPlugin("oidc", "OpenID Connect"))
    pas.oidc.issuer = "https://broker.example"
    pas.oidc.client_id = "commune"
    eid_login.install()
    assert isinstance(pas.oidc, eid_login.EidOIDCPlugin)
    assert (pas.oidc.issuer, pas.oidc.client_id) == ("https://broker.example", "commune")
    assert pas.oidc.use_pkce is True  # our default, the plain plugin's was never set
    eid_login.uninstall()
    assert type(aq_base(pas.oidc)) is OIDCPlugin and pas.oidc.issuer == "https://broker.example"


def test_upgrade_to_1003(portal):
    setup = portal.portal_setup
    pas = portal.acl_users
    with api.env.adopt_roles(["Manager"]):
        pas._delObject("oidc")
        portal.portal_memberdata.manage_delProperties(["national_register_number"])
        portal.portal_controlpanel.unregisterConfiglet("communesplone-edesk-eid")
        setup.setLastVersionForProfile(PROFILE, "1002")
        assert [step["dest"] for step in setup.listUpgrades(PROFILE)][0] == ("1003",)
        setup.upgradeProfile(PROFILE, dest="1003")
    assert setup.getLastVersionForProfile(PROFILE) == ("1003",)
    assert isinstance(pas.oidc, eid_login.EidOIDCPlugin)
    assert "oidc" not in pas.plugins.listPluginIds(IChallengePlugin)
    assert portal.portal_memberdata.hasProperty("national_register_number")
    actions = {action.id for action in portal.portal_controlpanel.listActions()}
    assert "communesplone-edesk-eid" in actions


def test_settings_adapter_writes_the_plugin(portal):
    settings = PluginSettings(eid_login.get_plugin())
    settings.scope = ["openid", " egovnrn ", ""]
    settings.issuer = "https://broker.example"
    assert eid_login.get_plugin().scope == ("openid", "egovnrn")
    assert settings.issuer == eid_login.get_plugin().issuer == "https://broker.example"


def _form(http, url):
    page = http.get(url)
    assert page.status_code == 200, page.text[:3000]
    token = re.search(r'name="_authenticator"[^>]*value="([^"]+)"', page.text).group(1)
    return page, token


def test_control_panel_over_http(functional_portal):
    build(functional_portal)
    transaction.commit()
    url = f"{functional_portal.absolute_url()}/@@edesk-eid-controlpanel"
    assert requests.get(url, auth=("citizen_a", PASSWORD)).url != url  # sent to log in
    http = requests.Session()
    http.auth = ("manager", PASSWORD)
    page, token = _form(http, url)
    assert page.status_code == 200
    assert f"{eid_login.get_plugin().absolute_url()}/callback" in page.text  # redirect URI
    data = {
        "_authenticator": token,
        "form.widgets.issuer": "https://broker.example/realms/commune",
        "form.widgets.client_id": "commune",
        "form.widgets.client_secret": "s3cret",
        "form.widgets.scope": "openid\nprofile\negovnrn",
        "form.widgets.nrn_claim": "rrn",
        "form.widgets.use_pkce-empty-marker": "1",  # unchecked
        "form.buttons.save": "Save",
    }
    response = http.post(url, data=data)
    assert response.status_code == 200
    transaction.begin()
    plugin = eid_login.get_plugin()
    assert plugin.issuer == "https://broker.example/realms/commune"
    assert (plugin.client_id, plugin.client_secret) == ("commune", "s3cret")
    assert plugin.scope == ("openid", "profile", "egovnrn")
    assert plugin.nrn_claim == "rrn"
    assert plugin.use_pkce is False
    assert eid_login.is_configured()

    # A bad issuer or claim is refused and changes nothing.
    _page, token = _form(http, url)
    bad = {**data, "_authenticator": token, "form.widgets.issuer": "broker",
           "form.widgets.nrn_claim": "two words"}  # fmt: skip
    response = http.post(url, data=bad)
    assert "Give the broker&#x27;s address" in response.text or (
        "Give the broker's address" in response.text
    )
    assert "Give the claim" in response.text
    transaction.begin()
    assert eid_login.get_plugin().issuer == "https://broker.example/realms/commune"
