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
to 400 days, so the deadlines spread over the year), added with
``_setObject`` without events, then cataloged (``catalog_object``; the
deadlines are computed by the indexers, as for a real file). A file older
than 25 days is a clone of the *instructed* one, older than 125 days of the
*decided* one, except one in 200, left *recent* (forgotten opinions: overdue
rows). The cadastre is the project's own demo village
(``demo_cadastre.install``), of ``--parcels`` parcels.

Run: ``.venv/bin/python benchmarks/urban.py [--runs 5] [--licences 20000]
[--parcels 100000]``. The full volume takes long on 2 shared cores (about
11 catalog entries per licence): see docs/urban.rst (Performance) for the
figures and the time the build took.
"""

from Acquisition import aq_base
from benchlib import HEADER
from benchlib import measure
from benchlib import row
from BTrees.OOBTree import OOBTree
from communesplone.core.testing import throwaway_site
from communesplone.core.testing import URBAN
from communesplone.urban import cadastre
from communesplone.urban import constants
from communesplone.urban import demo_cadastre
from communesplone.urban import gis
from communesplone.urban import testing
from datetime import date
from datetime import timedelta
from persistent.mapping import PersistentMapping
from plone import api
from plone.uuid.interfaces import IMutableUUID
from zope.annotation.interfaces import IAnnotations

import argparse
import copy
import time
import transaction
import uuid


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


def _fresh(template, new_id):
    """A copy of ``template`` (a licence or an event) as a new, empty container."""
    clone = copy.copy(aq_base(template))
    clone.id = new_id
    clone._initBTrees()  # its own (empty) contents
    clone.__annotations__ = OOBTree()  # its own order of contents
    clone.__ac_local_roles__ = copy.deepcopy(template.__ac_local_roles__)
    clone.workflow_history = PersistentMapping(template.workflow_history)
    IMutableUUID(clone).set(uuid.uuid4().hex)
    return clone


def clone_licence(desk, template, number, shift, manager, catalog):
    """A cataloged copy of ``template`` and its events, dated ``shift`` days earlier."""
    year = TODAY.year - 1
    clone = _fresh(template, f"bulk-{number}")
    clone.reference = f"{template.reference.split('/')[0]}/{year}/B{number:05d}"
    clone.folder_managers = [manager]
    desk._setObject(clone.id, clone, suppress_events=True)
    clone = desk._getOb(clone.id)
    for event in template.objectValues():
        copied = _fresh(event, event.getId())
        for name in DATE_FIELDS:
            value = getattr(aq_base(event), name, None)
            if value is not None:
                setattr(copied, name, value - timedelta(days=shift))
        clone._setObject(copied.id, copied, suppress_events=True)
    catalog.catalog_object(clone, "/".join(clone.getPhysicalPath()))
    for event in clone.objectValues():
        catalog.catalog_object(event, "/".join(event.getPhysicalPath()))


def build_licences(desk, count, started):
    """The three templates and ``count`` clones of them (see the module's docstring)."""
    catalog = api.portal.get_tool("portal_catalog")
    templates = {
        stage: make_template(desk, stage, TODAY - timedelta(days=5))
        for stage in ("recent", "instructed", "decided")
    }
    for number in range(count):
        shift = number * SPREAD // max(count, 1)
        if number % FORGOTTEN == 0 or shift < RECENT:
            stage = "recent"
        elif shift < INSTRUCTED:
            stage = "instructed"
        else:
            stage = "decided"
        clone_licence(
            desk, templates[stage], number, shift, MANAGERS[number % len(MANAGERS)], catalog
        )
        if number % 1000 == 999:
            transaction.savepoint(optimistic=True)
            print(
                f"  ({number + 1} licences cloned, {time.perf_counter() - started:.0f} s)",
                flush=True,
            )
    return templates


def fresh(context, name):
    """Render the view ``name`` of ``context`` as a new request would (nothing memoized)."""
    IAnnotations(context.REQUEST).pop("plone.memoize", None)
    return context.restrictedTraverse(name)()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--licences", type=int, default=20000)
    parser.add_argument("--parcels", type=int, default=100000)
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

        started = time.perf_counter()
        build_licences(desk, args.licences, started)
        built = time.perf_counter() - started
        licences = len(catalog.unrestrictedSearchResults(portal_type=constants.LICENCES))
        events = len(catalog.unrestrictedSearchResults(portal_type=constants.EVENTS))
        print(f"({licences} licences, {events} events, built in {built:.0f} s)", flush=True)

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
            print(f"(the dashboard: {len(view.overdue)} overdue, {len(view.upcoming)} due soon)")
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
