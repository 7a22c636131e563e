"""Benchmark of the meetings application (issue 4).

Each figure is printed beside the time this machine takes, in the same run,
to render a plain Plone folder listing (``folder_listing`` of a Folder) of
the same number of Documents, with the ratio. Goals, on a 2-core machine:

- the page of a meeting with 500 items, unpaginated: under 1 s server time;
- presenting 50 validated items at once: under 3 s;
- the votes page of an item with 50 voting members and 30 votes: under 300 ms;
- the agenda and the minutes of a 250-item meeting as ODT: under 10 s (each).

Run: ``.venv/bin/python benchmarks/meetings.py [--runs 5]``.
"""

from benchlib import HEADER
from benchlib import measure
from benchlib import row
from communesplone.core.testing import MEETINGS
from communesplone.core.testing import throwaway_site
from communesplone.documents import generation
from communesplone.meetings import votes
from communesplone.meetings import workflows
from communesplone.meetings.copies import set_state
from communesplone.meetings.testing import build
from communesplone.meetings.testing import MEMBERS
from datetime import datetime
from datetime import timedelta
from plone import api

import argparse


def documents_listing(portal, count):
    """A Folder of ``count`` Documents, and a function rendering its listing."""
    folder = api.content.create(container=portal, type="Folder", id=f"folder-{count}", title="F")
    for number in range(count):
        api.content.create(
            container=folder, type="Document", id=f"d{number}", title=f"Page {number}"
        )
    view = folder.restrictedTraverse("@@folder_listing")
    return view


def validated_items(world, count, prefix):
    items = []
    for number in range(count):
        item = api.content.create(
            container=world.college,
            type="meeting_item",
            id=f"{prefix.lower().replace(' ', '-')}-{number}",
            title=f"{prefix} {number}",
            service=("travaux", "population", "finances")[number % 3],
            category=("administration", "travaux", "finances")[number % 3],
        )
        set_state(item, "validated", "")
        items.append(item)
    return items


def meeting_with(world, count, day):
    meeting = api.content.create(
        container=world.college, type="meeting", id=f"seance-{day:%Y%m%d}", date=day
    )
    workflows.present(validated_items(world, count, f"Point {day:%Y%m%d}"), meeting)
    return meeting


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    portal, teardown = throwaway_site(MEETINGS)
    try:
        world = build(portal, users=False)
        listings = {count: documents_listing(portal, count) for count in (50, 250, 500)}
        print(HEADER)

        big = meeting_with(world, 500, datetime(2026, 12, 8, 20, 0))
        page = big.restrictedTraverse("@@view")
        row(
            "meeting page, 500 items (vs listing of 500)",
            measure(page, args.runs),
            measure(listings[500], args.runs),
            goal=1,
        )

        days = iter(datetime(2027, 1, 5, 20, 0) + timedelta(days=7 * n) for n in range(100))

        def fresh_batch():
            day = next(days)
            meeting = api.content.create(
                container=world.college, type="meeting", id=f"m{day:%Y%m%d}", date=day
            )
            return meeting, validated_items(world, 50, f"Lot {day:%Y%m%d}")

        row(
            "present 50 validated items at once (vs listing of 50)",
            measure(
                lambda batch: workflows.present(batch[1], batch[0]), args.runs, setup=fresh_batch
            ),
            measure(listings[50], args.runs),
            goal=3,
        )

        world.college.members = [
            {
                "id": f"m{n}",
                "person": f"Membre {n}",
                "function": "Conseiller",
                "voting": True,
                "signatory_order": None,
                "active_from": None,
                "active_to": None,
                "userid": None,
            }
            for n in range(50)
        ]
        voted = meeting_with(world, 1, datetime(2027, 6, 1, 20, 0))
        (item,) = [
            brain._unrestrictedGetObject()
            for brain in api.portal.get_tool("portal_catalog").unrestrictedSearchResults(
                meeting_uid=voted.UID()
            )
        ]
        values = ("yes", "no", "abstain")
        votes.encode(
            item,
            [
                {
                    "label": f"Amendement {v}",
                    "secret": False,
                    "voters": {f"m{n}": values[(n + v) % 3] for n in range(50)},
                }
                for v in range(30)
            ],
        )
        votes_page = item.restrictedTraverse("@@votes")
        row(
            "votes page, 50 members x 30 votes (vs listing of 50)",
            measure(votes_page, args.runs),
            measure(listings[50], args.runs),
            goal=0.3,
        )

        world.college.members = MEMBERS
        meeting250 = meeting_with(world, 250, datetime(2027, 9, 7, 20, 0))
        templates = portal["templates"]["meetings"]
        for template_id, name in (
            ("ordre_du_jour-odt", "agenda"),
            ("proces_verbal-odt", "minutes"),
        ):
            template = templates[template_id]
            row(
                f"{name} of a 250-item meeting as ODT (vs listing of 250)",
                measure(lambda t=template: generation.render(meeting250, t, "odt"), args.runs),
                measure(listings[250], args.runs),
                goal=10,
            )
    finally:
        teardown()


if __name__ == "__main__":
    main()
