"""The urban workflows: each transition, who may run it, and its guard.

Processing steps are for whoever edits the file (the Urbanisme editors and
reviewers, administrators); closing it (grant, refuse, deliver, abandon) for
reviewers and administrators; grant and refuse wait for the decision event's
record on the licence. Observers, another service's staff and applicants run
none.
"""

from communesplone.urban import testing
from communesplone.urban.constants import GRANTED
from communesplone.urban.constants import REFUSED
from plone import api
from Products.CMFCore.WorkflowCore import WorkflowException

import datetime
import pytest


NOBODY_ELSE = ("observer", "other_staff", "applicant", "citizen")


@pytest.fixture
def desk(portal):
    return testing.build(portal)


def state(obj):
    return api.content.get_state(obj)


def refused(obj, transition, users):
    """Each of ``users`` is refused ``transition`` (the state stays)."""
    before = state(obj)
    for user in users:
        with pytest.raises(WorkflowException):
            testing.transition(obj, transition, user=user)
    assert state(obj) == before


def test_permit_processing(desk):
    licence = testing.make_licence(desk)
    testing.grant_applicant(licence, "applicant")
    assert state(licence) == "deposit"
    refused(licence, "declare_incomplete", NOBODY_ELSE)
    testing.transition(licence, "declare_incomplete", user="editor")
    assert state(licence) == "incomplete"
    refused(licence, "declare_complete", NOBODY_ELSE)
    testing.transition(licence, "declare_complete", user="reviewer")
    assert state(licence) == "complete"
    refused(licence, "suspend", NOBODY_ELSE)
    testing.transition(licence, "suspend", user="editor")
    assert state(licence) == "suspended"
    refused(licence, "resume", NOBODY_ELSE)
    refused(licence, "accept", ("manager",))  # not from suspended
    testing.transition(licence, "resume", user="editor")
    assert state(licence) == "complete"


def test_permit_decision_guards(desk):
    licence = testing.make_licence(desk)
    testing.transition(licence, "declare_complete", user="editor")
    # no decision recorded: neither grant nor refuse, even for a manager
    refused(licence, "accept", ("reviewer", "manager"))
    refused(licence, "refuse", ("reviewer", "manager"))
    testing.add_event(licence, "college_decision", decision=GRANTED)
    refused(licence, "refuse", ("reviewer", "manager"))  # the decision is a grant
    refused(licence, "accept", ("editor", *NOBODY_ELSE))  # reviewers close the file
    testing.transition(licence, "accept", user="reviewer")
    assert state(licence) == "accepted"
    assert licence.decision == GRANTED


def test_permit_refused(desk):
    licence = testing.make_licence(desk)
    testing.transition(licence, "declare_complete", user="editor")
    testing.add_event(licence, "college_decision", decision=REFUSED)
    refused(licence, "accept", ("manager",))
    testing.transition(licence, "refuse", user="siteadmin")
    assert state(licence) == "refused"


@pytest.mark.parametrize("start", [(), ("declare_incomplete",), ("declare_complete",)])
def test_permit_retired_or_abandoned_from_open_states(desk, start):
    retired, abandoned = testing.make_licence(desk), testing.make_licence(desk)
    testing.transition(retired, *start)
    testing.transition(abandoned, *start)
    refused(retired, "retire", NOBODY_ELSE)
    testing.transition(retired, "retire", user="editor")
    assert state(retired) == "retired"
    refused(abandoned, "abandon", ("editor", *NOBODY_ELSE))
    testing.transition(abandoned, "abandon", user="reviewer")
    assert state(abandoned) == "abandoned"
    for closed in (retired, abandoned):
        refused(closed, "declare_complete", ("manager",))


def test_declaration(desk):
    granted = testing.make_licence(desk, "planning_declaration")
    refused(granted, "accept", ("manager",))  # no decision yet
    testing.add_event(granted, "college_decision", decision=GRANTED)
    refused(granted, "accept", ("editor", *NOBODY_ELSE))
    testing.transition(granted, "accept", user="reviewer")
    assert state(granted) == "accepted"
    denied = testing.make_licence(desk, "division")
    testing.add_event(denied, "college_decision", decision=REFUSED)
    testing.transition(denied, "refuse", user="reviewer")
    assert state(denied) == "refused"
    retired = testing.make_licence(desk, "environmental_declaration_3")
    refused(retired, "retire", NOBODY_ELSE)
    testing.transition(retired, "retire", user="editor")
    assert state(retired) == "retired"


def test_certificate(desk):
    delivered = testing.make_licence(desk, "notary_letter")
    refused(delivered, "deliver", ("editor", *NOBODY_ELSE))
    testing.transition(delivered, "deliver", user="reviewer")
    assert state(delivered) == "delivered"
    retired = testing.make_licence(desk, "planning_certificate_1")
    testing.transition(retired, "retire", user="editor")
    assert state(retired) == "retired"


def test_opinion_request_and_inquiry(desk):
    licence = testing.make_licence(desk)
    opinion = testing.add_event(licence, "opinion_fire")
    assert state(opinion) == "prepared"
    refused(opinion, "send", NOBODY_ELSE)
    testing.transition(opinion, "send", user="editor")
    refused(opinion, "receive", ("editor", "reviewer"))  # no opinion recorded yet: guarded
    opinion.opinion = "unfavorable"
    refused(opinion, "receive", NOBODY_ELSE)
    testing.transition(opinion, "receive", user="reviewer")
    assert state(opinion) == "received"
    inquiry = testing.add_event(licence, "inquiry")
    assert state(inquiry) == "draft"
    refused(inquiry, "announce", NOBODY_ELSE)
    testing.transition(inquiry, "announce", user="editor")
    refused(inquiry, "close", NOBODY_ELSE)
    testing.transition(inquiry, "close", user="editor")
    assert state(inquiry) == "closed"


def test_decision_follows_the_decision_events(desk):
    licence = testing.make_licence(desk)
    first = testing.add_event(
        licence, "college_decision", decision=REFUSED, event_date=datetime.date(2026, 3, 1)
    )
    assert (licence.decision, licence.decision_date) == (REFUSED, datetime.date(2026, 3, 1))
    later = testing.add_event(
        licence, "college_decision", decision=GRANTED, event_date=datetime.date(2026, 4, 1)
    )
    assert licence.decision == GRANTED
    with api.env.adopt_roles(["Manager"]):
        api.content.delete(obj=later, check_linkintegrity=False)
    assert licence.decision == REFUSED
    with api.env.adopt_roles(["Manager"]):
        api.content.delete(obj=first, check_linkintegrity=False)
    assert (licence.decision, licence.decision_date) == (None, None)
