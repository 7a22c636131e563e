"""eID login through OpenID Connect, against a real provider over real HTTP.

The provider is node's oidc-provider (``oidc_provider/provider.mjs``), started
on 127.0.0.1 on a free port for each test. It requires PKCE, checks its own
passwords, shows its own login and consent forms, and signs its ID tokens.
The tests drive the whole authorization-code flow with ``requests``: the
e-desk's form → the eID plugin's login view → the provider's authorize, login
and consent → the plugin's callback (code exchanged with the PKCE verifier) →
back to the form, as a member with the national register number.
"""

from communesplone.core.citizens import GROUP as CITIZENS
from communesplone.edesk.login import plugin as eid_login
from communesplone.edesk.testing import build
from communesplone.edesk.testing import PASSWORD
from communesplone.edesk.testing import VALID_NRN
from pathlib import Path
from plone import api
from urllib.parse import parse_qs
from urllib.parse import urljoin
from urllib.parse import urlparse

import os
import pytest
import re
import requests
import shutil
import subprocess
import threading
import transaction


PROVIDER = Path(__file__).parent / "oidc_provider"
CLIENT_ID = "communesplone"
CLIENT_SECRET = "communesplone-test-secret"  # noqa: S105 (the test provider's)
REFUSAL = "a password login is not enough"


def _node():
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed (bootstrap.py test installs it)")
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    if int(version.strip().lstrip("v").split(".")[0]) < 20:
        pytest.skip(f"oidc-provider needs Node.js 20 or later, not {version.strip()}")
    if not (PROVIDER / "node_modules" / "oidc-provider").is_dir():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed (bootstrap.py test installs it)")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=PROVIDER, check=True)
    return node


@pytest.fixture
def world(functional_portal):
    world = build(functional_portal)
    world.certificate.assurance = "eid"
    transaction.commit()
    return world


@pytest.fixture
def provider(world):
    """The provider, running; the eID plugin configured for it. Yields the issuer."""
    plugin = eid_login.get_plugin()
    process = subprocess.Popen(
        [
            _node(),
            "provider.mjs",
            "--redirect-uri",
            plugin.get_redirect_uris()[0],
            "--client-id",
            CLIENT_ID,
            "--client-secret",
            CLIENT_SECRET,
            "--parent",
            str(os.getpid()),
            "--timeout",
            "600",
        ],  # fmt: skip
        cwd=PROVIDER,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = []
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()))
    reader.start()
    reader.join(timeout=30)
    if not lines or not lines[0].startswith("LISTENING "):
        process.kill()
        pytest.fail(f"the OIDC provider did not start: {process.stderr.read()}")
    issuer = lines[0].split()[1]
    plugin.issuer = issuer
    plugin.client_id = CLIENT_ID
    plugin.client_secret = CLIENT_SECRET
    transaction.commit()
    yield issuer
    process.terminate()
    process.wait(timeout=10)


def _form_action(response):
    return urljoin(response.url, re.search(r'<form method="post" action="([^"]+)"',
                                           response.text).group(1))  # fmt: skip


def _eid_login(http, start, login="jean.dupont", password="eid-password"):  # noqa: S107
    """From ``start`` (a page that sends to the eID login) to the end of the flow."""
    response = http.get(start)
    assert "<h1>Sign in</h1>" in response.text, response.text[:2000]
    response = http.post(_form_action(response), data={"login": login, "password": password})
    assert "<h1>Authorize</h1>" in response.text, response.text[:2000]
    assert "egovnrn" in response.text  # the scope of the national register number
    return http.post(_form_action(response))


def test_anonymous_is_sent_through_the_eid_login_with_pkce(world, provider):
    http = requests.Session()
    submit = f"{world.certificate.absolute_url()}/@@submit"
    response = http.get(submit, allow_redirects=False)
    assert response.status_code == 302
    login = response.headers["Location"]
    assert login.startswith(f"{eid_login.get_plugin().absolute_url()}/login?came_from=")
    response = http.get(login, allow_redirects=False)
    authorize = urlparse(response.headers["Location"])
    assert f"{authorize.scheme}://{authorize.netloc}" == provider
    query = parse_qs(authorize.query)
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43  # base64url of a SHA-256
    assert set(query["scope"][0].split()) >= {"openid", "egovnrn"}

    response = _eid_login(http, submit)
    assert response.status_code == 200
    assert response.url == submit
    assert 'name="field.nrn"' in response.text
    assert REFUSAL not in response.text

    transaction.begin()
    member = api.user.get(userid="be-eid-0001")
    assert member.getProperty("national_register_number") == VALID_NRN
    assert member.getProperty("fullname") == "Jean Dupont"
    assert member.getProperty("email") == "jean.dupont@example.org"
    assert CITIZENS in [group.getId() for group in api.group.get_groups(user=member)]
    assert "Jean Dupont" in http.get(world.portal.absolute_url()).text  # the user menu

    # The citizen submits the eID request as themselves.
    form = http.get(submit)
    token = re.search(r'name="_authenticator" value="([^"]+)"', form.text).group(1)
    data = {"_authenticator": token, "field.nrn": VALID_NRN, "field.purpose": "School"}
    response = http.post(submit, data=data, allow_redirects=False)
    assert response.status_code == 302, response.text[:2000]
    transaction.begin()
    catalog = api.portal.get_tool("portal_catalog")
    [created] = catalog.unrestrictedSearchResults(portal_type="citizen_request")
    assert response.headers["Location"] == created.getURL()
    assert "be-eid-0001" in created._unrestrictedGetObject().listCreators()


def test_a_password_session_is_refused_on_an_eid_type(world, provider):
    http = requests.Session()
    portal_url = world.portal.absolute_url()
    response = http.post(
        f"{portal_url}/login",
        data={"__ac_name": "citizen_a", "__ac_password": PASSWORD, "buttons.login": "Log in"},
    )
    assert "__ac" in http.cookies  # logged in through Plone's form, with a session ticket
    assert "Citizen A" in http.get(portal_url).text
    submit = f"{world.certificate.absolute_url()}/@@submit"
    response = http.get(submit)
    assert REFUSAL in response.text
    assert 'name="field.nrn"' not in response.text
    # The page offers the eID login, back to this form.
    link = re.search(r'href="([^"]+/acl_users/oidc/login\?came_from=[^"]+)"', response.text)
    assert link is not None


def test_an_invalid_national_register_number_logs_nobody_in(world, provider):
    http = requests.Session()
    submit = f"{world.certificate.absolute_url()}/@@submit"
    response = _eid_login(http, submit, login="bad.number")
    assert "did not give a valid national register number" in response.text
    assert 'name="field.nrn"' not in response.text
    transaction.begin()
    assert api.user.get(userid="be-eid-0002") is None


def test_the_provider_requires_pkce(world, provider):
    """Without PKCE the real provider refuses the authorization request."""
    eid_login.get_plugin().use_pkce = False
    transaction.commit()
    http = requests.Session()
    response = http.get(f"{eid_login.get_plugin().absolute_url()}/login", allow_redirects=False)
    authorize = response.headers["Location"]
    assert "code_challenge" not in authorize
    response = http.get(authorize, allow_redirects=False)
    assert response.status_code in (302, 303)
    refused = parse_qs(urlparse(response.headers["Location"]).query)
    assert refused["error"] == ["invalid_request"]
    assert "requires PKCE" in refused["error_description"][0]


def test_session_assurance_reads_the_signed_ticket(portal):
    """Only a ticket signed by the site, for the current user, with the eid token, is eID."""
    from plone.app.testing import logout
    from plone.session import tktauth

    import binascii

    request = portal.REQUEST
    session = portal.acl_users.session
    api.user.create(username="citizen", email="c@example.org", password=PASSWORD)

    def ticket_cookie(userid, tokens, secret=None):
        if secret is None:
            session._setupSession(userid, request.response, tokens=tokens)
            return request.response.cookies["__ac"]["value"]
        raw = tktauth.createTicket(secret=secret, userid=userid, tokens=tokens)
        return binascii.b2a_base64(raw).rstrip().decode()

    with api.env.adopt_user(username="citizen"):
        assert eid_login.session_assurance(request) == "password"  # no ticket at all
        request.cookies["__ac"] = ticket_cookie("citizen", ())
        assert eid_login.session_assurance(request) == "password"
        request.cookies["__ac"] = ticket_cookie("citizen", ("eid",))
        assert eid_login.session_assurance(request) == "eid"
        request.cookies["__ac"] = ticket_cookie("citizen", ("eid",), secret="guessed")
        assert eid_login.session_assurance(request) == "password"
        request.cookies["__ac"] = ticket_cookie("someone_else", ("eid",))
        assert eid_login.session_assurance(request) == "password"
    logout()
    assert eid_login.session_assurance(request) is None  # anonymous
