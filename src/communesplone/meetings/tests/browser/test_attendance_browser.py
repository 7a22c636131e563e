"""In a browser, on the demo site: the attendance and the polls of a session.

The general director (Delphine Godin, meeting manager) holds the college's
next session (8 December 2026):

1. on the attendance page, the CPAS president is replaced by his substitute,
   and the first alderman leaves before the street sweeper's purchase and
   comes back before the next item; a return before the departure is refused
   first;
2. she freezes the agenda and opens the session;
3. the minutes of the last session: a public named vote, where an alderman
   absent then "does not vote"; on the sweeper's purchase, the alderman who
   left is not among the voters;
4. the nomination: its poll set to a secret ballot; counts that do not add up
   to who is present are refused; with a blank and an invalid ballot, stored;
5. the communication is taken for information ("no vote"); on the feast's
   item, the mayor is excused and the first alderman signs in his place;
6. the minutes say all of it.

Screenshots go to test-output/screenshots (``docs/meetings.rst`` shows them).
"""

from communesplone.meetings import agenda
from communesplone.meetings.tests.browser.steps import as_user
from communesplone.meetings.tests.browser.steps import transition
from plone import api

import io
import pytest
import re
import transaction
import zipfile


pytestmark = pytest.mark.browser

MINUTES = "Approuve le procès-verbal de la séance antérieure"
SWEEPER = "Marché de fournitures – acquisition d'une balayeuse"
NOMINATION = "Désignation d'un représentant communal"
COMMUNICATION = "Communication – rapport trimestriel de la zone de police"
FEAST = "Fête de la Saint-Nicolas"
SUBSTITUTE = "Julie Dasnoy, Présidente du CPAS f.f."


def _number(item):
    return agenda.number_label(item.item_number)


def _text(odt):
    with zipfile.ZipFile(io.BytesIO(odt)) as archive:
        xml = archive.read("content.xml").decode("utf-8")
    return " ".join(re.sub(r"<[^>]+>", " ", xml).split())


def _set_poll(page, item_url, poll):
    page.goto(f"{item_url}/edit")
    page.select_option("#form-widgets-poll_type", poll)
    page.click("#form-buttons-save")
    page.wait_for_load_state()


def test_attendance_and_polls(demo, page, screenshot):
    portal_url = demo.absolute_url()
    college = demo["college"]
    meeting = college["seance-2026-12-08"]
    meeting_url = meeting.absolute_url()
    items = agenda.items(meeting)

    def on_agenda(start):
        (item,) = [item for item in items if item.title.startswith(start)]
        return item

    sweeper = on_agenda(SWEEPER)
    after_sweeper = items[items.index(sweeper) + 1]
    urls = {
        title: on_agenda(title).absolute_url()
        for title in (MINUTES, SWEEPER, NOMINATION, COMMUNICATION, FEAST)
    }

    # 1. the attendance, from the meeting page
    as_user(page, portal_url, "dgodin")
    page.goto(meeting_url)
    page.click(f"a[href='{meeting_url}/@@attendance']")
    page.wait_for_load_state()
    page.select_option("#status-collard", "replaced")
    page.fill("#replaced-by-collard", SUBSTITUTE)
    page.select_option("#move-0-member", "lambotte")
    page.fill("#move-0-leaves", _number(after_sweeper))
    page.fill("#move-0-returns", _number(sweeper))
    page.click("button[name='form.buttons.save']")
    page.wait_for_load_state()
    assert page.locator(".alert-danger, .portalMessage.error, .alert.error").count() >= 1
    transaction.begin()
    assert not meeting.moves and not meeting.attendance  # nothing half-written
    page.fill("#replaced-by-collard", SUBSTITUTE)
    page.select_option("#status-collard", "replaced")
    page.fill("#move-0-leaves", _number(sweeper))
    page.fill("#move-0-returns", _number(after_sweeper))
    screenshot("meetings-attendance-replacement")
    page.click("button[name='form.buttons.save']")
    page.wait_for_load_state()
    transaction.begin()
    assert meeting.attendance_of("collard") == ("replaced", None)
    assert [(m["member"], m["leaves_before"]) for m in meeting.moves] == [
        ("lambotte", _number(sweeper))
    ]

    # 2. the agenda frozen, the session opened
    transition(page, meeting_url, "freeze")
    transition(page, meeting_url, "decide")

    # 3. a public named vote; the alderman out of the session does not vote
    page.goto(meeting_url)
    page.locator("#meeting-agenda tr", has_text=MINUTES).get_by_role("link", name="Votes").click()
    page.wait_for_load_state()
    page.fill("#public-label", "Sur l'ensemble")
    page.click("button.vote-all[data-value='yes']")
    page.check("#vote-wauters-does_not_vote")
    page.click("#public-vote-title ~ form button[type=submit]")
    page.wait_for_load_state()
    transaction.begin()
    (vote,) = on_agenda(MINUTES).votes
    assert vote["voters"]["wauters"] == "does_not_vote"
    assert vote["voters"]["collard"] == "yes"  # the substitute, in his seat
    assert "Marc Wauters" in page.locator("table tr.vote").inner_text()  # "does not vote"
    screenshot("meetings-votes-public")
    page.goto(f"{urls[SWEEPER]}/@@votes")
    voters = page.locator(".votes-grid tbody th").all_inner_texts()
    assert not any("Sophie Lambotte" in name for name in voters)
    assert any("Paul Collard" in name for name in voters)

    # 4. the nomination, by secret ballot: the totals are checked
    _set_poll(page, urls[NOMINATION], "secret")
    page.goto(f"{urls[NOMINATION]}/@@votes")
    assert page.locator("#public-vote-title").count() == 0  # a secret poll only
    page.fill("#secret-label", "Désignation de Mme Anne Gérard")
    for value, count in (("yes", 4), ("no", 0), ("abstain", 0)):
        page.fill(f"#count-{value}", str(count))
    page.click("#secret-vote-title ~ form button[type=submit]")
    page.wait_for_load_state()
    refused = page.locator(".alert-danger, .portalMessage.error, .alert.error")
    assert refused.count() >= 1
    screenshot("meetings-votes-refused")
    transaction.begin()
    assert not on_agenda(NOMINATION).votes
    page.fill("#secret-label", "Désignation de Mme Anne Gérard")
    for value, count in (("yes", 3), ("no", 0), ("abstain", 0), ("blank", 1), ("invalid", 1)):
        page.fill(f"#count-{value}", str(count))
    page.click("#secret-vote-title ~ form button[type=submit]")
    page.wait_for_load_state()
    transaction.begin()
    (vote,) = on_agenda(NOMINATION).votes
    assert vote["secret"] and vote["counts"]["blank"] == 1 and vote["counts"]["invalid"] == 1
    screenshot("meetings-votes-secret")

    # 5. a communication without vote; the mayor excused for the feast
    _set_poll(page, urls[COMMUNICATION], "no_vote")
    page.goto(f"{urls[COMMUNICATION]}/@@votes")
    assert page.locator(".no-vote").is_visible()
    page.goto(f"{urls[FEAST]}/@@votes")
    page.check("#excused-dupont")
    page.click("#absents-title ~ form button[type=submit]")
    page.wait_for_load_state()
    page.select_option("#signatory-1", "lambotte")
    page.click("#signatories-title ~ form button[type=submit]")
    page.wait_for_load_state()
    screenshot("meetings-item-excused-signatory")
    transaction.begin()
    feast = on_agenda(FEAST)
    assert feast.item_excused == ["dupont"]
    assert feast.item_signatories == {"1": "lambotte"}

    # 6. the minutes
    page.goto(meeting_url)
    minutes = page.locator(".communesplone-documents li", has_text="Procès-verbal")
    with page.expect_download() as download:
        minutes.locator("a[data-format='odt']").click()
    text = _text(download.value.path().read_bytes())
    assert "Julie Dasnoy" in text
    assert "Sophie Lambotte quitte la séance" in text
    assert "Point pris pour information, sans vote" in text
    assert "Excusés pour ce point : Jean Dupont" in text
    assert "1 bulletin" in text  # blank and invalid ballots
    assert api.content.get_state(meeting) == "decided"
