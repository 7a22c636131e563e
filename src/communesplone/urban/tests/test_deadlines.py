"""The legal deadlines (urban/deadlines.py): one case per rule of the table,
the 1 April 2024 boundary, and closing days.

Pure functions over facts: no site needed. Expected dates are worked out by
hand in each case's comment (the start day is not counted).
"""

from communesplone.core.calendar import Calendar
from communesplone.urban import deadlines
from communesplone.urban.deadlines import Fact
from datetime import date

import dataclasses
import pytest


D = date
PU = "building_permit"
DE3 = "environmental_declaration_3"
PE1 = "environmental_permit_1"
PE2 = "environmental_permit_2"
PUN = "single_permit"
CAL = Calendar(public_holidays=True)


def ev(event_type, day, kind="filing", **kw):
    return Fact(event_type=event_type, date=day, kind=kind, **kw)


def opinion(event_type, sent, delay=None, received=None, key="o1"):
    return Fact(
        event_type=event_type,
        date=sent,
        kind="opinion_request",
        sent=sent,
        delay=delay,
        received=received,
        key=key,
    )


FILED_2023 = [ev("deposit", D(2023, 3, 1)), ev("receipt", D(2023, 3, 7))]
ACK_2023 = [*FILED_2023, ev("acknowledgement", D(2023, 3, 10))]

CASES = {
    # receipt Tue 7/3/2023 + 20 = Mon 27/3
    "completeness, 20 days": (PU, FILED_2023, "completeness", D(2023, 3, 27), None),
    # deposited 31/3/2024, the day before the reform: still 20 days (2/4 + 20 = Mon 22/4)
    "completeness, deposit on 31 March 2024": (
        PU,
        [ev("deposit", D(2024, 3, 31)), ev("receipt", D(2024, 4, 2))],
        "completeness",
        D(2024, 4, 22),
        None,
    ),
    # deposited 1/4/2024: 30 days (2/4 + 30 = Thu 2/5)
    "completeness, deposit on 1 April 2024": (
        PU,
        [ev("deposit", D(2024, 4, 1)), ev("receipt", D(2024, 4, 2))],
        "completeness",
        D(2024, 5, 2),
        None,
    ),
    # receipt Tue 1/7/2025 + 20 = Mon 21/7, the national day: Tue 22/7
    "completeness, ends on a legal holiday": (
        PU,
        [ev("deposit", D(2023, 6, 30)), ev("receipt", D(2025, 7, 1))],
        "completeness",
        D(2025, 7, 22),
        None,
    ),
    "completeness, met by the complete event": (
        PU,
        [*FILED_2023, ev("complete", D(2023, 3, 20))],
        "completeness",
        D(2023, 3, 27),
        D(2023, 3, 20),
    ),
    # ack Fri 10/3/2023 + 30 = Sun 9/4 (Easter), Mon 10/4 (Easter Monday): Tue 11/4
    "decision, 30 days": (PU, ACK_2023, "decision_30", D(2023, 4, 11), None),
    # + 75 = Wed 24/5
    "decision, 75 days with an opinion": (
        PU,
        [*ACK_2023, opinion("opinion_spw_mobility", D(2023, 3, 13))],
        "decision_75",
        D(2023, 5, 24),
        None,
    ),
    "decision, 75 days with an inquiry": (
        PU,
        [*ACK_2023, ev("inquiry", D(2023, 3, 15), kind="inquiry")],
        "decision_75",
        D(2023, 5, 24),
        None,
    ),
    "decision, 75 days with the FD alone": (
        PU,
        [*ACK_2023, opinion("opinion_fd", D(2023, 3, 13))],
        "decision_75",
        D(2023, 5, 24),
        None,
    ),
    # + 115 = Mon 3/7
    "decision, 115 days with opinions and the FD": (
        PU,
        [
            *ACK_2023,
            opinion("opinion_spw_mobility", D(2023, 3, 13)),
            opinion("opinion_fd", D(2023, 3, 13), key="o2"),
        ],
        "decision_115",
        D(2023, 7, 3),
        None,
    ),
    # no acknowledgement: from the end of the completeness check, 27/3 + 30 = Wed 26/4
    "decision, from the completeness deadline without acknowledgement": (
        PU,
        FILED_2023,
        "decision_30",
        D(2023, 4, 26),
        None,
    ),
    "decision, met by the college's decision": (
        PU,
        [*ACK_2023, ev("college_decision", D(2023, 4, 3), kind="decision")],
        "decision_30",
        D(2023, 4, 11),
        D(2023, 4, 3),
    ),
    # + 30 + 30 = Tue 9/5
    "extension, 30 days before the reform": (
        PU,
        [*ACK_2023, ev("extension", D(2023, 4, 1))],
        "extension",
        D(2023, 5, 9),
        None,
    ),
    # deposit 2/5/2024, ack Fri 10/5 + 30 + 20 = Sat 29/6: Mon 1/7
    "extension, 20 days from the reform": (
        PU,
        [
            ev("deposit", D(2024, 5, 2)),
            ev("receipt", D(2024, 5, 3)),
            ev("acknowledgement", D(2024, 5, 10)),
            ev("extension", D(2024, 6, 1)),
        ],
        "extension",
        D(2024, 7, 1),
        None,
    ),
    # sent Fri 10/3/2023, its own 15 days = Sat 25/3: Mon 27/3
    "opinion, its own delay": (
        PU,
        [*ACK_2023, opinion("opinion_fire", D(2023, 3, 10), delay=15)],
        "opinion",
        D(2023, 3, 27),
        None,
    ),
    # no delay set: 30 days = Sun 9/4 (Easter) -> Tue 11/4; received 1/4
    "opinion, the default delay, received": (
        PU,
        [*ACK_2023, opinion("opinion_fire", D(2023, 3, 10), received=D(2023, 4, 1))],
        "opinion",
        D(2023, 4, 11),
        D(2023, 4, 1),
    ),
    # deposit Thu 1/6/2023 + 15 = Fri 16/6
    "class-3 declaration, 15 days": (
        DE3,
        [ev("deposit", D(2023, 6, 1))],
        "declaration_class_3",
        D(2023, 6, 16),
        None,
    ),
    # the state menu's "Declare complete" meets it as the "File complete" event does
    "completeness, met by the declare_complete transition": (
        PU,
        [*FILED_2023, ev("declare_complete", D(2023, 3, 21), kind="transition")],
        "completeness",
        D(2023, 3, 27),
        D(2023, 3, 21),
    ),
    # the environmental permits (décret du 11 mars 1999): receipt Tue 7/3/2023 + 20 = Mon 27/3
    "environmental permit, completeness, 20 days": (
        PE1,
        FILED_2023,
        "env_completeness",
        D(2023, 3, 27),
        None,
    ),
    # ack Fri 10/3/2023 + 140: 21 (March) + 30 + 31 + 30 + 28 = Fri 28/7
    "environmental permit class 1, decision, 140 days": (
        PE1,
        ACK_2023,
        "env_decision_class_1",
        D(2023, 7, 28),
        None,
    ),
    # ack Fri 10/3/2023 + 90: 21 + 30 + 31 + 8 = Thu 8/6
    "environmental permit class 2, decision, 90 days": (
        PE2,
        ACK_2023,
        "env_decision_class_2",
        D(2023, 6, 8),
        None,
    ),
    "single permit, decision, 90 days, met by the college's decision": (
        PUN,
        [*ACK_2023, ev("college_decision", D(2023, 5, 30), kind="decision")],
        "single_permit_decision",
        D(2023, 6, 8),
        D(2023, 5, 30),
    ),
    # + 90 + 30 = Sat 8/7: Mon 10/7
    "environmental permit, extension, 30 days": (
        PE2,
        [*ACK_2023, ev("extension", D(2023, 4, 1))],
        "env_extension",
        D(2023, 7, 10),
        None,
    ),
}

# The file suspended (the permit workflow's suspend ... resume): (suspended, resumed)
SUSPENDED = [(D(2023, 3, 20), D(2023, 4, 3))]
SUSPENSION_CASES = {
    # CoDT: the count starts again in full from the resumption: 3/4 + 30 = Wed 3/5
    "CoDT decision, counted again from the resumption": (
        PU,
        ACK_2023,
        SUSPENDED,
        "decision_30",
        D(2023, 5, 3),
        None,
    ),
    # environmental permit: the 14 days suspended are added: 8/6 + 14 = Thu 22/6
    "environmental decision, paused while suspended": (
        PE2,
        ACK_2023,
        SUSPENDED,
        "env_decision_class_2",
        D(2023, 6, 22),
        None,
    ),
    # still suspended since 20/3: paused, its due date as it stood (ack + 30 = 11/4)
    "CoDT decision, still suspended": (
        PU,
        ACK_2023,
        [(D(2023, 3, 20), None)],
        "decision_30",
        D(2023, 4, 11),
        D(2023, 3, 20),
    ),
    # suspended after the deadline had passed (11/4): nothing changes
    "CoDT decision, suspended after its deadline": (
        PU,
        ACK_2023,
        [(D(2023, 4, 20), D(2023, 5, 1))],
        "decision_30",
        D(2023, 4, 11),
        None,
    ),
    # the completeness check and the opinions run on through a suspension
    "opinion, not stopped by a suspension": (
        PU,
        [*ACK_2023, opinion("opinion_fire", D(2023, 3, 10), delay=15)],
        SUSPENDED,
        "opinion",
        D(2023, 3, 27),
        None,
    ),
}


def find(found, rule):
    matching = [d for d in found if d.rule == rule]
    assert len(matching) == 1, found
    return matching[0]


@pytest.mark.parametrize("case", CASES)
def test_rule(case):
    licence_type, facts, rule, due, done = CASES[case]
    deadline = find(deadlines.compute(licence_type, facts, CAL), rule)
    assert (deadline.due, deadline.done) == (due, done)


@pytest.mark.parametrize("case", SUSPENSION_CASES)
def test_suspension(case):
    licence_type, facts, suspensions, rule, due, paused = SUSPENSION_CASES[case]
    deadline = find(deadlines.compute(licence_type, facts, CAL, suspensions=suspensions), rule)
    assert (deadline.due, deadline.paused) == (due, paused)
    assert deadline.open is (paused is None)
    assert not deadline.overdue(D(2030, 1, 1)) or paused is None


def test_every_rule_says_what_a_suspension_does():
    for rule in deadlines.RULES:
        assert rule.suspension in ("", deadlines.PAUSE, deadlines.RESTART), rule.id
        if rule.stage in (deadlines.STAGE_DECISION, deadlines.STAGE_EXTENSION):
            assert rule.suspension and "Suspension" in rule.source, rule.id


def test_every_rule_has_a_case_and_a_source():
    covered = {case[2] for case in CASES.values()}
    assert covered == set(deadlines.BY_ID)
    assert all(rule.source for rule in deadlines.RULES)


def test_listed_closing_days_are_skipped():
    # receipt 7/3/2023 + 20 = Mon 27/3, a closing day of the commune: Tue 28/3
    closed = Calendar([D(2023, 3, 27)])
    assert find(deadlines.compute(PU, FILED_2023, closed), "completeness").due == D(2023, 3, 28)


def test_a_rule_in_working_days_skips_every_closing_day():
    rule = dataclasses.replace(deadlines.BY_ID["declaration_class_3"], working=True)
    counter = deadlines.Counter(Calendar([D(2023, 6, 5)]), codt_2024=False)
    # Thu 1/6/2023 + 15 working days: Fri 2, (Mon 5 closed), 6-9, 12-16, 19-23 -> Fri 23/6
    assert counter.end(rule, D(2023, 6, 1)) == D(2023, 6, 23)
    # in calendar days, the same rule would end on Fri 16/6
    assert counter.end(dataclasses.replace(rule, working=False), D(2023, 6, 1)) == D(2023, 6, 16)


def test_the_licence_type_sets_its_own_days():
    # 7/3/2023 + 25 = Sat 1/4: Mon 3/4
    found = deadlines.compute(PU, FILED_2023, CAL, delays={"completeness": 25})
    assert find(found, "completeness").due == D(2023, 4, 3)


def test_a_new_receipt_starts_the_completeness_check_again():
    facts = [*FILED_2023, ev("missing_parts", D(2023, 3, 15)), ev("receipt", D(2023, 5, 2))]
    # 2/5 + 20 = Mon 22/5
    assert find(deadlines.compute(PU, facts, CAL), "completeness").due == D(2023, 5, 22)


def test_rules_apply_to_their_licence_types_only():
    assert deadlines.compute("notary_letter", FILED_2023, CAL) == []
    assert [d.rule for d in deadlines.compute(PE1, ACK_2023, CAL)] == [
        "env_completeness",
        "env_decision_class_1",
    ]
    assert [d.rule for d in deadlines.compute(DE3, FILED_2023, CAL)] == ["declaration_class_3"]


def test_a_closed_file_has_no_deadline_left():
    """Granted without a completeness event, or withdrawn: nothing of the file is due
    any more (an opinion request sent keeps its own)."""
    granted = [
        *ACK_2023,
        ev("college_decision", D(2023, 4, 3), kind="decision"),
        ev("accept", D(2023, 4, 4), kind="transition"),
    ]
    found = deadlines.compute(PU, granted, CAL)
    assert find(found, "completeness").done == D(2023, 4, 3)  # the decision ends it too
    assert deadlines.next_open(found) is None
    retired = [
        *ACK_2023,
        opinion("opinion_fire", D(2023, 3, 10), delay=15),
        ev("retire", D(2023, 3, 15), kind="transition"),
    ]
    found = deadlines.compute(PU, retired, CAL)
    assert find(found, "decision_75").done == D(2023, 3, 15)
    assert find(found, "completeness").done == D(2023, 3, 15)
    assert [d.rule for d in found if d.open] == ["opinion"]


def test_next_open_deadline():
    facts = [
        *FILED_2023,
        ev("complete", D(2023, 3, 9)),
        ev("acknowledgement", D(2023, 3, 10)),
        opinion("opinion_fire", D(2023, 3, 10), delay=15),
    ]
    found = deadlines.compute(PU, facts, CAL)
    assert deadlines.next_open(found).rule == "opinion"
    assert deadlines.next_open(found, opinions=False).rule == "decision_75"
    assert deadlines.next_open(found).overdue(D(2023, 3, 28))
    assert not deadlines.next_open(found).overdue(D(2023, 3, 27))
