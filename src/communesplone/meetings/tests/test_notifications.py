"""The meetings' emails, caught by a real SMTP server (core.smtptesting, aiosmtpd):
each kind to the right people, in their language, once, and not to those who
turned it off or have no address."""

from communesplone.core.smtptesting import smtp  # noqa: F401 (fixture)
from communesplone.core.smtptesting import subject
from communesplone.core.smtptesting import text
from communesplone.meetings import agenda
from communesplone.meetings import notifications
from communesplone.meetings.interfaces import AdviceAskedEvent
from communesplone.meetings.testing import build
from datetime import date
from datetime import datetime
from datetime import timedelta
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from zope.event import notify

import pytest
import re
import requests as http
import transaction


@pytest.fixture
def world(functional_portal, smtp):  # noqa: F811
    world = build(functional_portal)
    api.portal.set_registry_record("communesplone.default_language", "fr")
    api.portal.set_registry_record("plone.email_from_address", "secretariat@example.org")
    # the service's reviewer is also one of its editors: one mail all the same
    api.group.add_user(groupname="travaux_editors", username="reviewer")
    api.user.get(username="reviewer").setMemberProperties({"language": "nl"})
    transaction.commit()
    smtp.messages.clear()
    return world


def mails(smtp):  # noqa: F811
    """{recipient: (subject, text)} of the mails received, each recipient once."""
    received = {}
    for recipients, message in smtp.messages:
        for recipient in recipients:
            assert recipient not in received, f"two mails to {recipient}"
            received[recipient] = (subject(message), text(message))
    return received


def frozen_meeting_with(world, *titles):
    meeting = world.meeting()
    items = []
    for title in titles:
        item = world.validated_item(title)
        world.transition(item, "present")
        items.append(item)
    world.transition(meeting, "freeze")
    transaction.commit()  # the mails of the freeze are sent
    return meeting, items


def test_every_kind_has_its_templates_naming_only_what_it_is_given():
    names = re.compile(r"\$\{(\w+)\}")
    common = {
        "title",
        "reference",
        "url",
        "service",
        "body",
        "meeting",
        "meeting_url",
        "meeting_date",
        "site",
        "fullname",
    }
    given = {
        "advice_asked": {"adviser", "due"},
        "advice_due_soon": {"adviser", "due", "days"},
        "item_returned": {"comment"},
        "item_delayed": {"comment", "new_url"},
        "late_item": {"number"},
        "agenda_frozen": {"count"},
    }
    assert set(given) == set(notifications.KINDS)
    for kind, extra in given.items():
        for language in notifications.LANGUAGES:
            source = notifications.template_path(kind, language).read_text(encoding="utf-8")
            assert source.startswith("Subject: ")
            assert set(names.findall(source)) <= common | extra, (kind, language)


def test_agenda_frozen_to_the_members_and_returned_item_to_its_service(world, smtp):  # noqa: F811
    meeting, (item,) = frozen_meeting_with(world, "Voirie")
    transaction.commit()
    received = mails(smtp)
    # the body's members (only "member" has a login), in the commune's language
    assert list(received) == ["member@example.org"]
    title, body = received["member@example.org"]
    assert title == f"Ordre du jour arrêté : {meeting.Title()}"
    assert "1 point(s)" in body and meeting.absolute_url() in body

    smtp.messages.clear()
    with api.env.adopt_user(username="manager"):
        api.content.transition(
            obj=item, transition="return_to_proposing_group", comment="Manque le devis."
        )
    transaction.commit()
    received = mails(smtp)
    # the service's editors and reviewers, each once; not its observers, not
    # the advisers, not another service
    assert sorted(received) == ["editor_a@example.org", "reviewer@example.org"]
    assert received["editor_a@example.org"][0] == "Point renvoyé au service : Voirie"
    assert received["reviewer@example.org"][0] == "Punt teruggestuurd naar de dienst: Voirie"
    assert "Manque le devis." in received["reviewer@example.org"][1]
    assert item.absolute_url() in received["editor_a@example.org"][1]


def test_turned_off_and_without_address_not_sent(world, smtp):  # noqa: F811
    notifications.set_turned_off(api.user.get(username="reviewer"), ["item_returned"])
    api.user.get(username="editor_a").setMemberProperties({"email": ""})
    api.user.create(username="editor_c", email="editor_c@example.org", password="secret-password")
    api.group.add_user(groupname="travaux_editors", username="editor_c")
    transaction.commit()
    meeting, (item,) = frozen_meeting_with(world, "Voirie")
    smtp.messages.clear()
    world.transition(item, "return_to_proposing_group")
    transaction.commit()
    assert list(mails(smtp)) == ["editor_c@example.org"]
    # the reviewer still gets the other kinds
    assert notifications.turned_off(api.user.get(username="reviewer")) == {"item_returned"}


def test_delayed_item_to_its_service_with_the_copy(world, smtp):  # noqa: F811
    meeting, (item,) = frozen_meeting_with(world, "Voirie")
    world.transition(meeting, "decide")
    transaction.commit()
    smtp.messages.clear()
    world.transition(item, "delay")
    transaction.commit()
    received = mails(smtp)
    assert sorted(received) == ["editor_a@example.org", "reviewer@example.org"]
    copy = agenda.by_uid(item.successor_uid)
    assert received["editor_a@example.org"][0] == "Point reporté : Voirie"
    assert copy.absolute_url() in received["editor_a@example.org"][1]


def test_late_item_to_the_members(world, smtp):  # noqa: F811
    meeting, _items = frozen_meeting_with(world, "Voirie")
    late = world.validated_item("Éclairage public")
    transaction.commit()
    smtp.messages.clear()
    world.transition(late, "present")
    transaction.commit()
    assert late.list_type == "late"
    received = mails(smtp)
    assert list(received) == ["member@example.org"]
    title, body = received["member@example.org"]
    assert title == f"Point complémentaire ajouté à la séance {meeting.Title()} : Éclairage public"
    assert "point complémentaire 2 " in body
    # an item presented before the freeze is not late: no mail
    smtp.messages.clear()
    other = world.meeting(day=datetime(2026, 12, 15, 20, 0))
    item = world.validated_item("Cimetière")
    with api.env.adopt_user(username="manager"):
        from communesplone.meetings import workflows

        workflows.present([item], other)
    transaction.commit()
    assert item.list_type == "normal"
    assert smtp.messages == []


def test_advice_asked_to_the_advisers_in_their_language(world, smtp):  # noqa: F811
    api.user.get(username="adviser").setMemberProperties({"language": "nl"})
    item = world.item("Budget", advices_asked=[{"service": "finances", "deadline_days": 10}])
    notify(AdviceAskedEvent(item, "finances", date(2026, 12, 24)))
    transaction.commit()
    received = mails(smtp)
    assert list(received) == ["adviser@example.org"]
    title, body = received["adviser@example.org"]
    assert title == "Advies gevraagd: Budget"
    assert "Finances" in body and "24/12/2026" in body


def test_the_communes_language_when_the_user_has_none(world, smtp):  # noqa: F811
    api.portal.set_registry_record("communesplone.default_language", "nl")
    api.user.get(username="adviser").setMemberProperties({"language": "de"})  # no template
    item = world.item("Budget")
    notify(AdviceAskedEvent(item, "finances", None))
    transaction.commit()
    assert mails(smtp)["adviser@example.org"][0] == "Advies gevraagd: Budget"


def test_advice_due_in_two_days_reminded_once(world, smtp):  # noqa: F811
    item = world.item("Budget", advices_asked=[{"service": "finances", "deadline_days": 10}])
    world.transition(item, "propose", user="editor_a")
    transaction.commit()
    [(service, due)] = notifications.pending_advices(item)
    assert service == "finances" and due is not None
    smtp.messages.clear()
    with api.env.adopt_roles(["Manager"]):
        # three days before: too early
        assert notifications.send_due_reminders(today=due - timedelta(days=3)) == 0
        assert notifications.send_due_reminders(today=due - timedelta(days=2)) == 1
        transaction.commit()
        # the next day, or again the same day: already reminded
        assert notifications.send_due_reminders(today=due - timedelta(days=1)) == 0
        transaction.commit()
    received = mails(smtp)
    assert list(received) == ["adviser@example.org"]
    title, body = received["adviser@example.org"]
    assert title == f"Avis attendu pour le {due:%d/%m/%Y} : Budget"
    assert "dans 2 jour(s)" in body


def test_proposed_item_mails_its_advisers_and_the_daily_clock_reminds_them(world, smtp):  # noqa: F811
    item = world.item("Budget", advices_asked=[{"service": "finances", "deadline_days": 10}])
    world.transition(item, "propose", user="editor_a")
    transaction.commit()
    received = mails(smtp)
    assert list(received) == ["adviser@example.org"]
    assert received["adviser@example.org"][0] == "Avis demandé : Budget"
    smtp.messages.clear()

    # Days later, the advice is due in two days: the daily clock reminds the advisers.
    in_two_days = date.today() + timedelta(days=2)
    requests_ = {service: dict(record) for service, record in item.advice_requests.items()}
    requests_["finances"]["due"] = in_two_days
    item.advice_requests = requests_
    item.reindexObject(idxs=["advices_due", "advices_pending"])
    transaction.commit()
    url = f"{world.portal.absolute_url()}/@@meetings-advice-deadlines"
    auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    response = http.post(url, auth=auth)
    assert response.status_code == 200, response.text
    assert "1 advice(s) due soon reminded" in response.text
    assert http.post(url, auth=auth).text.endswith("0 advice(s) due soon reminded\n")
    received = mails(smtp)
    assert list(received) == ["adviser@example.org"]
    assert (
        received["adviser@example.org"][0]
        == f"Avis attendu pour le {in_two_days:%d/%m/%Y} : Budget"
    )
