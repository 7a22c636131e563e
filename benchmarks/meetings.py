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

The "À faire" volume: a user is editor, reviewer and adviser of 10 of 12
services; of the body's ``--todo-items`` items (a service each in turn), 1%
are proposed (to validate), 2% proposed and awaiting the advice of one of the
user's services (delays of 5 to 34 days), 0.5% returned to their service,
the rest decided (``todo_kind``). The first item of each kind is made the
real way (created, put in its state as copies are, the advice asked by
``advices.ask``, a decided or returned item first presented to a meeting);
the others are clones of it (``benchlib``: a copy with its own id, UID,
local roles and workflow history, stored with ``_setOb``), catalogued from
their template's recorded entry with their own values: id, path, UID,
title, service, reference and number in the meeting, the advice asked (its
service, delay and due date), and, read again through the real indexers,
the texts that name them, the advices pending and due, and the security
(``allowedRolesAndUsers`` follows the local roles of the clone's service and
of the service asked for an advice). ``--check`` clones (the first two of
each kind among them) are then reindexed the real way and every index and
metadata value compared with what was written (the run prints the
mismatches: none expected), and the page's counts are compared with what
the proportions predict. A savepoint after each 2,000 clones.

Run: ``.venv/bin/python benchmarks/meetings.py [--runs 5] [--todo-items 20000]
[--check 20] [--only meeting,present,votes,odt,todo,councillor]``.
"""

from benchlib import compare
from benchlib import fresh_copy
from benchlib import HEADER
from benchlib import measure
from benchlib import memoized_date_conversion
from benchlib import print_comparison
from benchlib import record
from benchlib import row
from benchlib import savepoint
from benchlib import write
from communesplone.core import services
from communesplone.core.testing import MEETINGS
from communesplone.core.testing import set_services
from communesplone.core.testing import throwaway_site
from communesplone.documents import generation
from communesplone.meetings import advices
from communesplone.meetings import agenda
from communesplone.meetings import votes
from communesplone.meetings import workflows
from communesplone.meetings.copies import set_state
from communesplone.meetings.testing import build
from communesplone.meetings.testing import MEMBERS
from datetime import datetime
from datetime import timedelta
from plone import api
from Products.CMFCore.indexing import processQueue
from zope.annotation.interfaces import IAnnotations

import argparse
import time


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


FIGURES = ("meeting", "present", "votes", "odt", "todo", "councillor")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--todo-items", type=int, default=20000)
    parser.add_argument(
        "--check",
        type=int,
        default=20,
        help="reindex so many of the todo items' clones the real way and compare their entries",
    )
    parser.add_argument(
        "--only",
        default=",".join(FIGURES),
        help=f"the figures to measure, among {','.join(FIGURES)} (default: all)",
    )
    args = parser.parse_args()
    only = set(args.only.split(","))
    assert only <= set(FIGURES), f"--only: among {','.join(FIGURES)}"
    portal, teardown = throwaway_site(MEETINGS)
    try:
        world = build(portal, users=False)
        listings = {count: documents_listing(portal, count) for count in (50, 250, 500)}
        print(HEADER)
        if "meeting" in only:
            big = meeting_with(world, 500, datetime(2026, 12, 8, 20, 0))
            page = big.restrictedTraverse("@@view")
            row(
                "meeting page, 500 items (vs listing of 500)",
                measure(page, args.runs),
                measure(listings[500], args.runs),
                goal=1,
            )
        if "present" in only:
            present_fifty(world, listings[50], args.runs)
        if "votes" in only:
            votes_page(world, listings[50], args.runs)
        if "odt" in only:
            agenda_and_minutes(world, portal, listings[250], args.runs)
        if "todo" in only:
            todo_dashboard(world, listings[50], args.runs, args.todo_items, args.check)
    finally:
        teardown()
    if "councillor" in only:
        councillors_file(args.runs)


def present_fifty(world, listing, runs):
    """Presenting 50 validated items to a meeting at once (the meeting page's
    batch action), each run to a new meeting with 50 new items, made and
    catalogued before the clock starts; the clock stops once the items
    presented are reindexed (what the request does until its commit)."""
    days = iter(datetime(2027, 1, 5, 20, 0) + timedelta(days=7 * n) for n in range(100))

    def fresh_batch():
        day = next(days)
        meeting = api.content.create(
            container=world.college, type="meeting", id=f"m{day:%Y%m%d}", date=day
        )
        batch = meeting, validated_items(world, 50, f"Lot {day:%Y%m%d}")
        # catalogued now, as at the end of the requests that made them: not by
        # the first catalog query of the timed presentation (that was 40% of it)
        processQueue()
        return batch

    def present_and_catalog(batch):
        meeting, items = batch
        workflows.present(items, meeting)
        processQueue()  # their reindexing, as the request's commit does

    row(
        "present 50 validated items at once (vs listing of 50)",
        measure(present_and_catalog, runs, setup=fresh_batch),
        measure(listing, runs),
        goal=0.6,
    )


def votes_page(world, listing, runs):
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
    page = item.restrictedTraverse("@@votes")
    row(
        "votes page, 50 members x 30 votes (vs listing of 50)",
        measure(page, runs),
        measure(listing, runs),
        goal=0.3,
    )
    world.college.members = MEMBERS


def agenda_and_minutes(world, portal, listing, runs):
    meeting250 = meeting_with(world, 250, datetime(2027, 9, 7, 20, 0))
    templates = portal["templates"]["meetings"]
    for template_id, name in (
        ("ordre_du_jour-odt", "agenda"),
        ("proces_verbal-odt", "minutes"),
    ):
        template = templates[template_id]
        row(
            f"{name} of a 250-item meeting as ODT (vs listing of 250)",
            measure(lambda t=template: generation.render(meeting250, t, "odt"), runs),
            measure(listing, runs),
            goal=10,
        )


# The "À faire" volume ---------------------------------------------------------------

TODO_SERVICES = [f"service{n}" for n in range(12)]
USER_SERVICES = TODO_SERVICES[:10]  # the user edits, reviews and advises for these
FUNCTIONS = ("editors", "reviewers", "advisers")
KINDS = ("proposed", "advice", "decided", "returned")


def todo_kind(number):
    """The kind of the item ``number``: most decided, 1% proposed (to validate),
    2% awaiting an advice (proposed, too), 0.5% returned to their service."""
    if number % 50 == 1:
        return "advice"
    if number % 100 == 0:
        return "proposed"
    if number % 200 == 3:
        return "returned"
    return "decided"


def todo_service(number):
    return TODO_SERVICES[number % len(TODO_SERVICES)]


def todo_adviser(number):
    """The service (one of the user's) whose advice the item ``number`` awaits."""
    return USER_SERVICES[(number + 1) % len(USER_SERVICES)]


def todo_delay(number):
    """The advice's delay in days (5 to 34): the due dates spread over a month."""
    return 5 + number % 30


def predicted_counts(count):
    """{section of the page: number of items} that the proportions give."""
    found = {"to_validate": 0, "advices": 0, "returned": 0}
    for number in range(count):
        kind, mine = todo_kind(number), todo_service(number) in USER_SERVICES
        found["to_validate"] += kind in ("proposed", "advice") and mine
        found["advices"] += kind == "advice"  # always asked of one of the user's services
        found["returned"] += kind == "returned" and mine
    return found


def make_todo_item(body, meeting, number):
    """The item ``number`` made the real way (the template of its kind).

    Created, then put in its state as the copies are (``set_state``); an
    advice asked the real way (``advices.ask``) on the proposal; a decided or
    returned item first presented to ``meeting`` (its number and reference).
    """
    kind = todo_kind(number)
    values = {}
    if kind == "advice":
        values["advices_asked"] = [
            {"service": todo_adviser(number), "deadline_days": todo_delay(number)}
        ]
    item = api.content.create(
        container=body,
        type="meeting_item",
        id=f"todo-{number}",
        title=f"Point {number}",
        service=todo_service(number),
        **values,
    )
    if kind in ("proposed", "advice"):
        set_state(item, "proposed", "")
        if kind == "advice":
            advices.ask(item, again=True)
            item.reindexObject()
    else:
        set_state(item, "validated", "")
        assert not workflows.present([item], meeting)
        set_state(item, "accepted" if kind == "decided" else "returned_to_proposing_group", "")
    return item


# What the catalog reads of an item that is the clone's own, read again from it
# through the real indexers: the texts that name it (its id, title and
# reference), its security (the local roles of its service and of the service
# asked for an advice) and its last change; of an item awaiting an advice, the
# advice's.
OWN = (
    "Title",
    "sortable_title",
    "SearchableText",
    "allowedRolesAndUsers",
    "modified",
    "ModificationDate",
    "Date",
)
OWN_ADVICE = ("advices_pending", "advices_due")


class TodoTemplate:
    """An item made the real way, and what the catalog reads of it."""

    def __init__(self, item, catalog):
        self.item = item
        self.kind = todo_kind(int(item.getId().rsplit("-", 1)[1]))
        self.entry = record(catalog, item)
        self.reread = OWN + (OWN_ADVICE if self.kind == "advice" else ())
        # the advice asked (a record of ``advices.ask``), or None
        (self.advice_request,) = (item.advice_requests or {None: None}).values()


def clone_todo_item(body, template, number, meeting, catalog, due_dates):
    """The item ``number``: a catalogued copy of ``template`` (of its kind).

    Its own id, UID, title, service (and so the local roles of its service)
    and date of last change; for an advice, the service asked, the delay and
    the due date (as ``advices.ask`` records them); for an item of a meeting,
    its number and reference (``agenda``'s format). Stored with ``_setOb``
    (the body's order of contents follows), catalogued from the template's
    entry with these values (``write``).
    """
    clone = fresh_copy(template.item, f"todo-{number}")
    clone.title = f"Point {number}"
    clone.service = todo_service(number)
    # changed a minute earlier than the one before it: 20,000 over two weeks
    clone.modification_date = template.item.modification_date - number / (24 * 60)
    own = {"service": clone.service}
    if template.advice_request is not None:
        adviser, days = todo_adviser(number), todo_delay(number)
        clone.advices_asked = [{"service": adviser, "deadline_days": days}]
        request = dict(template.advice_request, service=adviser, days=days)
        if days not in due_dates:
            due_dates[days] = advices.due_date(request)
        request["due"] = due_dates[days]
        clone.advice_requests = {adviser: request}
    if template.item.reference:
        clone.item_number = (number + 1) * 100
        clone.reference = agenda._reference(meeting, clone, clone.item_number)
        own.update(reference=clone.reference, item_number=clone.item_number)
    body._setOb(clone.id, clone)
    clone = body._getOb(clone.id)
    write(catalog, clone, (*body.getPhysicalPath(), clone.id), template.entry, own, template.reread)


def build_todo(body, count, batch=2000):
    """``count`` items in ``body``: the first of each kind made the real way, the
    others clones of it. A savepoint after each ``batch`` clones."""
    catalog = api.portal.get_tool("portal_catalog")
    meeting = api.content.create(
        container=body, type="meeting", id="todo-seance", date=datetime(2026, 11, 3, 20, 0)
    )
    firsts = {}
    for number in range(count):
        firsts.setdefault(todo_kind(number), number)
        if len(firsts) == len(KINDS):
            break
    made = {kind: make_todo_item(body, meeting, number) for kind, number in firsts.items()}
    processQueue()  # the templates catalogued
    templates = {kind: TodoTemplate(item, catalog) for kind, item in made.items()}
    started = time.perf_counter()
    connection, due_dates = body._p_jar, {}
    clones = [number for number in range(count) if number not in firsts.values()]
    with memoized_date_conversion():
        for index, number in enumerate(clones):
            template = templates[todo_kind(number)]
            clone_todo_item(body, template, number, meeting, catalog, due_dates)
            if index % batch == batch - 1 or index == len(clones) - 1:
                savepoint(connection)
                print(
                    f"  ({index + 1} items cloned, {time.perf_counter() - started:.0f} s)",
                    flush=True,
                )
    catalog._increment_counter()
    return firsts


def check_todo(body, count, sample, firsts):
    """Reindex ``sample`` clones the real way, the first two of each kind among
    them: (entries, [mismatches])."""
    numbers = {index * count // sample for index in range(sample)}
    for kind in KINDS:
        numbers.update([n for n in range(count) if todo_kind(n) == kind][1:3])
    numbers -= set(firsts.values())
    objects = [body._getOb(f"todo-{number}") for number in sorted(numbers)]
    return compare(api.portal.get_tool("portal_catalog"), objects)


def fresh_page(context, name):
    """Render the view ``name`` of ``context`` as a new request would: nothing
    memoized on the request (plone.memoize, the user's meetings work)."""
    annotations = IAnnotations(context.REQUEST)
    for key in list(annotations):
        if key == "plone.memoize" or str(key).startswith("communesplone.meetings.work:"):
            del annotations[key]
    view = context.restrictedTraverse(name)
    return view, view()


def todo_dashboard(world, listing, runs, count, sample):
    """The "À faire" page of a user who edits, reviews and advises for 10 of 12
    services, in a body of ``count`` items (see ``todo_kind``)."""
    rows = [{"id": name, "title": f"Service {name[7:]}", "email": None} for name in TODO_SERVICES]
    set_services([*services.get_all(), *rows])
    if api.user.get(username="todo") is None:
        api.user.create(username="todo", email="todo@example.org", password="secret-password")
    for service_id in USER_SERVICES:
        for function in FUNCTIONS:
            api.group.add_user(groupname=services.group_id(service_id, function), username="todo")
    started, cpu = time.perf_counter(), time.process_time()
    with api.env.adopt_roles(["Manager"]):
        firsts = build_todo(world.college, count)
    built, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"({count} items built in {built:.0f} s, {cpu:.0f} s of CPU)", flush=True)
    if sample:
        print_comparison(*check_todo(world.college, count, min(sample, count), firsts))
    portal = api.portal.get()
    with api.env.adopt_user(username="todo"):
        view, html = fresh_page(portal, "@@todo")
        found = {section["id"]: section["count"] for section in view.sections()}
    expected = predicted_counts(count)
    print(
        f"(the page: {found}; the proportions predict {expected}: "
        f"{'equal' if found == expected else 'DIFFERENT'})",
        flush=True,
    )

    def todo_page():
        with api.env.adopt_user(username="todo"):
            return fresh_page(portal, "@@todo")

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
    from communesplone.core.i18n import commune_language
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
                    id=f"annexe-{number + 1}",  # no renaming (nor its uncatalog errors)
                    title=f"Annexe {number + 1}",
                    annex_type="annex",
                    file=NamedBlobFile(files[number + 1], filename=f"annexe-{number}.pdf"),
                )
        transaction.commit()
        language = commune_language()
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
