"""Presenting many items at once (the meeting page's batch action): the agenda
comes out as presenting them one by one puts it, each item is catalogued once,
its security is reindexed once, and a lookup of an item's meeting does not
flush the indexing queue
(issue 12's Performance: see docs/meetings.rst, "Presenting 50 items: where the time went")."""

from collections import Counter
from communesplone.meetings import agenda
from communesplone.meetings import workflows
from communesplone.meetings.copies import set_state
from communesplone.meetings.testing import build
from datetime import datetime
from plone import api
from Products.CMFCore.CMFCatalogAware import CatalogAware
from Products.CMFCore.indexing import processQueue
from Products.ZCatalog.Catalog import Catalog

import pytest


@pytest.fixture
def world(portal):
    return build(portal, users=False)


def validated(world, count, prefix):
    """Items whose categories interleave on the agenda (ordered by category)."""
    items = []
    with api.env.adopt_roles(["Manager"]):
        for number in range(count):
            item = api.content.create(
                container=world.college,
                type="meeting_item",
                id=f"{prefix}-{number}",
                title=f"{prefix} {number}",
                service=("travaux", "population", "finances")[number % 3],
                category=("finances", "travaux", "administration")[number % 3],
            )
            set_state(item, "validated", "")
            items.append(item)
    return items


def agenda_of(meeting):
    catalog = api.portal.get_tool("portal_catalog")
    found = catalog.unrestrictedSearchResults(meeting_uid=meeting.UID(), sort_on="item_number")
    return [(brain.getId, brain.item_number, brain.reference) for brain in found]


@pytest.fixture
def catalogued(monkeypatch):
    """The ids of the objects (re)catalogued, in order."""
    calls = []
    original = Catalog.catalogObject

    def catalog_object(self, obj, uid, *args, **kwargs):
        calls.append(uid.rsplit("/", 1)[-1])
        return original(self, obj, uid, *args, **kwargs)

    monkeypatch.setattr(Catalog, "catalogObject", catalog_object)
    return calls


def test_batch_gives_the_agenda_of_one_by_one(world):
    with api.env.adopt_roles(["Manager"]):
        one_by_one = api.content.create(
            container=world.college, type="meeting", id="a", date=datetime(2027, 1, 5, 20)
        )
        at_once = api.content.create(
            container=world.college, type="meeting", id="b", date=datetime(2027, 1, 12, 20)
        )
        for item in validated(world, 12, "a"):
            workflows.present([item], one_by_one)
        workflows.present(validated(world, 12, "b"), at_once)
    first, second = agenda_of(one_by_one), agenda_of(at_once)
    # administration first, then travaux, then finances: the body's categories' order
    assert [name for name, _n, _r in first][:4] == ["a-2", "a-5", "a-8", "a-11"]
    assert [(name[2:], number) for name, number, _r in first] == [
        (name[2:], number) for name, number, _r in second
    ]
    assert [number for _name, number, _r in second] == [100 * n for n in range(1, 13)]
    assert all(reference.endswith(f"/{n}") for n, (_i, _m, reference) in enumerate(second, 1))


def test_each_item_catalogued_once(world, catalogued):
    with api.env.adopt_roles(["Manager"]):
        meeting = api.content.create(
            container=world.college, type="meeting", id="m", date=datetime(2027, 1, 5, 20)
        )
        workflows.present(validated(world, 10, "old"), meeting)
        items = validated(world, 20, "new")
        processQueue()
        catalogued.clear()
        workflows.present(items, meeting)
        processQueue()
    # Item by item, the items already on the agenda that an insertion moved down
    # were reindexed again each time, and every lookup of the meeting flushed the
    # queue: the new items, and the old ones moved down, were catalogued ~10 times each.
    assert set(catalogued) >= {item.getId() for item in items}
    assert Counter(catalogued).most_common(1)[0][1] == 1
    assert [number for _id, number, _r in agenda_of(meeting)] == [100 * n for n in range(1, 31)]


def test_meeting_lookup_does_not_flush_the_queue(world, catalogued):
    with api.env.adopt_roles(["Manager"]):
        meeting = api.content.create(
            container=world.college, type="meeting", id="m", date=datetime(2027, 1, 5, 20)
        )
        (item,) = validated(world, 1, "x")
        workflows.present([item], meeting)
        processQueue()
        catalogued.clear()
        item.reindexObject(idxs=["Title"])
        assert agenda.meeting_of(item) is not None
        assert catalogued == []  # still queued
        processQueue()
        assert catalogued == [item.getId()]
        # a meeting added in this transaction (its indexing queued) is found all the same
        other = api.content.create(
            container=world.college, type="meeting", id="n", date=datetime(2027, 1, 12, 20)
        )
        assert agenda.by_uid(other.UID()).getPhysicalPath() == other.getPhysicalPath()


@pytest.fixture
def security_reindexed(monkeypatch):
    """The ids of the objects whose security is reindexed, once per call."""
    calls = []
    original = CatalogAware.reindexObjectSecurity

    def reindex_object_security(self, *args, **kwargs):
        calls.append(self.getId())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(CatalogAware, "reindexObjectSecurity", reindex_object_security)
    return calls


def test_security_reindexed_once_per_item_presented(world, security_reindexed):
    with api.env.adopt_roles(["Manager"]):
        meeting = api.content.create(
            container=world.college, type="meeting", id="m", date=datetime(2027, 1, 5, 20)
        )
        items = validated(world, 6, "new")
        security_reindexed.clear()
        workflows.present(items, meeting)
        # the workflow tool reindexes it after the transition's subscribers, which
        # recompute its permissions: they reindexed it too, a second time
        assert Counter(security_reindexed) == {item.getId(): 1 for item in items}
        security_reindexed.clear()
        api.content.transition(obj=meeting, transition="freeze")
    counts = Counter(security_reindexed)
    assert counts[meeting.getId()] == 1
    # each item: by its own transition ("itemfreeze"), then after the meeting's
    assert {counts[item.getId()] for item in items} == {2}
    assert {api.content.get_state(item) for item in items} == {"itemfrozen"}
