"""In a browser: the financial director's advice that the law asks.

1. the body's rule (CDLD art. L1124-40: budget-related above 22,000 €, 10
   working days, mandatory) in the body's "Advices" settings;
2. a budget-related item proposed waits for the advice; the adviser extends
   the delay once, with a reason, from the item's page;
3. the adviser writes, signs and gives the advice: the item is back to
   "proposed".

Screenshots go to test-output/screenshots (``docs/meetings.rst`` shows them).
"""

from communesplone.core.browsertesting import log_in
from communesplone.meetings import advices
from communesplone.meetings.testing import build
from communesplone.meetings.testing import PASSWORD
from communesplone.meetings.tests.browser.steps import transition
from decimal import Decimal
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import pytest
import transaction


pytestmark = pytest.mark.browser

RULE = {
    "service": "finances",
    "condition": "budget_above",
    "value": "22000",
    "delay_days": 10,
    "working_days": True,
    "mandatory": True,
}


@pytest.fixture
def world(functional_portal):
    world = build(functional_portal)
    world.college.advice_rules = [RULE]
    world.college.waiting_advices = True
    item = world.item(
        "Acquisition d'une balayeuse de voirie",
        category="travaux",
        budget_related=True,
        budget_amount=Decimal("86400"),
    )
    world.transition(item, "propose", user="editor_a")
    assert api.content.get_state(item) == "waiting_advices"
    transaction.commit()
    world.waiting = item
    return world


def test_the_financial_advice(world, page, screenshot):
    portal_url = world.portal.absolute_url()
    item = world.waiting
    item_url = item.absolute_url()

    # 1. the rule, in the body's settings
    log_in(page, portal_url, SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    page.goto(f"{world.college.absolute_url()}/edit")
    page.click("text=Advices")
    assert page.locator("#formfield-form-widgets-waiting_advices input[type=checkbox]").is_checked()
    screenshot("meetings-body-advice-rules")

    # 2. the item waits; the adviser extends the delay
    page.context.clear_cookies()
    log_in(page, portal_url, "adviser", PASSWORD)
    page.goto(item_url)
    assert page.locator(".item-advices .mandatory-marker").is_visible()
    page.click("a.extend-advice")
    page.wait_for_load_state()
    page.fill("#form-widgets-days", "5")
    page.fill("#form-widgets-reason", "Le cahier des charges est incomplet.")
    page.click("#form-buttons-extend")
    page.wait_for_load_state()
    assert (
        page.locator(".advice-extension")
        .inner_text()
        .endswith("Le cahier des charges est incomplet.")
    )
    screenshot("meetings-item-waiting-advices")
    transaction.begin()
    assert advices.recorded(item)["finances"]["extension_days"] == 5

    # 3. the advice written, signed, given: the item goes on
    page.click("a.add-advice")
    page.wait_for_load_state()
    page.select_option("#form-widgets-advice_type", "positive")
    page.fill("#form-widgets-comment", "Avis de légalité favorable.")
    page.click("#form-buttons-save")
    page.wait_for_load_state()
    advice_url = page.url.split("/view")[0].rstrip("/")
    transition(page, advice_url, "signAdvice")
    transition(page, advice_url, "giveAdvice")
    transaction.begin()
    assert api.content.get_state(item) == "proposed"
    page.goto(item_url)
    screenshot("meetings-item-advice-given")
