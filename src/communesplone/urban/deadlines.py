"""The legal deadlines of a licence (the "échéancier"), from its events.

Every rule is ONE row of :data:`RULES`: which licence types it applies to,
its stage (completeness, decision, extension, opinion, admissibility: the
stage says which event starts it), its delay in days (and the delay for files
deposited from 1 April 2024, the CoDT reform), whether the law counts
calendar days or working days, whether an end on a closing day moves to the
next working day, the events that meet it, what a suspension of the file
does to it (nothing, a pause, or a count started again on resumption), and
its legal source with what is not verified. docs/urban.rst ("Deadlines")
explains each row; the tests run one case per row (tests/test_deadlines.py).

Two layers:

- pure functions over *facts* (:class:`Fact`: an event type id, its kind and
  date, and for an opinion request its sent and received dates and delay)
  and the file's suspension periods: :func:`compute` returns the
  :class:`Deadline` of every rule that applies;
- the Plone side: :func:`facts_of` reads a licence's events,
  :func:`suspensions_of` its workflow history (``suspend`` / ``resume``),
  :func:`deadlines_of` / :func:`next_deadline` use the licence type's own
  delays (its "Deadlines" tab: rows of rule id and days), the indexers give
  ``constants.INDEX_DEADLINE`` (the next open deadline) and
  ``constants.INDEX_DEADLINE_RULE`` (its rule) of licences and opinion
  requests, and :func:`reindex` is called on every event change.

Delays are counted with core's calendar (``communesplone.core.calendar``):
the day of the starting event is not counted, the last day is.
"""

from Acquisition import aq_base
from Acquisition import aq_inner
from Acquisition import aq_parent
from communesplone import _
from communesplone.core import calendar as core_calendar
from communesplone.urban import constants
from communesplone.urban.content.event import IOpinionRequest
from communesplone.urban.content.licence import ILicence
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from datetime import date
from datetime import datetime
from plone.indexer import indexer
from zope.container.interfaces import IContainerModifiedEvent


# The CoDT reform: files deposited from this day get the new delays.
CODT_2024 = date(2024, 4, 1)

# Rule ids: also the ``rule`` of a licence type's delays rows.
COMPLETENESS = "completeness"
DECISION_30 = "decision_30"
DECISION_75 = "decision_75"
DECISION_115 = "decision_115"
EXTENSION = "extension"
OPINION = "opinion"
DECLARATION_3 = "declaration_class_3"
ENV_COMPLETENESS = "env_completeness"
ENV_DECISION_1 = "env_decision_class_1"
ENV_DECISION_2 = "env_decision_class_2"
SINGLE_DECISION = "single_permit_decision"
ENV_EXTENSION = "env_extension"

# Stages: which event starts a rule's count, and which rule of a stage applies
STAGE_COMPLETENESS = "completeness"  # from the (latest) receipt
STAGE_DECISION = "decision"  # from the acknowledgement, else the completeness deadline
STAGE_EXTENSION = "extension"  # the decision's deadline, extended by an extension event
STAGE_OPINION = "opinion"  # each opinion request, from its sending
STAGE_ADMISSIBILITY = "admissibility"  # from the deposit (class-3 declaration)

# What a suspension of the file (the permit workflow's suspend ... resume) does
PAUSE = "pause"  # the count stops while suspended: the days suspended are added
RESTART = "restart"  # the count stops, and starts again in full from the resumption

CODT_PERMITS = (
    constants.BUILDING_PERMIT,
    constants.URBANISATION_PERMIT,
    constants.PLANNING_CERTIFICATE_2,
)
ENV_PERMITS = (
    constants.ENVIRONMENTAL_PERMIT_1,
    constants.ENVIRONMENTAL_PERMIT_2,
    constants.SINGLE_PERMIT,
)
DECISION_EVENTS = (constants.COLLEGE_DECISION,)
# The licence workflows' transitions that count as facts (workflow_spec.py): the
# state menu's "Declare complete / incomplete" meets the completeness check as the
# "File complete / incomplete" events do; a file closed (granted, refused,
# delivered, withdrawn, abandoned) has no deadline of its own left.
DECLARE_COMPLETE = "declare_complete"
DECLARE_INCOMPLETE = "declare_incomplete"
CLOSING = ("accept", "refuse", "deliver", "retire", "abandon")
WORKFLOW_FACTS = (DECLARE_COMPLETE, DECLARE_INCOMPLETE, *CLOSING)
FILING_CHECKS = (constants.COMPLETE, constants.INCOMPLETE, DECLARE_COMPLETE, DECLARE_INCOMPLETE)


@dataclass(frozen=True)
class Fact:
    """One event of a licence, as the rules see it."""

    event_type: str  # id of its urban_event_type
    date: date | None  # its event_date
    kind: str = ""  # its event type's kind (constants.KIND_TYPES keys)
    sent: date | None = None  # opinion request: sent on
    received: date | None = None  # opinion request: received on
    delay: int | None = None  # opinion request: the body's delay, in days
    key: str = ""  # opinion request: its id (one deadline each)


@dataclass(frozen=True)
class Rule:
    """One legal deadline rule (a row of :data:`RULES`)."""

    id: str
    title: str  # msgid
    applies_to: tuple  # licence type ids; () for every type (opinion requests)
    stage: str  # STAGE_*: what starts it
    days: int
    days_2024: int | None = None  # for files deposited from CODT_2024
    working: bool = False  # the law counts working days (closing days skipped)
    roll: bool = True  # an end on a closing day moves to the next working day
    source: str = ""
    unverified: str = ""
    done_by: tuple = field(default_factory=tuple)  # event types that meet it
    suspension: str = ""  # PAUSE, RESTART, or "" (a suspension does not stop it)


# The suspension of a CoDT permit (the permit workflow's suspend ... resume)
CODT_SUSPENSION = (
    "Suspension: the count stops while the file is suspended and starts again in full "
    "from its resumption, as Products.urban's suspension loop sends a resumed file back "
    "to its deposit (suspension -> resume -> deposit)."
)
CODT_SUSPENSION_UNVERIFIED = (
    "The effect of a suspension follows Products.urban's workflow, not the CoDT's text."
)
ENV_SOURCE = (
    "Décret du 11 mars 1999 relatif au permis d'environnement: environnement-entreprise.be "
    "gives the time to obtain a permit as 160 to 190 days for class 1 and 110 to 140 days "
    "for class 2 (embuild Wallonie: at most 110 days for class 2 or a single permit); "
    "Products.urban adds 30 days to an environmental permit's delays when they are extended "
    "(EnvironmentBase.getProrogationDelays)."
)
ENV_UNVERIFIED = (
    "The split into 20 days of completeness check, then 140 (class 1) or 90 (class 2) days "
    "from the acknowledgement, plus a 30-day extension, is worked out from those totals "
    "(20 + 140 = 160, + 30 = 190; 20 + 90 = 110, + 30 = 140), not read in the decree's "
    "articles; embuild speaks of working days where the other source gives days."
)
ENV_SUSPENSION = (
    "Suspension: the count stops while the file is suspended (the days suspended are "
    "added), as Products.urban's suspension periods extend its delays (UrbanBaseDelay)."
)


RULES = (
    Rule(
        id=COMPLETENESS,
        title=_("Completeness check"),
        applies_to=CODT_PERMITS,
        stage=STAGE_COMPLETENESS,
        days=20,
        days_2024=30,
        done_by=FILING_CHECKS + DECISION_EVENTS,
        source="CoDT art. D.IV.33: the file is complete, or the missing pieces "
        "listed, within 20 days of its receipt, else deemed complete.",
        unverified="The 20 days come from the Ordre des Architectes' account of the "
        "draft decree; the 30 days for deposits from 1 April 2024 from IMIO's "
        "Products.urban (getCompletenessDelay), not from the decree's text.",
    ),
    Rule(
        id=DECISION_30,
        title=_("Decision (30 days)"),
        applies_to=CODT_PERMITS,
        stage=STAGE_DECISION,
        days=30,
        done_by=DECISION_EVENTS,
        suspension=RESTART,
        source="CoDT art. D.IV.46, 1°: 30 days from the acknowledgement of receipt "
        "when no special publicity, no D.IV.35 opinion and no FD opinion are required. "
        + CODT_SUSPENSION,
        unverified=CODT_SUSPENSION_UNVERIFIED,
    ),
    Rule(
        id=DECISION_75,
        title=_("Decision (75 days)"),
        applies_to=CODT_PERMITS,
        stage=STAGE_DECISION,
        days=75,
        done_by=DECISION_EVENTS,
        suspension=RESTART,
        source="CoDT art. D.IV.46, 2°: 75 days when special publicity (inquiry, "
        "announcement) or D.IV.35 opinions are required, or the FD's opinion alone. "
        + CODT_SUSPENSION,
        unverified="Case (c) of 2° is truncated in the quoted text; the FD-alone "
        "case follows Products.urban. " + CODT_SUSPENSION_UNVERIFIED,
    ),
    Rule(
        id=DECISION_115,
        title=_("Decision (115 days)"),
        applies_to=CODT_PERMITS,
        stage=STAGE_DECISION,
        days=115,
        done_by=DECISION_EVENTS,
        suspension=RESTART,
        source="CoDT art. D.IV.46, 3°: 115 days in the remaining case: publicity "
        "or opinions, and the FD's opinion. " + CODT_SUSPENSION,
        unverified="The exact condition is Products.urban's "
        "(CODT_BaseBuildLicence._getProcedureDelays), not checked against the text. "
        + CODT_SUSPENSION_UNVERIFIED,
    ),
    Rule(
        id=EXTENSION,
        title=_("Extension of the decision deadline"),
        applies_to=CODT_PERMITS,
        stage=STAGE_EXTENSION,
        days=30,
        days_2024=20,
        done_by=DECISION_EVENTS,
        suspension=RESTART,
        source="CoDT art. D.IV.46: the college may extend its deadline once by "
        "30 days, sent within the initial period (an 'extension' event). " + CODT_SUSPENSION,
        unverified="20 days for deposits from 1 April 2024 comes from Products.urban "
        "(getProrogationDelay), not from the decree's text. " + CODT_SUSPENSION_UNVERIFIED,
    ),
    Rule(
        id=OPINION,
        title=_("Opinion due"),
        applies_to=(),
        stage=STAGE_OPINION,
        days=30,
        source="CoDT art. D.IV.37: a body consulted answers within its delay "
        "(30 days unless set otherwise), counted from the request's sending; the "
        "request is overdue after it. The delay is the request's own, else its "
        "event type's, else this one.",
        unverified="The default of 30 days is not checked against the decree's text.",
    ),
    Rule(
        id=DECLARATION_3,
        title=_("Admissibility of the declaration"),
        applies_to=(constants.ENVIRONMENTAL_DECLARATION_3,),
        stage=STAGE_ADMISSIBILITY,
        days=15,
        done_by=FILING_CHECKS + DECISION_EVENTS,
        source="Décret du 11 mars 1999 relatif au permis d'environnement, class-3 "
        "declaration: admissibility is notified within 15 days of the deposit "
        "(inadmissibility within 8 days, with its reasons).",
        unverified="From environnement-entreprise.be's summary, not from the decree's text.",
    ),
    Rule(
        id=ENV_COMPLETENESS,
        title=_("Completeness check"),
        applies_to=ENV_PERMITS,
        stage=STAGE_COMPLETENESS,
        days=20,
        done_by=FILING_CHECKS + DECISION_EVENTS,
        source=ENV_SOURCE + " The file's completeness is checked within 20 days of its receipt.",
        unverified=ENV_UNVERIFIED,
    ),
    Rule(
        id=ENV_DECISION_1,
        title=_("Decision (class 1, 140 days)"),
        applies_to=(constants.ENVIRONMENTAL_PERMIT_1,),
        stage=STAGE_DECISION,
        days=140,
        done_by=DECISION_EVENTS,
        suspension=PAUSE,
        source=ENV_SOURCE + " Class 1: 140 days from the acknowledgement. " + ENV_SUSPENSION,
        unverified=ENV_UNVERIFIED,
    ),
    Rule(
        id=ENV_DECISION_2,
        title=_("Decision (class 2, 90 days)"),
        applies_to=(constants.ENVIRONMENTAL_PERMIT_2,),
        stage=STAGE_DECISION,
        days=90,
        done_by=DECISION_EVENTS,
        suspension=PAUSE,
        source=ENV_SOURCE + " Class 2: 90 days from the acknowledgement. " + ENV_SUSPENSION,
        unverified=ENV_UNVERIFIED,
    ),
    Rule(
        id=SINGLE_DECISION,
        title=_("Decision (single permit, 90 days)"),
        applies_to=(constants.SINGLE_PERMIT,),
        stage=STAGE_DECISION,
        days=90,
        done_by=DECISION_EVENTS,
        suspension=PAUSE,
        source=ENV_SOURCE + " A single permit is counted as class 2 (embuild: a single permit "
        "within the class-2 time). " + ENV_SUSPENSION,
        unverified=ENV_UNVERIFIED + " A file does not record its class: a commune whose single "
        "permits are of class 1 sets 140 days on the licence type's Deadlines tab.",
    ),
    Rule(
        id=ENV_EXTENSION,
        title=_("Extension of the decision deadline"),
        applies_to=ENV_PERMITS,
        stage=STAGE_EXTENSION,
        days=30,
        done_by=DECISION_EVENTS,
        suspension=PAUSE,
        source=ENV_SOURCE + " The extension adds 30 days. " + ENV_SUSPENSION,
        unverified=ENV_UNVERIFIED,
    ),
)
BY_ID = {rule.id: rule for rule in RULES}


@dataclass(frozen=True)
class Deadline:
    """A deadline of a licence (or of one of its opinion requests)."""

    rule: str
    start: date
    due: date
    done: date | None = None  # the date of the event that met it
    key: str = ""  # the opinion request's id, for rule OPINION
    paused: date | None = None  # suspended since (the count stopped; ``due`` as it stood)

    @property
    def open(self):
        """Still running: neither met nor paused by a suspension of the file."""
        return self.done is None and self.paused is None

    def overdue(self, today):
        return self.open and self.due < today

    @property
    def title(self):
        return BY_ID[self.rule].title


def _as_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _dated(facts, types):
    return sorted(f.date for f in facts if f.event_type in types and f.date is not None)


def _first(facts, types, after=None):
    dates = [d for d in _dated(facts, types) if after is None or d >= after]
    return dates[0] if dates else None


def _last(facts, types):
    dates = _dated(facts, types)
    return dates[-1] if dates else None


def deposit_date(facts):
    """The first deposit's date (the CoDT 2024 switch), else the first receipt's."""
    return _first(facts, (constants.DEPOSIT,)) or _first(facts, (constants.RECEIPT,))


def is_codt_2024(facts, today=None):
    """Deposited on or after 1 April 2024 (undeposited: whether today is)."""
    deposited = deposit_date(facts)
    return (deposited or today or date.today()) >= CODT_2024


def decision_rule(facts):
    """The D.IV.46 period that applies: 30, 75 or 115 days (a rule id)."""
    publicity = any(f.kind == "inquiry" for f in facts)
    opinions = any(
        f.kind == "opinion_request" and f.event_type != constants.OPINION_FD for f in facts
    )
    fd = any(f.event_type == constants.OPINION_FD for f in facts)
    if (publicity or opinions) and fd:
        return DECISION_115
    if publicity or opinions or fd:
        return DECISION_75
    return DECISION_30


def rule_for(licence_type, stage, facts=()):
    """The rule of ``stage`` that applies to a file of ``licence_type``, or None.

    Where several rules of a stage apply to a type (the CoDT's 30, 75 and 115
    days), the facts choose among them (:func:`decision_rule`)."""
    found = [r for r in RULES if r.stage == stage and licence_type in r.applies_to]
    if len(found) > 1:
        chosen = decision_rule(facts)
        found = [r for r in found if r.id == chosen]
    return found[0] if found else None


class Counter:
    """Days of each rule (the law's, or the licence type's own) and the calendar."""

    def __init__(self, calendar, delays=None, codt_2024=True):
        self.calendar = calendar
        self.delays = delays or {}
        self.codt_2024 = codt_2024

    def days(self, rule):
        if rule.id in self.delays and self.delays[rule.id] is not None:
            return self.delays[rule.id]
        if self.codt_2024 and rule.days_2024 is not None:
            return rule.days_2024
        return rule.days

    def end(self, rule, start, days=None):
        days = self.days(rule) if days is None else days
        due = self.calendar.add_days(start, days, working=rule.working)
        return self.calendar.next_working_day(due) if rule.roll else due


def suspended(rule, start, days, suspensions, counter):
    """``(start, due, paused)`` of a count of ``days`` from ``start`` under ``rule``,
    through the file's ``suspensions`` (``(suspended on, resumed on or None)``).

    Only a suspension that begins after the count started and no later than its
    running due date stops it (a deadline already passed is not revived). While
    suspended the deadline is paused (``paused``: since when; ``due`` as it stood).
    Resumed: with :data:`PAUSE` the days suspended are added; with :data:`RESTART`
    the whole delay is counted again from the resumption."""
    due = counter.end(rule, start, days)
    if not rule.suspension:
        return start, due, None
    added = 0
    for begun, resumed in sorted(suspensions, key=lambda period: period[0]):
        if begun is None or begun < start or begun > due:
            continue
        if resumed is None or resumed < begun:
            return start, due, begun
        if rule.suspension == RESTART:
            start, added = resumed, 0
        else:
            added += (resumed - begun).days
        due = counter.end(rule, start, days + added)
    return start, due, None


def compute(licence_type, facts, calendar, delays=None, today=None, suspensions=()):
    """Every deadline of a licence of ``licence_type`` with these ``facts``.

    :param licence_type: the id of the licence's ``urban_licence_type``.
    :param facts: its events, as :class:`Fact` rows (any order).
    :param calendar: a :class:`communesplone.core.calendar.Calendar`.
    :param delays: {rule id: days} that replace the law's (the licence type's).
    :param today: for an undeposited file, which delays apply (default today).
    :param suspensions: the file's suspension periods, ``(suspended on, resumed
        on)`` dates (``None``: still suspended), see :func:`suspended`.
    :returns: a list of :class:`Deadline`, by due date.
    """
    facts = [f for f in facts if f.date is not None or f.sent is not None]
    counter = Counter(calendar, delays, is_codt_2024(facts, today))
    found = []

    def done(rule, start):
        return _first(facts, rule.done_by, after=start)

    completeness = None
    rule = rule_for(licence_type, STAGE_COMPLETENESS)
    if rule is not None:
        # A new receipt (after missing parts) starts the check again.
        start = _last(facts, (constants.RECEIPT,)) or _last(facts, (constants.DEPOSIT,))
        if start is not None:
            completeness = Deadline(rule.id, start, counter.end(rule, start), done(rule, start))
            found.append(completeness)

    rule = rule_for(licence_type, STAGE_DECISION, facts)
    if rule is not None:
        # D.IV.46 (and the environmental permits alike): from the acknowledgement of
        # receipt, or failing it, from the day after the end of the completeness check.
        start = _last(facts, (constants.ACKNOWLEDGEMENT,))
        if start is None and completeness is not None and completeness.done is None:
            start = completeness.due
        if start is not None:
            days = counter.days(rule)
            extension = rule_for(licence_type, STAGE_EXTENSION)
            if extension is not None and _first(facts, (constants.EXTENSION,), after=start):
                days += counter.days(extension)
                rule = extension
            begun, due, paused = suspended(rule, start, days, suspensions, counter)
            found.append(Deadline(rule.id, begun, due, done(rule, start), paused=paused))

    rule = rule_for(licence_type, STAGE_ADMISSIBILITY)
    if rule is not None:
        start = _first(facts, (constants.DEPOSIT, constants.RECEIPT))
        if start is not None:
            found.append(Deadline(rule.id, start, counter.end(rule, start), done(rule, start)))

    closed = _first(facts, CLOSING)
    if closed is not None:  # the file is closed: what was still due is over
        found = [d if d.done else replace(d, done=max(closed, d.start), paused=None) for d in found]

    rule = BY_ID[OPINION]
    for fact in facts:
        if fact.kind == "opinion_request" and fact.sent is not None:
            days = fact.delay if fact.delay is not None else counter.days(rule)
            due = counter.end(rule, fact.sent, days)
            found.append(Deadline(rule.id, fact.sent, due, fact.received, key=fact.key))
    return sorted(found, key=lambda d: (d.due, d.rule))


def next_open(deadlines, opinions=True):
    """The first open deadline, or None (``opinions``: counting the opinion requests')."""
    for deadline in deadlines:
        if deadline.open and (opinions or deadline.rule != OPINION):
            return deadline
    return None


# The Plone side ------------------------------------------------------------


def _licence_of(obj):
    while obj is not None:
        if getattr(aq_base(obj), "portal_type", None) in constants.LICENCES:
            return obj
        obj = aq_parent(aq_inner(obj)) if hasattr(obj, "aq_parent") else None
    return None


def fact_of(event):
    """The :class:`Fact` of an event object."""
    from communesplone.urban.desk import get_event_type

    type_id = getattr(event, "event_type", None) or ""
    event_type = get_event_type(type_id)
    kind = getattr(event_type, "kind", "") or ""
    if not kind and event.portal_type == constants.OPINION_REQUEST:
        kind = "opinion_request"
    delay = getattr(aq_base(event), "delay", None)
    if delay is None:
        delay = getattr(event_type, "delay", None)
    return Fact(
        event_type=type_id,
        date=_as_date(getattr(event, "event_date", None)),
        kind=kind,
        sent=_as_date(getattr(aq_base(event), "sent_date", None)),
        received=_as_date(getattr(aq_base(event), "received_date", None)),
        delay=delay if kind == "opinion_request" else None,
        key=event.getId(),
    )


def facts_of(licence):
    """The facts of a licence's events."""
    return [fact_of(obj) for obj in licence.objectValues() if obj.portal_type in constants.EVENTS]


def _history(licence):
    """(action, day) of the licence's workflow history, oldest first."""
    history = getattr(aq_base(licence), "workflow_history", None) or {}
    for entries in history.values():
        for entry in entries:
            when = entry.get("time")
            day = when.asdatetime().date() if hasattr(when, "asdatetime") else _as_date(when)
            yield entry.get("action"), day


def transitions_of(licence):
    """The licence's transitions that count as facts (:data:`WORKFLOW_FACTS`), from its
    workflow history: :class:`Fact` rows of kind ``transition``."""
    return [
        Fact(event_type=action, date=day, kind="transition")
        for action, day in _history(licence)
        if action in WORKFLOW_FACTS and day is not None
    ]


def suspensions_of(licence):
    """The licence's suspension periods, from its workflow history: ``[(suspended on,
    resumed on or None)]`` (the permit workflow's ``suspend`` and ``resume``)."""
    periods = []
    for action, day in _history(licence):
        if action == constants.SUSPEND:
            periods.append([day, None])
        elif action == constants.RESUME and periods and periods[-1][1] is None:
            periods[-1][1] = day
    return [tuple(period) for period in periods]


def delays_of(licence):
    """{rule id: days} that the licence's type sets (its "Deadlines" tab)."""
    from communesplone.urban.desk import get_licence_type

    licence_type = get_licence_type(getattr(licence, "licence_type", None))
    rows = getattr(licence_type, "delays", None) or ()
    return {row["rule"]: row["days"] for row in rows if row.get("rule") in BY_ID}


def deadlines_of(licence, calendar=None):
    """Every deadline of ``licence``, by due date (see :func:`compute`)."""
    return compute(
        getattr(licence, "licence_type", None),
        facts_of(licence) + transitions_of(licence),
        calendar or core_calendar.current(),
        delays=delays_of(licence),
        suspensions=suspensions_of(licence),
    )


def next_deadline(obj, calendar=None):
    """The next open deadline of a licence (its own rules), or of an opinion request."""
    licence = _licence_of(obj)
    if licence is None:
        return None
    deadlines = deadlines_of(licence, calendar)
    if aq_base(obj) is aq_base(licence):
        return next_open(deadlines, opinions=False)
    for deadline in deadlines:
        if deadline.rule == OPINION and deadline.key == obj.getId():
            return deadline if deadline.open else None
    return None


def _index(obj, name, attribute):
    deadline = next_deadline(obj)
    if deadline is None:
        raise AttributeError(name)
    return getattr(deadline, attribute)


@indexer(ILicence)
def licence_deadline(obj):
    """The due date of the licence's next open deadline (its own rules)."""
    return _index(obj, constants.INDEX_DEADLINE, "due")


@indexer(ILicence)
def licence_deadline_rule(obj):
    return _index(obj, constants.INDEX_DEADLINE_RULE, "rule")


@indexer(IOpinionRequest)
def opinion_deadline(obj):
    """The due date of an opinion request that was sent and is not yet received."""
    return _index(obj, constants.INDEX_DEADLINE, "due")


@indexer(IOpinionRequest)
def opinion_deadline_rule(obj):
    return _index(obj, constants.INDEX_DEADLINE_RULE, "rule")


@indexer(IOpinionRequest)
def opinion_folder_managers(obj):
    licence = _licence_of(obj)
    return tuple(getattr(licence, "folder_managers", None) or ())


@indexer(IOpinionRequest)
def opinion_licence_reference(obj):
    licence = _licence_of(obj)
    reference = getattr(licence, "reference", None)
    if not reference:
        raise AttributeError(constants.INDEX_REFERENCE)
    return reference


DEADLINE_INDEXES = [constants.INDEX_DEADLINE, constants.INDEX_DEADLINE_RULE]
OPINION_INDEXES = [
    *DEADLINE_INDEXES,
    constants.INDEX_FOLDER_MANAGERS,
    constants.INDEX_REFERENCE,
]


def reindex(licence):
    """Refresh the deadline indexes (and metadata) of a licence and its opinion requests."""
    licence.reindexObject(idxs=DEADLINE_INDEXES)
    for obj in licence.objectValues():
        if obj.portal_type == constants.OPINION_REQUEST:
            obj.reindexObject(idxs=OPINION_INDEXES)


def on_event_changed(event, zope_event):
    """An event was added, modified or transitioned: its licence's deadlines
    may have moved. (Events dispatched from a licence's own copy or move to
    its events are skipped: the licence is indexed whole then.)"""
    if getattr(zope_event, "object", event) is not event:
        return
    licence = _licence_of(aq_parent(aq_inner(event)))
    if licence is not None:
        reindex(licence)


def on_licence_modified(licence, zope_event):
    """A licence was edited: its opinion requests carry its folder managers
    and reference (the licence itself is reindexed whole by Plone)."""
    if IContainerModifiedEvent.providedBy(zope_event):
        return  # an event added or removed: on_event_changed / on_removed
    for obj in licence.objectValues():
        if obj.portal_type == constants.OPINION_REQUEST:
            obj.reindexObject(idxs=OPINION_INDEXES)


def on_licence_transition(licence, zope_event):
    """A licence was suspended or resumed (its decision deadline stops or runs again),
    declared complete or incomplete (the completeness check is met), or closed (its
    deadlines are over)."""
    action = getattr(zope_event, "action", None)
    if action in (constants.SUSPEND, constants.RESUME, *WORKFLOW_FACTS):
        reindex(licence)


def on_removed(event, zope_event):
    """An event was removed from its licence (not with it)."""
    if zope_event.object is not event:
        return
    licence = _licence_of(zope_event.oldParent)
    if licence is not None:
        reindex(licence)


def on_calendar_changed(zope_event):
    """The closing days changed: the open deadlines may have moved.

    A licence without an open deadline keeps none (closing days move a due
    date, they never open or meet a deadline): only the licences that have
    one, or whose opinion requests have one, are reindexed."""
    name = zope_event.record.__name__
    if name not in (core_calendar.CLOSING_DAYS_RECORD, core_calendar.PUBLIC_HOLIDAYS_RECORD):
        return
    from plone import api

    try:
        catalog = api.portal.get_tool("portal_catalog")
    except api.exc.CannotGetPortalError:
        return
    paths = set()
    query = {constants.INDEX_DEADLINE: {"query": date(1900, 1, 1), "range": "min"}}
    for brain in catalog.unrestrictedSearchResults(portal_type=constants.LICENCES, **query):
        paths.add(brain.getPath())
    for brain in catalog.unrestrictedSearchResults(portal_type=constants.OPINION_REQUEST, **query):
        paths.add(brain.getPath().rsplit("/", 1)[0])
    for path in sorted(paths):
        licence = catalog.unrestrictedTraverse(path, None)
        if licence is not None:
            reindex(licence)
