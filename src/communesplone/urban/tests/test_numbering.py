"""References: a yearly sequence per licence type, unique and without gaps when
files are made at the same time (core.numbering: the second transaction
conflicts, and its retry takes the next number)."""

from communesplone.urban import testing
from communesplone.urban.constants import DESK_ID
from plone import api
from plone.dexterity.utils import createContentInContainer
from Testing.makerequest import makerequest
from ZODB.POSException import ConflictError
from zope.component.hooks import getSite
from zope.component.hooks import setSite

import datetime
import pytest
import transaction


def test_sequences_per_type_and_format(portal):
    year = datetime.date.today().year
    assert testing.make_licence(licence_type="notary_letter").reference == f"NOT/{year}/0001"
    assert testing.make_licence(licence_type="notary_letter").reference == f"NOT/{year}/0002"
    assert testing.make_licence(licence_type="division").reference == f"DIV/{year}/0001"
    with api.env.adopt_roles(["Manager"]):
        portal.urbanisme.configuration.division.reference_format = "{year}-{code}-{number}"
    assert testing.make_licence(licence_type="division").getId() == f"{year}-div-2"


def test_concurrent_licences_never_share_a_reference(functional_portal):
    year = datetime.date.today().year
    testing.make_licence(functional_portal[DESK_ID])
    transaction.commit()
    path = functional_portal.getPhysicalPath()
    db = functional_portal._p_jar.db()
    site = getSite()

    def make_in(connection):
        portal = makerequest(connection.root()["Application"]).unrestrictedTraverse(path)
        setSite(portal)
        with api.env.adopt_roles(["Manager"]):
            licence = createContentInContainer(
                portal[DESK_ID], "urban_permit", licence_type="building_permit", subject="x"
            )
        return licence.reference

    managers = [transaction.TransactionManager() for _ in range(2)]
    connections = [db.open(transaction_manager=manager) for manager in managers]
    try:
        taken = [make_in(connection) for connection in connections]
        assert taken == [f"PU/{year}/0002"] * 2  # both read the same sequence...
        managers[0].commit()
        with pytest.raises(ConflictError):  # ...so the second one must not commit
            managers[1].commit()
        managers[1].abort()
        assert make_in(connections[1]) == f"PU/{year}/0003"  # its retry takes the next
        managers[1].commit()
    finally:
        setSite(site)
        for manager, connection in zip(managers, connections, strict=True):
            manager.abort()
            connection.close()
    transaction.begin()
    desk = functional_portal[DESK_ID]
    references = sorted(o.reference for o in desk.objectValues() if o.portal_type == "urban_permit")
    assert references == [f"PU/{year}/{n:04d}" for n in (1, 2, 3)]
