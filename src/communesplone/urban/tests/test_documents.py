"""The urban letters: installed from their files, offered by their event types to
the staff, rendered on a real file (ODT, and PDF through LibreOffice), stored in
the event; and the documents stored in an inquiry kept from the public, the
notice aside."""

from communesplone.core.testing import as_user
from communesplone.documents import generation
from communesplone.documents import testing as documents_testing
from communesplone.documents.templates import record
from communesplone.documents.testing import libreoffice  # noqa: F401
from communesplone.documents.testing import odt_text
from communesplone.documents.testing import pdf_text
from communesplone.urban import demo_cadastre
from communesplone.urban import documents
from communesplone.urban import gis
from communesplone.urban import testing
from communesplone.urban.desk import get_desk
from communesplone.urban.desk import get_event_type
from communesplone.urban.templates import TEMPLATES
from datetime import date
from plone import api
from plone.namedfile.file import NamedBlobFile
from types import SimpleNamespace

import pytest


APPLICANT = {
    "civility": "mrs",
    "name": "Dupont",
    "first_name": "Marie",
    "address": "Rue des Tilleuls 7, 5000 Namur",
    "email": "marie.dupont@example.org",
}


@pytest.fixture
def world(portal):
    api.portal.set_registry_record("communesplone.commune_name", "Commune de Plonéville")
    testing.build(portal)
    desk = get_desk()
    records = demo_cadastre.install(desk, count=40)
    licence = testing.make_licence(
        subject="Construction d'une maison unifamiliale",
        works_description="Une maison de deux façades avec garage.",
        applicants=[APPLICANT],
        work_locations=[demo_cadastre.work_location(records[0])],
        parcels=[demo_cadastre.parcel_row(records[0])],
    )
    testing.add_event(licence, "deposit", event_date=date(2026, 3, 1))
    testing.add_event(licence, "receipt", event_date=date(2026, 3, 6))
    return SimpleNamespace(desk=desk, licence=licence, records=records)


def template(name):
    return api.portal.get()["templates"]["urban"][name]


def generate(obj, name, fmt="odt", user="editor"):
    return documents_testing.generate(obj, template(name), fmt, user)


def offered(obj, user):
    with as_user(user):
        return [t.getId() for t in generation.templates_for(obj)]


def test_templates_installed_from_their_files_and_linked(world):
    folder = api.portal.get()["templates"]["urban"]
    assert [t.getId() for t in folder.objectValues()] == [shipped.id for shipped in TEMPLATES]
    assert record(folder["accuse_reception-odt"])["file"] == "fr/accuse_reception.fodt"
    links = {
        type_id: get_event_type(type_id).templates
        for type_id in ("acknowledgement", "missing_parts", "opinion_fd", "inquiry", "deposit")
    }
    assert links == {
        "acknowledgement": ["accuse_reception-odt"],
        "missing_parts": ["demande_complements-odt"],
        "opinion_fd": ["demande_avis-odt"],
        "inquiry": ["avis_enquete-odt", "lettre_riverains-odt"],
        "deposit": [],
    }
    assert get_event_type("college_decision").templates == ["decision-odt"]


def test_an_event_offers_its_types_templates_to_the_staff_only(world):
    licence = world.licence
    acknowledgement = testing.add_event(licence, "acknowledgement")
    opinion = testing.add_event(licence, "opinion_fd")
    assert offered(acknowledgement, "editor") == ["accuse_reception-odt"]
    assert offered(opinion, "reviewer") == ["demande_avis-odt"]
    assert offered(licence["deposit-of-the-application"], "editor") == []
    testing.grant_applicant(licence, "applicant")
    assert offered(acknowledgement, "applicant") == []
    # An administrator's choice on the event type is what counts.
    get_event_type("acknowledgement").templates = ["decision-odt"]
    assert offered(acknowledgement, "editor") == ["decision-odt"]


def test_acknowledgement_of_receipt(world):
    licence = world.licence
    event = testing.add_event(licence, "acknowledgement", event_date=date(2026, 3, 20))
    text = odt_text(generate(event, "accuse_reception-odt"))
    for expected in (
        "Commune de Plonéville",
        f"Objet : accusé de réception — {licence.get_licence_type().Title()} {licence.reference}",
        "Marie Dupont",
        "Rue des Tilleuls 7, 5000 Namur",
        "Votre demande a été déposée le 1 mars 2026.",
        licence.address,
        "Construction d'une maison unifamiliale",
        "article D.IV.33",
    ):
        assert expected in text, f"{expected!r} missing:\n{text}"


def test_request_for_missing_parts_lists_them(world):
    event = testing.add_event(
        world.licence,
        "missing_parts",
        letter_text="Plan d'implantation\n\n  Formulaire statistique  ",
    )
    text = odt_text(generate(event, "demande_complements-odt"))
    assert "– Plan d'implantation\n– Formulaire statistique" in text
    assert "est incomplète" in text


def test_opinion_request_letter_is_addressed_to_the_events_body(world):
    event_type = get_event_type("opinion_fd")
    event_type.body_address = "Rue des Brigades d'Irlande 1\n5100 Jambes"
    event = testing.add_event(world.licence, "opinion_fd")
    text = odt_text(generate(event, "demande_avis-odt"))
    assert event_type.body in text
    assert "Rue des Brigades d'Irlande 1\n5100 Jambes" in text
    assert "dans les 35 jours" in text
    # The request's own body and delay win over its type's.
    event.body, event.delay = "Service régional d'incendie", 15
    text = odt_text(generate(event, "demande_avis-odt"))
    assert "Service régional d'incendie" in text and "dans les 15 jours" in text


def test_inquiry_notice_shows_the_project_and_no_personal_data(world):
    inquiry = testing.add_event(
        world.licence,
        "inquiry",
        start_date=date(2026, 4, 1),
        end_date=date(2026, 4, 15),
        notice="Une maison de deux façades.",
    )
    text = odt_text(generate(inquiry, "avis_enquete-odt"))
    assert "PUBLIC INQUIRY" in text or "ENQUÊTE PUBLIQUE" in text
    assert "L'enquête est ouverte du 1 avril 2026 au 15 avril 2026." in text
    assert "Construction d'une maison unifamiliale" in text
    assert world.licence.address in text
    assert "Une maison de deux façades." in text
    assert "Dupont" not in text


def test_letters_to_every_owner_within_50_metres(world):
    inquiry = testing.add_event(
        world.licence, "inquiry", start_date=date(2026, 4, 1), end_date=date(2026, 4, 15)
    )
    owners = gis.neighbours(world.licence, radius=50)
    assert owners, "the demo village has neighbours"
    text = odt_text(generate(inquiry, "lettre_riverains-odt"))
    assert text.count("En votre qualité de propriétaire de la parcelle") == len(owners)
    for owner in owners:
        assert owner.capakey in text
        if owner.owner_name:
            assert owner.owner_name in text
    assert "Aucun propriétaire" not in text


def test_letters_to_neighbours_without_any(world):
    far = testing.make_licence(subject="Abri de jardin")
    inquiry = testing.add_event(far, "inquiry")
    text = odt_text(generate(inquiry, "lettre_riverains-odt"))
    assert "Aucun propriétaire n'est connu dans un rayon de 50 mètres" in text
    assert "En votre qualité" not in text


@pytest.mark.parametrize(
    "decision,expected,absent",
    [("granted", "est octroyé à Marie Dupont", "refusé"), ("refused", "est refusé", "octroyé")],
)
def test_decision_permit_or_refusal(world, decision, expected, absent):
    testing.add_event(world.licence, "acknowledgement", event_date=date(2026, 3, 20))
    event = testing.add_event(
        world.licence,
        "college_decision",
        decision=decision,
        event_date=date(2026, 5, 4),
        letter_text="Considérant que le projet s'intègre au bâti existant ;",
    )
    text = odt_text(generate(event, "decision-odt"))
    assert expected in text
    assert absent not in text
    assert "Vu l'accusé de réception du 20 mars 2026 ;" in text
    assert "Considérant que le projet s'intègre au bâti existant ;" in text
    assert "Ainsi fait en séance du 4 mai 2026." in text


def test_helper_gives_no_personal_data_to_whoever_may_not_read_it(world):
    from communesplone.documents.helper import DocumentHelper

    helper = documents.UrbanHelper(DocumentHelper("fr"))
    inquiry = testing.add_event(world.licence, "inquiry")
    testing.transition(inquiry, "announce")
    with as_user(None):
        assert helper.applicants(inquiry) == []
        assert helper.neighbours(inquiry) == []
        assert helper.reference(inquiry) == ""
    with as_user("editor"):
        assert helper.applicant_names(inquiry) == "Marie Dupont"
        assert helper.neighbours(inquiry)


def test_acknowledgement_as_pdf_stored_in_the_event(world, libreoffice, tmp_path):  # noqa: F811
    event = testing.add_event(world.licence, "acknowledgement")
    generated = generate(event, "accuse_reception-odt", "pdf")
    assert generated.data.startswith(b"%PDF")
    assert "accusé de réception" in pdf_text(generated, tmp_path)
    with as_user("editor"):
        stored = generation.store(event, generated, template("accuse_reception-odt"))
    assert stored.aq_parent == event
    assert stored.file.contentType == "application/pdf"


def _store_in(inquiry, name):
    """A document of template ``name`` stored in ``inquiry`` by the staff, as
    ``@@generate-document`` stores it (the request names the template)."""
    request = api.portal.get().REQUEST
    request.form["template"] = template(name).UID()
    try:
        with as_user("editor"):
            return api.content.create(
                container=inquiry,
                type="File",
                title=name,
                file=NamedBlobFile(data=b"%PDF-1.4", filename=f"{name}.pdf"),
            )
    finally:
        del request.form["template"]


def test_an_announced_inquirys_letters_stay_private_its_notice_is_public(world):
    inquiry = testing.add_event(world.licence, "inquiry")
    letters = _store_in(inquiry, "lettre_riverains-odt")
    notice = _store_in(inquiry, "avis_enquete-odt")
    testing.transition(inquiry, "announce")
    for obj in (letters, notice):
        obj.reindexObjectSecurity()
    with as_user(None):
        assert api.user.has_permission("View", obj=inquiry)
        assert api.user.has_permission("View", obj=notice)
        assert not api.user.has_permission("View", obj=letters)
        assert [b.getObject() for b in documents.public_documents(inquiry)] == [notice]
    with as_user("editor"):
        assert api.user.has_permission("View", obj=letters)


def _publicity(document, public, user="editor"):
    from plone.protect.authenticator import createToken

    request = document.REQUEST
    request.method = request["REQUEST_METHOD"] = "POST"
    with as_user(user):
        request.form.update(public="1" if public else "0", _authenticator=createToken())
        try:
            return api.content.get_view("urban-document-publicity", document, request)()
        finally:
            request.form.pop("public"), request.form.pop("_authenticator")


def test_the_staff_publish_a_document_with_the_inquiry_and_take_it_back(world):
    from zExceptions import Forbidden

    inquiry = testing.add_event(world.licence, "inquiry")
    with as_user("editor"):
        plan = api.content.create(
            container=inquiry,
            type="File",
            title="Plan d'implantation",
            file=NamedBlobFile(data=b"%PDF-1.4", filename="plan.pdf"),
        )
    testing.transition(inquiry, "announce")
    with as_user(None):
        assert not api.user.has_permission("View", obj=plan)
    with pytest.raises(Forbidden):
        _publicity(plan, True, user="applicant")
    _publicity(plan, True)
    with as_user(None):
        assert api.user.has_permission("View", obj=plan)
        assert [b.getObject() for b in documents.public_documents(inquiry)] == [plan]
    _publicity(plan, False)
    with as_user(None):
        assert not api.user.has_permission("View", obj=plan)
        assert documents.public_documents(inquiry) == []
    with as_user("editor"):
        assert api.user.has_permission("View", obj=plan)
