"""Benchmark of the meetings application (issue 4).

Each figure is printed beside the time this machine takes, in the same run,
to render a plain Plone folder listing (``folder_listing`` of a Folder) of
the same number of Documents, with the ratio. Goals, on a 2-core machine:

- the page of a meeting with 500 items, unpaginated: under 1 s server time;
- presenting 50 validated items at once: under 0.6 s (issue 12; it took 1.6 s,
  18x the baseline: see docs/meetings.rst);
- the "À faire" page of a user in 10 services, with 20,000 items in the body:
  under 300 ms (issue 12; ``--todo-items`` sets the volume);
- the votes page of an item with 50 voting members and 30 votes: under 300 ms;
- the agenda and the minutes of a 250-item meeting as ODT: under 10 s (each);
- the councillor's file (PDF) of a 100-item meeting with 300 annexes to print,
  built in the background (from the commit that starts it to the file stored):
  under 60 s; beside LibreOffice alone converting the same 100 items' pages.

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
    parser.add_argument("--todo-items", type=int, default=20000)
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
            goal=0.6,
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
        todo_dashboard(world, listings[50], args.runs, args.todo_items)
    finally:
        teardown()
    councillors_file(args.runs)


def todo_dashboard(world, listing, runs, count):
    """The "À faire" page of a user who edits, reviews and advises for 10 services,
    in a body of ``count`` items: most decided, 1% proposed (to validate), 2%
    awaiting an advice, 0.5% returned to their service."""
    from communesplone.core import services
    from communesplone.core.testing import set_services
    from communesplone.meetings import advices
    from Products.CMFCore.indexing import processQueue

    import time

    rows = [{"id": f"service{n}", "title": f"Service {n}", "email": None} for n in range(12)]
    set_services([*services.get_all(), *rows])
    ids = [row["id"] for row in rows]
    if api.user.get(username="todo") is None:
        api.user.create(username="todo", email="todo@example.org", password="secret-password")
    for service_id in ids[:10]:
        for function in ("editors", "reviewers", "advisers"):
            api.group.add_user(groupname=services.group_id(service_id, function), username="todo")
    started = time.perf_counter()
    with api.env.adopt_roles(["Manager"]):
        for number in range(count):
            service = ids[number % len(ids)]
            values = {}
            if number % 50 == 1:
                values["advices_asked"] = [{"service": ids[(number + 1) % 10], "deadline_days": 15}]
            item = api.content.create(
                container=world.college,
                type="meeting_item",
                id=f"todo-{number}",
                title=f"Point {number}",
                service=service,
                **values,
            )
            if number % 50 == 1:
                set_state(item, "proposed", "")
                advices.ask(item, again=True)
                item.reindexObject()
            elif number % 100 == 0:
                set_state(item, "proposed", "")
            elif number % 200 == 3:
                set_state(item, "returned_to_proposing_group", "")
            else:
                set_state(item, "accepted", "")
            if number % 1000 == 999:
                processQueue()
    processQueue()
    print(f"({count} items built in {time.perf_counter() - started:.0f} s)", flush=True)
    page = api.portal.get().restrictedTraverse("@@todo")

    def todo_page():
        with api.env.adopt_user(username="todo"):
            return page()

    row(
        f"'A faire' of a user in 10 services, {count} items (vs listing of 50)",
        measure(todo_page, runs),
        measure(listing, runs),
        goal=0.3,
    )


def annex_pdf(pages):
    import io
    import pypdf

    writer = pypdf.PdfWriter()
    for _index in range(pages):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def councillors_file(runs):
    """The councillor's file of 100 items with 3 annexes each (1 to 3 pages), in the
    background, against LibreOffice converting the items' pages alone.

    In a site of its own, on the functional layer: the build's thread reads
    what the benchmark commits (the integration layer forbids commits).
    """
    from AccessControl.SecurityManagement import newSecurityManager
    from communesplone.core.testing import set_up_outside_pytest
    from communesplone.documents import libreoffice
    from communesplone.meetings import councillor
    from communesplone.meetings import previews
    from plone.app.testing import SITE_OWNER_NAME
    from plone.app.textfield.value import RichTextValue
    from plone.namedfile.file import NamedBlobFile
    from zope.component.hooks import setSite

    import os
    import tempfile
    import transaction

    runs = min(runs, 3)  # each run is a whole build
    functional = MEETINGS.functional
    done = set_up_outside_pytest(functional)
    functional.testSetUp()
    work = tempfile.mkdtemp(prefix="bench-councillor-")
    servers = libreoffice.start(libreoffice.free_ports(2), os.path.join(work, "lo"))
    os.environ[libreoffice.ENV_HOST] = servers.host
    os.environ[libreoffice.ENV_PORTS] = ",".join(str(port) for port in servers.ports)
    try:
        portal, app = functional["portal"], functional["app"]
        setSite(portal)
        newSecurityManager(None, app.acl_users.getUser(SITE_OWNER_NAME).__of__(app.acl_users))
        world = build(portal, users=False)
        meeting = meeting_with(world, 100, datetime(2027, 10, 5, 20, 0))
        files = {pages: annex_pdf(pages) for pages in (1, 2, 3)}
        items = councillor.visible_items(meeting)
        motivation = "<p>" + "Vu le Code de la démocratie locale et de la décentralisation. " * 8
        for item in items:
            item.motivation = RichTextValue(motivation + "</p>", "text/html", "text/x-html-safe")
            for number in range(3):
                api.content.create(
                    container=item,
                    type="meeting_annex",
                    title=f"Annexe {number + 1}",
                    annex_type="annex",
                    file=NamedBlobFile(files[number + 1], filename=f"annexe-{number}.pdf"),
                )
        transaction.commit()
        language = councillor._language()
        html = councillor._document(
            [councillor.item_html(item, language, first=i == 0) for i, item in enumerate(items)],
            meeting.Title(),
        ).encode("utf-8")

        def in_background():
            councillor.start(meeting)
            transaction.commit()
            councillor.wait(meeting)
            transaction.begin()
            status = councillor.status(meeting)
            assert status["state"] == "done" and status["ready"], status

        row(
            "councillor's PDF, 100 items + 300 annexes (vs LO alone)",
            measure(in_background, runs),
            measure(lambda: previews.convert(html, "html"), runs),
            goal=60,
        )
    finally:
        servers.stop()
        functional.testTearDown()
        for layer in reversed(done):
            layer.tearDown()


if __name__ == "__main__":
    main()
