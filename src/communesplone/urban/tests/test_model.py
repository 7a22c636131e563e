"""The urban model: the desk and its configuration, licences and their events."""

from communesplone.core.validation import Refusal
from communesplone.urban import testing
from communesplone.urban.constants import DECLARATION
from communesplone.urban.constants import INQUIRY
from communesplone.urban.constants import OPINION_REQUEST
from communesplone.urban.constants import PERMIT
from communesplone.urban.content.licence_type import ILicenceType
from communesplone.urban.desk import get_desk
from communesplone.urban.setuphandlers import EVENT_TYPES
from communesplone.urban.setuphandlers import LICENCE_TYPES
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from types import SimpleNamespace
from zope.i18n import translate

import datetime
import pytest


def test_desk_and_default_configuration(portal):
    desk = get_desk()
    assert desk.absolute_url_path() == "/plone/urbanisme"
    config = desk["configuration"]
    assert [o.getId() for o in config.objectValues() if o.portal_type == "urban_licence_type"] == (
        list(LICENCE_TYPES)
    )
    assert set(EVENT_TYPES) <= set(config.objectIds())
    assert config["building_permit"].code == "PU"
    assert "contacts" in desk


def test_licence_reference_id_and_title(portal):
    licence = testing.make_licence(subject="Construction d'une maison")
    year = datetime.date.today().year
    assert licence.portal_type == PERMIT
    assert licence.reference == f"PU/{year}/0001"
    assert licence.getId() == f"pu-{year}-0001"
    assert licence.Title() == f"PU/{year}/0001 – Construction d'une maison"
    second = testing.make_licence(licence_type="planning_declaration")
    assert second.portal_type == DECLARATION
    assert second.reference == f"DU/{year}/0001"
    assert testing.make_licence().reference == f"PU/{year}/0002"
    setRoles(portal, TEST_USER_ID, ["Manager"])
    brains = api.content.find(licence_reference=licence.reference)
    assert [b.getObject() for b in brains] == [licence]


def test_events(portal):
    licence = testing.make_licence()
    deposit = testing.add_event(licence, "deposit", event_date=datetime.date(2026, 3, 1))
    opinion = testing.add_event(licence, "opinion_fd")
    inquiry = testing.add_event(licence, "inquiry")
    assert deposit.portal_type == "urban_event"
    assert opinion.portal_type == OPINION_REQUEST
    assert inquiry.portal_type == INQUIRY
    assert deposit.Title() == "Deposit of the application"
    assert deposit.getId() == "deposit-of-the-application"
    setRoles(portal, TEST_USER_ID, ["Manager"])
    brains = api.content.find(context=licence, urban_event_type="deposit")
    assert [b.getObject() for b in brains] == [deposit]


def test_decision_recorded_on_the_licence(portal):
    licence = testing.make_licence()
    testing.add_event(
        licence, "college_decision", decision="granted", event_date=datetime.date(2026, 5, 4)
    )
    assert (licence.decision, licence.decision_date) == ("granted", datetime.date(2026, 5, 4))


def test_a_vocabulary_term_is_once_in_its_vocabulary(portal):
    terms = [{"id": "new_building", "title": "A"}, {"id": "Zone A", "title": "B"}]
    data = SimpleNamespace(work_types=terms, zones=terms)  # any stored id, each once
    ILicenceType.validateInvariants(data)
    data.zones = [*terms, {"id": "Zone A", "title": "C"}]
    with pytest.raises(Refusal) as refused:
        ILicenceType.validateInvariants(data)
    assert translate(refused.value.doc(), target_language="fr") == (
        'L\'identifiant "Zone A" est utilisé deux fois parmi Zones du plan de secteur.'
    )
