"""Advices that follow the law: rules, delays, extension, overdue, waiting for advices."""

from communesplone.core.calendar import Calendar
from communesplone.meetings import advices
from communesplone.meetings import vocabularies
from communesplone.meetings.interfaces import IAdviceAskedEvent
from communesplone.meetings.testing import build
from datetime import date
from datetime import timedelta
from decimal import Decimal
from plone import api
from zope.component import getGlobalSiteManager
from zope.interface import Invalid
from zope.schema.interfaces import TooSmall

import pytest


DF_RULE = {
    "service": "finances",
    "condition": "budget_above",
    "value": "22000",
    "delay_days": 10,
    "working_days": True,
    "mandatory": True,
}


@pytest.fixture
def world(portal):
    world = build(portal)
    world.college.advice_rules = [DF_RULE]
    return world


@pytest.fixture
def asked_events():
    seen = []

    def handler(event):
        seen.append((event.object, event.service, event.due))

    gsm = getGlobalSiteManager()
    gsm.registerHandler(handler, (IAdviceAskedEvent,))
    yield seen
    gsm.unregisterHandler(handler, (IAdviceAskedEvent,))


def budget_item(world, amount="30000", **values):
    return world.item(budget_related=True, budget_amount=Decimal(amount), **values)


def give(world, item, service="finances"):
    with api.env.adopt_user(username="adviser"):
        advice = api.content.create(
            container=item,
            type="meeting_advice",
            id=f"avis-{service}",
            service=service,
            advice_type="positive",
            comment="Avis de légalité favorable.",
        )
    world.transition(advice, "signAdvice", "giveAdvice", user="adviser")
    return advice


# Rules ------------------------------------------------------------------------------


def test_the_financial_directors_rule_asks_above_the_threshold(world, asked_events):
    above = budget_item(world, "22000.01")
    below = budget_item(world, "22000")
    unrelated = world.item()
    assert advices.asked_services(above) == ["finances"]  # told before the proposal
    assert advices.requests(above)[0]["asked_on"] is None
    for item in (above, below, unrelated):
        world.transition(item, "propose", user="editor_a")
    assert [(event[0], event[1]) for event in asked_events] == [(above, "finances")]
    record = advices.recorded(above)["finances"]
    assert record["mandatory"] and record["working"] and record["origin"] == "rule"
    assert record["asked_on"] == date.today()
    assert asked_events[0][2] == record["due"] == advices.due_date(record)
    assert advices.recorded(below) == {} and advices.recorded(unrelated) == {}
    catalog = api.portal.get_tool("portal_catalog")
    found = catalog.unrestrictedSearchResults(advices_pending="finances")
    assert [brain._unrestrictedGetObject() for brain in found] == [above]
    assert found[0].advices_due == record["due"]


@pytest.mark.parametrize(
    "condition, value, values, asked",
    [
        ("category", "finances", {"category": "finances"}, True),
        ("category", "finances", {"category": "travaux"}, False),
        ("service", "travaux", {}, True),
        ("service", "population", {}, False),
        ("budget_related", "", {"budget_related": True}, True),
        ("always", "", {}, True),
    ],
)
def test_conditions(world, condition, value, values, asked):
    world.college.advice_rules = [{"service": "finances", "condition": condition, "value": value}]
    item = world.item(**values)
    assert (advices.asked_services(item) == ["finances"]) is asked


def test_an_edit_before_validation_asks_again(world, asked_events):
    item = budget_item(world, "1000")
    world.transition(item, "propose", user="editor_a")
    assert advices.recorded(item) == {}
    with api.env.adopt_user(username="reviewer"):
        item.budget_amount = Decimal("50000")
        from zope.event import notify
        from zope.lifecycleevent import ObjectModifiedEvent

        notify(ObjectModifiedEvent(item))
    assert list(advices.recorded(item)) == ["finances"]
    assert [event[1] for event in asked_events] == ["finances"]
    # the adviser got the role on the item: it is theirs to see
    with api.env.adopt_user(username="adviser"):
        assert api.user.has_permission("View", obj=item)


def test_rules_and_item_are_checked_once(world):
    from communesplone.meetings.content.meeting_body import IMeetingBody
    from communesplone.meetings.content.meeting_item import IMeetingItem

    class Data:
        budget_related = False
        budget_amount = Decimal(10)

    with pytest.raises(Invalid) as refused:
        IMeetingItem.validateInvariants(Data())
    assert "budget-related" in refused.value.args[0]
    field = IMeetingItem["advices_asked"].value_type.schema["deadline_days"]
    with pytest.raises(TooSmall):
        field.validate(-3)
    rules = IMeetingBody["advice_rules"]
    with pytest.raises(Invalid) as refused:
        rules.constraint([dict(DF_RULE, value="beaucoup")])
    assert refused.value.args[0].mapping == {"value": "beaucoup"}


# Delays ---------------------------------------------------------------------------------


def test_delays_in_calendar_and_working_days_over_a_closing_day():
    # Friday 4 December 2026; Monday 7 is a closing day of the commune
    calendar = Calendar(dates=[date(2026, 12, 7)], public_holidays=True)
    record = {"service": "finances", "asked_on": date(2026, 12, 4), "days": 3}
    assert advices.due_date(dict(record, working=False), calendar) == date(2026, 12, 8)
    # working days: Tuesday 8, Wednesday 9, Thursday 10
    assert advices.due_date(dict(record, working=True), calendar) == date(2026, 12, 10)
    # a calendar delay that ends on a closing day ends on the next working day
    sunday = dict(record, days=2, working=False)
    assert advices.due_date(sunday, calendar) == date(2026, 12, 8)
    assert advices.due_date(dict(record, days=None), calendar) is None


def test_the_commune_closing_days_are_used(world):
    api.portal.set_registry_record("communesplone.closing_days", [date(2026, 12, 7)])
    record = {"service": "finances", "asked_on": date(2026, 12, 4), "days": 1, "working": True}
    assert advices.due_date(record) == date(2026, 12, 8)


# Extension, overdue -------------------------------------------------------------------------


def test_a_delay_is_extended_once_with_a_reason(world):
    item = budget_item(world)
    world.transition(item, "propose", user="editor_a")
    due = advices.recorded(item)["finances"]["due"]
    with api.env.adopt_user(username="adviser"):
        assert advices.may_extend(item, "finances")
        with pytest.raises(Invalid) as refused:
            advices.extend(item, "finances", 5, "  ")
        assert refused.value.args[0] == "Give the reason of the extension."
        with pytest.raises(Invalid) as refused:
            advices.extend(item, "finances", 0, "Dossier incomplet")
        assert refused.value.args[0] == "An extension is of one day or more."
        record = advices.extend(item, "finances", 10, "Dossier incomplet")
        assert record["due"] > due and record["extension_reason"] == "Dossier incomplet"
        assert record["extended_by"] == "adviser"
        with pytest.raises(Invalid) as refused:
            advices.extend(item, "finances", 5, "Encore")
        assert refused.value.args[0] == "The delay of an advice may be extended only once."
    with api.env.adopt_user(username="editor_a"):
        assert not advices.may_extend(item, "finances")
    catalog = api.portal.get_tool("portal_catalog")
    assert catalog.unrestrictedSearchResults(UID=item.UID())[0].advices_due == record["due"]


def test_who_extends_a_delay_the_permission_and_the_service(world):
    """The permission "Extend advice delay" (the item workflow's, while advices are
    awaited) for the meeting managers and the advisers asked; an adviser, for his own
    service's advice only; nobody once the item is presented."""
    from communesplone.meetings.constants import EXTEND_ADVICE_DELAY
    from communesplone.meetings.testing import PASSWORD

    with api.env.adopt_roles(["Manager"]):
        api.user.create(username="adviser_pop", email="p@example.org", password=PASSWORD)
        api.group.add_user(groupname="population_advisers", username="adviser_pop")
    both = [
        {"service": "finances", "deadline_days": 10},
        {"service": "population", "deadline_days": 10},
    ]
    item = world.item(advices_asked=both)
    with api.env.adopt_user(username="manager"):
        assert not api.user.has_permission(EXTEND_ADVICE_DELAY, obj=item)  # created
    world.transition(item, "propose", user="editor_a")
    for user, extends in (
        ("manager", {"finances", "population"}),
        ("adviser", {"finances"}),
        ("adviser_pop", {"population"}),
        ("editor_a", set()),
        ("reviewer", set()),
    ):
        with api.env.adopt_user(username=user):
            may = {
                service
                for service in ("finances", "population")
                if advices.may_extend(item, service)
            }
            assert may == extends, user
            assert {r["service"] for r in advices.extendable(item)} == extends, user
    world.transition(item, "validate", user="reviewer")
    world.meeting()
    world.transition(item, "present")
    for user in ("manager", "adviser"):
        with api.env.adopt_user(username=user):
            assert not api.user.has_permission(EXTEND_ADVICE_DELAY, obj=item), user
            assert not advices.may_extend(item, "finances"), user


def test_a_secret_item_once_validated_is_out_of_its_advisers_reach(world):
    """Hidden from its advisers once validated (``visibility``), a secret item's advice
    delay is no longer theirs to extend, by the page or by URL; the managers' still."""
    from communesplone.meetings.constants import EXTEND_ADVICE_DELAY

    item = world.item(
        privacy="secret", advices_asked=[{"service": "finances", "deadline_days": 10}]
    )
    world.transition(item, "propose", user="editor_a")
    with api.env.adopt_user(username="adviser"):
        assert advices.may_extend(item, "finances")
    world.transition(item, "validate", user="reviewer")
    with api.env.adopt_user(username="adviser"):
        assert not api.user.has_permission("View", obj=item)
        assert not api.user.has_permission(EXTEND_ADVICE_DELAY, obj=item)
        assert not advices.may_extend(item, "finances")
    with api.env.adopt_user(username="manager"):
        assert advices.may_extend(item, "finances")


def _age(item, days):
    """Pretend the advices were asked ``days`` ago."""
    asked = advices.recorded(item)
    for record in asked.values():
        record["asked_on"] = date.today() - timedelta(days=days)
        record["due"] = advices.due_date(record)
    advices._store(item, asked)
    item.reindexObject(idxs=advices.INDEXES)


def test_overdue_advices_are_marked_and_released_when_the_body_says_so(world):
    item = budget_item(world)
    world.transition(item, "propose", user="editor_a")
    _age(item, 40)
    record = advices.recorded(item)["finances"]
    assert advices.status(item, record) == "overdue"
    # the body waits for its advices: still awaited, validation refused
    assert advices.pending(item) == [("finances", record["due"])]
    with api.env.adopt_user(username="reviewer"), pytest.raises(api.exc.InvalidParameterError):
        api.content.transition(obj=item, transition="validate")
    with api.env.adopt_user(username="adviser"):
        assert "finances" in vocabularies.advice_services(item)  # late, but still awaited
    # the body lets items go on without overdue advices
    world.college.overdue_advices_release = True
    item.reindexObject(idxs=advices.INDEXES)
    assert advices.pending(item) == []
    assert not advices.can_advise(item, "finances")
    with api.env.adopt_user(username="adviser"):
        assert "finances" not in vocabularies.advice_services(item)  # no longer accepted
    assert world.transition(item, "validate", user="reviewer") == "validated"


def test_a_mandatory_advice_not_given_blocks_validation(world):
    item = budget_item(world)
    world.transition(item, "propose", user="editor_a")
    with api.env.adopt_user(username="reviewer"), pytest.raises(api.exc.InvalidParameterError):
        api.content.transition(obj=item, transition="validate")
    give(world, item)
    assert world.transition(item, "validate", user="reviewer") == "validated"


# Advice workflow --------------------------------------------------------------------------


def test_advice_workflow_hidden_until_given_and_taken_back_before_presentation(world):
    item = budget_item(world)
    world.transition(item, "propose", user="editor_a")
    with api.env.adopt_user(username="adviser"):
        advice = api.content.create(
            container=item, type="meeting_advice", id="avis", service="finances",
            advice_type="positive",
        )  # fmt: skip
    for user in ("manager", "editor_a", "reviewer"):
        with api.env.adopt_user(username=user):
            assert not api.user.has_permission("View", obj=advice), user
    # being written, an advice is signed before it is given
    with api.env.adopt_user(username="adviser"), pytest.raises(api.exc.InvalidParameterError):
        api.content.transition(obj=advice, transition="giveAdvice")
    assert api.content.get_state(advice) == "advice_under_edit"
    assert world.transition(advice, "signAdvice", user="adviser") == "advice_signed"
    assert advice.signed_on == date.today() and advice.signed_by == "adviser"
    with api.env.adopt_user(username="manager"):
        assert not api.user.has_permission("View", obj=advice)
    with api.env.adopt_user(username="adviser"):
        assert not api.user.has_permission("Modify portal content", obj=advice)
    assert world.transition(advice, "giveAdvice", user="adviser") == "advice_given"
    with api.env.adopt_user(username="manager"):
        assert api.user.has_permission("View", obj=advice)
    assert world.transition(advice, "backToAdviceUnderEdit", user="adviser") == (
        "advice_under_edit"
    )
    assert advice.signed_on is None
    world.transition(advice, "signAdvice", "giveAdvice", user="adviser")
    world.transition(item, "validate", user="reviewer")
    world.meeting()
    world.transition(item, "present")
    with api.env.adopt_user(username="adviser"), pytest.raises(api.exc.InvalidParameterError):
        api.content.transition(obj=advice, transition="backToAdviceUnderEdit")


# Waiting for advices -------------------------------------------------------------------------


def test_waiting_for_advices_until_given(world):
    world.college.waiting_advices = True
    item = budget_item(world)
    assert world.transition(item, "propose", user="editor_a") == "waiting_advices"
    # the service may no longer change it; the adviser writes
    with api.env.adopt_user(username="reviewer"):
        assert not api.user.has_permission("Modify portal content", obj=item)
    advice = give(world, item)
    assert api.content.get_state(advice) == "advice_given"
    assert api.content.get_state(item) == "proposed"
    # taken back, the advice is awaited again: the item waits again
    world.transition(advice, "backToAdviceUnderEdit", user="adviser")
    assert api.content.get_state(item) == "waiting_advices"
    assert advices.pending(item) == [("finances", advices.recorded(item)["finances"]["due"])]


def test_waiting_for_advices_until_overdue(world):
    world.college.waiting_advices = True
    item = budget_item(world)
    unrelated = world.item()
    world.transition(item, "propose", user="editor_a")
    world.transition(unrelated, "propose", user="editor_a")
    assert api.content.get_state(item) == "waiting_advices"
    assert advices.check_deadlines() == []  # in time: nothing moves
    _age(item, 40)
    assert advices.check_deadlines() == [item]
    assert api.content.get_state(item) == "proposed"
    assert api.content.get_state(unrelated) == "proposed"
    assert advices.check_deadlines() == []  # idempotent


def test_no_waiting_state_when_the_body_does_not_enable_it(world):
    item = budget_item(world)
    assert world.transition(item, "propose", user="editor_a") == "proposed"


# Upgrade ------------------------------------------------------------------------------------


def test_upgrade_records_the_advices_asked_before_1002(world):
    item = world.item(advices_asked=[{"service": "finances", "deadline_days": 10}])
    world.college.advice_rules = []
    world.transition(item, "propose", user="editor_a")
    # as version 1001 left it: rows on the item, no record, the old index
    del item.advice_requests
    item.proposed_on = date(2026, 11, 2)
    catalog = api.portal.get_tool("portal_catalog")
    catalog.addIndex("advice_deadline", "DateIndex")
    catalog.addColumn("advice_deadline")
    item.reindexObject()
    assert advices.pending(item) == []
    setup = api.portal.get_tool("portal_setup")
    setup.setLastVersionForProfile("communesplone.meetings:default", "1001")
    setup.upgradeProfile("communesplone.meetings:default")
    record = advices.recorded(item)["finances"]
    assert record["asked_on"] == date(2026, 11, 2) and record["due"] == date(2026, 11, 12)
    assert advices.pending(item) == [("finances", date(2026, 11, 12))]
    brain = catalog.unrestrictedSearchResults(UID=item.UID())[0]
    assert brain.advices_pending == ["finances"] and brain.advices_due == date(2026, 11, 12)
    assert "advice_deadline" not in catalog.indexes()
    assert "advice_deadline" not in catalog.schema()


# Documents ------------------------------------------------------------------------------------


def _text(generated):
    import io
    import re
    import zipfile

    with zipfile.ZipFile(io.BytesIO(generated.data)) as archive:
        xml = archive.read("content.xml").decode("utf-8")
    assert "office:annotation" not in xml, "a statement was left (or appy wrote an error)"
    xml = re.sub(r"<text:s(?: text:c=\"(\d+)\")?(?:/>|></text:s>)", " ", xml)
    xml = re.sub(r"</text:(p|h)>", "\n", xml)
    from html import unescape

    return " ".join(unescape(re.sub(r"<[^>]+>", "", xml)).split())


def test_the_financial_advice_and_the_deliberation_render_the_advice(world):
    from communesplone.documents import generation

    api.portal.set_registry_record("communesplone.commune_name", "Commune de Plonéville")
    optional = dict(DF_RULE, service="population", value="1000", mandatory=False)
    world.college.advice_rules = [DF_RULE, optional]
    item = budget_item(world, "30000", title="Achat d'une balayeuse")
    world.transition(item, "propose", user="editor_a")
    with api.env.adopt_user(username="adviser"):
        advices.extend(item, "finances", 5, "Dossier incomplet")
    _age(item, 0)  # today
    asked = advices.recorded(item)
    asked["population"]["asked_on"] = date.today() - timedelta(days=60)
    asked["population"]["due"] = advices.due_date(asked["population"])
    advices._store(item, asked)
    advice = give(world, item)
    folder = api.portal.get()["templates"]["meetings"]
    with api.env.adopt_user(username="adviser"):
        assert "avis_financier-odt" in {t.getId() for t in generation.templates_for(advice)}
        text = _text(generation.render(advice, folder["avis_financier-odt"], "odt"))
    assert "Avis de légalité du directeur financier" in text
    assert "Objet : Achat d'une balayeuse" in text
    assert "Montant : 30 000,00 €" in text.replace("\u202f", " ").replace("\xa0", " ")
    assert "Avis : Positif" in text or "Avis : Favorable" in text
    assert "Avis de légalité favorable." in text
    assert "Signé le " in text and "Rendu le " in text
    # the deliberation: the advice given, its extension, the advice not given in time
    world.transition(item, "validate", user="reviewer")
    world.meeting()
    world.transition(item, "present")
    with api.env.adopt_user(username="manager"):
        text = _text(generation.render(item, folder["deliberation-odt"], "odt"))
    assert "Avis : Finances" in text
    assert "Dossier incomplet" in text
    assert "Population" in text  # the advice not given in its delay


# Over HTTP: the form and REST refuse the same input with the same message ---------------------


@pytest.fixture
def http_item(functional_portal):
    import transaction

    world = build(functional_portal)
    world.college.advice_rules = [DF_RULE]
    world.college.waiting_advices = True
    item = budget_item(world)
    world.transition(item, "propose", user="editor_a")
    transaction.commit()
    return item


def test_extension_over_rest_and_the_form(http_item):
    from communesplone.meetings.testing import PASSWORD

    import re
    import requests
    import transaction

    url = http_item.absolute_url()

    def session(login):
        http = requests.Session()
        http.auth = (login, PASSWORD)
        http.headers["Accept"] = "application/json"
        return http

    rest = session("adviser")
    got = rest.get(f"{url}/@advices").json()["items"]
    assert [(row["service"], row["status"], row["mandatory"]) for row in got] == [
        ("finances", "awaited", True)
    ]
    # REST: no reason, then an extension; a second one is refused
    answer = rest.post(f"{url}/@advice-extension", json={"service": "finances", "days": 5})
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == "Give the reason of the extension."
    # the form says the same
    form = requests.Session()
    form.auth = ("adviser", PASSWORD)
    page = form.get(f"{url}/@@advice-extension")
    assert page.status_code == 200
    token = re.search(r'name="_authenticator" value="([^"]+)"', page.text).group(1)
    posted = form.post(
        f"{url}/@@advice-extension",
        data={
            "form.widgets.service:list": "finances",
            "form.widgets.days": "5",
            "form.widgets.reason": "",
            "form.buttons.extend": "Extend",
            "_authenticator": token,
        },
    )
    assert "Give the reason of the extension." in posted.text
    answer = rest.post(
        f"{url}/@advice-extension",
        json={"service": "finances", "days": 5, "reason": "Dossier incomplet"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["items"][0]["extension_reason"] == "Dossier incomplet"
    again = rest.post(
        f"{url}/@advice-extension", json={"service": "finances", "days": 5, "reason": "Encore"}
    )
    assert again.status_code == 400
    assert again.json()["error"]["message"] == "The delay of an advice may be extended only once."
    # not the proposing service's staff
    assert session("editor_a").post(
        f"{url}/@advice-extension", json={"service": "finances", "days": 5, "reason": "x"}
    ).status_code in (401, 403)
    # the item page shows the extension and its reason
    transaction.begin()
    page = form.get(url)
    assert "Dossier incomplet" in page.text and "mandatory-marker" in page.text


def test_the_clock_is_post_only(http_item):
    from plone.app.testing import SITE_OWNER_NAME
    from plone.app.testing import SITE_OWNER_PASSWORD

    import requests

    url = f"{api.portal.get().absolute_url()}/@@meetings-advice-deadlines"
    http = requests.Session()
    http.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    assert http.get(url).status_code == 405
    answer = http.post(url)
    assert answer.status_code == 200 and answer.text.startswith("0 item(s)")
    adviser = requests.Session()
    adviser.auth = ("adviser", "secret")
    assert adviser.post(url, allow_redirects=False).status_code in (302, 401, 403)


def test_an_advice_is_signed_then_given_over_rest_and_on_its_page(http_item):
    """Being written, an advice offers "sign" only (REST and its page); giving it then is
    refused over REST with a translated 400 and nothing changes; signed, it offers "give"."""
    from communesplone.meetings.testing import PASSWORD

    import requests
    import transaction

    api.portal.set_registry_record("plone.available_languages", ["fr", "nl", "en"])
    api.portal.set_registry_record("plone.use_request_negotiation", True)
    with api.env.adopt_user(username="adviser"):
        advice = api.content.create(
            container=http_item, type="meeting_advice", id="avis", service="finances",
            advice_type="positive",
        )  # fmt: skip
    transaction.commit()
    url = advice.absolute_url()
    rest = requests.Session()
    rest.auth = ("adviser", PASSWORD)
    rest.headers.update({"Accept": "application/json", "Accept-Language": "fr"})
    page = requests.Session()
    page.auth = ("adviser", PASSWORD)

    def offered():
        transitions = rest.get(f"{url}/@workflow").json()["transitions"]
        return sorted(t["@id"].rsplit("/", 1)[1] for t in transitions)

    def on_the_page():
        html = page.get(url).text
        return sorted(
            t for t in ("signAdvice", "giveAdvice", "backToAdviceUnderEdit")
            if f"workflow_action={t}" in html
        )  # fmt: skip

    assert offered() == on_the_page() == ["signAdvice"]
    refused = rest.post(f"{url}/@workflow/giveAdvice", json={})
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == (
        "\"Donner l'avis\" ne vous est pas possible dans l'état actuel "
        '("En cours de rédaction") : rien n\'a été modifié.'
    )
    transaction.begin()
    assert api.content.get_state(advice) == "advice_under_edit"
    assert rest.post(f"{url}/@workflow/signAdvice", json={}).status_code == 200
    assert offered() == on_the_page() == ["backToAdviceUnderEdit", "giveAdvice"]
    assert rest.post(f"{url}/@workflow/giveAdvice", json={}).status_code == 200
    transaction.begin()
    assert api.content.get_state(advice) == "advice_given"
    assert advice.signed_by == "adviser" and advice.given_on is not None
