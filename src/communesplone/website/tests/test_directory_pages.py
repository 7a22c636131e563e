"""The directory page is a page of catalog brains: batched, its rows from metadata."""

from communesplone.website.browser.views import PAGE_SIZE
from communesplone.website.testing import build
from plone import api

import re


def test_directory_is_paged_from_the_catalog(portal):
    build(portal)
    with api.env.adopt_roles(["Manager"]):
        for number in range(PAGE_SIZE + 5):
            api.content.create(
                container=portal,
                type="directory_entry",
                id=f"entry-{number:02d}",
                title=f"Commerce {number:02d}",
                category="commerces",
                address=f"Rue Haute {number}",
                phone=f"071 00 00 {number:02d}",
            )
    brain = api.content.find(id="entry-07")[0]
    # The rows need no object: category, address and phone are catalog metadata
    assert (brain.directory_category, brain.address, brain.phone) == (
        "commerces",
        "Rue Haute 7",
        "071 00 00 07",
    )
    view = portal.restrictedTraverse("@@directory")
    html = view()
    assert len(list(view.entries())) == PAGE_SIZE
    assert view.entries().sequence_length == PAGE_SIZE + 5
    assert re.findall(r"Commerce \d\d", html)[:2] == ["Commerce 00", "Commerce 01"]
    assert "Commerce 34" not in html and "Rue Haute 7" in html and "071 00 00 07" in html
    assert "Commerces" in html  # the category's title
    portal.REQUEST.form["b_start"] = str(PAGE_SIZE)
    second = portal.restrictedTraverse("@@directory")
    assert [brain.Title for brain in second.entries()] == [
        f"Commerce {number}" for number in range(PAGE_SIZE, PAGE_SIZE + 5)
    ]
    assert portal.restrictedTraverse("@@homepage").directory_count() == PAGE_SIZE + 5
