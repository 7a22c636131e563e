"""Anonymous requests over HTTP: confirmed by a mailed link, rate-limited, bot-trapped.

The mails are caught by core's SMTP server (aiosmtpd); the Open311 site (with
a trusted key) comes from ``test_open311``.
"""

from communesplone.core.smtptesting import smtp  # noqa: F401 (fixture)
from communesplone.core.smtptesting import subject
from communesplone.core.smtptesting import text
from communesplone.core.testing import authenticator
from communesplone.edesk import anonymous
from communesplone.edesk import confirmation
from communesplone.edesk.fields import check_contact_email
from communesplone.edesk.fields import FieldError
from communesplone.edesk.open311 import keys
from communesplone.edesk.testing import aged_form_stamp
from communesplone.edesk.testing import session
from communesplone.edesk.tests.test_open311 import site  # noqa: F401 (fixture)
from communesplone.edesk.tests.test_views import _requests
from communesplone.edesk.tests.test_views import _submit
from communesplone.edesk.tests.test_views import world  # noqa: F401 (fixture)
from DateTime import DateTime
from plone import api
from zope.i18n import translate
from ZPublisher import HTTPRequest

import pytest
import re
import time
import transaction


REPORT = {"field.description": "La lampe est cassée", "address": "Rue Haute 1",
          "latitude": "50.4674", "longitude": "4.8718",
          "contact_email": "riverain@example.org"}  # fmt: skip
LINK = re.compile(r"(http\S+/@@confirm-request\?token=\S+)")


def _settings(**values):
    with api.env.adopt_roles(["Manager"]):
        for name, value in values.items():
            api.portal.set_registry_record(f"communesplone.edesk.{name}", value)
    transaction.commit()


def _visible_to(login, desk, request):
    """What ``login`` (None: anonymous) sees of ``request``: page, staff listing, map."""
    http = session(login)
    return {
        "page": http.get(request.absolute_url(), allow_redirects=False).status_code == 200,
        "listing": request.getId() in http.get(f"{desk.absolute_url()}/@@requests-admin").text,
        "map": "Rue Haute 1" in http.get(f"{desk.absolute_url()}/@@reports-map.json").text,
    }


def test_anonymous_request_waits_for_its_link_then_is_submitted(world, smtp):  # noqa: F811
    response = _submit(session(), world.problem, REPORT)
    assert response.status_code == 302
    assert response.headers["Location"] == world.desk.absolute_url()
    [created] = _requests()
    assert api.content.get_state(created) == "draft"
    assert created.tracking_number is None
    assert confirmation.is_awaiting(created)
    assert created.listCreators() == () and created.get_local_roles() == ()
    nothing = {"page": False, "listing": False, "map": False}
    assert _visible_to("other_staff", world.desk, created) == nothing  # the Travaux staff
    assert _visible_to(None, world.desk, created) == nothing
    # the mail holds the link, and it is the only mail
    [(recipients, mail)] = smtp.messages
    assert recipients == ["riverain@example.org"]
    assert subject(mail) == "Confirm your request: Problème d'éclairage"
    link = LINK.search(text(mail)).group(1)
    # GET writes nothing: it shows a button
    http = session()
    serial = created._p_serial
    page = http.get(link)
    assert page.status_code == 200 and "Confirm my request" in page.text
    transaction.begin()
    assert created._p_serial == serial  # not written
    assert api.content.get_state(created) == "draft" and confirmation.is_awaiting(created)
    token = link.split("token=")[1]
    url = f"{world.desk.absolute_url()}/@@confirm-request"
    assert http.post(url, data={"token": token}).status_code == 403  # no authenticator
    response = http.post(url, data={"token": token, "_authenticator": authenticator(page)},
                         allow_redirects=False)  # fmt: skip
    assert response.status_code == 302
    transaction.begin()
    assert api.content.get_state(created) == "submitted"
    assert re.fullmatch(r"\d{4}-000001", created.tracking_number)
    assert not confirmation.is_awaiting(created)
    assert created.listCreators() == () and created.get_local_roles() == ()
    assert _visible_to("other_staff", world.desk, created) == {
        "page": True, "listing": True, "map": True}  # fmt: skip
    assert [rcpt for rcpt, _m in smtp.messages] == [["riverain@example.org"]] * 2
    assert created.tracking_number in subject(smtp.messages[1][1])  # "we have received"
    # the link again: already confirmed, nothing changes
    again = http.get(link)
    assert f"already confirmed: its number is {created.tracking_number}" in again.text
    assert "Confirm my request" not in again.text


def test_bad_expired_and_purged_links(world):  # noqa: F811
    _submit(session(), world.problem, REPORT)
    [waiting] = _requests()
    url = f"{world.desk.absolute_url()}/@@confirm-request"
    good = confirmation.token(waiting)
    payload, digest = good.rsplit(".", 1)
    expired = anonymous.sign(confirmation.PURPOSE, waiting.UID(), 60, now=time.time() - 120)
    form_stamp = anonymous.form_stamp()  # signed, but for another purpose
    http = session()
    form_token = authenticator(http.get(f"{world.problem.absolute_url()}/@@submit"))
    for token, message in (
        ("", "This confirmation link is not valid."),
        ("nonsense", "This confirmation link is not valid."),
        (f"{payload}.{'0' * len(digest)}", "This confirmation link is not valid."),
        (form_stamp, "This confirmation link is not valid."),
        (expired, "This confirmation link has expired"),
    ):
        page = http.get(url, params={"token": token})
        assert message in page.text, token
        assert "Confirm my request" not in page.text
        response = http.post(url, data={"token": token, "_authenticator": form_token})
        assert message in response.text
    transaction.begin()
    assert api.content.get_state(waiting) == "draft" and waiting.tracking_number is None
    # the daily purge deletes what can no longer be confirmed, and nothing else
    member_draft = world.request(request_type=world.problem, values={"description": "x"},
                                 submit=False)  # fmt: skip
    submitted = world.request()
    assert confirmation.purge() == 0
    hours = api.portal.get_registry_record("communesplone.edesk.anonymous_confirmation_hours")
    assert confirmation.purge(now=DateTime() + hours / 24.0 + 0.01) == 1
    ids = world.desk.objectIds()
    assert waiting.getId() not in ids
    assert member_draft.getId() in ids and submitted.getId() in ids
    transaction.commit()
    page = http.get(url, params={"token": good})
    assert "There is no request waiting for this link" in page.text


def test_rate_limit_of_the_form(world):  # noqa: F811
    _settings(anonymous_rate_limit=2)
    http = session()
    for _number in range(2):
        assert _submit(http, world.problem, REPORT).status_code == 302
    refused = _submit(http, world.problem, REPORT)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Too many requests have been sent from your connection" in refused.text
    assert len(_requests()) == 2
    # a forged X-Forwarded-For does not help unless the proxy is trusted
    http.headers["X-Forwarded-For"] = "198.51.100.7"
    assert _submit(http, world.problem, REPORT).status_code == 429
    HTTPRequest.trusted_proxies = ("127.0.0.1",)
    try:
        assert _submit(http, world.problem, REPORT).status_code == 302
    finally:
        HTTPRequest.trusted_proxies = ()
    # members are not limited (and their requests need no confirmation)
    member = _submit(session("citizen_a"), world.problem, REPORT)
    assert member.status_code == 302
    created = _requests()[-1]
    assert api.content.get_state(created) == "submitted"
    assert created.listCreators() == ("citizen_a",)


def test_bot_traps(world):  # noqa: F811
    # A fill time far above the time this test takes between serving the form
    # and posting it, even on a loaded machine (the default is 3 s).
    _settings(anonymous_min_fill_seconds=30)
    http = session()
    form = http.get(f"{world.problem.absolute_url()}/@@submit")
    fresh = re.search(r'name="form_stamp" value="([^"]+)"', form.text).group(1)
    cases = [
        ({"website": "http://spam.example"}, "This request cannot be accepted."),  # hidden field
        ({"form_stamp": fresh}, "sent back too quickly"),  # just served
        ({"form_stamp": ""}, "sent back too quickly"),
        ({"form_stamp": aged_form_stamp()[:-1] + "0"}, "sent back too quickly"),  # altered
    ]
    for extra, message in cases:
        response = _submit(http, world.problem, {**REPORT, **extra})
        assert response.status_code == 200 and message in response.text, extra
        assert 'value="riverain@example.org"' in response.text  # the input is kept
    assert _requests() == []
    _settings(anonymous_min_fill_seconds=0)  # the check can be turned off
    assert _submit(http, world.problem, {**REPORT, "form_stamp": fresh}).status_code == 302


def test_contact_email_one_check_for_form_rest_and_open311(site):  # noqa: F811
    problem, desk = site.world.problem, site.world.desk
    message = '"nobody" is not a valid email address: the news of your request are sent there.'
    with pytest.raises(FieldError) as refused:
        check_contact_email("nobody")
    assert translate(refused.value.message) == message
    form = _submit(session(), problem, {**REPORT, "contact_email": "nobody"})
    assert message.replace('"', "&#34;") in form.text or message in form.text
    rest = session("citizen_a").post(
        desk.absolute_url(),
        headers={"Accept": "application/json"},
        json={"@type": "citizen_request", "title": "Lampe", "contact_email": "nobody",
              "request_type": problem.UID(), "values": {"description": "x"}},
    )  # fmt: skip
    assert rest.status_code == 400 and "is not a valid email address: the news" in rest.text
    api_answer = site.post(service_code="lighting", description="x", address_string="Rue 1",
                           email="nobody")  # fmt: skip
    assert api_answer.status_code == 400 and message in api_answer.json()[0]["description"]
    assert _requests() == []


def test_open311_key_not_trusted(site, smtp):  # noqa: F811
    with api.env.adopt_roles(["Manager"]):
        _row, key = keys.add("Application mobile")
    _settings(anonymous_rate_limit=2)
    data = {"api_key": key, "service_code": "lighting", "description": "Lampe",
            "address_string": "Rue Haute 1"}  # fmt: skip
    answer = site.post(**data)  # no email: it could never be confirmed
    assert answer.status_code == 400 and "Give an email address" in answer.text
    answer = site.post(**data, email="riverain@example.org")
    assert answer.status_code == 200, answer.text
    [record] = answer.json()
    assert "service_request_id" not in record
    [created] = _requests()
    assert record["token"] == created.UID()
    assert api.content.get_state(created) == "draft" and confirmation.is_awaiting(created)
    assert site.get(f"tokens/{record['token']}.json").json() == [
        {"service_request_id": None, "token": record["token"]}]  # fmt: skip
    assert site.get("requests.json").json() == []
    # confirmed by the link of the mail: numbered, listed, found by its token
    link = LINK.search(text(smtp.messages[0][1])).group(1)
    http = session()
    page = http.get(link)
    token = link.split("token=")[1]
    http.post(f"{site.world.desk.absolute_url()}/@@confirm-request",
              data={"token": token, "_authenticator": authenticator(page)})  # fmt: skip
    transaction.begin()
    number = created.tracking_number
    assert number and site.get(f"tokens/{record['token']}.json").json()[0][
        "service_request_id"] == number  # fmt: skip
    assert [r["service_request_id"] for r in site.get("requests.json").json()] == [number]
    # the rate limit: 429 past it; the trusted key is not counted
    assert site.post(**data, email="riverain@example.org").status_code == 200
    refused = site.post(**data, email="riverain@example.org")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.json()[0]["code"] == 429
    assert "Too many requests" in refused.json()[0]["description"]
    trusted = site.post(service_code="lighting", description="Lampe", address_string="Rue 2")
    assert trusted.status_code == 200 and trusted.json()[0]["service_request_id"]


def test_keys_are_trusted_in_site_setup(world):  # noqa: F811
    with api.env.adopt_roles(["Manager"]):
        row, _key = keys.add("FixMyStreet")
    transaction.commit()
    assert not keys.is_trusted(row)
    url = f"{world.portal.absolute_url()}/@@open311-keys"
    http = session("manager")
    page = http.get(url)
    assert "Confirmed by their contact" in page.text
    assert http.post(url, data={"trust": row["id"]}).status_code == 403  # no authenticator
    http.post(url, data={"trust": row["id"], "_authenticator": authenticator(page)})
    transaction.begin()
    [stored] = world.portal.portal_registry.records[keys.RECORD].value  # not a cached copy
    assert keys.is_trusted(stored)
    assert "Trusted: submitted at once" in http.get(url).text
    http.post(url, data={"distrust": row["id"], "_authenticator": authenticator(page)})
    transaction.begin()
    [stored] = world.portal.portal_registry.records[keys.RECORD].value
    assert not keys.is_trusted(stored)


def test_rate_limit_window():
    limit = anonymous.RateLimit()
    for now in (0, 1):
        limit.check("a", 2, 60, now=now)
        limit.hit("a", 60, now=now)
    with pytest.raises(anonymous.RateLimited) as refused:
        limit.check("a", 2, 60, now=30)
    assert refused.value.retry_after == 31  # until the first hit leaves the window
    limit.check("b", 2, 60, now=30)  # another address
    limit.check("a", 2, 60, now=60.5)  # the first hit has left the window


def test_upgrade_1005_adds_the_settings(portal):
    setup = api.portal.get_tool("portal_setup")
    registry = api.portal.get_tool("portal_registry")
    with api.env.adopt_roles(["Manager"]):
        del registry.records["communesplone.edesk.anonymous_rate_limit"]
        portal.portal_controlpanel.unregisterConfiglet("communesplone-edesk-anonymous")
        setup.setLastVersionForProfile("communesplone.edesk:default", "1004")
        setup.upgradeProfile("communesplone.edesk:default", dest="1005")
    assert setup.getLastVersionForProfile("communesplone.edesk:default") == ("1005",)
    assert api.portal.get_registry_record("communesplone.edesk.anonymous_rate_limit") == 5
    ids = {action.id for action in portal.portal_controlpanel.listActions()}
    assert "communesplone-edesk-anonymous" in ids


def test_anonymous_settings_control_panel(world):  # noqa: F811
    http = session("manager")
    page = http.get(f"{world.portal.absolute_url()}/@@edesk-anonymous-controlpanel")
    assert page.status_code == 200 and "form.widgets.anonymous_rate_limit" in page.text
    response = session("manager").patch(
        f"{world.portal.absolute_url()}/@controlpanels/edesk-anonymous",
        headers={"Accept": "application/json"},
        json={"anonymous_rate_limit": 0},
    )
    assert response.status_code == 400
    assert session(None).get(
        f"{world.portal.absolute_url()}/@@edesk-anonymous-controlpanel", allow_redirects=False
    ).status_code in (302, 401, 403)
