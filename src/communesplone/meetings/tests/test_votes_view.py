"""The votes page of an item: voters, public and secret votes, absences; as
views, then over HTTP."""

from communesplone.meetings import votes
from communesplone.meetings.testing import build
from communesplone.meetings.testing import PASSWORD
from communesplone.meetings.tests.test_meeting_page import call
from communesplone.meetings.tests.test_meeting_page import token_of
from zExceptions import Unauthorized

import html
import pytest
import re
import requests
import transaction


@pytest.fixture
def world(portal):
    return build(portal)


@pytest.fixture
def frozen(world):
    """An item on the agenda of a frozen meeting: votes may be encoded."""
    meeting = world.meeting()
    item = world.validated_item("Marché de travaux: voirie")
    world.transition(item, "present")
    world.transition(meeting, "freeze")
    return meeting, item


def public(**cast):
    form = {"action": "public", "label": "Sur l'ensemble"}
    form.update({f"vote.{member}": value for member, value in cast.items()})
    return form


def secret(yes, no, abstain, label="Scrutin secret"):
    return {
        "action": "secret",
        "label": label,
        "count.yes": yes,
        "count.no": no,
        "count.abstain": abstain,
    }


def voter_ids(page):
    return re.findall(r'<th scope="row" id="voter-([^"]+)"', page)


def test_votes_page_shows_voters_and_forms(frozen):
    _meeting, item = frozen
    page = call(item, "votes", "manager").body
    assert voter_ids(page) == ["dupont", "martin", "leroy"]  # Godin does not vote
    assert 'name="vote.dupont"' in page and 'value="secret"' in page
    assert 'id="absent-godin"' in page  # present at the meeting, may leave for an item
    assert "No vote is encoded for this item." in page


def test_public_vote_is_stored_and_shown(frozen):
    _meeting, item = frozen
    result = call(
        item, "encode-votes", "manager", public(dupont="yes", martin="no", leroy="yes"), True
    )
    assert result.location == f"{item.absolute_url()}/@@votes"
    assert result.messages == ["The vote is stored."]
    assert item.votes == [
        {
            "label": "Sur l'ensemble",
            "secret": False,
            "voters": {"dupont": "yes", "martin": "no", "leroy": "yes"},
        }
    ]
    page = call(item, "votes", "manager").body
    row = re.search(r'<tr class="vote">.*?</tr>', page, re.S).group(0)
    assert re.findall(r"<td>(\d+)</td>", row) == ["2", "1", "0"]
    assert "Jean Dupont, Paul Leroy" in row and "Anne Martin" in row


def test_secret_vote_is_stored_and_shown(frozen):
    _meeting, item = frozen
    call(item, "encode-votes", "manager", public(dupont="yes", martin="yes", leroy="yes"), True)
    result = call(item, "encode-votes", "manager", secret("1", "1", "1"), True)
    assert result.messages == ["The vote is stored."]
    assert item.votes[1] == {
        "label": "Scrutin secret",
        "secret": True,
        "counts": {"yes": 1, "no": 1, "abstain": 1},
    }
    assert [votes.result(vote) for vote in item.votes] == [
        {"yes": 3, "no": 0, "abstain": 0},
        {"yes": 1, "no": 1, "abstain": 1},
    ]
    rows = re.findall(r'<tr class="vote">.*?</tr>', call(item, "votes", "manager").body, re.S)
    assert [re.findall(r"<td>(\d+)</td>", row) for row in rows] == [
        ["3", "0", "0"],
        ["1", "1", "1"],
    ]


@pytest.mark.parametrize(
    "form, message",
    [
        (
            secret("2", "0", "0"),
            'Vote "Scrutin secret": 2 votes, but 3 members present may vote.',
        ),
        (secret("deux", "1", "0"), 'Vote "Scrutin secret": counts must be whole numbers.'),
        (secret("4", "-1", "0"), 'Vote "Scrutin secret": counts must be whole numbers.'),
        (
            public(dupont="yes", martin="no"),
            'Vote "Sur l\'ensemble": 1 member present has no vote: leroy.',
        ),
        (
            public(dupont="yes", martin="no", leroy="maybe"),
            'Vote "Sur l\'ensemble": the vote of leroy must be yes, no, abstain or does not vote.',
        ),
        (
            public(dupont="yes", martin="no", leroy="no", godin="yes"),
            'Vote "Sur l\'ensemble": godin may not vote on this item (absent or not members).',
        ),
    ],
)
def test_votes_that_do_not_add_up_are_refused(frozen, form, message):
    _meeting, item = frozen
    result = call(item, "encode-votes", "manager", form, True)
    assert result.location == ""
    assert message in result.body
    assert list(item.votes) == []
    if form["action"] == "public":  # the form keeps what was chosen
        assert re.search(r'value="yes"\s+id="vote-dupont-yes"\s+checked', result.body)


def test_delete_a_vote(frozen):
    _meeting, item = frozen
    call(item, "encode-votes", "manager", secret("3", "0", "0", label="Premier"), True)
    call(item, "encode-votes", "manager", secret("0", "3", "0", label="Second"), True)
    result = call(item, "encode-votes", "manager", {"action": "delete", "index": "0"}, True)
    assert result.messages == ["The vote is deleted."]
    assert [vote["label"] for vote in item.votes] == ["Second"]
    result = call(item, "encode-votes", "manager", {"action": "delete", "index": "5"}, True)
    assert "This vote does not exist (any more)." in result.body
    assert [vote["label"] for vote in item.votes] == ["Second"]


def test_change_a_vote_in_place(frozen):
    _meeting, item = frozen
    call(item, "encode-votes", "manager", public(dupont="yes", martin="no", leroy="yes"), True)
    call(item, "encode-votes", "manager", secret("3", "0", "0", label="Amendement"), True)
    page = call(item, "votes", "manager").body
    assert f"{item.absolute_url()}/@@votes?edit=0#vote-form" in page
    # the form of the first vote, filled with it, and only that form
    page = call(item, "votes", "manager", {"edit": "0"}).body
    assert 'Change the vote "Sur l\'ensemble"' in html.unescape(page)
    assert re.search(r'name="index"\s+value="0"', page)
    assert re.search(r'value="no"\s+id="vote-martin-no"\s+checked', page)
    assert 'name="label" value="Sur l\'ensemble"' in page
    assert 'name="count.yes"' not in page and 'id="absents-title"' not in page
    result = call(
        item,
        "encode-votes",
        "manager",
        {**public(dupont="yes", martin="yes", leroy="abstain"), "index": "0"},
        True,
    )
    assert result.messages == ["The vote is changed."]
    assert result.location == f"{item.absolute_url()}/@@votes"
    assert item.votes == [
        {
            "label": "Sur l'ensemble",
            "secret": False,
            "voters": {"dupont": "yes", "martin": "yes", "leroy": "abstain"},
        },
        {"label": "Amendement", "secret": True, "counts": {"yes": 3, "no": 0, "abstain": 0}},
    ]


def test_a_changed_vote_is_checked_as_a_new_one(frozen):
    _meeting, item = frozen
    call(item, "encode-votes", "manager", secret("3", "0", "0", label="Amendement"), True)
    page = call(item, "votes", "manager", {"edit": "0"}).body
    assert re.search(r'name="count.yes"\s+id="count-yes"\s+value="3"', page)
    assert 'name="vote.dupont"' not in page  # a secret vote stays secret
    stored = list(item.votes)
    result = call(
        item, "encode-votes", "manager", {**secret("2", "0", "0", "Amendement"), "index": "0"}, True
    )
    assert 'Vote "Amendement": 2 votes, but 3 members present may vote.' in result.body
    assert item.votes == stored
    # the form is shown again, still changing that vote, with what was sent
    assert re.search(r'name="index"\s+value="0"', result.body)
    assert re.search(r'name="count.yes"\s+id="count-yes"\s+value="2"', result.body)
    result = call(
        item, "encode-votes", "manager", {**secret("1", "1", "1", "Amendement"), "index": "4"}, True
    )
    assert "This vote does not exist (any more)." in result.body
    assert item.votes == stored


def test_only_encoders_may_change_a_vote(frozen):
    _meeting, item = frozen
    call(item, "encode-votes", "manager", secret("3", "0", "0"), True)
    page = call(item, "votes", "editor_a", {"edit": "0"}).body
    assert "@@votes?edit=0" not in page and 'name="index"' not in page
    with pytest.raises(Unauthorized):
        call(item, "encode-votes", "editor_a", {**secret("1", "1", "1"), "index": "0"}, True)
    assert votes.result(item.votes[0]) == {"yes": 3, "no": 0, "abstain": 0}


def test_absences_for_an_item(frozen):
    meeting, item = frozen
    meeting.attendance = [{"member": "martin", "status": "excused", "represented_by": None}]
    page = call(item, "votes", "manager").body
    assert voter_ids(page) == ["dupont", "leroy"]
    assert 'id="absent-martin"' not in page  # not at the meeting at all
    result = call(
        item, "encode-votes", "manager", {"action": "absents", "absents": ["leroy"]}, True
    )
    assert result.messages == ["The absences for this item are saved."]
    assert list(item.item_absents) == ["leroy"]
    assert voter_ids(call(item, "votes", "manager").body) == ["dupont"]
    call(item, "encode-votes", "manager", public(dupont="abstain"), True)
    assert len(item.votes) == 1
    # Leroy back for this item: the stored vote would no longer add up
    result = call(item, "encode-votes", "manager", {"action": "absents"}, True)
    assert "These absences do not match the votes already encoded" in result.body
    assert list(item.item_absents) == ["leroy"]
    result = call(item, "encode-votes", "manager", {"action": "absents", "absents": "martin"}, True)
    assert "Anne Martin are not members present at the meeting." in result.body
    assert list(item.item_absents) == ["leroy"]


def test_encoding_needs_the_encode_votes_permission(frozen):
    _meeting, item = frozen
    page = call(item, "votes", "editor_a").body  # the service's editor sees the item
    assert "Votes" in page
    assert "@@encode-votes" not in page and 'name="vote.dupont"' not in page
    with pytest.raises(Unauthorized):
        call(item, "encode-votes", "editor_a", secret("3", "0", "0"), True)
    assert list(item.votes) == []


def test_no_encoding_before_the_meeting_is_frozen(world):
    world.meeting()
    item = world.validated_item("Autre point")
    world.transition(item, "present")
    assert "@@encode-votes" not in call(item, "votes", "manager").body
    with pytest.raises(Unauthorized):
        call(item, "encode-votes", "manager", secret("3", "0", "0"), True)
    assert list(item.votes) == []


# Over HTTP


@pytest.fixture
def site(functional_portal):
    world = build(functional_portal)
    meeting = world.meeting()
    item = world.validated_item("Marché de travaux: voirie")
    world.transition(item, "present")
    world.transition(meeting, "freeze")
    transaction.commit()
    return item


def test_votes_over_http(site):
    url = f"{site.absolute_url()}/@@votes"
    http = requests.Session()
    http.auth = ("manager", PASSWORD)
    page = http.get(url)
    assert page.status_code == 200 and "votes.js" in page.text
    token = token_of(page.text)
    refused = http.post(
        f"{site.absolute_url()}/@@encode-votes",
        data={**secret("1", "1", "0"), "_authenticator": token},
    )
    assert refused.status_code == 200
    assert "2 votes, but 3 members present may vote." in refused.text
    stored = http.post(
        f"{site.absolute_url()}/@@encode-votes",
        data={**public(dupont="yes", martin="yes", leroy="no"), "_authenticator": token},
    )
    assert stored.url == url
    assert "The vote is stored." in stored.text
    row = re.search(r'<tr class="vote">.*?</tr>', stored.text, re.S).group(0)
    assert re.findall(r"<td>(\d+)</td>", row) == ["2", "1", "0"]
    transaction.begin()
    assert site.votes[0]["voters"] == {"dupont": "yes", "martin": "yes", "leroy": "no"}
    # The votes are part of the decision: an item of a frozen meeting is public,
    # its decision and votes are not (until the decisions are published).
    anonymous = requests.get(url, allow_redirects=False)
    assert anonymous.status_code == 302 and "require_login" in anonymous.headers["Location"]
    assert "Jean Dupont" not in anonymous.text


def test_rest_refuses_a_vote_that_is_not_an_object(site):
    http = requests.Session()
    http.auth = ("manager", PASSWORD)
    response = http.patch(
        f"{site.absolute_url()}/@votes",
        headers={"Accept": "application/json"},
        json={"votes": ["yes"]},
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Each vote must be an object."
    transaction.begin()
    assert list(site.votes) == []


# Polls chosen per item, and the values of minutes: "ne vote pas", blank, invalid


def test_a_public_vote_may_say_who_does_not_vote(frozen):
    _meeting, item = frozen
    result = call(
        item,
        "encode-votes",
        "manager",
        public(dupont="yes", martin="does_not_vote", leroy="yes"),
        True,
    )
    assert result.messages == ["The vote is stored."]
    assert votes.result(item.votes[0]) == {"yes": 2, "no": 0, "abstain": 0, "does_not_vote": 1}
    page = call(item, "votes", "manager").body
    assert 'id="vote-martin-does_not_vote"' in page
    # blank and invalid are ballots: not in a public vote
    result = call(
        item, "encode-votes", "manager", public(dupont="yes", martin="blank", leroy="yes"), True
    )
    assert "the vote of martin must be yes, no, abstain or does not vote." in result.body
    assert len(item.votes) == 1


def test_a_secret_ballot_counts_blank_and_invalid_ballots(frozen):
    _meeting, item = frozen
    form = {**secret("1", "0", "0"), "count.blank": "1", "count.invalid": "1"}
    result = call(item, "encode-votes", "manager", form, True)
    assert result.messages == ["The vote is stored."]
    assert item.votes[0]["counts"] == {"yes": 1, "no": 0, "abstain": 0, "blank": 1, "invalid": 1}
    form = {**secret("1", "0", "0"), "count.blank": "1"}
    result = call(item, "encode-votes", "manager", form, True)
    assert 'Vote "Scrutin secret": 2 votes, but 3 members present may vote.' in result.body


@pytest.mark.parametrize(
    "poll_type, refused, message",
    [
        (
            "public",
            secret("3", "0", "0"),
            'Vote "Scrutin secret": this item is voted in public, member by member: not by '
            "secret ballot.",
        ),
        (
            "secret",
            public(dupont="yes", martin="yes", leroy="yes"),
            'Vote "Sur l\'ensemble": this item is voted by secret ballot: give the counts only, '
            "not who voted what.",
        ),
        (
            "no_vote",
            secret("3", "0", "0"),
            'Vote "Scrutin secret": this item is taken for information, without a vote.',
        ),
    ],
)
def test_the_items_poll_says_which_votes_it_takes(frozen, poll_type, refused, message):
    _meeting, item = frozen
    item.poll_type = poll_type
    page = call(item, "votes", "manager").body
    assert ('name="vote.dupont"' in page) == (poll_type == "public")
    assert ('name="count.yes"' in page) == (poll_type == "secret")
    assert ("This item is taken for information" in page) == (poll_type == "no_vote")
    result = call(item, "encode-votes", "manager", refused, True)
    assert message in html.unescape(result.body)
    assert list(item.votes) == []


def test_the_poll_cannot_change_under_votes_of_another_kind(frozen):
    from communesplone.meetings.content.meeting_item import IMeetingItem
    from zope.schema.interfaces import ValidationError

    _meeting, item = frozen
    call(item, "encode-votes", "manager", secret("3", "0", "0"), True)
    field = IMeetingItem["poll_type"].bind(item)
    field.validate("secret")
    with pytest.raises(ValidationError) as refused:
        field.validate("public")
    assert refused.value.doc() == (
        "The votes already encoded for this item are not of this kind of poll: delete them first."
    )


def test_rest_sets_the_items_absences_and_signatories(site):
    http = requests.Session()
    http.auth = ("manager", PASSWORD)
    http.headers["Accept"] = "application/json"
    url = f"{site.absolute_url()}/@votes"
    refused = http.patch(url, json={"item_excused": ["leroy"], "item_signatories": {"2": "leroy"}})
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"]["message"] == (
        "Paul Leroy cannot sign this item, being away for it."
    )
    stored = http.patch(
        url,
        json={
            "item_excused": ["leroy"],
            "item_signatories": {"2": "martin"},
            "votes": [{"label": "Ensemble", "voters": {"dupont": "yes", "martin": "no"}}],
        },
        headers={"Prefer": "return=representation"},
    )
    assert stored.status_code == 200, stored.text
    answer = stored.json()
    assert answer["item_excused"] == ["leroy"]
    assert answer["signatories"] == ["dupont", "martin"]
    assert [voter["id"] for voter in answer["voters"]] == ["dupont", "martin"]
    transaction.begin()
    assert site.item_signatories == {"2": "martin"}
    # votes that do not add up: the absences sent with them are not stored either
    refused = http.patch(url, json={"item_excused": [], "votes": site.votes})
    assert refused.status_code == 400
    transaction.begin()
    assert list(site.item_excused) == ["leroy"]
