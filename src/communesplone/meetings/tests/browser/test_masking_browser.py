"""In a browser: an editor marks personal data, reviews the suggested masks; a
visitor reads the published decision with a placeholder.

1. the service's editor opens the item's edit form, selects a name in the
   decision and applies the editor's "Personal data" format (TinyMCE's
   formatter, as the Formats menu does), and saves: the span is stored;
2. on the item's page, "suggest masks", then "Suggest masks": the IBAN and the
   register number are proposed; the editor rejects the register number and
   confirms;
3. an anonymous visitor reads the public page of a published decision whose
   name is masked.

Screenshots go to test-output/screenshots (``docs/meetings.rst`` shows them).
"""

from communesplone.core.browsertesting import log_in
from communesplone.meetings import masking
from communesplone.meetings.testing import build
from communesplone.meetings.testing import PASSWORD
from datetime import datetime
from plone.app.textfield.value import RichTextValue

import pytest
import transaction


pytestmark = pytest.mark.browser

NAME = "Claire Fontaine"
IBAN = "BE68 5390 0754 7034"
NRN = "85.07.30-033.28"


def rich(html):
    return RichTextValue(html, "text/html", "text/x-html-safe")


@pytest.fixture
def world(functional_portal):
    world = build(functional_portal)
    draft = world.item(
        "Prime communale à la rénovation – octroi",
        category="travaux",
        decision=rich(
            f"<p>Octroie la prime à Madame {NAME}, sur le compte {IBAN} "
            f"(registre national {NRN}).</p>"
        ),
    )
    meeting = world.meeting(datetime(2026, 3, 10, 20, 0))
    published = world.validated_item(
        "Prime communale – octroi à une particulière",
        category="travaux",
        decision=rich(
            f'<p>Octroie la prime à Madame <span class="personal-data">{NAME}</span>.</p>'
        ),
    )
    world.transition(published, "present")
    world.transition(meeting, "freeze", "decide")
    world.transition(published, "accept")
    world.transition(meeting, "publish_decisions")
    transaction.commit()
    world.draft = draft
    return world


def test_marking_and_suggesting_masks(world, page, screenshot):
    portal_url = world.portal.absolute_url()
    item_url = world.draft.absolute_url()
    log_in(page, portal_url, "editor_a", PASSWORD)

    # 1. the editor's format, applied to the name
    page.goto(f"{item_url}/edit")
    page.wait_for_selector("#formfield-form-widgets-decision .tox-edit-area iframe")
    marked = page.evaluate(
        """(name) => {
            const editor = tinymce.get().find(
                (e) => e.getContainer().closest('#formfield-form-widgets-decision'));
            const body = editor.getBody();
            const walker = body.ownerDocument.createTreeWalker(body, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode()) && !node.data.includes(name)) {}
            const range = editor.dom.createRng();
            range.setStart(node, node.data.indexOf(name));
            range.setEnd(node, node.data.indexOf(name) + name.length);
            editor.selection.setRng(range);
            editor.formatter.apply('personaldata');
            return editor.getContent();
        }""",
        NAME,
    )
    assert f'<span class="personal-data">{NAME}</span>' in marked
    screenshot("meetings-masking-editor")
    page.click("#form-buttons-save")
    page.wait_for_load_state()
    transaction.begin()
    assert masking.marked_texts(world.draft.decision.raw) == [NAME]

    # 2. suggestions, reviewed and confirmed
    page.goto(item_url)
    page.click(".item-masks a")
    page.wait_for_load_state()
    # the first suggestions load the NER model (if installed): some seconds
    page.set_default_timeout(180_000)
    page.click("button[name='form.buttons.suggest']")
    page.wait_for_load_state()
    page.set_default_timeout(30_000)
    rows = page.locator("tr.masks-suggestion")
    assert [rows.nth(i).locator("mark").inner_text() for i in range(rows.count())] == [IBAN, NRN]
    page.locator("tr.kind-register_number input[value='reject']").check()
    screenshot("meetings-masking-suggestions")
    page.click("button[name='form.buttons.confirm']")
    page.wait_for_load_state()
    transaction.begin()
    assert masking.marked_texts(world.draft.decision.raw) == [NAME, IBAN]
    assert NRN in world.draft.decision.raw

    # 3. what a visitor reads
    page.context.clear_cookies()
    page.goto(f"{world.college.absolute_url()}/@@public-meetings")
    html = page.content()
    assert "Octroie la prime à Madame" in html and NAME not in html
    assert any(masking.placeholder(language) in html for language in ("fr", "en"))
    screenshot("meetings-masking-public")
