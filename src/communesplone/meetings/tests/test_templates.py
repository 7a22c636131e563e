"""The meetings' default templates on a real meeting, read back from ODT and PDF.

A decided meeting of the college with attendance, signatories, two public
items and one secret item, decided, with decisions and votes. Each template
is rendered as a meeting manager, and the publication list as a citizen and an
anonymous visitor, who must never get a decision before its publication nor
anything of a secret item.
"""

from communesplone import _
from communesplone.core.testing import as_user
from communesplone.documents import generation
from communesplone.documents import testing
from communesplone.documents.testing import libreoffice  # noqa: F401
from communesplone.documents.testing import odt_text as text_of
from communesplone.documents.testing import pdf_text
from communesplone.meetings import agenda
from communesplone.meetings import votes
from communesplone.meetings.documents import MeetingHelper
from communesplone.meetings.testing import build
from datetime import date
from datetime import datetime
from plone import api
from plone.app.textfield.value import RichTextValue
from types import SimpleNamespace
from zope.i18n import translate

import pytest


def rich(html):
    return RichTextValue(html, "text/html", "text/html")


def fr(msgid, **mapping):
    """The catalogue's French for ``msgid``: the sentences meeting_helper translates."""
    return translate(_(msgid, mapping=mapping), target_language="fr")


def counts(yes, no, abstain, language="fr"):
    message = _("${yes} for, ${no} against, ${abstain} abstentions", mapping=locals())
    return translate(message, target_language=language)


PUBLIC_DECISION = "Approuve le cahier des charges de la réfection de la rue Haute."
SECRET_DECISION = "Nomme Madame Claire Lambert au grade d'agent technique."
REFUSED_DECISION = "Refuse l'achat d'une balayeuse."
ADVICE = "Crédit disponible à l'article 421/111-01."


@pytest.fixture
def world(portal):
    api.portal.set_registry_record("communesplone.commune_name", "Commune de Plonéville")
    return build(portal)


@pytest.fixture
def decided(world):
    """A decided (not yet published) meeting: two public items, one secret."""
    meeting = world.meeting()
    meeting.convocation_date = date(2026, 12, 1)
    meeting.attendance = [{"member": "martin", "status": "excused", "represented_by": None}]
    meeting.signatories = ["dupont", "godin"]
    meeting.observations = rich("<p>La séance est ouverte à 20 heures.</p>")
    meeting.closed_session_observations = rich("<p>Le public quitte la salle.</p>")
    street = world.item(
        "Réfection de la rue Haute",
        motivation=rich("<p>Vu l'état de la voirie de la rue Haute ;</p>"),
        decision=rich(f"<p>{PUBLIC_DECISION}</p>"),
        advices_asked=[{"service": "finances", "deadline_days": 10}],
    )
    world.transition(street, "propose", user="editor_a")
    with api.env.adopt_user(username="adviser"):
        advice = api.content.create(
            container=street,
            type="meeting_advice",
            id="avis-finances",
            service="finances",
            advice_type="positive",
            comment=ADVICE,
        )
        api.content.transition(obj=advice, transition="signAdvice")
        api.content.transition(obj=advice, transition="giveAdvice")
    world.transition(street, "validate")
    sweeper = world.validated_item(
        "Achat d'une balayeuse",
        motivation=rich("<p>Vu l'offre reçue ;</p>"),
        decision=rich(f"<p>{REFUSED_DECISION}</p>"),
    )
    secret = world.validated_item(
        "Nomination d'un agent technique",
        privacy="secret",
        motivation=rich("<p>Vu la vacance d'emploi ;</p>"),
        decision=rich(f"<p>{SECRET_DECISION}</p>"),
    )
    for item in (street, sweeper, secret):
        world.transition(item, "present")
    world.transition(meeting, "freeze", "decide")
    sweeper.item_absents = ["leroy"]
    votes.encode(street, [{"label": "Sur l'ensemble", "voters": {"dupont": "yes", "leroy": "yes"}}])
    votes.encode(sweeper, [{"label": "Sur l'ensemble", "voters": {"dupont": "no"}}])
    votes.encode(
        secret,
        [{"label": "Nomination", "secret": True, "counts": {"yes": 1, "no": 0, "abstain": 1}}],
    )
    world.transition(street, "accept")
    world.transition(sweeper, "refuse")
    world.transition(secret, "accept")
    return SimpleNamespace(meeting=meeting, street=street, sweeper=sweeper, secret=secret)


def template(name):
    return api.portal.get()["templates"]["meetings"][name]


def generate(obj, name, fmt="odt", user="manager"):
    return testing.generate(obj, template(name), fmt, user)


def in_order(text, *parts):
    positions = []
    for part in parts:
        assert part in text, f"{part!r} missing from:\n{text}"
        positions.append(text.index(part))
    assert positions == sorted(positions), f"{parts} not in this order in:\n{text}"


def label(item):
    return agenda.number_label(item.item_number)


# Installation and conditions ---------------------------------------------------


def test_templates_installed(portal):
    folder = portal["templates"]["meetings"]
    assert set(folder.objectIds()) == {
        "ordre_du_jour-odt",
        "proces_verbal-odt",
        "deliberation-odt",
        "decisions_publication-odt",
        "avis_financier-odt",
    }
    for obj in folder.objectValues():
        assert obj.output_formats == ["odt", "pdf", "docx"]
        assert obj.filename == "{template} {title}"
    assert folder["deliberation-odt"].portal_types == ["meeting_item"]


def test_who_is_offered_which_template(decided, world):
    meeting = decided.meeting
    street = decided.street

    def offered(obj, user):
        with as_user(user):
            return {t.getId() for t in generation.templates_for(obj)}

    everyone = {"ordre_du_jour-odt", "decisions_publication-odt"}
    assert offered(meeting, "manager") == everyone | {"proces_verbal-odt"}
    assert offered(meeting, "member") == everyone
    assert offered(meeting, "citizen") == everyone
    assert offered(meeting, None) == everyone
    assert offered(street, "manager") == {"deliberation-odt"}
    assert offered(street, "editor_a") == set()
    assert offered(world.validated_item("Hors séance"), "manager") == set()  # on no agenda
    # Closed, the meeting can no longer be modified, but its minutes are still made
    with as_user("manager"):
        api.content.transition(obj=meeting, transition="close")
        assert not api.user.has_permission("Modify portal content", obj=meeting)
    assert "proces_verbal-odt" in offered(meeting, "manager")


# Each template as a meeting manager ---------------------------------------------


def test_agenda(decided):
    meeting = decided.meeting
    generated = generate(meeting, "ordre_du_jour-odt")
    text = text_of(generated)
    street, sweeper, secret = decided.street, decided.sweeper, decided.secret
    in_order(
        text,
        "Commune de Plonéville",
        "Le 1 décembre 2026",
        "Convocation",
        "à la séance du Collège communal qui se tiendra le mardi 8 décembre 2026 à 20:00.",
        f"Lieu : {fr('Council chamber, town hall')}",
        "Ordre du jour",
        "Séance publique",
        f"{label(street)}. Réfection de la rue Haute",
        "Séance à huis clos",
        f"{label(secret)}. Nomination d'un agent technique",
        "Par le Collège communal,",
        "Bourgmestre-Président\nJean Dupont",
        "Directrice générale\nDelphine Godin",
    )
    assert f"{label(sweeper)}. Achat d'une balayeuse" in text
    assert "Aucun point" not in text
    # The agenda has titles, not decisions
    assert PUBLIC_DECISION not in text and SECRET_DECISION not in text
    assert generated.filename == (f"{template('ordre_du_jour-odt').Title()} {meeting.Title()}.odt")


def test_minutes(decided):
    meeting = decided.meeting
    text = text_of(generate(meeting, "proces_verbal-odt"))
    street, sweeper, secret = decided.street, decided.sweeper, decided.secret
    in_order(
        text,
        "Procès-verbal",
        "Séance du Collège communal du mardi 8 décembre 2026 à 20:00",
        "Présences",
        "Présents :",
        "Jean Dupont, Bourgmestre-Président",
        "Paul Leroy, Échevin",
        "Delphine Godin, Directrice générale",
        "Excusés :",
        "Anne Martin, Échevine",
        "Séance publique",
        "La séance est ouverte à 20 heures.",
        f"{label(street)}. Réfection de la rue Haute",
        "Vu l'état de la voirie de la rue Haute ;",
        f"Décision : {fr('Approved')}",
        PUBLIC_DECISION,
        f"Sur l'ensemble : {counts(2, 0, 0)}, {fr('unanimously')}.",
        f"{label(sweeper)}. Achat d'une balayeuse",
        "Absents pour ce point : Paul Leroy",
        f"Décision : {fr('Refused')}",
        REFUSED_DECISION,
        f"Sur l'ensemble : {counts(0, 1, 0)}.",
        "Ont voté contre : Jean Dupont",
        "Séance à huis clos",
        "Le public quitte la salle.",
        f"{label(secret)}. Nomination d'un agent technique",
        SECRET_DECISION,
        f"Nomination : {counts(1, 0, 1)} {fr('(secret ballot)')}.",
        "Ainsi délibéré en séance, date que dessus.",
        "Bourgmestre-Président\nJean Dupont",
        "Directrice générale\nDelphine Godin",
    )
    assert "Absents :" not in text and "Représentés :" not in text
    assert "Ont voté pour : Jean Dupont, Paul Leroy" not in text  # unanimous: no names
    assert "Ce paragraphe est remplacé" not in text


def test_extract(decided):
    street = decided.street
    positive = translate(_("Positive"), target_language="fr")
    generated = generate(street, "deliberation-odt")
    text = text_of(generated)
    in_order(
        text,
        "Commune de Plonéville",
        "Extrait du registre aux délibérations du Collège communal",
        "Séance du mardi 8 décembre 2026",
        "Présents : Jean Dupont, Bourgmestre-Président ; Paul Leroy, Échevin ; "
        "Delphine Godin, Directrice générale",
        "Excusés : Anne Martin, Échevine",
        f"Séance publique — point {label(street)} de l'ordre du jour.",
        f"Référence : {street.reference}",
        f"{label(street)}. Réfection de la rue Haute",
        "Le Collège communal,",
        f"Avis : Finances — {positive} : {ADVICE}",
        "Vu l'état de la voirie de la rue Haute ;",
        f"Décision : {fr('Approved')}",
        PUBLIC_DECISION,
        f"Sur l'ensemble : {counts(2, 0, 0)}",
        "Pour extrait conforme,",
        "Par le Collège communal,",
        "Bourgmestre-Président\nJean Dupont",
        "Directrice générale\nDelphine Godin",
    )
    assert SECRET_DECISION not in text and REFUSED_DECISION not in text
    assert "huis clos" not in text
    title = template("deliberation-odt").Title()
    assert generated.filename == f"{title} Réfection de la rue Haute.odt"


def test_extract_of_a_secret_item(decided):
    secret = decided.secret
    text = text_of(generate(secret, "deliberation-odt"))
    in_order(
        text,
        f"Séance à huis clos — point {label(secret)}",
        "Nomination d'un agent technique",
        SECRET_DECISION,
        f"Nomination : {counts(1, 0, 1)} {fr('(secret ballot)')}.",
    )
    assert "Avis :" not in text
    assert "Séance publique" not in text


def test_publication_list_as_manager_has_no_secret_item(decided):
    meeting = decided.meeting
    text = text_of(generate(meeting, "decisions_publication-odt"))
    street, sweeper = decided.street, decided.sweeper
    in_order(
        text,
        "Décisions du Collège communal",
        "Séance du mardi 8 décembre 2026 — décisions prises en séance publique.",
        f"{label(street)}. Réfection de la rue Haute",
        f"Décision : {fr('Approved')}",
        PUBLIC_DECISION,
        f"{label(sweeper)}. Achat d'une balayeuse",
        f"Décision : {fr('Refused')}",
        REFUSED_DECISION,
    )
    assert "Nomination" not in text and SECRET_DECISION not in text


# Security: what citizens and visitors get -------------------------------------


@pytest.mark.parametrize("user", ["citizen", None])
def test_publication_list_before_and_after_publication(decided, world, user):
    meeting = decided.meeting
    before = text_of(generate(meeting, "decisions_publication-odt", user=user))
    # The public items are listed (the meeting and they are public once decided) ...
    assert "Réfection de la rue Haute" in before
    assert "Achat d'une balayeuse" in before
    # ... but no decision before publication, and nothing of the secret item, ever
    for secret_text in (PUBLIC_DECISION, REFUSED_DECISION, "Décision :", SECRET_DECISION):
        assert secret_text not in before
    assert "Nomination" not in before
    world.transition(meeting, "publish_decisions")
    after = text_of(generate(meeting, "decisions_publication-odt", user=user))
    in_order(after, "Réfection de la rue Haute", f"Décision : {fr('Approved')}", PUBLIC_DECISION)
    assert REFUSED_DECISION in after
    assert SECRET_DECISION not in after and "Nomination" not in after


@pytest.mark.parametrize("user", ["citizen", None])
def test_agenda_as_visitor_has_no_secret_item(decided, user):
    meeting = decided.meeting
    text = text_of(generate(meeting, "ordre_du_jour-odt", user=user))
    assert "Réfection de la rue Haute" in text
    assert "Nomination" not in text
    assert "Séance à huis clos" not in text


def test_minutes_as_member_before_publication(decided):
    meeting = decided.meeting
    """A body member reads the meeting's items, decisions included, as the UI shows them."""
    text = text_of(generate(meeting, "proces_verbal-odt", user="member"))
    assert PUBLIC_DECISION in text and SECRET_DECISION in text


def test_helper_hides_decision_details_from_whoever_may_not_view_them(decided):
    street = decided.street
    with as_user("citizen"):
        names = generation.template_names(street)
        helper = names["meeting_helper"]
        assert isinstance(helper, MeetingHelper)
        assert names["helper"].xhtml(street, "decision") == ""
        assert helper.votes(street) == []
        assert helper.outcome(street) == ""
        assert helper.number(street) == label(street)
    with as_user("manager"):
        helper = generation.template_names(street)["meeting_helper"]
        assert helper.outcome(street) == "accepted"
        assert helper.votes(street)[0]["voters"]["yes"] == ["Jean Dupont", "Paul Leroy"]


def test_attendance_statuses(decided):
    meeting = decided.meeting
    meeting.attendance = [
        {"member": "martin", "status": "represented", "represented_by": "dupont"},
        {"member": "leroy", "status": "absent", "represented_by": None},
    ]
    with as_user("manager"):
        helper = generation.template_names(meeting)["meeting_helper"]
        assert [row["id"] for row in helper.present(meeting)] == ["dupont", "godin"]
        assert helper.represented(meeting)[0]["represented_by"] == "Jean Dupont"
        assert [row["person"] for row in helper.absent(meeting)] == ["Paul Leroy"]
    text = text_of(generate(meeting, "proces_verbal-odt"))
    in_order(
        text,
        "Représentés :",
        "Anne Martin, Échevine, représenté(e) par Jean Dupont",
        "Absents :",
        "Paul Leroy, Échevin",
    )
    extract = text_of(generate(decided.street, "deliberation-odt"))
    represented = fr("represented by ${person}", person="Jean Dupont")
    assert f"Représentés : Anne Martin, Échevine, {represented}" in extract
    assert "Absents : Paul Leroy, Échevin" in extract


def test_signatories_default_to_the_body_order(decided):
    meeting = decided.meeting
    meeting.signatories = []
    with as_user("manager"):
        helper = generation.template_names(meeting)["meeting_helper"]
        assert [row["person"] for row in helper.signatories(meeting)] == [
            "Jean Dupont",
            "Delphine Godin",
        ]


def test_empty_meeting(world):
    meeting = world.meeting()
    text = text_of(generate(meeting, "ordre_du_jour-odt"))
    assert "Aucun point n'est inscrit à l'ordre du jour." in text
    assert "Séance publique" not in text
    text = text_of(generate(meeting, "proces_verbal-odt"))
    assert "Aucun point n'était inscrit à l'ordre du jour." in text
    text = text_of(generate(meeting, "decisions_publication-odt"))
    assert "Aucune décision n'a été prise en séance publique." in text


def test_a_late_item_is_marked_on_the_agenda(decided):
    decided.sweeper.list_type = "late"
    text = text_of(generate(decided.meeting, "ordre_du_jour-odt"))
    late = fr("(additional item)")
    assert f"{label(decided.sweeper)}. Achat d'une balayeuse {late}" in text.split("\n")
    assert f"{label(decided.street)}. Réfection de la rue Haute" in text.split("\n")
    assert text.count(late) == 1


def test_a_meeting_is_held_in_the_council_chamber_in_the_communes_language(world):
    meeting = world.meeting()
    assert meeting.place == fr("Council chamber, town hall")
    api.portal.set_registry_record("communesplone.default_language", "nl")
    nl = translate(_("Council chamber, town hall"), target_language="nl")
    assert world.meeting(datetime(2026, 12, 15, 20, 0)).place == nl
    meeting.place = "Salle des mariages"
    assert meeting.place == "Salle des mariages"


# A Dutch-speaking commune -----------------------------------------------------


def nl(msgid, **mapping):
    return translate(_(msgid, mapping=mapping), target_language="nl")


def test_a_dutch_speaking_commune_gets_dutch_templates(decided):
    """Its language set, the unedited templates follow it, and speak Dutch."""
    api.portal.set_registry_record("communesplone.default_language", "nl")
    folder = api.portal.get()["templates"]["meetings"]
    titles = {obj.getId(): obj.Title() for obj in folder.objectValues()}
    assert titles == {
        "ordre_du_jour-odt": nl("Agenda"),
        "proces_verbal-odt": nl("Minutes"),
        "deliberation-odt": nl("Decision extract"),
        "decisions_publication-odt": nl("Decisions for publication"),
        "avis_financier-odt": nl("Financial advice"),
    }
    street, sweeper, secret = decided.street, decided.sweeper, decided.secret
    sweeper.list_type = "late"

    agenda_text = text_of(generate(decided.meeting, "ordre_du_jour-odt"))
    in_order(
        agenda_text,
        "Oproeping",
        "Geachte mevrouw, geachte heer,",
        "Wij hebben de eer u op te roepen voor de zitting van dinsdag 8 december 2026 om 20:00"
        " (Collège communal).",
        "Agenda",
        "Collège communal — zitting van dinsdag 8 december 2026.",
        "Openbare zitting",
        f"{label(street)}. Réfection de la rue Haute",
        f"{label(sweeper)}. Achat d'une balayeuse {nl('(additional item)')}",
        "Besloten zitting",
        f"{label(secret)}. Nomination d'un agent technique",
        "Met de meeste hoogachting,",
        "Namens Collège communal,",
    )

    minutes = text_of(generate(decided.meeting, "proces_verbal-odt"))
    in_order(
        minutes,
        "Notulen",
        "Collège communal — zitting van dinsdag 8 december 2026 om 20:00",
        "Aanwezigheden",
        "Aanwezig:",
        "Jean Dupont, Bourgmestre-Président",
        "Verontschuldigd:",
        "Anne Martin, Échevine",
        "Openbare zitting",
        f"{label(street)}. Réfection de la rue Haute",
        f"Besluit: {nl('Approved')}",
        PUBLIC_DECISION,
        f"Sur l'ensemble: {counts(2, 0, 0, 'nl')}, {nl('unanimously')}.",
        f"{label(sweeper)}. Achat d'une balayeuse",
        "Afwezig voor dit punt: Paul Leroy",
        f"Besluit: {nl('Refused')}",
        "Stemden tegen: Jean Dupont",
        "Besloten zitting",
        f"Nomination: {counts(1, 0, 1, 'nl')} {nl('(secret ballot)')}.",
        "Aldus beslist in zitting, datum als voormeld.",
        "Namens Collège communal,",
    )

    extract = text_of(generate(street, "deliberation-odt"))
    in_order(
        extract,
        "Uittreksel uit de notulen — Collège communal",
        "Zitting van dinsdag 8 december 2026",
        "Aanwezig: Jean Dupont, Bourgmestre-Président; Paul Leroy, Échevin; "
        "Delphine Godin, Directrice générale",
        "Verontschuldigd: Anne Martin, Échevine",
        f"Openbare zitting — punt {label(street)} van de agenda.",
        f"Referentie: {street.reference}",
        "Collège communal,",
        f"Advies: Finances — {nl('Positive')}: {ADVICE}",
        f"Besluit: {nl('Approved')}",
        "Aldus gedaan in zitting, datum als voormeld.",
        "Voor eensluidend uittreksel,",
    )

    publication = text_of(generate(decided.meeting, "decisions_publication-odt"))
    in_order(
        publication,
        "Besluiten — Collège communal",
        "Zitting van dinsdag 8 december 2026 — besluiten genomen in openbare zitting.",
        f"{label(street)}. Réfection de la rue Haute",
        f"Besluit: {nl('Approved')}",
    )
    for text in (agenda_text, minutes, extract, publication):
        for french in ("Séance", "Décision", "Présents", "Par le", "voix pour"):
            assert french not in text


def test_an_empty_meeting_in_dutch(world):
    api.portal.set_registry_record("communesplone.default_language", "nl")
    meeting = world.meeting()
    assert "Er staan geen punten op de agenda." in text_of(generate(meeting, "ordre_du_jour-odt"))
    assert "Er stonden geen punten op de agenda." in text_of(generate(meeting, "proces_verbal-odt"))
    publication = text_of(generate(meeting, "decisions_publication-odt"))
    assert "Er werden geen besluiten genomen in openbare zitting." in publication


# PDF through LibreOffice ----------------------------------------------------------


def test_minutes_and_extract_as_pdf(decided, libreoffice, tmp_path):  # noqa: F811
    meeting = decided.meeting
    generated = generate(meeting, "proces_verbal-odt", "pdf")
    assert generated.data.startswith(b"%PDF")
    assert generated.filename == (f"{template('proces_verbal-odt').Title()} {meeting.Title()}.pdf")
    text = pdf_text(generated, tmp_path)
    for expected in (
        "Procès-verbal",
        "Jean Dupont, Bourgmestre-Président",
        "Anne Martin, Échevine",
        "Réfection de la rue Haute",
        PUBLIC_DECISION,
        SECRET_DECISION,
        "Delphine Godin",
    ):
        assert expected in text, f"{expected!r} missing from the PDF:\n{text}"
    extract = pdf_text(generate(decided.street, "deliberation-odt", "pdf"), tmp_path)
    assert "Extrait du registre aux délibérations du Collège communal" in extract
    assert PUBLIC_DECISION in extract
    assert "Pour extrait conforme" in extract


def test_dutch_minutes_as_pdf(decided, libreoffice, tmp_path):  # noqa: F811
    api.portal.set_registry_record("communesplone.default_language", "nl")
    text = pdf_text(generate(decided.meeting, "proces_verbal-odt", "pdf"), tmp_path)
    for expected in ("Notulen", "Aanwezigheden", "Openbare zitting", PUBLIC_DECISION):
        assert expected in text, f"{expected!r} missing from the PDF:\n{text}"
    assert "dinsdag 8 december 2026" in text
