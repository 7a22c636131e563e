"""The local parcel store (the cadastre) and the cadastral reference.

A Belgian parcel is known by its *capakey*, e.g. ``62031A0012/00B000``:

====== ======= ======== ===== ======= =========
chars  0-4     5        6-9   11-12   13      14-16
field  division section radical bis exposant puissance
====== ======= ======== ===== ======= =========

The same parcel is written by hand as a *cadastral reference*, division,
section and number: ``62031 A 12/2B3`` (radical 12, bis 2, exposant B,
puissance 3). :func:`parse_reference` reads both; :func:`from_fields` reads
the fields of a licence's parcels datagrid. Each refuses bad input with a
translated :class:`InvalidReference` (a ``zope.interface.Invalid``), which the
forms, the REST services and the import show as is.

The store is one persistent :class:`ParcelStore` in the urban desk's
annotations (:func:`get_store`), with BTrees:

- ``parcels``: capakey -> the parcel's record (a plain dict, replaced whole:
  its reference fields, ``address``, ``owners`` as (name, address) pairs, the
  geometry in Lambert 72 metres as WKB, its bounding box and centroid);
- ``owner_words`` and ``address_words``: normalised word -> capakeys, for the
  search by owner and by address (every word of the query must match, the last
  one as a prefix), each set one persistent OOSet: a search loads a word's
  capakeys at once, not bucket by bucket;
- ``grid``: a cell of ``CELL`` metres (an integer key) -> the capakeys whose
  bounding box touches it, the spatial index of the radius query.

Geometry (shapely) and projections (pyproj) are in ``gis.py``; this module
keeps to the store and the references.
"""

from BTrees.LOBTree import LOBTree
from BTrees.OOBTree import intersection
from BTrees.OOBTree import OOBTree
from BTrees.OOBTree import OOSet
from BTrees.OOBTree import union
from communesplone import _
from communesplone.core.validation import Refusal
from persistent import Persistent
from zope.annotation.interfaces import IAnnotations

import itertools
import re
import unicodedata


ANNOTATION_KEY = "communesplone.urban.cadastre"
CELL = 100  # metres: the side of a cell of the grid index (Lambert 72)
_ROW = 100_000  # cells per row in a grid key: Belgium spans < 300 km

# The fields of a cadastral reference, in capakey order (the licence's
# parcels datagrid has the same names, plus ``partie``).
FIELDS = ("division", "section", "radical", "bis", "exposant", "puissance")

_REFERENCE = re.compile(
    r"^(?P<division>\d{5})\s*(?P<section>[A-Z])\s*(?P<radical>\d{1,4})"
    r"(?:\s*/\s*(?P<bis>\d{1,2}))?(?:\s*(?P<exposant>[A-Z_])\s*(?P<puissance>\d{1,3})?)?$"
)


class InvalidReference(Refusal):
    """A cadastral reference or capakey that cannot be read (translated message).

    A core Refusal (a zope.schema ValidationError): forms and REST show its message.
    """


def _bad(text):
    return InvalidReference(
        _(
            "“${text}” is not a cadastral reference: write a capakey such as 62031A0012/00B000 "
            "or the division, section and number, such as 62031 A 12/2B3.",
            mapping={"text": text},
        )
    )


def _number(value, field, digits, minimum=0):
    text = "" if value is None else str(value).strip()
    if text == "" and minimum == 0:
        return 0
    if not text.isdigit() or len(text.lstrip("0") or "0") > digits or int(text) < minimum:
        raise InvalidReference(
            _(
                "The ${field} “${value}” of a cadastral reference must be a number "
                "from ${minimum} to ${maximum}.",
                mapping={"field": FIELD_TITLES[field], "value": text, "minimum": minimum,
                         "maximum": 10**digits - 1},
            )
        )  # fmt: skip
    return int(text)


FIELD_TITLES = {
    "division": _("division"),
    "section": _("section"),
    "radical": _("radical"),
    "bis": _("bis"),
    "exposant": _("exposant"),
    "puissance": _("puissance"),
}


def from_fields(division, section, radical, bis=None, exposant=None, puissance=None):
    """The normalised reference (a dict of FIELDS) of a parcel's fields, or InvalidReference."""
    div = "" if division is None else str(division).strip()
    if not (div.isdigit() and len(div) == 5):
        raise InvalidReference(
            _(
                "The division “${value}” of a cadastral reference must be its code "
                "of five digits, such as 62031.",
                mapping={"value": div},
            )
        )
    sec = (section or "").strip().upper()
    if not (len(sec) == 1 and "A" <= sec <= "Z"):
        raise InvalidReference(
            _(
                "The section “${value}” of a cadastral reference must be one letter, from A to Z.",
                mapping={"value": section or ""},
            )
        )
    exp = (exposant or "").strip().upper()
    if exp == "_":
        exp = ""
    if exp and not (len(exp) == 1 and "A" <= exp <= "Z"):
        raise InvalidReference(
            _(
                "The exposant “${value}” of a cadastral reference must be one letter, or nothing.",
                mapping={"value": exposant},
            )
        )
    return {
        "division": div,
        "section": sec,
        "radical": _number(radical, "radical", 4, minimum=1),
        "bis": _number(bis, "bis", 2),
        "exposant": exp,
        "puissance": _number(puissance, "puissance", 3),
    }


def parse_reference(text):
    """The normalised reference of a capakey or a written reference, or InvalidReference."""
    if text is None or not str(text).strip():
        raise InvalidReference(_("The cadastral reference is empty."))
    cleaned = " ".join(str(text).strip().upper().split())
    match = _REFERENCE.match(cleaned)
    if match is None:
        raise _bad(str(text).strip())
    return from_fields(**match.groupdict())


def capakey(reference):
    """The capakey of a normalised reference: ``62031A0012/00B000``."""
    r = reference
    return (
        f"{r['division']}{r['section']}{r['radical']:04d}/{r['bis']:02d}"
        f"{r['exposant'] or '_'}{r['puissance']:03d}"
    )


def normalise(text):
    """The capakey of any accepted way of writing a reference (or InvalidReference)."""
    return capakey(parse_reference(text))


def title(reference):
    """How a reference reads on a page and in letters: ``62031 A 12/2B3``."""
    r = reference
    number = str(r["radical"])
    if r["bis"]:
        number += f"/{r['bis']}"
    number += r["exposant"]
    if r["puissance"]:
        number += str(r["puissance"])
    return f"{r['division']} {r['section']} {number}"


def check_parcels(rows):
    """The constraint of a licence's parcels datagrid: every row a cadastral reference."""
    for row in rows or ():
        from_fields(*(row.get(name) for name in FIELDS))
    return True


def licence_capakeys(licence):
    """The capakeys of a licence's parcels datagrid, skipping rows that cannot be read."""
    result = []
    for row in getattr(licence, "parcels", None) or ():
        try:
            key = capakey(from_fields(*(row.get(name) for name in FIELDS)))
        except InvalidReference:
            continue
        if key not in result:
            result.append(key)
    return result


# Words -----------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+")


def words(text):
    """The lower-case words of a text without accents: ``Rue de l'Église`` -> rue de l eglise."""
    if not text:
        return []
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _WORD.findall(plain)


# The store -------------------------------------------------------------------


def cell_key(ix, iy):
    return ix * _ROW + iy


def cells(bbox, margin=0.0):
    """The grid keys of the cells a bounding box (minx, miny, maxx, maxy) touches."""
    minx, miny, maxx, maxy = bbox
    x0, x1 = int((minx - margin) // CELL), int((maxx + margin) // CELL)
    y0, y1 = int((miny - margin) // CELL), int((maxy + margin) // CELL)
    return [cell_key(ix, iy) for ix in range(x0, x1 + 1) for iy in range(y0, y1 + 1)]


class ParcelStore(Persistent):
    """The parcels of the municipality with their owners, indexed (see the module)."""

    def __init__(self):
        self.parcels = OOBTree()
        self.owner_words = OOBTree()
        self.address_words = OOBTree()
        self.grid = LOBTree()

    def __len__(self):
        return len(self.parcels)

    def get(self, key):
        """The record of a capakey (any accepted writing), or None."""
        try:
            key = normalise(key)
        except InvalidReference:
            return None
        return self.parcels.get(key)

    # writing

    def _index(self, tree, word_list, key):
        for word in set(word_list):
            keys = tree.get(word)
            if keys is None:
                keys = tree[word] = OOSet()
            keys.add(key)

    def _unindex(self, tree, word_list, key):
        for word in set(word_list):
            keys = tree.get(word)
            if keys is not None and key in keys:
                keys.remove(key)
                if not keys:
                    del tree[word]

    @staticmethod
    def _owner_words(record):
        return [w for name, address in record["owners"] for w in words(name)]

    @staticmethod
    def _address_words(record):
        return words(record.get("address"))

    def add(self, record):
        """Add or replace a parcel. ``record`` is made by ``gis.parcel_record``."""
        key = record["capakey"]
        if key in self.parcels:
            self.remove(key)
        self.parcels[key] = record
        self._index(self.owner_words, self._owner_words(record), key)
        self._index(self.address_words, self._address_words(record), key)
        for cell in cells(record["bbox"]):
            keys = self.grid.get(cell)
            if keys is None:
                keys = self.grid[cell] = OOSet()
            keys.add(key)

    def remove(self, key):
        record = self.parcels.pop(key)
        self._unindex(self.owner_words, self._owner_words(record), key)
        self._unindex(self.address_words, self._address_words(record), key)
        for cell in cells(record["bbox"]):
            keys = self.grid.get(cell)
            if keys is not None and key in keys:
                keys.remove(key)
                if not keys:
                    del self.grid[cell]

    def clear(self):
        self.__init__()

    # reading

    def _words_match(self, tree, text):
        """The capakeys whose words include every word of ``text`` (the last one as a prefix).

        Words of one or two letters (de, du, la, l') are left out of the query
        but for its last word and when they are all it has: they match too much.
        """
        query = words(text)
        if not query:
            return None
        *firsts, last = query
        firsts = [word for word in firsts if len(word) > 2] or firsts
        found = None
        for _word, keys in tree.items(min=last, max=last + "\uffff"):
            found = keys if found is None else union(found, keys)
        if not found:
            return OOSet()
        result = found
        for word in firsts:
            keys = tree.get(word)
            if not keys:
                return OOSet()
            result = intersection(keys, result)
            if not result:
                return OOSet()
        return result

    def search(self, text=None, owner=None, address=None, limit=50):
        """Parcels matching every criterion given, sorted by capakey, at most ``limit``.

        ``text`` is a capakey or cadastral reference, complete or its beginning
        (``62031A``, ``62031 A 12``); ``owner`` and ``address`` are words. Only
        the records returned are loaded: a reference alone walks the capakeys
        from its prefix, words intersect their (small) sets of capakeys.
        """
        prefix = None
        if text and text.strip():
            prefix = reference_prefix(text)
            if prefix is None:
                return []
        result = None
        for tree, value in ((self.owner_words, owner), (self.address_words, address)):
            if value and value.strip():
                found = self._words_match(tree, value)
                if found is None:
                    continue
                result = found if result is None else intersection(result, found)
        if result is None:
            if prefix is None:
                return []
            items = self.parcels.items(min=prefix, max=prefix + "\uffff")
            return [record for _key, record in itertools.islice(items, limit)]
        keys = result.keys(min=prefix, max=prefix + "\uffff") if prefix else result.keys()
        return [self.parcels[key] for key in itertools.islice(keys, limit)]

    def candidates(self, bbox, margin):
        """The capakeys in the cells within ``margin`` metres of a bounding box."""
        found = set()
        for cell in cells(bbox, margin):
            keys = self.grid.get(cell)
            if keys is not None:
                found.update(keys)
        return found


def reference_prefix(text):
    """The capakey prefix that a (partial) reference designates, or None if it cannot be one."""
    cleaned = "".join(str(text).upper().split())
    try:
        return normalise(cleaned)
    except InvalidReference:
        pass
    # a beginning: division, division + section, division + section + radical
    match = re.match(r"^(\d{1,5})([A-Z])?(\d{1,4})?$", cleaned)
    if match is None:
        return None
    division, section, radical = match.groups()
    if len(division) < 5:
        return None if section else division
    prefix = division + (section or "")
    if radical:
        prefix += f"{int(radical):04d}/"
    return prefix


def get_store(desk, create=False):
    """The parcel store of an urban desk (created on first write when ``create``)."""
    annotations = IAnnotations(desk)
    store = annotations.get(ANNOTATION_KEY)
    if store is None and create:
        store = annotations[ANNOTATION_KEY] = ParcelStore()
    return store


def owners_text(record):
    """The owners of a parcel, on one line."""
    return "; ".join(name for name, address in record["owners"])


__all__ = [
    "InvalidReference",
    "ParcelStore",
    "capakey",
    "from_fields",
    "get_store",
    "licence_capakeys",
    "normalise",
    "parse_reference",
    "title",
    "words",
]
