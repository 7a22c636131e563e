"""The timeline: which event types a licence takes now, and the order rule,
refused with the same reason by the add form and by REST."""

from communesplone.core.validation import Refusal
from communesplone.urban import testing
from communesplone.urban import timeline
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.testing.zope import Browser

import datetime
import pytest
import requests
import transaction


MARCH_1 = datetime.date(2026, 3, 1)
MARCH_6 = datetime.date(2026, 3, 6)


def ids(licence):
    return [item.getId() for item in timeline.allowed_event_types(licence)]


def test_allowed_event_types_follow_the_state_and_the_order(portal):
    licence = testing.make_licence()
    assert ids(licence) == ["deposit"]  # everything else follows the deposit
    testing.add_event(licence, "deposit", event_date=MARCH_1)
    assert "receipt" in ids(licence)
    assert "acknowledgement" not in ids(licence)  # after the receipt only
    # a permit is decided once complete (a declaration while deposited)
    assert "college_decision" not in ids(licence)
    testing.add_event(licence, "receipt", event_date=MARCH_6)
    allowed = ids(licence)
    assert {"acknowledgement", "opinion_fd", "opinion_spw_mobility", "complete"} <= set(allowed)
    assert "inquiry" not in allowed  # in a complete file only
    assert "notification" not in allowed  # after the decision only
    testing.transition(licence, "declare_complete")
    assert "inquiry" in ids(licence) and "college_decision" in ids(licence)
    assert "deposit" not in ids(licence)  # a deposit in a deposited file only


def test_the_college_decides_a_declaration_deposited_a_permit_complete(portal):
    declaration = testing.make_licence(licence_type="planning_declaration")
    permit = testing.make_licence()
    for licence in (declaration, permit):
        testing.add_event(licence, "deposit", event_date=MARCH_1)
    assert api.content.get_state(declaration) == api.content.get_state(permit) == "deposit"
    timeline.check(declaration, "college_decision", MARCH_6)
    with pytest.raises(Refusal) as refused:
        timeline.check(permit, "college_decision", MARCH_6)
    assert "cannot be added to a file in the state" in str(refused.value.message)
    testing.transition(permit, "declare_complete")
    timeline.check(permit, "college_decision", MARCH_6)


def test_licence_type_limits_the_event_types(portal):
    certificate = testing.make_licence(licence_type="notary_letter")
    testing.add_event(certificate, "deposit", event_date=MARCH_1)
    testing.add_event(certificate, "receipt", event_date=MARCH_6)
    assert "opinion_spw_environment" not in ids(certificate)
    message = timeline.refusal(certificate, "opinion_spw_environment", MARCH_6)
    assert "is not an event of the files of type" in str(message)


def test_decision_before_the_deposit_is_refused_with_the_reason(portal):
    licence = testing.make_licence(licence_type="planning_declaration")
    with pytest.raises(Refusal) as refused:
        timeline.check(licence, "college_decision", MARCH_1)
    assert refused.value.message.mapping["needed"] == '"Deposit of the application"'
    testing.add_event(licence, "deposit", event_date=MARCH_6)
    with pytest.raises(Refusal) as refused:  # dated before the deposit
        timeline.check(licence, "college_decision", MARCH_1)
    assert refused.value.message.mapping["needed_date"] == "06/03/2026"
    timeline.check(licence, "college_decision", MARCH_6)  # the same day: in order


def test_add_links_offer_the_allowed_types_to_who_may_add(portal):
    licence = testing.make_licence()
    testing.add_event(licence, "deposit", event_date=MARCH_1)
    testing.build(portal)
    with api.env.adopt_user(username="editor"):
        links = timeline.add_links(licence)
    assert [link["id"] for link in links] == ids(licence)
    receipt = next(link for link in links if link["id"] == "receipt")
    assert receipt["url"].endswith("/++add++urban_event?event_type=receipt")
    with api.env.adopt_user(username="observer"):  # reads the file, adds nothing
        assert timeline.add_links(licence) == []


def test_form_and_rest_refuse_a_decision_before_the_deposit(functional):
    portal = functional["portal"]
    licence = testing.make_licence(licence_type="planning_declaration")
    permit = testing.make_licence()
    testing.add_event(permit, "deposit", event_date=MARCH_1)
    transaction.commit()
    url = licence.absolute_url()
    reason = "cannot be added before"

    browser = Browser(functional["app"])
    browser.handleErrors = False
    browser.addHeader("Authorization", f"Basic {SITE_OWNER_NAME}:{SITE_OWNER_PASSWORD}")
    browser.open(f"{url}/++add++urban_decision?event_type=college_decision")
    assert browser.getControl(name="form.widgets.event_type:list").value == ["college_decision"]
    browser.getControl(name="form.widgets.event_date").value = "2026-03-01"
    browser.getControl(name="form.widgets.decision:list").value = ["granted"]
    browser.getControl(name="form.buttons.save").click()
    assert reason in browser.contents
    assert "Deposit of the application" in browser.contents
    transaction.begin()
    assert licence.objectIds() == []

    rest = requests.Session()
    rest.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    rest.headers["Accept"] = "application/json"
    decision = {
        "@type": "urban_decision",
        "event_type": "college_decision",
        "event_date": "2026-03-01",
        "decision": "granted",
    }
    response = rest.post(url, json=decision)
    assert response.status_code == 400, response.text
    assert reason in response.text and "Deposit of the application" in response.text
    transaction.begin()
    assert licence.objectIds() == []

    # After the deposit, both accept the decision; dated before it, both refuse.
    deposit = {"@type": "urban_event", "event_type": "deposit", "event_date": "2026-03-06"}
    response = rest.post(url, json=deposit)
    assert response.status_code == 201, response.text
    response = rest.post(url, json=decision)
    assert response.status_code == 400 and "06/03/2026" in response.text, response.text
    browser.open(f"{url}/++add++urban_decision?event_type=college_decision")
    browser.getControl(name="form.widgets.event_date").value = "2026-03-01"
    browser.getControl(name="form.widgets.decision:list").value = ["granted"]
    browser.getControl(name="form.buttons.save").click()
    assert "06/03/2026" in browser.contents
    response = rest.post(url, json={**decision, "event_date": "2026-03-20"})
    assert response.status_code == 201, response.text
    transaction.begin()
    assert licence.decision == "granted"
    assert portal is not None

    # A permit still deposited (its completeness unchecked) is not decided: the
    # menu does not offer the decision, the form and REST refuse it, with the state.
    url = permit.absolute_url()
    browser.open(url)
    assert "event_type=college_decision" not in browser.contents  # "Ajouter un événement"
    browser.open(f"{url}/++add++urban_decision?event_type=college_decision")
    browser.getControl(name="form.widgets.event_date").value = "2026-03-20"
    browser.getControl(name="form.widgets.decision:list").value = ["granted"]
    browser.getControl(name="form.buttons.save").click()
    assert "cannot be added to a file in the state" in browser.contents
    response = rest.post(url, json={**decision, "event_date": "2026-03-20"})
    assert response.status_code == 400, response.text
    assert "cannot be added to a file in the state" in response.text
    assert rest.post(f"{url}/@workflow/declare_complete").status_code == 200
    response = rest.post(url, json={**decision, "event_date": "2026-03-20"})
    assert response.status_code == 201, response.text
