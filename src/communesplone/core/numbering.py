"""Unique sequences: a body's yearly meeting numbers, request numbers, references.

A sequence is a counter kept in an annotation of the object that owns it (a
meeting body, a request type). Taking the next number writes that one
persistent object, so two transactions that number at the same time conflict:
ZODB raises a ConflictError for the second one, Zope retries its request from
the start, and it gets the next number. Numbers are never duplicated nor lost.
(``BTrees.Length`` would be wrong here: it merges concurrent increments, and
both transactions would keep the same number.)
"""

from persistent import Persistent
from zope.annotation.interfaces import IAnnotations


KEY = "communesplone.core.numbering"


class Sequences(Persistent):
    """The counters of one owner: {sequence name: last number given}."""

    def __init__(self):
        self.counters = {}

    def next(self, name):
        value = self.counters.get(name, 0) + 1
        # Assign a new dict: the change is a write of this object, which
        # ZODB checks for conflicts (no _p_resolveConflict: none is merged).
        self.counters = {**self.counters, name: value}
        return value

    def last(self, name):
        return self.counters.get(name, 0)


def _sequences(owner, create):
    annotations = IAnnotations(owner)
    sequences = annotations.get(KEY)
    if sequences is None and create:
        sequences = annotations[KEY] = Sequences()
    return sequences


def next_number(owner, name):
    """Take and return the next number of the sequence ``name`` of ``owner``.

    ``owner`` is an annotatable persistent object; ``name`` says which of its
    sequences, for example ``"meeting-2026"`` for a yearly one.
    """
    return _sequences(owner, create=True).next(name)


def last_number(owner, name):
    """The last number given in the sequence ``name`` of ``owner`` (0 if none)."""
    sequences = _sequences(owner, create=False)
    return sequences.last(name) if sequences is not None else 0
