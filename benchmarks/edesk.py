"""Benchmark of the e-desk (issue 9).

Each figure is printed beside the time this machine takes, in the same run,
for plain Plone: creating a Document (for a submission) and rendering a
Folder's ``folder_listing`` (for the listings), with the ratio. Goals of the
issue, on a 2-core machine:

- a submission (create, number, submit, notify): median under 300 ms;
- the staff listing, first page, with many requests in the catalog: under 200 ms
  (the issue asks for 100,000; ``--requests`` sets how many this run builds);
- a citizen space with 50 requests: under 150 ms.

Run: ``.venv/bin/python benchmarks/edesk.py [--runs 5] [--requests 100]`` (citizen B
makes half of the requests: 100 gives the issue's citizen space of 50).
"""

from benchlib import HEADER
from benchlib import measure
from benchlib import row
from communesplone.core.testing import EDESK
from communesplone.core.testing import throwaway_site
from communesplone.edesk.testing import build
from communesplone.edesk.testing import CERTIFICATE_VALUES
from plone import api

import argparse
import itertools


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    portal, teardown = throwaway_site(EDESK)
    try:
        world = build(portal)
        folder = api.content.create(container=portal, type="Folder", id="baseline", title="B")
        counter = itertools.count()
        print(HEADER)

        def submit():
            world.request(user="citizen_a", values=CERTIFICATE_VALUES)

        def document():
            api.content.create(container=folder, type="Document", id=f"d{next(counter)}", title="D")

        row(
            "submission (vs creating a Document)",
            measure(submit, args.runs),
            measure(document, args.runs),
            goal=0.3,
        )

        for number in range(args.requests):
            world.request(user=("citizen_a", "citizen_b")[number % 2], values=CERTIFICATE_VALUES)
        for number in range(50):
            api.content.create(container=folder, type="Document", id=f"l{number}", title="L")
        listing = folder.restrictedTraverse("@@folder_listing")

        with api.env.adopt_user(username="editor"):
            staff = world.desk.restrictedTraverse("@@requests-admin")
            row(
                f"staff listing, first page of {args.requests} (vs listing of 50+)",
                measure(staff, args.runs),
                measure(listing, args.runs),
                goal=0.2,
            )
        with api.env.adopt_user(username="citizen_b"):
            mine = world.desk.restrictedTraverse("@@my-requests")
            row(
                f"citizen space, {args.requests // 2} requests (vs listing of 50+)",
                measure(mine, args.runs),
                measure(listing, args.runs),
                goal=0.15,
            )
    finally:
        teardown()


if __name__ == "__main__":
    main()
