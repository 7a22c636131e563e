"""In a browser, on the demo site: "À faire" and the notification preferences.

1. the works service's editor (Pierre Leroy) opens "Notifications" from the
   user menu and turns off the mails of items returned to his service;
2. the general director (Delphine Godin, meeting manager) returns the street
   sweeper's item to the works service from the state menu: its head of
   service gets the mail, the editor does not;
3. the head of service (Anne Fontaine) logs in from the front page and lands
   on "À faire": the item to validate and the item returned, counted in the
   toolbar; she validates the first from its page, and "À faire" then counts
   one thing less.

Mails go to a real SMTP server (aiosmtpd). Screenshots go to
test-output/screenshots (``docs/meetings.rst`` shows them).
"""

from communesplone.core.smtptesting import smtp  # noqa: F401 (fixture)
from communesplone.core.smtptesting import subject as mail_subject
from communesplone.meetings import notifications
from communesplone.meetings.tests.browser.steps import as_user
from communesplone.meetings.tests.browser.steps import titled
from communesplone.meetings.tests.browser.steps import transition
from plone import api

import pytest
import transaction


pytestmark = pytest.mark.browser

SWEEPER = "Marché de fournitures – acquisition d'une balayeuse"
SEWERS = "Travaux d'égouttage – rue de la Station"


def test_todo_and_notifications(demo, smtp, page, screenshot):  # noqa: F811
    with api.env.adopt_roles(["Manager"]):
        api.portal.set_registry_record("plone.email_from_address", "secretariat@ploneville.example")
        api.portal.set_registry_record("plone.email_from_name", "Commune de Plonéville")
    transaction.commit()
    portal_url = demo.absolute_url()
    college = demo["college"]
    sweeper_url = titled(college, SWEEPER).absolute_url()

    # 1. the editor turns off the mails of items returned to his service
    as_user(page, portal_url, "pleroy")
    page.click("#portal-personaltools a.dropdown-toggle, #personaltools-menulink")
    page.click("#personaltools-meetings-notifications")
    page.wait_for_load_state()
    assert page.url.endswith("/@@meetings-notifications")
    returned_box = page.locator("#notification-item_returned")
    assert returned_box.is_checked()
    returned_box.uncheck()
    page.click("#meetings-notifications-form button[type=submit]")
    page.wait_for_load_state()
    assert not page.locator("#notification-item_returned").is_checked()
    assert page.locator("#notification-item_delayed").is_checked()
    screenshot("meetings-notifications")
    transaction.begin()
    assert notifications.turned_off(api.user.get(username="pleroy")) == {"item_returned"}

    # 2. the director returns the sweeper's item to its service
    as_user(page, portal_url, "dgodin")
    transition(page, sweeper_url, "return_to_proposing_group")
    transaction.begin()
    assert api.content.get_state(titled(college, SWEEPER)) == "returned_to_proposing_group"
    mailed = [
        (recipients, mail_subject(message))
        for recipients, message in smtp.messages
        if SWEEPER in mail_subject(message)
    ]
    recipients = {address for addresses, _subject in mailed for address in addresses}
    assert "afontaine@ploneville.example" in recipients
    assert "pleroy@ploneville.example" not in recipients

    # 3. the head of service lands on "À faire" after logging in
    as_user(page, portal_url, "afontaine")
    assert page.url.endswith("/@@todo")
    assert page.locator("#meetings-todo-count").inner_text() == "2"
    to_validate = page.locator("#todo-to_validate")
    assert to_validate.locator("tbody tr").all_inner_texts()[0].startswith(SEWERS)
    assert page.locator("#todo-returned tbody tr").all_inner_texts()[0].startswith(SWEEPER)
    screenshot("meetings-todo")
    to_validate.get_by_role("link", name=SEWERS).click()
    page.wait_for_load_state()
    transition(page, page.url.split("/view")[0], "validate")
    page.click("#meetings-todo-toolbar a")
    page.wait_for_load_state()
    assert page.locator("#meetings-todo-count").inner_text() == "1"
    assert page.locator("#todo-to_validate .no-results").is_visible()
    transaction.begin()
    assert api.content.get_state(titled(college, SEWERS)) == "validated"
