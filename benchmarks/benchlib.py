"""What the benchmark scripts share: timing several runs, printing a row, and
building a volume of catalogued clones of objects made the real way.

The scripts run as ``.venv/bin/python benchmarks/<application>.py``, so this
module, beside them, is importable as ``benchlib``.
"""

from Acquisition import aq_base
from BTrees.OOBTree import OOBTree
from persistent.mapping import PersistentMapping
from plone.uuid.interfaces import ATTRIBUTE_NAME as UUID_ATTRIBUTE
from Products.CMFCore.interfaces import IIndexableObject
from Products.PluginIndexes.DateIndex.DateIndex import DateIndex
from Products.ZCatalog.Catalog import safe_callable
from zope.component import queryMultiAdapter

import contextlib
import copy
import statistics
import time
import transaction
import uuid


HEADER = f"{'figure (seconds)':<52} {'median':>8} {'p95':>8}   {'baseline':>8} {'p95':>8}   ratio"


def measure(function, runs, setup=None):
    """(median, p95) of ``runs`` timed calls of ``function``, after one warm-up call.

    ``setup``, if given, runs untimed before each call (and its result is
    passed to ``function``).
    """
    times = []
    for index in range(runs + 1):
        argument = setup() if setup is not None else None
        started = time.perf_counter()
        function(argument) if setup is not None else function()
        if index:  # the first call warms up
            times.append(time.perf_counter() - started)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95


def row(name, ours, baseline, goal=None):
    """Print one figure beside its baseline, with the ratio (and the goal, if any)."""
    (median, p95), (base_median, base_p95) = ours, baseline
    verdict = ""
    if goal is not None:
        verdict = f"   goal < {goal:g} s: {'met' if p95 < goal else 'MISSED'}"
    print(
        f"{name:<52} {median:8.3f} {p95:8.3f}   {base_median:8.3f} {base_p95:8.3f}"
        f"   {median / base_median:6.2f}x{verdict}",
        flush=True,
    )


# Volumes of clones ----------------------------------------------------------------
#
# A benchmark's volume (20,000 licences, 20,000 meeting items) made the real
# way takes hours. One template per kind of object is made the real way
# (``api.content.create``, transitions, subscribers); the catalog's reads of
# it are recorded once (``record``); each clone is a copy of its template
# with its own id, UID, local roles and workflow history (``fresh_copy``),
# stored with ``_setOb``, and cataloged from its template's recorded entry
# with its own values (``write``). ``compare`` reindexes a sample of clones
# the real way and tells every index value or metadata column that differs
# from what was written (none expected).

MISSING = object()  # an attribute the object does not have (the index skips it)


class Called:
    """A method's result (the indexes call what is callable)."""

    __slots__ = ("result",)

    def __init__(self, result):
        self.result = result

    def __call__(self):
        return self.result


def indexable(catalog, obj):
    """What the catalog indexes of ``obj``: the object wrapped with its indexers."""
    return queryMultiAdapter((obj, catalog), IIndexableObject)


def read(wrapper, name):
    """The value an index or metadata column reads of ``wrapper``'s ``name``."""
    try:
        value = getattr(wrapper, name)
    except AttributeError:
        return MISSING
    return Called(value()) if safe_callable(value) else value


def result(value):
    """A recorded value as the index sees it (a method's result, or the value)."""
    return value.result if isinstance(value, Called) else value


class _Recorder:
    """An indexable object that notes what the catalog reads of it."""

    def __init__(self, wrapper):
        self._wrapper = wrapper
        self.values = {}

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        value = self.values[name] = read(self._wrapper, name)
        if value is MISSING:
            raise AttributeError(name)
        return value


class _Entry:
    """An indexable object that gives the catalog prepared values (as attributes)."""

    def __init__(self, values):
        self.__dict__.update(
            (name, value) for name, value in values.items() if value is not MISSING
        )


def path_of(obj):
    return "/".join(obj.getPhysicalPath())


def record(catalog, obj):
    """{name: value} of what the catalog reads of ``obj``, indexing it the real way."""
    recorder = _Recorder(indexable(catalog, obj))
    catalog._catalog.catalogObject(recorder, path_of(obj), None, [], True)
    return recorder.values


def mentions(entry, text, names):
    """Those of ``names`` whose recorded value in ``entry`` contains ``text`` (any case).

    To find the values a clone must read again: those that name what is its own
    (a reference, a title).
    """
    text = text.lower()
    return tuple(name for name in names if text in repr(result(entry.get(name, MISSING))).lower())


def fresh_copy(template, new_id):
    """A copy of ``template`` as a new object named ``new_id``, not stored yet.

    Its attributes are the template's (the same values: give it new ones of
    those it changes in place), with its own id, UUID, local roles and
    workflow history (the template's entries, in a mapping of its own); a
    container is empty, with its own contents and order.
    """
    clone = copy.copy(aq_base(template))
    clone.id = new_id
    if hasattr(clone, "_initBTrees"):
        clone._initBTrees()  # its own (empty) contents
    clone.__annotations__ = OOBTree()  # its own order of contents
    clone.__ac_local_roles__ = copy.deepcopy(template.__ac_local_roles__)
    clone.workflow_history = PersistentMapping(template.workflow_history)
    setattr(clone, UUID_ATTRIBUTE, uuid.uuid4().hex)  # as IMutableUUID(clone).set
    return clone


def write(catalog, obj, path, entry, own=None, reread=()):
    """Catalog ``obj`` (at ``path``, a tuple) with its template's recorded ``entry``.

    Its path, id and UID are its own; ``own``: {name: value} of the other
    values that are the clone's (MISSING: none, as an attribute the object
    lacks); ``reread``: names read again from the clone through its real
    indexers (what would be long to compute here, as the security).
    """
    values = dict(entry)
    values["getPhysicalPath"] = Called(path)
    values["getId"] = Called(path[-1])
    values["id"] = path[-1]
    values["UID"] = getattr(obj, UUID_ATTRIBUTE)
    if own:
        values.update(own)
    if reread:
        wrapper = indexable(catalog, obj)
        for name in reread:
            values[name] = read(wrapper, name)
    catalog._catalog.catalogObject(_Entry(values), "/".join(path), None, [], True)


def _catalog_entry(catalog, obj):
    rid = catalog._catalog.uids[path_of(obj)]
    return catalog.getIndexDataForRID(rid), catalog.getMetadataForRID(rid)


def compare(catalog, objects):
    """Reindex ``objects`` the real way (``catalog_object``): (count, [mismatches]).

    Each mismatch is (path, index or column, value written, real value).
    """
    mismatches = []
    count = 0
    for obj in objects:
        written = _catalog_entry(catalog, obj)
        catalog.catalog_object(obj, path_of(obj))
        real = _catalog_entry(catalog, obj)
        count += 1
        for kind in (0, 1):
            for name in sorted(set(written[kind]) | set(real[kind])):
                if written[kind].get(name, MISSING) != real[kind].get(name, MISSING):
                    mismatches.append(
                        (path_of(obj), name, written[kind].get(name), real[kind].get(name))
                    )
    return count, mismatches


def print_comparison(count, mismatches, what="clones"):
    for path, name, written, real in mismatches:
        print(f"  MISMATCH {path} {name}: built {written!r}, real {real!r}")
    print(
        f"(check: {count} catalog entries of {what} reindexed the real way, "
        f"{len(mismatches)} mismatches)",
        flush=True,
    )


@contextlib.contextmanager
def memoized_date_conversion():
    """DateIndex's conversion of a date, computed once per value while building.

    The clones' created, modified and effective dates are their templates':
    each DateIndex converts the same few values again and again.
    """
    convert = DateIndex._convert
    memo = {}

    def memoized(index, value, default=None):
        key = (index.index_naive_time_as_local, type(value), value)
        try:
            return memo[key]
        except KeyError:
            memo[key] = found = convert(index, value, default)
            return found
        except TypeError:  # unhashable
            return convert(index, value, default)

    DateIndex._convert = memoized
    try:
        yield
    finally:
        DateIndex._convert = convert


def savepoint(connection):
    """A savepoint, and the objects written leave the cache (memory stays bounded)."""
    transaction.savepoint(optimistic=True)
    connection.cacheGC()
