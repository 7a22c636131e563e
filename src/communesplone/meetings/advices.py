"""Advices that follow the law: who is asked, by when, and what the item waits for.

An advice is asked of a service on an item in two ways:

- **by hand**, a row of the item's ``advices_asked`` (service, delay, working
  days or not, mandatory or not);
- **by a rule of the body** (its ``advice_rules``): a condition chosen from
  :data:`CONDITIONS` (never free Python), such as "budget-related with an
  amount above N €": the Code de la démocratie locale, art. L1124-40 §1 3°,
  asks the financial director's "avis de légalité" on every decision with a
  financial impact above 22,000 €.

Advices are **asked when the item is proposed** (:func:`ask`): each request is
recorded on the item (``advice_requests``: service → record) with the day it
was asked and the day it is due, and an :class:`AdviceAskedEvent` is notified.
While the item is still open to advices, editing it asks again: the advices a
rule now wants are asked, those it no longer wants and nobody started are
withdrawn. Before the proposal, :func:`requests` tells who will be asked.

**Delays** count from the day after the proposal, in calendar days or in
working days (the commune's closing days, ``core/calendar.py``, shared with
every application); a delay in calendar days that ends on a closing day ends
on the next working day (Code judiciaire, art. 53). A delay may be **extended
once**, with a reason (:func:`extend`). An advice not given when its day has
passed is **overdue**: marked, and, when the body allows it
(``overdue_advices_release``), no longer awaited, so that the item may go on
without it (and it may no longer be given).

An item proposed while **mandatory** advices are awaited goes to
``waiting_advices`` when its body enables that state, and comes back to
``proposed`` when each of them is given or overdue (:func:`update_waiting`):
after an advice is given, and when the clock (:func:`check_deadlines`, run by
``@@meetings-advice-deadlines`` or the ``meetings-advice-deadlines`` script)
finds a delay that ran out. Meanwhile the item cannot be validated without
its mandatory advices, unless they are overdue and the body allows it.

The rules of the input (an extension without reason, a second one, a delay
below one day...) are here or in the schemas, once: forms and REST refuse the
same input with the same message.
"""

from communesplone import _
from communesplone.core import calendar
from communesplone.core import services
from communesplone.meetings.bodies import body_of
from communesplone.meetings.constants import ADD_MEETING
from communesplone.meetings.constants import ADVICE_STATES
from communesplone.meetings.constants import EXTEND_ADVICE_DELAY
from communesplone.meetings.interfaces import AdviceAskedEvent
from datetime import date
from decimal import Decimal
from decimal import InvalidOperation
from plone import api
from zope.container.interfaces import IContainerModifiedEvent
from zope.event import notify
from zope.interface import Invalid
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


# The indexes that depend on the advices (see indexers.py)
INDEXES = ["advices_pending", "advices_due"]
GIVEN = "advice_given"
WAITING = "waiting_advices"
WAIT = "wait_advices_from_proposed"
BACK_FROM_WAITING = "backTo_proposed_from_waiting_advices"
# The CDLD's threshold of the financial director's "avis de légalité" (art. L1124-40)
LEGALITY_THRESHOLD = Decimal(22000)


# Conditions of the body's rules -------------------------------------------------


def as_amount(value):
    """``value`` (a rule's text) as a Decimal amount, or None when it is not one."""
    try:
        amount = Decimal(str(value).replace(" ", "").replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() and amount >= 0 else None


def _budget_above(item, value):
    threshold = as_amount(value)
    amount = getattr(item, "budget_amount", None)
    return bool(
        getattr(item, "budget_related", False)
        and threshold is not None
        and amount is not None
        and Decimal(amount) > threshold
    )


CONDITIONS = {
    # id: (title, needs a value, test(item, value))
    "always": (_("Every item"), False, lambda item, value: True),
    "budget_related": (
        _("Budget-related items"),
        False,
        lambda item, value: bool(getattr(item, "budget_related", False)),
    ),
    "budget_above": (_("Budget-related with an amount above (€)"), True, _budget_above),
    "category": (
        _("Items of the category"),
        True,
        lambda item, value: getattr(item, "category", None) == value,
    ),
    "service": (
        _("Items proposed by the service"),
        True,
        lambda item, value: getattr(item, "service", None) == value,
    ),
}


def check_rule(row, body=None):
    """Raise Invalid when the rule ``row`` of a body cannot be applied."""
    condition = row.get("condition")
    if condition not in CONDITIONS:
        raise Invalid(_('"${condition}" is not a condition.', mapping={"condition": condition}))
    title, needs_value, _test = CONDITIONS[condition]
    value = (row.get("value") or "").strip()
    if needs_value and not value:
        raise Invalid(
            _('The condition "${condition}" needs a value.', mapping={"condition": title})
        )
    if condition == "budget_above" and as_amount(value) is None:
        raise Invalid(
            _('"${value}" is not an amount in euros.', mapping={"value": row.get("value")})
        )
    if condition == "service" and services.get(value) is None:
        raise Invalid(_('"${service}" is not a service.', mapping={"service": value}))
    if condition == "category" and body is not None:
        known = {category["id"] for category in body.categories or ()}
        if value not in known:
            raise Invalid(
                _(
                    '"${category}" is not one of the categories of ${body}.',
                    mapping={"category": value, "body": body.title or ""},
                )
            )
    return True


def check_rules(rows, body=None):
    for row in rows or ():
        check_rule(row, body)
    return True


def rule_matches(item, rule):
    condition = CONDITIONS.get(rule.get("condition"))
    if condition is None:
        return False
    return bool(condition[2](item, (rule.get("value") or "").strip()))


# What is asked --------------------------------------------------------------------


def wanted(item):
    """{service: spec} of the advices the item's rows and its body's rules ask.

    A spec has ``service``, ``days`` (None: no delay), ``working``,
    ``mandatory`` and ``origin`` ("rule" or "hand"). When a rule and a row
    ask the same service, the rule's delay applies, and the advice is
    mandatory if either says so.
    """
    result = {}
    for row in getattr(item, "advices_asked", None) or ():
        result[row["service"]] = {
            "service": row["service"],
            "days": row.get("deadline_days") or None,
            "working": bool(row.get("working_days")),
            "mandatory": bool(row.get("mandatory")),
            "origin": "hand",
        }
    body = body_of(item)
    for rule in getattr(body, "advice_rules", None) or ():
        if not rule.get("service") or not rule_matches(item, rule):
            continue
        previous = result.get(rule["service"], {})
        result[rule["service"]] = {
            "service": rule["service"],
            "days": rule.get("delay_days") or None,
            "working": bool(rule.get("working_days")),
            "mandatory": bool(rule.get("mandatory")) or previous.get("mandatory", False),
            "origin": "rule",
        }
    return result


def due_date(record, cal=None):
    """The last day to give the advice of ``record``, or None without a delay."""
    if not record.get("asked_on") or not record.get("days"):
        return None
    cal = cal or calendar.current()
    days = record["days"] + (record.get("extension_days") or 0)
    end = cal.add_days(record["asked_on"], days, working=record.get("working", False))
    return cal.next_working_day(end)


def _store(item, requests):
    item.advice_requests = {service: dict(record) for service, record in requests.items()}


def recorded(item):
    """{service: record} of the advices asked on the item (empty before its proposal)."""
    return dict(getattr(item, "advice_requests", None) or {})


def requests(item):
    """The advices asked on the item, or to be asked when it is proposed (in order)."""
    asked = recorded(item)
    if asked:
        return list(asked.values())
    return [dict(spec, asked_on=None, due=None) for spec in wanted(item).values()]


def asked_services(item):
    return [record["service"] for record in requests(item)]


def ask(item, today=None, again=False):
    """Ask the advices the item wants, record them, and notify who is asked.

    On the proposal (``again``), every advice not given yet is asked anew:
    its delay starts again, its extension is forgotten. Otherwise (an edit of
    a proposed item) the advices already asked keep their dates; those wanted
    now are asked, and those no longer wanted that nobody started are withdrawn.
    Return the services newly asked.
    """
    today = today or date.today()
    cal = calendar.current()
    old = recorded(item)
    started = _advice_services(item)
    given = given_services(item)
    new = {}
    asked = []
    for service, spec in wanted(item).items():
        previous = old.get(service)
        if previous is not None and (service in given or not again):
            record = dict(previous, mandatory=spec["mandatory"], origin=spec["origin"])
            if previous.get("days") != spec["days"] or previous.get("working") != spec["working"]:
                record.update(days=spec["days"], working=spec["working"])
                record["due"] = due_date(record, cal)
        else:
            record = dict(spec, asked_on=today, extension_days=0, extension_reason="")
            record["due"] = due_date(record, cal)
            asked.append(record)
        new[service] = record
    for service, record in old.items():
        if service not in new and service in started:
            new[service] = record  # an advice was started or given: it stays asked
    _store(item, new)
    for record in asked:
        notify(AdviceAskedEvent(item, record["service"], record["due"]))
    return [record["service"] for record in asked]


def withdraw_all(item):
    """Forget the requests (the item is back to its service): nothing is awaited."""
    if getattr(item, "advice_requests", None):
        item.advice_requests = {}


# Advices given, overdue, pending ----------------------------------------------------


def _advices(item, **query):
    catalog = api.portal.get_tool("portal_catalog")
    return catalog.unrestrictedSearchResults(
        portal_type="meeting_advice",
        path={"query": "/".join(item.getPhysicalPath()), "depth": 1},
        **query,
    )


def _advice_services(item):
    return {brain.service for brain in _advices(item)}


def given_services(item):
    return {brain.service for brain in _advices(item, review_state=GIVEN)}


def is_overdue(record, given=(), today=None):
    due = record.get("due")
    return bool(due and record["service"] not in given and due < (today or date.today()))


def releases_overdue(item):
    body = body_of(item)
    return bool(getattr(body, "overdue_advices_release", False))


def status(item, record, given=None, today=None):
    """The status of ``record``: given, overdue, awaited (or to_ask before the proposal)."""
    given = given_services(item) if given is None else given
    if record["service"] in given:
        return "given"
    if not record.get("asked_on"):
        return "to_ask"
    return "overdue" if is_overdue(record, given, today) else "awaited"


def open_for_advices(item):
    return api.content.get_state(item, default=None) in ADVICE_STATES


def pending(item, today=None):
    """[(service, due)] of the advices still awaited: asked, not given, and not
    overdue when the body lets items go on without overdue advices."""
    if not open_for_advices(item):
        return []
    given = given_services(item)
    release = releases_overdue(item)
    return [
        (record["service"], record.get("due"))
        for record in recorded(item).values()
        if record["service"] not in given and not (release and is_overdue(record, given, today))
    ]


def released(item, service, today=None):
    """Whether the advice of ``service`` is overdue and the body went on without it."""
    record = recorded(item).get(service)
    return bool(
        record and releases_overdue(item) and is_overdue(record, given_services(item), today)
    )


def can_advise(item, service, today=None):
    """Whether the advice of ``service`` may be written, signed, given or taken back now."""
    if not open_for_advices(item):
        return False
    record = recorded(item).get(service)
    if record is None:
        return False
    given = given_services(item)
    return not (releases_overdue(item) and is_overdue(record, given, today))


def mandatory_missing(item, today=None, overdue_counts=False):
    """The mandatory advices not given; without those overdue when ``overdue_counts``
    or when the body lets items go on without them."""
    given = given_services(item)
    skip_overdue = overdue_counts or releases_overdue(item)
    return [
        record["service"]
        for record in recorded(item).values()
        if record.get("mandatory")
        and record["service"] not in given
        and not (skip_overdue and is_overdue(record, given, today))
    ]


def may_go_on(item, today=None):
    """Whether the item may be validated: each mandatory advice is given, or
    overdue when the body allows going on without it."""
    return not mandatory_missing(item, today)


def must_wait(item, today=None):
    """Whether the item, proposed, goes to "waiting for advices"."""
    body = body_of(item)
    return bool(getattr(body, "waiting_advices", False)) and bool(
        mandatory_missing(item, today, overdue_counts=True)
    )


def update_waiting(item, today=None):
    """Move the item into or out of "waiting for advices" as its advices say.

    The transitions are the application's, not the user's (an adviser who
    gives an advice does not review the item): they run with the rights of
    an administrator, under the current user's name.
    """
    state = api.content.get_state(item, default=None)
    transition = None
    if state == "proposed" and must_wait(item, today):
        transition = WAIT
    elif state == WAITING and not must_wait(item, today):
        transition = BACK_FROM_WAITING
    if transition is None:
        return None
    with api.env.adopt_roles(["Manager"]):
        api.content.transition(obj=item, transition=transition)
    return transition


# Extensions -------------------------------------------------------------------------


def _check_extendable(item, service):
    """Raise Invalid when the delay of ``service``'s advice may not be extended at all."""
    record = recorded(item).get(service)
    if record is None:
        raise Invalid(
            _(
                'The advice of "${service}" is not asked on this item.',
                mapping={"service": _service_title(service)},
            )
        )
    if not open_for_advices(item):
        raise Invalid(_("The item no longer awaits advices."))
    if service in given_services(item):
        raise Invalid(_("This advice is given: its delay cannot be extended."))
    if not record.get("days"):
        raise Invalid(_("This advice was asked without a delay: there is none to extend."))
    if record.get("extension_days"):
        raise Invalid(_("The delay of an advice may be extended only once."))
    return record


def check_extension(item, service, days, reason):
    """Raise Invalid when the delay of ``service``'s advice may not be extended so:
    once, by one day or more, with a reason, while the item awaits the advice, not
    given, asked with a delay."""
    _check_extendable(item, service)
    if days is None or days < 1:
        raise Invalid(_("An extension is of one day or more."))
    if not (reason or "").strip():
        raise Invalid(_("Give the reason of the extension."))
    return True


def extendable(item):
    """The records of the advices whose delay the current user may extend now."""
    result = []
    for service, record in recorded(item).items():
        if not may_extend(item, service):
            continue
        try:
            _check_extendable(item, service)
        except Invalid:
            continue
        result.append(record)
    return result


def extend(item, service, days, reason, today=None):
    """Extend the delay of ``service``'s advice by ``days`` (once), for ``reason``.

    :raises zope.interface.Invalid: with the translatable reason of a refusal.
    """
    check_extension(item, service, days, reason)
    asked = recorded(item)
    record = dict(asked[service])
    record.update(
        extension_days=days,
        extension_reason=reason.strip(),
        extended_on=today or date.today(),
        extended_by=api.user.get_current().getId(),
    )
    record["due"] = due_date(record)
    asked[service] = record
    _store(item, asked)
    item.reindexObject(idxs=INDEXES)
    return record


def may_extend(item, service):
    """Whether the current user may extend the delay of ``service``'s advice on ``item``.

    The permission ``EXTEND_ADVICE_DELAY`` on the item says who and when: the item
    workflow grants it, in the states where advices are awaited, to the body's
    meeting managers and to the advisers asked. Of the advisers, only those of
    ``service`` itself extend its advice's delay.
    """
    if api.user.is_anonymous() or not api.user.has_permission(EXTEND_ADVICE_DELAY, obj=item):
        return False
    body = body_of(item)
    if body is not None and api.user.has_permission(ADD_MEETING, obj=body):
        return True
    groups = {group.getId() for group in api.group.get_groups(user=api.user.get_current())}
    return services.group_id(service, "advisers") in groups


def _service_title(service_id):
    found = services.get(service_id)
    return found["title"] if found else service_id


# The clock ----------------------------------------------------------------------------


def check_deadlines(portal=None, today=None):
    """Apply the delays that ran out: the items awaiting advices whose earliest
    due day has passed are reindexed, and those waiting for advices go back to
    "proposed" when nothing mandatory is awaited any more. Return the items moved.

    Idempotent; run it daily (``@@meetings-advice-deadlines``, or the
    ``meetings-advice-deadlines`` console script).
    """
    today = today or date.today()
    catalog = api.portal.get_tool("portal_catalog")
    moved = []
    found = {}
    queries = (
        {"review_state": list(ADVICE_STATES), "advices_due": {"query": today, "range": "max"}},
        {"review_state": WAITING},
    )
    for query in queries:
        for brain in catalog.unrestrictedSearchResults(portal_type="meeting_item", **query):
            found[brain.getPath()] = brain
    for brain in found.values():
        item = brain._unrestrictedGetObject()
        if update_waiting(item, today):
            moved.append(item)
        else:
            item.reindexObject(idxs=INDEXES)
    return moved


# Subscribers ---------------------------------------------------------------------------


def item_transition(item, event):
    """IActionSucceededEvent of an item: proposed, its advices are asked, and it
    waits for them when its body says so."""
    if event.action == "propose":
        ask(item, again=True)
        item.reindexObjectSecurity()  # the advisers asked get their role on the item
        item.reindexObject(idxs=INDEXES)
    if event.action in ("propose", BACK_FROM_WAITING, "backToProposed"):
        update_waiting(item)


def item_modified(item, event):
    """An item edited while it awaits advices: the rules are applied again."""
    if IContainerModifiedEvent.providedBy(event) or not open_for_advices(item):
        return
    before = set(recorded(item))
    ask(item)
    if set(recorded(item)) != before:
        item.reindexObjectSecurity()
    item.reindexObject(idxs=INDEXES)
    update_waiting(item)


def advice_transition(advice, event):
    """IActionSucceededEvent of an advice: who signed it and when; then its item
    may stop waiting (or wait again, for an advice taken back)."""
    if event.action == "signAdvice":
        advice.signed_on = date.today()
        advice.signed_by = api.user.get_current().getId()
    elif event.action == "backToAdviceUnderEdit":
        advice.signed_on = None
        advice.signed_by = None
    item = advice.aq_parent
    item.reindexObject(idxs=INDEXES)
    update_waiting(item)


@provider(IVocabularyFactory)
def conditions_vocabulary(context):
    return SimpleVocabulary(
        [SimpleTerm(key, key, title) for key, (title, _value, _test) in CONDITIONS.items()]
    )


# Upgrade ------------------------------------------------------------------------------


def migrate_1002(context=None):
    """Version 1002: the old ``advice_deadline`` index goes (``advices_due`` replaces
    it), and the advices asked on items that await them are recorded as asked on
    the day the item was proposed, so that their delays and the indexes go on."""
    catalog = api.portal.get_tool("portal_catalog")
    if "advice_deadline" in catalog.indexes():
        catalog.delIndex("advice_deadline")
    if "advice_deadline" in catalog.schema():
        catalog.delColumn("advice_deadline")
    cal = calendar.current()
    brains = catalog.unrestrictedSearchResults(
        portal_type="meeting_item", review_state=list(ADVICE_STATES)
    )
    for brain in brains:
        item = brain._unrestrictedGetObject()
        if recorded(item) or not getattr(item, "advices_asked", None):
            continue
        asked_on = item.proposed_on or date.today()
        asked = {}
        for row in item.advices_asked:
            record = {
                "service": row["service"],
                "days": row.get("deadline_days") or None,
                "working": bool(row.get("working_days")),
                "mandatory": bool(row.get("mandatory")),
                "origin": "hand",
                "asked_on": asked_on,
                "extension_days": 0,
                "extension_reason": "",
            }
            record["due"] = due_date(record, cal)
            asked[row["service"]] = record
        _store(item, asked)
        item.reindexObject(idxs=INDEXES)
