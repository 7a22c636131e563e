"""Unique sequences: numbers follow each other, and concurrent takers never share one."""

from communesplone.core.numbering import last_number
from communesplone.core.numbering import next_number
from plone import api
from ZODB.POSException import ConflictError

import pytest
import transaction


def test_sequences_count_separately(portal):
    with api.env.adopt_roles(["Manager"]):
        owner = api.content.create(container=portal, type="Folder", id="owner", title="Owner")
    assert [next_number(owner, "meeting-2026") for _ in range(3)] == [1, 2, 3]
    assert next_number(owner, "meeting-2027") == 1
    assert last_number(owner, "meeting-2026") == 3
    assert last_number(owner, "unknown") == 0


def test_concurrent_numbering_conflicts_instead_of_duplicating(functional_portal):
    with api.env.adopt_roles(["Manager"]):
        api.content.create(container=functional_portal, type="Folder", id="owner", title="Owner")
    next_number(functional_portal["owner"], "seq")
    transaction.commit()
    path = functional_portal["owner"].getPhysicalPath()
    db = functional_portal._p_jar.db()

    def owner_in(connection):
        return connection.root()["Application"].unrestrictedTraverse(path)

    managers = [transaction.TransactionManager() for _ in range(2)]
    connections = [db.open(transaction_manager=manager) for manager in managers]
    try:
        taken = [next_number(owner_in(c), "seq") for c in connections]
        assert taken == [2, 2]  # both read the same state...
        managers[0].commit()
        with pytest.raises(ConflictError):  # ...so the second one must not commit
            managers[1].commit()
        managers[1].abort()
        assert next_number(owner_in(connections[1]), "seq") == 3  # a retry takes the next one
        managers[1].commit()
    finally:
        for manager, connection in zip(managers, connections, strict=True):
            manager.abort()
            connection.close()
    transaction.begin()
    assert last_number(functional_portal["owner"], "seq") == 3
