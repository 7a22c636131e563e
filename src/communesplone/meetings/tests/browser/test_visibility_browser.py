"""In a browser, on the demo site: readers beyond the proposing service.

1. a copy group: the street sweeper's item is in copy to the environment
   service; its editor (Emma Jacobs) finds it among the college's items and
   reads it, without any action on it and without its confidential annex;
2. the group in charge: the alderman of public works (Marc Wauters) finds the
   works service's proposed items, which the other members do not see yet;
3. a power observer (Karin Servais, the mayor's office) reads the closed
   meeting and its decisions, not the items still being prepared.

Screenshots go to test-output/screenshots (``docs/meetings.rst`` shows them).
"""

from communesplone.meetings.tests.browser.steps import as_user
from communesplone.meetings.tests.browser.steps import titled

import pytest


pytestmark = pytest.mark.browser

SWEEPER = "Marché de fournitures – acquisition d'une balayeuse"
SEWERS = "Travaux d'égouttage – rue de la Station"
GRANT = "Subside à l'ASBL Plonéville Sports"


def _listed(page):
    """The titles of the items in the body's dashboard (all its pages)."""
    return page.locator("#dashboard tbody tr td:first-child a").all_inner_texts()


def test_copy_group_group_in_charge_and_power_observer(demo, page, screenshot):
    portal_url = demo.absolute_url()
    college = demo["college"]
    college_url = college.absolute_url()

    # 1. the copy group reads the item, and only reads it
    as_user(page, portal_url, "ejacobs")
    page.goto(f"{college_url}?tab=all")
    assert SWEEPER in _listed(page)
    assert SEWERS not in _listed(page)  # another of the works' items: not in copy
    page.get_by_role("link", name=SWEEPER).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == SWEEPER
    assert page.locator("#contentview-edit").count() == 0
    assert page.locator("[id^=workflow-transition-]").count() == 0
    assert page.locator("a.add-annex").count() == 0
    titles = page.locator(".item-annexes li.annex > a").all_inner_texts()
    assert "Cahier spécial des charges" in titles
    assert "Firmes consultées – contacts" not in titles  # confidential
    screenshot("meetings-item-copy-group")
    page.goto(f"{titled(college, SWEEPER).absolute_url()}/edit")
    assert page.url.endswith("/insufficient-privileges")

    # 2. the alderman in charge of the works sees their proposed items
    as_user(page, portal_url, "mwauters")
    page.goto(f"{college_url}?tab=all")
    listed = _listed(page)
    assert SEWERS in listed  # proposed by the works service
    assert "Population – changement d'adresse d'office" not in listed  # another service's
    screenshot("meetings-body-alderman")
    page.get_by_role("link", name=SEWERS).click()
    page.wait_for_load_state()
    assert page.locator("#contentview-edit").count() == 0

    # 3. the power observer reads the closed meeting, not what is being prepared
    as_user(page, portal_url, "kservais")
    page.goto(f"{college_url}?tab=all")
    listed = _listed(page)
    assert "Prime communale à la rénovation – octroi" in listed
    assert GRANT not in listed and SEWERS not in listed
    page.goto(college["seance-2026-11-10"].absolute_url())
    assert page.locator("#meeting-agenda").get_by_text("Cimetière communal").count() >= 1
    screenshot("meetings-meeting-power-observer")
    page.goto(titled(college, GRANT).absolute_url())
    assert page.url.endswith("/insufficient-privileges")
