"""Benchmark of urban (issue 10): the deadlines dashboard and the cadastre.

Goals of the issue, with 20,000 licences of 10 events each and a cadastre
of 100,000 parcels:

- the deadlines dashboard (``@@urban-deadlines``, a folder manager's): under
  300 ms;
- a parcel search: under 100 ms;
- the 50 m neighbour query: under 200 ms.

Each figure is printed beside the time this machine takes, in the same run,
for plain Plone: rendering a Folder's ``folder_listing`` of 50 Documents (for
the dashboard, a listing page), and a catalog search on SearchableText of the
whole catalog, first 50 brains (for the parcel search and the neighbours,
what Plone takes to answer a search), with the ratio.

The volume: three licences are made the real way, with their 10 events each
(``testing.make_licence``, ``testing.add_event``: references, workflow,
subscribers, deadlines indexed), one per stage of a file: *recent* (opinion
requests sent, not answered), *instructed* (the opinions received, the
decision due) and *decided* (the college's decision recorded). The other
licences are clones of them, made fast: each a copy of the licence's
attributes and of its events', with their own ids, UIDs, reference,
folder manager (four in turn) and dates (the whole timeline moved back by 0
to 400 days, so the deadlines spread over the year), stored with ``_setOb``
(no events), and cataloged without computing again, for each clone, what is
the same as its template's: the catalog's reads of each template (and of its
events) are recorded once, when it is indexed the real way, and each clone's
entries are written from them (``Catalog.catalogObject``) with the clone's own
values: path, id, UID, reference, folder manager, event dates, the texts that
name the reference (read through the real indexers), and its deadlines,
computed once per clone by ``deadlines.compute`` from the template's facts
moved back (the indexers would compute them 8 times). After the build,
``--check`` clones (and their events) are reindexed the real way
(``catalog_object``) and every index value and metadata column compared with
what the build wrote: the run prints the mismatches (none expected). A
savepoint after each 2,000 clones keeps the memory bounded. (Recording,
copying, writing and comparing entries are ``benchlib``'s, shared with the
meetings benchmark.)

A file older than 25 days is a clone of the *instructed* one, older than 125
days of the *decided* one, except one in 200, left *recent* (forgotten
opinions: overdue rows). The cadastre is the project's own demo village
(``demo_cadastre.install``), of ``--parcels`` parcels.

Run: ``.venv/bin/python benchmarks/urban.py [--runs 5] [--licences 20000]
[--parcels 100000] [--check 20]``. The build takes about 35 ms of CPU per
licence (11 catalog entries, 11 objects stored at the savepoints): see
docs/urban.rst (Performance) for the figures and the time the build took.
"""

from Acquisition import aq_base
from benchlib import compare
from benchlib import fresh_copy
from benchlib import HEADER
from benchlib import measure
from benchlib import memoized_date_conversion
from benchlib import mentions
from benchlib import MISSING
from benchlib import print_comparison
from benchlib import record
from benchlib import row
from benchlib import savepoint
from benchlib import write
from communesplone.core import calendar as core_calendar
from communesplone.core.testing import throwaway_site
from communesplone.core.testing import URBAN
from communesplone.urban import cadastre
from communesplone.urban import constants
from communesplone.urban import deadlines
from communesplone.urban import demo_cadastre
from communesplone.urban import gis
from communesplone.urban import indexers
from communesplone.urban import testing
from datetime import date
from datetime import timedelta
from plone import api
from Products.CMFCore.indexing import processQueue
from zope.annotation.interfaces import IAnnotations

import argparse
import dataclasses
import time
import transaction


MANAGERS = ("editor", "reviewer", "observer", "other_staff")
SPREAD = 400  # days: the clones' timelines end between today and this long ago
RECENT, INSTRUCTED = 25, 125  # days: the age of a file at each stage
FORGOTTEN = 200  # one file in so many stays at its first stage
TODAY = date.today()

# The ten events of a template file: (event type, days after the deposit, fields)
OPINIONS = ("opinion_spw_mobility", "opinion_fd", "opinion_fire")
TIMELINE = (
    ("deposit", 0, {}),
    ("receipt", 1, {}),
    ("complete", 8, {}),
    ("acknowledgement", 9, {}),
    *((name, 10, {"sent_date": 10}) for name in OPINIONS),
    ("inquiry", 12, {}),
    ("college_opinion", 30, {}),
)


def stage_events(stage):
    """The template's last event: what the file's stage adds to the first nine."""
    if stage == "decided":
        return ("college_decision", 60, {})
    return ("missing_parts", 2, {})


def make_template(desk, stage, deposit):
    """A licence made the real way with its 10 events, deposited on ``deposit``."""
    licence = testing.make_licence(desk, folder_managers=[MANAGERS[0]])
    for event_type, offset, fields in (*TIMELINE, stage_events(stage)):
        values = {
            name: deposit + timedelta(days=value) if isinstance(value, int) else value
            for name, value in fields.items()
        }
        if stage != "recent" and "sent_date" in values:
            values["received_date"] = values["sent_date"] + timedelta(days=20)
        testing.add_event(
            licence, event_type, event_date=deposit + timedelta(days=offset), **values
        )
    return licence


DATE_FIELDS = ("event_date", "sent_date", "received_date")
# What the catalog reads of an object that differs from one clone to another
# is the clone's own (``_catalog_clone``): its id, path, UID, reference, folder
# manager, event date and deadlines, and the texts that name its reference
# (read from the clone through its real indexers). Everything else is the
# template's, recorded once.
REFERENCE_TEXTS = ("Title", "sortable_title", "SearchableText", "urban_public")


class Template:
    """A licence made the real way, and what the catalog reads of it and its events."""

    def __init__(self, licence, catalog):
        self.licence = licence
        self.reference = licence.reference
        self.events = list(licence.objectValues())
        self.entries = {None: record(catalog, licence)}
        for event in self.events:
            self.entries[event.getId()] = record(catalog, event)
        # the texts to read again from each clone: those that name the reference
        self.reread = {
            key: mentions(values, self.reference, REFERENCE_TEXTS)
            for key, values in self.entries.items()
        }
        self.licence_type = licence.licence_type
        self.facts = deadlines.facts_of(licence)
        self.delays = deadlines.delays_of(licence)
        # the clones keep the template's workflow history (its dates too)
        self.suspensions = deadlines.suspensions_of(licence)
        self.transitions = deadlines.transitions_of(licence)


def _earlier(value, shift):
    return value - timedelta(days=shift) if value is not None else None


def clone_deadlines(template, shift, calendar):
    """{event id or None (the licence): its next open deadline} of a clone ``shift`` days earlier.

    What ``deadlines.next_deadline`` gives for each, computed once.
    """
    facts = [
        dataclasses.replace(
            fact,
            date=_earlier(fact.date, shift),
            sent=_earlier(fact.sent, shift),
            received=_earlier(fact.received, shift),
        )
        for fact in template.facts
    ] + template.transitions
    found = deadlines.compute(
        template.licence_type,
        facts,
        calendar,
        delays=template.delays,
        suspensions=template.suspensions,
    )
    due = {None: deadlines.next_open(found, opinions=False)}
    for deadline in found:
        if deadline.rule == deadlines.OPINION and deadline.key not in due:
            due[deadline.key] = deadline if deadline.open else None
    return due


EVENT_DATES = {}  # date: what the indexer urban_event_date gives for it


def _event_date(event):
    day = event.event_date
    if day not in EVENT_DATES:
        EVENT_DATES[day] = indexers.event_date(event)()
    return EVENT_DATES[day]


def _catalog_clone(catalog, obj, path, entry, reread, deadline, licence):
    """Catalog ``obj`` (at ``path``, a tuple) with the template's ``entry`` and its own values."""
    own = {}
    if entry.get(constants.INDEX_REFERENCE, MISSING) is not MISSING:
        own[constants.INDEX_REFERENCE] = licence.reference
    if entry.get(constants.INDEX_FOLDER_MANAGERS, MISSING) is not MISSING:
        own[constants.INDEX_FOLDER_MANAGERS] = tuple(licence.folder_managers)
    if entry.get(constants.INDEX_EVENT_DATE, MISSING) is not MISSING:
        own[constants.INDEX_EVENT_DATE] = _event_date(obj)
    if deadline is None:
        own[constants.INDEX_DEADLINE] = own[constants.INDEX_DEADLINE_RULE] = MISSING
    else:
        own[constants.INDEX_DEADLINE] = deadline.due
        own[constants.INDEX_DEADLINE_RULE] = deadline.rule
    write(catalog, obj, path, entry, own, reread)


def clone_licence(desk, template, number, shift, manager, catalog, calendar):
    """A cataloged copy of ``template`` and its events, dated ``shift`` days earlier.

    Real content (the licence and its 10 events in the desk, their own ids,
    UIDs, reference, folder manager and dates; stored with ``_setOb``, without
    events, as ``_setObject`` would for these fresh valid ids), cataloged with
    what the real indexers give, without computing the same things again for
    each clone: the template's entries, with the clone's own values
    (``_catalog_clone``) and its deadlines (``clone_deadlines``). ``check``
    compares a sample with a real reindex.
    """
    year = TODAY.year - 1
    clone = fresh_copy(template.licence, f"bulk-{number}")
    clone.reference = f"{template.reference.split('/')[0]}/{year}/B{number:05d}"
    clone.folder_managers = [manager]
    desk._setOb(clone.id, clone)
    clone = desk._getOb(clone.id)
    path = (*desk.getPhysicalPath(), clone.id)
    due = clone_deadlines(template, shift, calendar)
    _catalog_clone(
        catalog, clone, path, template.entries[None], template.reread[None], due[None], clone
    )
    for event in template.events:
        key = event.getId()
        copied = fresh_copy(event, key)
        for name in DATE_FIELDS:
            value = getattr(aq_base(event), name, None)
            if value is not None:
                setattr(copied, name, value - timedelta(days=shift))
        clone._setOb(key, copied)
        _catalog_clone(
            catalog,
            clone._getOb(key),
            (*path, key),
            template.entries[key],
            template.reread[key],
            due.get(key),
            clone,
        )


def build_licences(desk, count, started, batch=2000):
    """The three templates and ``count`` clones of them (see the module's docstring).

    A savepoint after each ``batch`` clones (the objects then leave the
    cache: memory stays bounded).
    """
    catalog = api.portal.get_tool("portal_catalog")
    made = {
        stage: make_template(desk, stage, TODAY - timedelta(days=5))
        for stage in ("recent", "instructed", "decided")
    }
    processQueue()  # the templates cataloged
    templates = {stage: Template(licence, catalog) for stage, licence in made.items()}
    calendar = core_calendar.current()
    connection = desk._p_jar
    with memoized_date_conversion():
        for number in range(count):
            shift = number * SPREAD // max(count, 1)
            if number % FORGOTTEN == 0 or shift < RECENT:
                stage = "recent"
            elif shift < INSTRUCTED:
                stage = "instructed"
            else:
                stage = "decided"
            manager = MANAGERS[number % len(MANAGERS)]
            clone_licence(desk, templates[stage], number, shift, manager, catalog, calendar)
            if number % batch == batch - 1 or number == count - 1:
                savepoint(connection)
            if number % 2000 == 1999:
                print(
                    f"  ({number + 1} licences cloned, {time.perf_counter() - started:.0f} s)",
                    flush=True,
                )
    catalog._increment_counter()
    return made


def check(desk, count, sample):
    """Reindex ``sample`` clones (and their events) the real way: (entries, [mismatches]).

    Each mismatch is (path, index or column, built value, real value).
    """
    objects = []
    for number in sorted({index * count // sample for index in range(sample)}):
        licence = desk._getOb(f"bulk-{number}")
        objects += [licence, *licence.objectValues()]
    return compare(api.portal.get_tool("portal_catalog"), objects)


def fresh(context, name):
    """Render the view ``name`` of ``context`` as a new request would (nothing memoized)."""
    IAnnotations(context.REQUEST).pop("plone.memoize", None)
    return context.restrictedTraverse(name)()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--licences", type=int, default=20000)
    parser.add_argument("--parcels", type=int, default=100000)
    parser.add_argument(
        "--check",
        type=int,
        default=20,
        help="reindex so many clones the real way and compare their catalog entries",
    )
    args = parser.parse_args()
    portal, teardown = throwaway_site(URBAN)
    try:
        desk = testing.build(portal)
        folder = api.content.create(container=portal, type="Folder", id="baseline", title="B")
        api.content.transition(obj=folder, to_state="published")
        for number in range(50):
            document = api.content.create(
                container=folder, type="Document", id=f"l{number}", title=f"Maison {number}"
            )
            api.content.transition(obj=document, to_state="published")
        catalog = api.portal.get_tool("portal_catalog")

        started, cpu = time.perf_counter(), time.process_time()
        build_licences(desk, args.licences, started)
        built, cpu = time.perf_counter() - started, time.process_time() - cpu
        licences = len(catalog.unrestrictedSearchResults(portal_type=constants.LICENCES))
        events = len(catalog.unrestrictedSearchResults(portal_type=constants.EVENTS))
        print(
            f"({licences} licences, {events} events, built in {built:.0f} s, {cpu:.0f} s of CPU)",
            flush=True,
        )
        if args.check and args.licences:
            print_comparison(*check(desk, args.licences, min(args.check, args.licences)))

        started = time.perf_counter()
        records = demo_cadastre.install(desk, count=args.parcels)
        store = cadastre.get_store(desk)
        print(f"({len(store)} parcels, built in {time.perf_counter() - started:.0f} s)")
        centre = records[0]
        project = testing.make_licence(
            desk,
            parcels=[demo_cadastre.parcel_row(centre)],
            work_locations=[demo_cadastre.work_location(centre)],
        )
        transaction.savepoint(optimistic=True)
        print(HEADER)

        def listing():
            return fresh(folder, "@@folder_listing")

        def plone_search():
            return catalog(SearchableText="maison", sort_limit=50)[:50]

        with api.env.adopt_user(username=MANAGERS[0]):
            html = fresh(desk, "@@urban-deadlines")
            assert "deadlines-overdue" in html
            view = desk.restrictedTraverse("@@urban-deadlines")
            view()
            print(
                f"(the dashboard: {view.overdue_total} overdue, {view.upcoming_total} due "
                f"soon; {len(view.overdue) + len(view.upcoming)} rows shown)"
            )
            row(
                f"deadlines dashboard, {licences} licences (vs listing of 50)",
                measure(lambda: fresh(desk, "@@urban-deadlines"), args.runs),
                measure(listing, args.runs),
                goal=0.3,
            )
        with api.env.adopt_user(username="reviewer"):
            desk.REQUEST.form["manager"] = MANAGERS[3]
            row(
                "  a reviewer's, of another manager",
                measure(lambda: fresh(desk, "@@urban-deadlines"), args.runs),
                measure(listing, args.runs),
                goal=0.3,
            )
            desk.REQUEST.form.pop("manager")

        baseline = measure(plone_search, args.runs)
        owner = centre["owners"][0][0].split()[0]
        street = centre["street"].split()[-1]
        capakey = centre["capakey"]
        searches = (
            (f"parcel search, owner '{owner}'", {"owner": owner}),
            (f"parcel search, address '{street}'", {"address": street}),
            (f"parcel search, capakey '{capakey}'", {"text": capakey}),
        )
        for name, query in searches:
            found = store.search(**query)
            assert found, query
            row(
                f"{name} ({len(found)} found)",
                measure(lambda query=query: store.search(**query), args.runs),
                baseline,
                goal=0.1,
            )
        neighbours = gis.neighbours(project)
        assert neighbours
        row(
            f"neighbours within 50 m ({len(neighbours)} owners, {len(store)} parcels)",
            measure(lambda: gis.neighbours(project), args.runs),
            baseline,
            goal=0.2,
        )
    finally:
        teardown()


if __name__ == "__main__":
    main()
