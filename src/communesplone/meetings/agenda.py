"""The agenda of a meeting: which items, in which order, with which numbers.

Items presented to a meeting carry the meeting's UID (``meeting_uid``) and
their number (``item_number``): 100 for point 1, 101 for point 1.1, as
PloneMeeting stores them. Both are indexed, so the agenda is one catalog
query, sorted on the number, filtered by the catalog to what the user may see.

A presented item is inserted where the body's ordering rules put it (normal
before late items, then category order, then proposing service order), after
the items that the same rules put level with it: insertion order breaks ties.
"""

from communesplone import _
from communesplone.core import services
from communesplone.core.numbering import next_number
from communesplone.meetings.bodies import body_of
from contextlib import contextmanager
from contextvars import ContextVar
from plone import api
from zExceptions import NotFound


# The indexes that an item's place on the agenda feeds: its meeting, number
# and list, its meeting's date, and the full text, which holds its reference.
# (The catalog's metadata, reference included, is updated with any of them.)
INDEXES = ("meeting_uid", "item_number", "list_type", "meeting_date", "SearchableText")


class AgendaError(ValueError):
    """A refused change of the agenda; ``message`` is translatable."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def number_label(item_number):
    """ "3" for 300, "3.1" for 301."""
    if not item_number:
        return ""
    major, minor = divmod(int(item_number), 100)
    return f"{major}.{minor}" if minor else str(major)


def brains(meeting, **query):
    """The catalog entries of the meeting's items that the user may see, in order."""
    catalog = api.portal.get_tool("portal_catalog")
    return catalog(
        portal_type="meeting_item", meeting_uid=meeting.UID(), sort_on="item_number", **query
    )


def _all_brains(meeting):
    catalog = api.portal.get_tool("portal_catalog")
    return catalog.unrestrictedSearchResults(
        portal_type="meeting_item", meeting_uid=meeting.UID(), sort_on="item_number"
    )


def items(meeting):
    """Every item of the meeting, as objects, in order (no security filter: for the system)."""
    return [brain._unrestrictedGetObject() for brain in _all_brains(meeting)]


def meeting_of(item):
    """The meeting ``item`` is presented to, or None (whoever may see it: for the system)."""
    return by_uid(item.meeting_uid) if item.meeting_uid else None


def by_uid(uid):
    """The object ``uid``, or None, without security checks: for the system, never for views.

    Read from the catalog's UID index without processing the indexing queue
    first (a UID never changes; plone.app.uuid reads the same index): the
    reindexing that a transition queued is not flushed by every lookup, and
    the queue merges it (indexers and side effects ask for an item's meeting
    many times per transition). An object not found so, one added in this
    transaction, is searched after the queue is processed.
    """
    if not uid:
        return None
    catalog = api.portal.get_tool("portal_catalog")
    rid = catalog._catalog.indexes["UID"]._index.get(uid)
    if rid is not None:
        try:
            return api.portal.get().unrestrictedTraverse(catalog.getpath(rid))
        except (KeyError, AttributeError, NotFound):
            pass  # removed in this transaction, its unindexing still queued
    found = catalog.unrestrictedSearchResults(UID=uid)
    return found[0]._unrestrictedGetObject() if found else None


def _sort_key_function(body):
    """The body's ordering rules as a function (list_type, category, service) -> key."""
    categories = {row["id"]: index for index, row in enumerate(body.categories or ())}
    service_ids = {row["id"]: index for index, row in enumerate(services.get_all())}
    rules = tuple(body.ordering or ())

    def key(list_type, category, service):
        values = {
            "list_type": 1 if list_type == "late" else 0,
            "category": categories.get(category, len(categories)),
            "service": service_ids.get(service, len(service_ids)),
        }
        return tuple(values[rule] for rule in rules if rule in values)

    return key


def insert(item, meeting):
    """Put ``item`` on the agenda of ``meeting``, where the body's rules say.

    Within :func:`batch`, the agenda is kept in memory and the items whose
    number changes are reindexed once, at the end of the batch.
    """
    sort_key = _sort_key_function(body_of(meeting))
    item_uid = item.UID()
    meeting_uid = meeting.UID()
    state = _batch.get()
    if state is not None:
        if meeting_uid not in state["agendas"]:
            state["agendas"][meeting_uid] = _with_uids(meeting)
        entries = state["agendas"][meeting_uid]
    else:
        entries = [(brain.UID, brain) for brain in _all_brains(meeting)]
    existing = [entry for uid, entry in entries if uid != item_uid]
    existing_uids = [uid for uid, _entry in entries if uid != item_uid]
    item.meeting_uid = meeting_uid
    item.list_type = "late" if api.content.get_state(meeting) != "created" else "normal"
    item.insertion = next_number(meeting, "insertion")
    key = sort_key(item.list_type, item.category, item.service)
    position = len(existing)
    for index, entry in enumerate(existing):
        if sort_key(entry.list_type, entry.category, entry.service) > key:
            position = index
            break
    following = [_object(entry) for entry in existing[position:]]
    preceding_number = existing[position - 1].item_number if position else 0
    if state is not None:
        state["agendas"][meeting_uid] = [
            *zip(existing_uids[:position], existing[:position], strict=True),
            (item_uid, item),
            *zip(existing_uids[position:], following, strict=True),
        ]
    _renumber(meeting, [item, *following], start=preceding_number // 100 + 1)


def _with_uids(meeting):
    """The meeting's items in order, each as (its UID, the item): the UIDs read
    from the catalog, where asking each item for its own is slow."""
    return [(brain.UID, brain._unrestrictedGetObject()) for brain in _all_brains(meeting)]


def _object(entry):
    unrestricted = getattr(entry, "_unrestrictedGetObject", None)
    return unrestricted() if unrestricted is not None else entry


# Set within ``batch()``: {"agendas": {meeting UID: [(UID, item) in order]},
# "changed": {id: item}}
_batch = ContextVar("communesplone.meetings.agenda_batch", default=None)


@contextmanager
def batch(meeting=None):
    """Insert many items at once (a meeting's batch "present").

    Item by item, the agenda is read from the catalog, and the items that an
    insertion moves down are renumbered and reindexed: presenting 50 items
    to a meeting whose ordering rules interleave them reindexed each of the
    items already there once per item presented, and each catalog query
    processed the indexing queue. Within this block the agenda is read once
    and kept in memory, numbers are given as before, and each item whose
    number or reference changed is reindexed once, when the block ends.
    ``meeting``: the agenda to read at once.
    """
    if _batch.get() is not None:
        yield
        return
    state = {"agendas": {}, "changed": {}}
    if meeting is not None:  # read before anything is queued for reindexing
        state["agendas"][meeting.UID()] = _with_uids(meeting)
    token = _batch.set(state)
    try:
        yield
    finally:
        _batch.reset(token)
    for item in state["changed"].values():
        item.reindexObject(idxs=INDEXES)


def remove(item):
    """Take ``item`` off its meeting's agenda; the following items move up."""
    meeting = meeting_of(item)
    item.meeting_uid = None
    item.item_number = None
    item.reference = ""
    item.reindexObject(idxs=INDEXES)
    if meeting is not None:
        renumber(meeting)


def renumber(meeting, ordered=None):
    """Number the items 1, 2, 3… (sub-items 2.1, 2.2…) in ``ordered`` or their current order."""
    _renumber(meeting, items(meeting) if ordered is None else ordered, start=1)


def _renumber(meeting, ordered, start):
    major, minor = start - 1, 0
    for index, item in enumerate(ordered):
        if getattr(item, "is_subitem", False) and index + start > 1:
            minor += 1
        else:
            major, minor = major + 1, 0
        number = major * 100 + minor
        reference = _reference(meeting, item, number)
        if item.item_number != number or item.reference != reference:
            item.item_number = number
            item.reference = reference
            state = _batch.get()
            if state is not None:
                state["changed"][id(item)] = item
            else:
                item.reindexObject(idxs=INDEXES)


def _reference(meeting, item, number):
    body = body_of(meeting)
    values = {
        "year": meeting.date.year if meeting.date else "",
        "meeting_number": meeting.meeting_number or "",
        "item_number": number_label(number),
        "service": item.service or "",
        "category": item.category or "",
    }
    try:
        return (body.reference_format or "").format_map(values)
    except (KeyError, ValueError, IndexError, AttributeError):
        return "{year}/{meeting_number}/{item_number}".format_map(values)


def move(item, position, subitem=None):
    """Move ``item`` to ``position`` (1 is first) in its meeting; make it a sub-item or not.

    Raise :class:`AgendaError` for an item not on an agenda or a position
    outside 1…number of items; nothing is changed then.
    """
    meeting = meeting_of(item)
    if meeting is None:
        raise AgendaError(_("This item is not on a meeting's agenda."))
    ordered = items(meeting)
    try:
        position = int(position)
    except (TypeError, ValueError):
        position = 0
    if not 1 <= position <= len(ordered):
        raise AgendaError(
            _(
                "The position must be between 1 and ${count}.",
                mapping={"count": len(ordered)},
            )
        )
    ordered = [other for other in ordered if other.UID() != item.UID()]
    ordered.insert(position - 1, item)
    if subitem is not None:
        if subitem and position == 1:
            raise AgendaError(_("The first item cannot be a sub-item."))
        item.is_subitem = bool(subitem)
    renumber(meeting, ordered)
