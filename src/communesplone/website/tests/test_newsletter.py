"""The newsletter over HTTP, against a real SMTP server (aiosmtpd, core.smtptesting):
double opt-in, an issue sent in batches with its progress, resumed after a
server failure without sending twice, unsubscribing without login; bad input;
the subscribers readable by their managers only; no write on GET."""

from communesplone.core import antispam
from communesplone.core import matrix
from communesplone.core.smtptesting import smtp  # noqa: F401 (fixture)
from communesplone.core.smtptesting import subject
from communesplone.core.smtptesting import text
from communesplone.core.validation import Refusal
from communesplone.website import newsletter as subscriptions
from communesplone.website import sending
from communesplone.website.testing import build
from communesplone.website.testing import PASSWORD
from datetime import datetime
from datetime import timedelta
from plone import api
from plone.keyring.interfaces import IKeyManager
from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.i18n import translate
from zope.intid.interfaces import IIntIds

import base64
import hashlib
import hmac
import json
import pytest
import pytz
import re
import requests
import time
import transaction


AUTHENTICATOR = re.compile(r'name="_authenticator" value="([^"]+)"')
LINK = re.compile(r"(http://\S+/@@(?:confirm-subscription|unsubscribe)\?token=\S+)")
SOON = datetime.now(pytz.timezone("Europe/Brussels")) + timedelta(days=3)
ROLES = ("anonymous", "citizen", "contributor", "editor", "reviewer", "siteadmin")


@pytest.fixture
def site(functional_portal):
    """A published newsletter with a draft issue of a news item and an event."""
    build(functional_portal)
    api.portal.set_registry_record("plone.email_from_address", "info@ploneville.example")
    api.portal.set_registry_record("plone.email_from_name", "Plonéville")
    with api.env.adopt_roles(["Manager"]):
        letter = api.content.create(
            container=functional_portal, type="newsletter", id="lettre", title="La Lettre"
        )
        api.content.transition(obj=letter, transition="publish")
        news = api.content.create(
            container=functional_portal, type="News Item", id="n1", title="Carton Jaune"
        )
        event = api.content.create(
            container=functional_portal,
            type="Event",
            id="e1",
            title="Fête du Patrimoine",
            start=SOON,
            end=SOON + timedelta(hours=2),
        )
        for obj in (news, event):
            api.content.transition(obj=obj, transition="publish")
        intids = getUtility(IIntIds)
        api.content.create(
            container=letter,
            type="newsletter_issue",
            id="numero-1",
            title="Numéro 1",
            items=[RelationValue(intids.getId(news)), RelationValue(intids.getId(event))],
        )
    transaction.commit()
    return functional_portal


def authenticator(http, url):
    page = http.get(url)
    assert page.status_code == 200, page.status_code
    return AUTHENTICATOR.search(page.text).group(1)


def subscribe(http, letter, email):
    token = authenticator(http, letter.absolute_url())
    return http.post(
        f"{letter.absolute_url()}/@@subscribe", data={"email": email, "_authenticator": token}
    )


def plain(html):
    """The text of a page, without its tags."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" .", ".")


def links(message):
    return LINK.findall(text(message))


def state(letter, email):
    transaction.begin()
    found = subscriptions.get(letter, email)
    return found.state if found is not None else None


def test_whole_path(site, smtp):  # noqa: F811
    letter, issue = site["lettre"], site["lettre"]["numero-1"]
    visitor = requests.Session()
    addresses = [f"habitant{n}@example.org" for n in range(5)]
    for email in addresses:
        answer = subscribe(
            visitor, letter, email.upper() if email.endswith("0@example.org") else email
        )
        assert answer.status_code == 200 and "confirm your subscription" in answer.text
    assert sorted(rcpt[0] for rcpt, _m in smtp.messages) == addresses
    visitor.get(f"{letter.absolute_url()}/@@subscribe", params={"email": "get@example.org"})
    assert state(letter, "get@example.org") is None  # a GET writes nothing
    mail = smtp.messages[0][1]
    assert subject(mail) == "Confirm your subscription to La Lettre"
    [confirm] = links(mail)
    # GET shows the button and writes nothing; POST confirms
    page = visitor.get(confirm)
    assert page.status_code == 200 and "Confirm my subscription" in page.text
    assert state(letter, "habitant0@example.org") == subscriptions.PENDING
    for _rcpt, message in smtp.messages:
        [confirm] = links(message)
        url, token = confirm.split("?token=")
        assert visitor.post(url, data={"token": token}).status_code == 200
    assert state(letter, "habitant0@example.org") == subscriptions.CONFIRMED
    smtp.messages.clear()

    # The issue, in batches of two: three transactions, the progress on its page
    letter.batch_size = 2
    transaction.commit()
    admin = matrix.session("siteadmin", PASSWORD)
    page = admin.get(issue.absolute_url())
    assert "5 confirmed subscribers will receive it." in plain(page.text)
    preview = admin.get(f"{issue.absolute_url()}/@@newsletter-mail-preview")
    assert "Carton Jaune" in preview.text and "Fête du Patrimoine" in preview.text
    token = AUTHENTICATOR.search(page.text).group(1)
    sent = admin.post(f"{issue.absolute_url()}/@@send-newsletter", data={"_authenticator": token})
    assert sent.status_code == 200
    transaction.begin()
    progress = sending.progress(issue)
    assert (len(progress.sent), progress.total, progress.batches) == (5, 5, 3), progress.error
    assert progress.state == sending.DONE
    assert "5 of 5 mails sent in 3 batches" in plain(admin.get(issue.absolute_url()).text)
    assert sorted(rcpt[0] for rcpt, _m in smtp.messages) == addresses
    message = smtp.messages[0][1]
    assert subject(message) == "La Lettre: Numéro 1"
    assert "Carton Jaune" in text(message) and "Fête du Patrimoine" in text(message, "html")
    [unsubscribe] = links(message)
    assert message["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Unsubscribing without login: a GET shows the button and writes nothing,
    # the mail program's one-click POST unsubscribes
    email = smtp.messages[0][0][0]
    assert "Unsubscribe" in requests.get(unsubscribe).text
    assert state(letter, email) == subscriptions.CONFIRMED
    answer = requests.post(unsubscribe, data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200 and "no more" in answer.text
    assert state(letter, email) is None
    # A second send sends nothing (done), nor to anyone twice
    smtp.messages.clear()
    admin.post(f"{issue.absolute_url()}/@@send-newsletter", data={"_authenticator": token})
    assert smtp.messages == []


def _confirmed(letter, emails):
    for email in emails:
        subscriber = subscriptions.Subscriber(email, "fr")
        subscriber.state = subscriptions.CONFIRMED
        subscriptions.subscribers(letter)[email] = subscriber


def test_each_mail_is_in_its_subscribers_language(site, smtp):  # noqa: F811
    """The language of the page they subscribed on, whatever the sender's."""
    letter, issue = site["lettre"], site["lettre"]["numero-1"]
    dutch = requests.Session()
    dutch.headers["Accept-Language"] = "nl"
    subscribe(dutch, letter, "jan@example.org")
    transaction.begin()
    assert subscriptions.get(letter, "jan@example.org").language == "nl"
    subscriptions.get(letter, "jan@example.org").state = subscriptions.CONFIRMED
    _confirmed(letter, ["jean@example.org"])  # subscribed in French
    transaction.commit()
    smtp.messages.clear()
    admin = matrix.session("siteadmin", PASSWORD)
    admin.headers["Accept-Language"] = "en"
    token = authenticator(admin, issue.absolute_url())
    admin.post(f"{issue.absolute_url()}/@@send-newsletter", data={"_authenticator": token})
    mails = {rcpt[0]: message for rcpt, message in smtp.messages}
    assert set(mails) == {"jan@example.org", "jean@example.org"}
    for email, language, unsubscribe in (
        ("jan@example.org", "nl", "Uitschrijven"),
        ("jean@example.org", "fr", "Se désinscrire"),
    ):
        html = text(mails[email], "html")
        assert f'lang="{language}"' in html and f">{unsubscribe}</a>" in html, email


def test_interrupted_sending_resumes_without_sending_twice(site, smtp):  # noqa: F811
    letter, issue = site["lettre"], site["lettre"]["numero-1"]
    addresses = [f"abonne{n}@example.org" for n in range(5)]
    _confirmed(letter, addresses)
    letter.batch_size = 2
    transaction.commit()
    # The server accepts two mails, then fails (a temporary error) on the third
    original = smtp.handle_DATA
    count = {"n": 0}

    async def flaky(server, session, envelope):
        count["n"] += 1
        if count["n"] == 3:
            return "451 Try again later"
        return await original(server, session, envelope)

    smtp.handle_DATA = flaky
    admin = matrix.session("siteadmin", PASSWORD)
    token = authenticator(admin, issue.absolute_url())
    admin.post(f"{issue.absolute_url()}/@@send-newsletter", data={"_authenticator": token})
    transaction.begin()
    progress = sending.progress(issue)
    assert progress.state == sending.INTERRUPTED and "451" in progress.error
    assert (len(progress.sent), len(progress.pending)) == (2, 3)
    assert "Interrupted" in admin.get(issue.absolute_url()).text
    admin.post(f"{issue.absolute_url()}/@@send-newsletter", data={"_authenticator": token})
    transaction.begin()
    assert sending.progress(issue).state == sending.DONE
    assert sorted(rcpt[0] for rcpt, _m in smtp.messages) == addresses  # each once


def test_bad_input(site, smtp):  # noqa: F811
    letter = site["lettre"]
    visitor = requests.Session()
    # Not an address: refused, translated, nothing kept, nothing sent
    answer = subscribe(visitor, letter, "pas-une-adresse")
    assert answer.status_code == 400
    assert '"pas-une-adresse" is not an email address' in answer.text
    with pytest.raises(Refusal) as refused:  # the same check, translatable
        subscriptions.subscribe(letter, "pas@une adresse")
    assert refused.value.message.domain == "communesplone"
    transaction.begin()
    assert subscriptions.subscribers_or_none(letter) is None
    assert smtp.messages == []
    # Already confirmed: the same answer as for anyone (a stranger learns
    # nothing), no second subscription; its owner is reminded, with the link
    # to unsubscribe
    _confirmed(letter, ["fidele@example.org"])
    transaction.commit()
    answer = subscribe(visitor, letter, "Fidele@Example.org")
    fresh = subscribe(visitor, letter, "nouveau@example.org")
    assert answer.status_code == fresh.status_code == 200
    assert _message(answer.text) == _message(fresh.text)
    both = ("fidele@example.org", "nouveau@example.org")
    again = [subscribe(visitor, letter, email) for email in both]
    assert {_message(page.text) for page in again} == {_message(fresh.text)}
    transaction.begin()
    assert list(subscriptions.subscribers(letter)) == list(both)
    # One mail each, however often the form is sent (no flooding someone's inbox)
    assert sorted(rcpt for rcpt, _m in smtp.messages) == [[email] for email in both]
    reminder = [m for rcpt, m in smtp.messages if rcpt == ["fidele@example.org"]]
    assert subject(reminder[0]) == "Your subscription to La Lettre"
    assert "/@@unsubscribe?token=" in text(reminder[0])
    # An expired link: a clear message, the subscriber still waiting
    expired = subscriptions.sign(
        letter, subscriptions.CONFIRM, "nouveau@example.org", when=time.time() - 8 * 24 * 3600
    )
    url = f"{letter.absolute_url()}/@@confirm-subscription"
    for answer in (visitor.get(url, params={"token": expired}),
                   visitor.post(url, data={"token": expired})):  # fmt: skip
        assert answer.status_code == 400
        assert "This confirmation link has expired (it was valid for 7 days)" in answer.text
    # A forged or cut link
    cut = visitor.post(url, data={"token": expired[:-3]})
    assert cut.status_code == 400 and "This link is not valid" in cut.text
    assert state(letter, "nouveau@example.org") == subscriptions.PENDING


def _former_token(letter, action, email, when):
    """A link's token as the newsletter signed them before it used core's signing."""
    data = {"a": action, "e": email, "n": letter.UID(), "t": int(when)}
    payload = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    secret = getUtility(IKeyManager).secret()
    return f"{payload}.{hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()}"


def _refused(letter, token, action):
    with pytest.raises(Refusal) as refused:
        subscriptions.verify(letter, token, action)
    return translate(refused.value.message, target_language="en")


def test_links_signed_by_core_and_former_links_accepted(portal):
    with api.env.adopt_roles(["Manager"]):
        letter, other = (
            api.content.create(container=portal, type="newsletter", id=i, title=i)
            for i in ("lettre", "autre")
        )
    email, day = "jan@example.org", subscriptions.DAY
    confirm, unsubscribe = subscriptions.CONFIRM, subscriptions.UNSUBSCRIBE
    token = subscriptions.sign(letter, unsubscribe, " Jan@Example.org")
    value = antispam.unsign(subscriptions.PURPOSE + unsubscribe, token)  # core's format
    assert value == f"{letter.UID()} {email}"
    assert subscriptions.verify(letter, token, unsubscribe) == email
    # An unsubscribe link does not expire; a confirmation link does, with its days
    old = subscriptions.sign(letter, unsubscribe, email, when=time.time() - 3650 * day)
    assert subscriptions.verify(letter, old, unsubscribe) == email
    late = subscriptions.sign(letter, confirm, email, when=time.time() - 8 * day)
    assert "has expired (it was valid for 7 days)" in _refused(letter, late, confirm)
    # Not for another action, nor another newsletter, nor cut
    fresh = subscriptions.sign(letter, confirm, email)
    assert subscriptions.verify(letter, fresh, confirm) == email
    assert _refused(letter, fresh, unsubscribe).startswith("This link is not valid. Copy")
    assert _refused(other, token, unsubscribe) == "This link is not valid here."
    assert _refused(letter, token[:-3], unsubscribe).startswith("This link is not valid. Copy")
    # The links mailed before: still accepted, with the same checks
    former = _former_token(letter, unsubscribe, email, time.time() - 400 * day)
    assert subscriptions.verify(letter, former, unsubscribe) == email
    assert _refused(other, former, unsubscribe) == "This link is not valid here."
    assert _refused(letter, former, confirm) == "This link is not valid here."
    assert _refused(letter, former[:-3], unsubscribe).startswith("This link is not valid. Copy")
    former = _former_token(letter, confirm, email, time.time() - 8 * day)
    assert "has expired (it was valid for 7 days)" in _refused(letter, former, confirm)
    former = _former_token(letter, confirm, email, time.time() - 6 * day)
    assert subscriptions.verify(letter, former, confirm) == email


def _message(html):
    return re.search(r'role="status"[^>]*>([^<]+)<', html).group(1).strip()


def test_subscribers_readable_by_their_managers_only(site):
    """Views, CSV, JSON, REST, the public pages: the addresses reach site admins only."""
    letter = site["lettre"]
    _confirmed(letter, ["secret@example.org", "=formula@example.org"])
    transaction.commit()
    table = matrix.Matrix(
        "newsletter subscribers",
        {"subscribers": "-  -  -  -  -  e"},
        {"subscribers": letter},
        ROLES,
        PASSWORD,
    )
    url = letter.absolute_url()
    for row, role, _obj, code in table.cells:
        http = table.sessions[role]
        for view in (
            "@@newsletter-subscribers",
            "@@newsletter-subscribers.csv",
            "@@newsletter-subscriber.json?email=secret@example.org",
        ):
            got = http.get(f"{url}/{view}", allow_redirects=False)
            shown = got.status_code == 200 and "secret@example.org" in got.text
            table._compare(row, role, view, code == "e", shown, got)
        for page in (url, f"{url}/@@subscribe", f"{url}/numero-1"):
            got = http.get(page, allow_redirects=False)
            assert "secret@example.org" not in got.text, (role, page)
        got = http.get(url, headers={"Accept": "application/json"})
        assert "secret@example.org" not in got.text, role
    table.assert_as_table()
    csv = table.sessions["siteadmin"].get(f"{url}/@@newsletter-subscribers.csv").text
    assert csv.splitlines() == [
        "email,state,language,requested,confirmed",
        f"'=formula@example.org,confirmed,fr,{_requested(letter, '=formula@example.org')},",
        f"secret@example.org,confirmed,fr,{_requested(letter, 'secret@example.org')},",
    ]


def _requested(letter, email):
    return subscriptions.get(letter, email).requested.isoformat()


def test_only_senders_send_and_only_by_post_with_authenticator(site, smtp):  # noqa: F811
    letter, issue = site["lettre"], site["lettre"]["numero-1"]
    _confirmed(letter, ["abonne@example.org"])
    transaction.commit()
    table = matrix.Matrix(
        "send", {"draft issue": "-  -  -  -  -  e"}, {"draft issue": issue}, ROLES, PASSWORD
    )
    url = f"{issue.absolute_url()}/@@send-newsletter"
    admin = table.sessions["siteadmin"]
    token = authenticator(admin, issue.absolute_url())
    # GET writes nothing; a POST without the authenticator is refused
    assert admin.get(url, allow_redirects=False).status_code == 403
    assert admin.post(url, allow_redirects=False).status_code == 403
    transaction.begin()
    assert not sending.progress(issue).started
    for row, role, _obj, code in sorted(table.cells, key=lambda cell: cell[3] == "e"):
        got = table.sessions[role].post(url, data={"_authenticator": token}, allow_redirects=False)
        transaction.begin()
        started = sending.progress(issue).started is not None
        table._compare(row, role, "send", code == "e", started, got)
    table.assert_as_table()
    assert [rcpt for rcpt, _m in smtp.messages] == [["abonne@example.org"]]


def test_an_issue_of_unpublished_news_is_not_sent(site, smtp):  # noqa: F811
    letter, issue = site["lettre"], site["lettre"]["numero-1"]
    _confirmed(letter, ["abonne@example.org"])
    with api.env.adopt_roles(["Manager"]):
        api.content.transition(obj=site["n1"], transition="retract")
    transaction.commit()
    admin = matrix.session("siteadmin", PASSWORD)
    token = authenticator(admin, issue.absolute_url())
    page = admin.post(f"{issue.absolute_url()}/@@send-newsletter", data={"_authenticator": token})
    assert 'Publish "Carton Jaune" first' in page.text
    transaction.begin()
    assert not sending.progress(issue).started and smtp.messages == []


def test_demo_has_the_portlet_in_the_left_column_and_a_draft_issue(portal):
    from plone.app.testing import applyProfile
    from plone.portlets.interfaces import IPortletAssignmentMapping
    from plone.portlets.interfaces import IPortletManager
    from zope.component import getMultiAdapter

    with api.env.adopt_roles(["Manager"]):
        applyProfile(portal, "communesplone.website:demo")
        applyProfile(portal, "communesplone.website:demo")  # nothing twice
    manager = getUtility(IPortletManager, name="plone.leftcolumn", context=portal)
    mapping = getMultiAdapter((portal, manager), IPortletAssignmentMapping)
    names = list(mapping)  # the seed's order
    assert names[names.index("acces-rapides") :][:3] == [
        "acces-rapides",
        "notre-lettre",
        "nouveautes",
    ]
    letter = portal["lettre-information"]
    assert api.content.get_state(letter) == "published"
    [issue] = letter.objectValues()
    assert api.content.get_state(issue) == "private"
    assert [obj.portal_type for obj in issue.selected()] == ["News Item"] * 3 + ["Event"] * 2
    assert subscriptions.subscribers_or_none(letter) is None
    html = portal.restrictedTraverse("@@homepage")()
    assert "cp-portlet-newsletter" in html and f"{letter.absolute_url()}/@@subscribe" in html


def test_upgrade_to_1002(portal):
    from plone.portlets.interfaces import IPortletType
    from zope.component import queryUtility

    profile, portlet = "communesplone.website:default", "communesplone.website.Newsletter"
    setup = portal.portal_setup
    with api.env.adopt_roles(["Manager"]):
        portal.portal_types.manage_delObjects(["newsletter", "newsletter_issue"])
        portal.getSiteManager().unregisterUtility(provided=IPortletType, name=portlet)
        portal.manage_permission("communesplone.website: Send newsletter", roles=[], acquire=1)
        setup.setLastVersionForProfile(profile, "1001")
        setup.upgradeProfile(profile, dest="1002")
    assert setup.getLastVersionForProfile(profile) == ("1002",)
    assert {"newsletter", "newsletter_issue"} <= set(portal.portal_types.objectIds())
    assert portal.portal_workflow.getChainForPortalType("newsletter_issue")
    assert queryUtility(IPortletType, name=portlet) is not None
    roles = {
        role["name"]
        for role in portal.rolesOfPermission("communesplone.website: Send newsletter")
        if role["selected"]
    }
    assert roles == {"Manager", "Site Administrator"}
