"""Services: their groups follow them, and bad settings are refused whole."""

from communesplone.core import services
from communesplone.core.interfaces import ICommunesPloneSettings
from communesplone.core.validation import Refusal
from plone import api
from zope.i18n import translate
from zope.schema import ValidationError

import pytest


TRAVAUX = {"id": "travaux", "title": "Travaux", "email": None}
POPULATION = {"id": "population", "title": "Population", "email": None}


def set_services(rows):
    """Validate like the form and REST do, then write the record."""
    ICommunesPloneSettings["services"].validate(rows)
    api.portal.set_registry_record(services.RECORD, rows)


def groups_of(service_id):
    return {
        function: api.group.get(groupname=services.group_id(service_id, function))
        for function in services.FUNCTIONS
    }


def test_service_creates_one_group_per_function(portal):
    set_services([TRAVAUX])
    groups = groups_of("travaux")
    assert all(group is not None for group in groups.values())
    assert groups["editors"].getProperty("title").startswith("Travaux – ")


def test_title_of_a_service_of_one_no_longer_there_and_of_none(portal):
    set_services([TRAVAUX])
    assert services.title("travaux") == "Travaux"
    assert services.title("gone") == "gone"  # an item of a service since removed
    assert services.title("gone", unknown="") == ""
    assert services.title(None) == ""


def test_renaming_a_service_renames_its_groups(portal):
    set_services([TRAVAUX])
    set_services([{**TRAVAUX, "title": "Travaux publics"}])
    for group in groups_of("travaux").values():
        assert group.getProperty("title").startswith("Travaux publics – ")


def test_removing_a_service_removes_its_groups(portal):
    set_services([TRAVAUX, POPULATION])
    set_services([POPULATION])
    assert all(group is None for group in groups_of("travaux").values())
    assert all(group is not None for group in groups_of("population").values())


def test_vocabulary_lists_services_in_order(portal, get_vocabulary):
    set_services([TRAVAUX, POPULATION])
    vocabulary = get_vocabulary("communesplone.core.services", portal)
    assert [term.value for term in vocabulary] == ["travaux", "population"]
    assert [term.title for term in vocabulary] == ["Travaux", "Population"]


@pytest.mark.parametrize(
    "rows,fragment",
    [
        ([TRAVAUX, {**TRAVAUX, "title": "Autre"}], "is used by two services"),
        ([{**TRAVAUX, "title": "  "}], "needs a name"),
        ([{**TRAVAUX, "id": "Travaux Publics"}], "is not URL-safe"),
        ([{**TRAVAUX, "id": "travaux/../x"}], "is not URL-safe"),
        ([{**TRAVAUX, "id": ""}], "needs an identifier"),
    ],
)
def test_bad_services_are_refused_and_nothing_is_created(portal, rows, fragment):
    set_services([POPULATION])
    with pytest.raises(Refusal) as error:
        set_services(rows)
    assert fragment in translate(error.value.doc())
    assert services.get_all() == [POPULATION]
    assert all(group is None for group in groups_of("travaux").values())


def test_messages_are_translated(portal):
    with pytest.raises(Refusal) as error:
        ICommunesPloneSettings["services"].validate([TRAVAUX, TRAVAUX])
    assert "deux services" in translate(error.value.doc(), target_language="fr")
    assert "twee diensten" in translate(error.value.doc(), target_language="nl")


def test_service_with_content_cannot_be_removed(portal):
    set_services([TRAVAUX, POPULATION])
    portal.portal_types["Document"].behaviors += ("communesplone.service",)
    with api.env.adopt_roles(["Manager"]):
        api.content.create(container=portal, type="Document", id="report", service="travaux")
    with pytest.raises(Refusal) as error:
        set_services([POPULATION])
    assert "cannot be removed: 1 objects" in translate(error.value.doc())
    assert [row["id"] for row in services.get_all()] == ["travaux", "population"]
    # A direct write of the record is refused too, by the group subscriber,
    # before any group is touched; the publisher then aborts the transaction.
    with pytest.raises(Refusal):
        api.portal.set_registry_record(services.RECORD, [POPULATION])
    assert all(group is not None for group in groups_of("travaux").values())


def test_nis_code_must_have_five_digits(portal):
    with pytest.raises(Refusal):
        ICommunesPloneSettings["nis_code"].validate("1234")
    assert ICommunesPloneSettings["nis_code"].validate("99001") is None


def test_emails_are_checked(portal):
    with pytest.raises(ValidationError):
        ICommunesPloneSettings["contact_email"].validate("not an address")
    with pytest.raises(ValidationError):
        ICommunesPloneSettings["services"].validate([{**TRAVAUX, "email": "travaux@"}])
    ICommunesPloneSettings["contact_email"].validate("info@ploneville.example")
