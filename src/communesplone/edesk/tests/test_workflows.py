"""The requests' workflow: numbering at submission, refusals with a reason,
who gets which roles, and the emails the citizen receives (caught by a real
SMTP server started by the test)."""

from communesplone.core.numbering import last_number
from communesplone.core.smtptesting import smtp  # noqa: F401 (fixture)
from communesplone.core.smtptesting import subject
from communesplone.core.smtptesting import text
from communesplone.edesk import workflows
from communesplone.edesk.testing import build
from datetime import date
from plone import api
from Products.CMFCore.WorkflowCore import WorkflowException

import pytest
import transaction


YEAR = date.today().year


@pytest.fixture
def world(portal):
    return build(portal)


def test_number_taken_at_submission_not_at_draft(world):
    draft = world.request(submit=False)
    assert draft.tracking_number is None
    assert last_number(world.desk, workflows.sequence_name(YEAR)) == 0
    first = world.request()
    second = world.request(user="citizen_b")
    world.transition(draft, "submit", user="citizen_a")
    assert first.tracking_number == f"{YEAR}-000001"
    assert second.tracking_number == f"{YEAR}-000002"
    assert draft.tracking_number == f"{YEAR}-000003"
    catalog = api.portal.get_tool("portal_catalog")
    found = catalog.unrestrictedSearchResults(tracking_number=f"{YEAR}-000002")
    assert [brain.getPath() for brain in found] == ["/".join(second.getPhysicalPath())]


def test_number_kept_when_reopened(world):
    request = world.request()
    number = request.tracking_number
    world.transition(request, "take", "complete", "reopen", "complete", "close")
    assert request.tracking_number == number
    assert last_number(world.desk, workflows.sequence_name(YEAR)) == 1


def test_refusal_needs_a_reason(world):
    request = world.request()
    with pytest.raises(WorkflowException, match="reason of the refusal"):
        world.transition(request, "reject")
    assert api.content.get_state(request) == "submitted"
    world.transition(request, "reject", comment="Vous n'habitez pas la commune.")
    assert api.content.get_state(request) == "rejected"
    assert request.rejection_reason == "Vous n'habitez pas la commune."
    world.transition(request, "reopen")
    assert request.rejection_reason is None


def test_roles_on_a_request(world):
    request = world.request()
    assert request.service == "population"
    roles = {login: set(api.user.get_roles(username=login, obj=request)) for login in (
        "citizen_a", "citizen_b", "editor", "reviewer", "other_staff")}  # fmt: skip
    assert "Owner" in roles["citizen_a"]
    assert "Owner" not in roles["citizen_b"]
    assert {"Editor", "Reader"} <= roles["editor"]
    assert {"Reviewer", "Reader"} <= roles["reviewer"]
    assert not roles["other_staff"] & {"Owner", "Editor", "Reviewer", "Reader"}


def test_citizen_answers_when_asked(world):
    request = world.request()
    world.transition(request, "take", "ask_information")
    with pytest.raises(WorkflowException):
        world.transition(request, "provide_information", user="citizen_b")
    world.transition(request, "provide_information", user="citizen_a")
    assert api.content.get_state(request) == "in_progress"


def test_staff_cannot_submit_a_draft_nor_citizen_take(world):
    draft = world.request(submit=False)
    with pytest.raises(WorkflowException):
        world.transition(draft, "submit", user="editor")
    request = world.request()
    with pytest.raises(WorkflowException):
        world.transition(request, "take", user="citizen_a")


# --- Emails -----------------------------------------------------------------------


def _text(message):
    return subject(message), text(message)


def test_each_transition_mails_the_citizen(functional_portal, smtp):  # noqa: F811
    world = build(functional_portal)
    api.user.get(username="citizen_a").setMemberProperties({"language": "fr"})
    transaction.commit()
    request = world.request()
    transaction.commit()
    for transition in ("take", "ask_information", "provide_information", "transmit"):
        world.transition(request, transition, user="citizen_a" if transition ==
                         "provide_information" else "reviewer")  # fmt: skip
        transaction.commit()
    world.transition(request, "reject", comment="Pas de domicile connu.")
    transaction.commit()
    world.transition(request, "close")
    transaction.commit()
    assert [rcpt for rcpt, _m in smtp.messages] == [["citizen_a@example.org"]] * 7
    mails = [_text(message) for _rcpt, message in smtp.messages]
    number = request.tracking_number
    assert all(number in subject for subject, _body in mails)
    assert all(request.absolute_url() in body for _subject, body in mails)
    assert "Pas de domicile connu." in mails[5][1]


def test_anonymous_request_mails_its_contact(functional_portal, smtp):  # noqa: F811
    world = build(functional_portal)
    transaction.commit()
    with api.env.adopt_roles(["Manager"]):
        request = api.content.create(
            container=world.desk,
            type="citizen_request",
            title="Lampe",
            request_type=world.problem.UID(),
            values={"description": "Lampe cassée"},
            contact_email="riverain@example.org",
            address="Rue Haute 1",
        )
        api.content.transition(obj=request, transition="submit")
    transaction.commit()
    assert [rcpt for rcpt, _m in smtp.messages] == [["riverain@example.org"]]


def test_a_failed_transition_sends_nothing(functional_portal, smtp):  # noqa: F811
    world = build(functional_portal)
    request = world.request()
    transaction.commit()
    smtp.messages.clear()
    with pytest.raises(WorkflowException):
        world.transition(request, "reject")  # no reason
    transaction.abort()
    world.transition(request, "take")
    transaction.abort()  # the transition is not committed: no mail
    assert smtp.messages == []
