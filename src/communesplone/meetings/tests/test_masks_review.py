"""Decisions are not published while personal data that nobody reviewed is in them.

A meeting's transition that makes decisions public ("Publish the decisions";
"Close" where the body publishes at closing) is refused when a public item
holds, in its motivation or decision, spans that the detectors find, not
marked, and no mask review covers its text as it is now. Over REST (400) and
in the classic UI (an error message), nothing is changed.
"""

from communesplone.meetings import workflows
from communesplone.meetings.constants import MEETING_WORKFLOW
from communesplone.meetings.interfaces import IMeetingsLayer
from communesplone.meetings.masking import detectors
from communesplone.meetings.masking import review
from communesplone.meetings.testing import build
from communesplone.meetings.tests.test_bad_input import authenticator
from communesplone.meetings.tests.test_bad_input import error_messages
from communesplone.meetings.tests.test_bad_input import http
from datetime import datetime
from plone import api
from plone.app.textfield.value import RichTextValue
from plone.protect.authenticator import createToken
from zope.annotation.interfaces import IAnnotations
from zope.interface import alsoProvides

import pytest
import transaction


IBAN = "BE68 5390 0754 7034"
NRN = "85.07.30-033.28"
NAME = "Claire Fontaine"


def rich(html):
    return RichTextValue(html, "text/html", "text/x-html-safe")


def marked(text):
    return f'<span class="personal-data">{text}</span>'


@pytest.fixture
def world(portal):
    alsoProvides(portal.REQUEST, IMeetingsLayer)
    return build(portal)


@pytest.fixture
def http_world(functional_portal):
    return build(functional_portal)


def decided(world, *items):
    """A decided meeting with ``items`` (validated) accepted on it."""
    meeting = world.meeting(datetime(2026, 3, 10, 20, 0))
    for item in items:
        world.transition(item, "present")
    world.transition(meeting, "freeze", "decide")
    for item in items:
        world.transition(item, "accept")
    return meeting


def publish(world, meeting, transition="publish_decisions"):
    """Try ``transition``: None when done, else the refusal's message."""
    try:
        world.transition(meeting, transition)
    except workflows.TransitionRefused as error:
        return str(error)
    return None


def review_all(item, decision="reject"):
    """Review the item's suggestions on its "Suggest masks" page: each one accepted or
    rejected, then confirmed (as its editor or the meeting managers would)."""
    request = item.REQUEST

    def view(**form):
        request.form.clear()
        request.form.update(form, _authenticator=createToken())
        request["REQUEST_METHOD"] = "POST"
        return api.content.get_view("suggest-masks", item, request)

    with api.env.adopt_user(username="manager"):
        suggested = view(**{"form.buttons.suggest": "1"})
        suggested()
        rows = suggested.suggestions
        form = {
            "form.buttons.confirm": "1",
            "count": str(len(rows)),
            "fingerprint": suggested.fingerprint(),
        }
        for row in rows:
            index = row["index"]
            form[f"s{index}.id"] = row["id"]
            form[f"s{index}.kind"] = row["kind"]
            form[f"s{index}.text"] = row["text"]
            form[f"s{index}.decision"] = decision
        view(**form)()
    request.form.clear()
    request["REQUEST_METHOD"] = "GET"
    return rows


def set_decision(item, html):
    item.decision = rich(html)


def test_unreviewed_personal_data_refuses_publication(world):
    item = world.validated_item(
        "Prime à la rénovation", decision=rich(f"<p>Verse la prime sur le compte {IBAN}.</p>")
    )
    clean = world.validated_item("Voirie", decision=rich("<p>Approuve le projet.</p>"))
    meeting = decided(world, item, clean)
    history = len(meeting.workflow_history[MEETING_WORKFLOW])

    message = publish(world, meeting)
    assert message is not None
    assert message.startswith('"Publish the decisions" is refused')
    assert "Prime à la rénovation" in message and "Voirie" not in message
    assert f"{item.absolute_url()}/@@suggest-masks" in message
    assert message.endswith("Nothing was changed.")
    assert api.content.get_state(meeting) == "decided"
    assert len(meeting.workflow_history[MEETING_WORKFLOW]) == history

    # reviewed, every suggestion rejected: the decision may be published as it is
    assert [row["text"] for row in review_all(item)] == [IBAN]
    assert IBAN in item.decision.raw
    assert review.reviewed(item)
    assert publish(world, meeting) is None
    assert api.content.get_state(meeting) == "decisions_published"


def test_a_text_changed_after_the_review_is_reviewed_again(world):
    item = world.validated_item(decision=rich(f"<p>Verse la prime sur le compte {IBAN}.</p>"))
    meeting = decided(world, item)
    review_all(item, "accept")
    assert item.decision.raw == f"<p>Verse la prime sur le compte {marked(IBAN)}.</p>"
    # markup alone, or one more mark: still the text reviewed
    set_decision(item, f"<p><strong>Verse</strong> la prime sur le compte {marked(IBAN)}.</p>")
    assert review.reviewed(item)
    # new words: the review no longer covers them
    set_decision(item, f"<p>Verse la prime sur le compte {marked(IBAN)} (NN {NRN}).</p>")
    assert not review.reviewed(item)
    assert "Réfection de la rue Haute" in publish(world, meeting)
    # reviewed again: published
    review_all(item, "accept")
    assert publish(world, meeting) is None


def test_a_text_changed_that_the_detectors_find_nothing_in_passes(world):
    item = world.validated_item(decision=rich(f"<p>Verse la prime sur le compte {IBAN}.</p>"))
    meeting = decided(world, item)
    review_all(item)
    set_decision(item, "<p>Verse la prime.</p>")
    assert not review.reviewed(item)
    assert publish(world, meeting) is None


def test_nothing_detected_marked_or_secret_passes(world):
    nothing = world.validated_item("Rien", decision=rich("<p>Approuve le projet.</p>"))
    done = world.validated_item(
        "Marqué",
        motivation=rich(f"<p>Vu la demande ({marked(NRN)}) ;</p>"),
        decision=rich(f"<p>Verse la prime sur le compte {marked(IBAN)}.</p>"),
    )
    secret = world.validated_item(
        "Huis clos", privacy="secret", decision=rich(f"<p>Compte {IBAN}, NN {NRN}.</p>")
    )
    meeting = decided(world, nothing, done, secret)
    assert publish(world, meeting) is None
    assert review.last(nothing) is None and review.last(secret) is None


def test_the_motivation_counts_too(world):
    item = world.validated_item(
        motivation=rich(f"<p>Vu la demande de la personne (NN {NRN}) ;</p>"),
        decision=rich("<p>Octroie la prime.</p>"),
    )
    meeting = decided(world, item)
    assert publish(world, meeting) is not None


def test_closing_publishes_where_the_body_publishes_at_closing(world):
    """A body that publishes its decisions only when the meeting is closed: publishing
    them changes nothing public, closing is refused; a meeting whose decisions were
    public already is not checked again when it is closed."""
    world.college.public_decision_states = ["closed"]
    item = world.validated_item(decision=rich(f"<p>Compte {IBAN}.</p>"))
    pending = world.validated_item("En attente", decision=rich(f"<p>Compte {IBAN}.</p>"))
    meeting = world.meeting(datetime(2026, 3, 10, 20, 0))
    for each in (item, pending):
        world.transition(each, "present")
    world.transition(meeting, "freeze", "decide")
    world.transition(item, "accept")
    # closing from "decided" accepts the undecided item: its decision becomes public too
    message = publish(world, meeting, "close")
    assert message.startswith('"Close" is refused')
    assert "Réfection de la rue Haute" in message and "En attente" in message
    assert api.content.get_state(pending) == "itemfrozen"
    assert publish(world, meeting) is None  # decisions_published: not public for this body
    message = publish(world, meeting, "close")
    assert message is not None
    review_all(item)
    review_all(pending)
    assert publish(world, meeting, "close") is None
    assert api.content.get_state(meeting) == "closed"

    world.college.public_decision_states = ["decisions_published", "closed"]
    other = world.validated_item("Autre", decision=rich("<p>Octroie la prime.</p>"))
    meeting = world.meeting(datetime(2026, 4, 10, 20, 0))
    world.transition(other, "present")
    world.transition(meeting, "freeze", "decide")
    world.transition(other, "accept", user="manager")
    assert publish(world, meeting) is None
    set_decision(other, f"<p>Octroie la prime ({IBAN}).</p>")
    assert publish(world, meeting, "close") is None  # public since "Publish the decisions"


def test_a_review_of_suggestions_on_an_older_text_covers_nothing(world):
    item = world.validated_item(decision=rich(f"<p>Compte {IBAN}.</p>"))
    meeting = decided(world, item)
    request = item.REQUEST
    request["REQUEST_METHOD"] = "POST"
    with api.env.adopt_user(username="manager"):
        request.form.update(
            {
                "form.buttons.confirm": "1",
                "_authenticator": createToken(),
                "count": "0",
                "fingerprint": "the text before someone changed it",
            }
        )
        api.content.get_view("suggest-masks", item, request)()
    request.form.clear()
    request["REQUEST_METHOD"] = "GET"
    assert review.last(item)["fingerprint"] is None
    assert not review.reviewed(item)
    assert publish(world, meeting) is not None
    with api.env.adopt_user(username="manager"):
        page = api.content.get_view("suggest-masks", item, request)()
    assert "masks-review-outdated" in page


def test_reviews_recorded_before_fingerprints(world):
    """An item reviewed before the reviews kept a fingerprint: it passes if the
    detectors find nothing in it, else it is reviewed again."""
    legacy = {"when": "2026-11-01T10:00:00+00:00", "who": "editor_a", "accepted": 1, "rejected": 0}
    found = world.validated_item("Trouvé", decision=rich(f"<p>Compte {IBAN}.</p>"))
    clean = world.validated_item("Propre", decision=rich(f"<p>Compte {marked(IBAN)}.</p>"))
    for item in (found, clean):
        IAnnotations(item)[review.REVIEW_KEY] = dict(legacy)
        assert not review.reviewed(item)
    meeting = decided(world, found, clean)
    message = publish(world, meeting)
    assert "Trouvé" in message and "Propre" not in message
    review_all(found)
    assert publish(world, meeting) is None


@pytest.mark.skipif(not detectors.names_detected(), reason="no NER model")
def test_names_found_by_the_model_need_a_review(world, monkeypatch):
    item = world.validated_item(
        decision=rich(f"<p>Octroie une prime à Madame {NAME}, domiciliée à Plonéville.</p>")
    )
    meeting = decided(world, item)
    assert publish(world, meeting) is not None
    # without the model, names are not detected: nothing found, nothing to review
    monkeypatch.setattr(detectors, "installed_models", list)
    assert not review.unmarked(item)
    assert publish(world, meeting) is None


# Over REST and in the classic UI ----------------------------------------------------------


def test_refused_over_rest_and_in_the_classic_ui(http_world):
    world = http_world
    item = world.validated_item("Prime", decision=rich(f"<p>Compte {IBAN}.</p>"))
    meeting = decided(world, item)
    history = len(meeting.workflow_history[MEETING_WORKFLOW])
    transaction.commit()
    pages = f"{item.absolute_url()}/@@suggest-masks"

    manager = http("manager")
    response = manager.post(f"{meeting.absolute_url()}/@workflow/publish_decisions", json={})
    assert response.status_code == 400, response.text
    message = response.json()["error"]["message"]
    assert message.startswith('"Publish the decisions" is refused')
    assert "1. Prime" in message and pages in message
    transaction.begin()
    assert api.content.get_state(meeting) == "decided"
    assert len(meeting.workflow_history[MEETING_WORKFLOW]) == history
    assert meeting.EffectiveDate() == "None"  # plone.restapi's effective date rolled back

    browser = http("manager", accept_json=False)
    token = authenticator(browser, meeting.absolute_url())
    page = browser.get(
        f"{meeting.absolute_url()}/content_status_modify",
        params={"workflow_action": "publish_decisions", "_authenticator": token},
    )
    assert page.status_code == 200
    assert page.url == meeting.absolute_url()
    assert error_messages(page.text) == [message]
    transaction.begin()
    assert api.content.get_state(meeting) == "decided"
    assert meeting.EffectiveDate() == "None"

    # reviewed: published
    with api.env.adopt_user(username="manager"):
        review.record(item, 0, 1, review.fingerprint(item))
    transaction.commit()
    response = manager.post(f"{meeting.absolute_url()}/@workflow/publish_decisions", json={})
    assert response.status_code == 200, response.text
    transaction.begin()
    assert api.content.get_state(meeting) == "decisions_published"
