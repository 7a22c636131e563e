"""Demo content of the meetings application, for the fictitious commune of Plonéville.

Applied by ``communesplone.meetings:demo`` (after the core's demo: services
and staff). Both bodies with their members and categories; a closed college
meeting with its decisions (one item heard in closed session, one delayed,
two sent to the council), its attendance (a member replaced, one who leaves
for a point), its polls (public, secret, none) and a published decision
with the names in it masked; the next college meeting with items presented,
one with annexes of several types and in copy to another service, one
returned to its service; a budget-related item waiting for the financial
advice; items of every service in several states; the next council meeting;
an alderman in charge of the works and a power observer. The people are
fictitious. Nothing is created twice: a body that exists is left as it is,
with everything in it.
"""

from communesplone.core.demo import create_users
from communesplone.meetings import workflows
from communesplone.meetings.constants import PERSONAL_DATA_CLASS
from communesplone.meetings.copies import create_item
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from plone import api
from plone.app.textfield.value import RichTextValue
from plone.namedfile.file import NamedBlobFile

import logging
import os
import tempfile


logger = logging.getLogger(__name__)


# login, full name, groups
USERS = [
    ("jdupont", "Jean Dupont (bourgmestre, membre du Collège et du Conseil)", []),
    ("mvandamme", "Marie Vandamme (conseillère communale, membre du Conseil)", []),
    ("mwauters", "Marc Wauters (échevin des Travaux, en charge du service Travaux)", []),
    ("kservais", "Karin Servais (cabinet du Bourgmestre, observatrice du Collège)", []),
]
# The alderman in charge of the works reads the service's items from their proposal
# on; the mayor's office follows every item of the college once frozen.
GROUP_IN_CHARGE = ("echevin_travaux", "Échevin des Travaux", "travaux", "mwauters")
POWER_OBSERVERS = ["kservais"]
# The services an item of the college may be copied to
COPY_GROUPS_ALLOWED = ["finances", "environnement", "secretariat"]
MEETING_MANAGERS = ["dgodin", "smercier"]
ADVISERS = [("lrenard", "finances"), ("ejacobs", "environnement")]

COLLEGE_MEMBERS = [
    ("dupont", "Jean Dupont", "Bourgmestre-Président", 1, "jdupont"),
    ("lambotte", "Sophie Lambotte", "Première Échevine", None, None),
    ("wauters", "Marc Wauters", "Échevin des Travaux", None, "mwauters"),
    ("elamrani", "Nadia El Amrani", "Échevine des Finances", None, None),
    ("collard", "Paul Collard", "Président du CPAS", None, None),
]
COUNCILLORS = [
    ("vandamme", "Marie Vandamme", "Conseillère communale", None, "mvandamme"),
    ("hermans", "Luc Hermans", "Conseiller communal", None, None),
    ("gerard", "Anne Gérard", "Conseillère communale", None, None),
    ("piron", "Olivier Piron", "Conseiller communal", None, None),
]
DIRECTOR = ("godin", "Delphine Godin", "Directrice générale", 2, "dgodin")

CATEGORIES = [
    {"id": "administration", "title": "Administration générale"},
    {"id": "population", "title": "Population et État civil"},
    {"id": "travaux", "title": "Travaux publics"},
    {"id": "urbanisme", "title": "Urbanisme et Aménagement du territoire"},
    {"id": "environnement", "title": "Environnement"},
    {"id": "finances", "title": "Finances et Marchés publics"},
]

RECURRING = [
    {
        "title": "Approuve le procès-verbal de la séance antérieure",
        "service": "secretariat",
        "category": "administration",
        "decision": "Le procès-verbal de la séance antérieure est approuvé.",
    },
    {
        "title": "Autorise et signe les bons de commande de la semaine",
        "service": "finances",
        "category": "finances",
        "decision": "Le Collège autorise et signe les bons de commande de la semaine.",
    },
]

TEMPLATES = [
    {
        "title": "Marché de travaux – approbation des conditions et du mode de passation",
        "service": "travaux",
        "category": "travaux",
        "motivation": "Vu le Code de la démocratie locale et de la décentralisation ;\n"
        "Vu la loi du 17 juin 2016 relative aux marchés publics ;",
        "decision": "Article 1er : d'approuver le cahier des charges et le montant estimé du "
        "marché.\nArticle 2 : de passer le marché par procédure négociée sans publication "
        "préalable.",
    },
    {
        "title": "Permis d'urbanisme – décision sur la demande",
        "service": "urbanisme",
        "category": "urbanisme",
        "motivation": "Vu le Code du Développement Territorial ;",
        "decision": "Le permis est octroyé aux conditions suivantes :",
    },
]


def _personal(text):
    """``text`` marked as personal data, as the editor's "Personal data" format does."""
    return f'<span class="{PERSONAL_DATA_CLASS}">{text}</span>'


# title, service, category, privacy, forward, motivation, decision
CLOSED_ITEMS = [
    (
        "Réfection de la voirie rue des Tilleuls – approbation du projet",
        "travaux",
        "travaux",
        "public",
        True,
        "Considérant l'état de dégradation avancé de la voirie rue des Tilleuls ;",
        "Article 1er : d'approuver le projet de réfection de la rue des Tilleuls pour un montant "
        "estimé de 182.500 euros TVAC.\nArticle 2 : de transmettre le dossier au Conseil "
        "communal.",
    ),
    (
        "Cimetière communal – règlement relatif aux concessions",
        "population",
        "population",
        "public",
        True,
        "Vu le décret du 6 mars 2009 relatif aux funérailles et sépultures ;",
        "De proposer au Conseil communal le règlement relatif aux concessions de sépulture.",
    ),
    (
        "Personnel communal – situation individuelle d'un agent",
        "secretariat",
        "administration",
        "secret",
        False,
        "Vu le statut administratif du personnel communal ;",
        "De prolonger le congé pour convenances personnelles de l'agent concerné.",
    ),
    (
        "Plan de cohésion sociale – rapport d'activités 2025",
        "population",
        "population",
        "public",
        False,
        "Vu le décret du 22 novembre 2018 relatif au plan de cohésion sociale ;",
        "De prendre acte du rapport d'activités 2025 du plan de cohésion sociale.",
    ),
    (
        "Éclairage public – remplacement par des luminaires LED",
        "environnement",
        "environnement",
        "public",
        False,
        "Considérant l'objectif de réduction des consommations énergétiques ;",
        "De reporter le point à une séance ultérieure, dans l'attente de l'avis du service "
        "Finances.",
    ),
    # a published decision whose personal data the editor marked (masking): the
    # public pages, the open data and the publication document show a placeholder
    (
        "Prime communale à la rénovation – octroi",
        "finances",
        "finances",
        "public",
        False,
        f"Vu la demande introduite le 2 octobre 2026 par Madame {_personal('Claire Fontaine')}, "
        f"domiciliée {_personal('rue des Écoles 12')} à Plonéville ;",
        f"D'octroyer une prime communale à la rénovation de 1.250 euros à Madame "
        f"{_personal('Claire Fontaine')}, à verser sur le compte "
        f"{_personal('BE68 5390 0754 7034')}.",
    ),
]

# title, service, category, state ("itemcreated", "proposed", "validated", "presented")
UPCOMING_ITEMS = [
    (
        "Fête de la Saint-Nicolas – occupation de la place communale",
        "secretariat",
        "administration",
        "presented",
    ),
    ("Marché de fournitures – acquisition d'une balayeuse", "travaux", "travaux", "presented"),
    (
        "Permis d'urbanisme – construction d'une habitation, chemin du Moulin",
        "urbanisme",
        "urbanisme",
        "presented",
    ),
    ("Subside à l'ASBL Plonéville Sports", "finances", "finances", "validated"),
    (
        "Plan de propreté publique – campagne de sensibilisation",
        "environnement",
        "environnement",
        "validated",
    ),
    ("Population – changement d'adresse d'office", "population", "population", "proposed"),
    ("Travaux d'égouttage – rue de la Station", "travaux", "travaux", "proposed"),
    ("Modification budgétaire n°2 de l'exercice 2026", "finances", "finances", "itemcreated"),
    (
        "Permis d'environnement – exploitation d'une menuiserie",
        "environnement",
        "environnement",
        "itemcreated",
    ),
    # a nomination (voted by secret ballot) and a communication (taken for information)
    (
        "Désignation d'un représentant communal à l'assemblée générale de l'intercommunale "
        "Plonéville-Énergie",
        "secretariat",
        "administration",
        "presented",
    ),
    (
        "Communication – rapport trimestriel de la zone de police",
        "secretariat",
        "administration",
        "presented",
    ),
]

# The street sweeper is in copy to the environment service (the public cleanliness
# plan uses it): its staff read the item, without acting on it.
COPIES = {
    "Marché de fournitures – acquisition d'une balayeuse": ["environnement"],
}

# The general director, who manages the meetings (the secretariat)
SECRETARY = "dgodin"
# service -> the head of service who validates its items (core's demo reviewers)
REVIEWERS = {
    "secretariat": "dgodin",
    "population": "mdubois",
    "travaux": "afontaine",
    "urbanisme": "cpeeters",
}

# service -> the demo editor who proposes its items
EDITORS = {
    "secretariat": "smercier",
    "population": "jlambert",
    "travaux": "pleroy",
    "urbanisme": "tmartin",
    "finances": "lrenard",
    "environnement": "ejacobs",
}


def _members(rows):
    return [
        {
            "id": member_id,
            "person": person,
            "function": function,
            "voting": member_id != DIRECTOR[0],
            "signatory_order": order,
            "active_from": None,
            "active_to": None,
            "userid": userid,
        }
        for member_id, person, function, order, userid in rows
    ]


def _html(text):
    paragraphs = "".join(f"<p>{line}</p>" for line in text.split("\n"))
    return RichTextValue(paragraphs, "text/html", "text/x-html-safe")


def _item(
    body,
    title,
    service,
    category,
    privacy="public",
    forward=False,
    motivation="",
    decision="",
    copy_groups=(),
):
    with api.env.adopt_user(username=EDITORS[service]):
        return create_item(
            body,
            title=title,
            service=service,
            category=category,
            privacy=privacy,
            forward=forward,
            motivation=_html(motivation) if motivation else None,
            decision=_html(decision) if decision else None,
            copy_groups=list(copy_groups),
        )


def _titled(body, title):
    (item,) = [i for i in body.objectValues() if i.title == title]
    return item


def _to(obj, *transitions, user=None):
    """Fire ``transitions`` on ``obj`` as ``user`` (the history names who did it)."""
    with api.env.adopt_user(username=user or SECRETARY):
        for transition in transitions:
            api.content.transition(obj=obj, transition=transition)


def _proposed_and_validated(item, validate=True):
    """Proposed by its service's editor, validated by its head of service (or the
    general director, for a service without one)."""
    _to(item, "propose", user=EDITORS[item.service])
    if validate:
        _to(item, "validate", user=REVIEWERS.get(item.service, SECRETARY))


def _present(items, meeting):
    with api.env.adopt_user(username=SECRETARY):
        workflows.present(items, meeting)


def _meeting(body, day):
    with api.env.adopt_user(username=SECRETARY):
        return _create_meeting(body, day)


def _create_meeting(body, day):
    return api.content.create(
        container=body,
        type="meeting",
        id=f"seance-{day:%Y-%m-%d}",
        date=day,
        place="Salle du Conseil, Maison communale",
    )


def install(context):
    """Post handler of ``communesplone.meetings:demo``."""
    portal = api.portal.get()
    if "college" in portal.objectIds() or "conseil" in portal.objectIds():
        return
    create_users(USERS)
    with api.env.adopt_roles(["Manager"]):
        conseil = api.content.create(
            container=portal,
            type="meeting_body",
            id="conseil",
            title="Conseil communal",
            description="Les séances du Conseil communal de Plonéville.",
            members=_members([*COLLEGE_MEMBERS, *COUNCILLORS, DIRECTOR]),
            categories=CATEGORIES,
            forwarded_item_state="validated",
            ordering=["list_type", "category"],
        )
        college = api.content.create(
            container=portal,
            type="meeting_body",
            id="college",
            title="Collège communal",
            description="Les séances du Collège des Bourgmestre et Échevins de Plonéville.",
            members=_members([*COLLEGE_MEMBERS, DIRECTOR]),
            categories=CATEGORIES,
            forward_to=conseil.UID(),
            recurring_items=RECURRING,
            item_templates=TEMPLATES,
            ordering=["list_type", "category"],
            advice_rules=ADVICE_RULES,
            waiting_advices=True,
            copy_groups_allowed=COPY_GROUPS_ALLOWED,
        )
        group_id, group_title, service, login = GROUP_IN_CHARGE
        if api.group.get(groupname=group_id) is None:
            api.group.create(groupname=group_id, title=group_title)
        api.group.add_user(groupname=group_id, username=login)
        college.groups_in_charge = [{"service": service, "group": group_id}]
        for login in POWER_OBSERVERS:
            api.group.add_user(groupname="college_powerobservers", username=login)
        for body in (college, conseil):
            for login in MEETING_MANAGERS:
                api.group.add_user(groupname=f"{body.getId()}_meetingmanagers", username=login)
        for login, service in ADVISERS:
            api.group.add_user(groupname=f"{service}_advisers", username=login)
        from communesplone.meetings.bodies import sync_members

        sync_members(college)
        sync_members(conseil)
        _closed_meeting(college)
        with _office_previews():
            _upcoming_meeting(college)
        _waiting_for_the_financial_advice(college)
        _meeting(conseil, datetime(2026, 12, 17, 19, 30))


# The law's rule (CDLD art. L1124-40): the financial director's advice of legality
# on budget-related items above 22,000 €, in 10 working days
ADVICE_RULES = [
    {
        "service": "finances",
        "condition": "budget_above",
        "value": "22000",
        "delay_days": 10,
        "working_days": True,
        "mandatory": True,
    }
]


def _waiting_for_the_financial_advice(college):
    """A budget-related item, proposed: it waits for the financial director's advice."""
    from decimal import Decimal

    item = _item(
        college,
        "Acquisition d'une balayeuse de voirie",
        "travaux",
        "travaux",
        motivation=(
            "Vu le Code de la démocratie locale et de la décentralisation, notamment "
            "l'article L1124-40 ;\nVu le cahier spécial des charges n° 2026/TR/014 ;"
        ),
        decision="Approuve l'acquisition d'une balayeuse de voirie pour 86.400 € TVAC.",
    )
    item.budget_related = True
    item.budget_amount = Decimal("86400")
    _to(item, "propose", user=EDITORS[item.service])  # the rule asks the advice: it waits
    return item


def _closed_meeting(college):
    meeting = _meeting(college, datetime(2026, 11, 10, 20, 0))
    # the CPAS president is replaced by his substitute, who votes in his seat
    meeting.attendance = [
        {
            "member": "collard",
            "status": "replaced",
            "represented_by": None,
            "replaced_by": "Julie Dasnoy, Présidente du CPAS f.f.",
        }
    ]
    items = []
    for title, service, category, privacy, forward, motivation, decision in CLOSED_ITEMS:
        item = _item(college, title, service, category, privacy, forward, motivation, decision)
        _proposed_and_validated(item)
        items.append(item)
    _present(items, meeting)
    _to(meeting, "freeze", "decide")
    from communesplone.meetings import votes

    votes.encode(
        items[0],
        [
            {
                "label": "Sur l'ensemble",
                "secret": False,
                "voters": {
                    "dupont": "yes",
                    "lambotte": "yes",
                    "wauters": "yes",
                    "elamrani": "abstain",
                    "collard": "yes",
                },
            }
        ],
    )
    _leaves_during(meeting, items[2], "wauters")
    _polls(items)
    _to(items[1], "accept_but_modify")
    _to(items[4], "delay")
    _to(meeting, "publish_decisions", "close")  # closing accepts the others


def _polls(items):
    """The other polls of the closed meeting, as the minutes record them.

    - the agent's situation (a decision on a person): a secret ballot, with a blank one;
    - the social cohesion report: taken for information, without a vote;
    - the renovation grant: the mayor, a neighbour of the applicant, is excused for
      the point and the first alderman signs in his place; the CPAS president's
      substitute does not vote ("ne vote pas").
    """
    from communesplone.meetings import attendance
    from communesplone.meetings import votes

    secret, report, grant = items[2], items[3], items[5]
    secret.poll_type = "secret"
    votes.encode(
        secret,
        [
            {
                "label": "Sur l'ensemble",
                "secret": True,
                "counts": {"yes": 3, "no": 0, "abstain": 0, "blank": 1, "invalid": 0},
            }
        ],
    )
    report.poll_type = "no_vote"
    attendance.set_item(grant, {"item_excused": ["dupont"], "item_signatories": {"1": "lambotte"}})
    grant.poll_type = "public"
    votes.encode(
        grant,
        [
            {
                "label": "Sur l'ensemble",
                "secret": False,
                "voters": {
                    "lambotte": "yes",
                    "wauters": "yes",
                    "elamrani": "yes",
                    "collard": "does_not_vote",
                },
            }
        ],
    )


def _leaves_during(meeting, item, member):
    """``member`` leaves the session before ``item`` and comes back before the next point
    (a conflict of interest): away for that point only, as the minutes say."""
    from communesplone.meetings import agenda
    from communesplone.meetings import attendance

    number = item.item_number
    moves = [
        {
            "member": member,
            "leaves_before": agenda.number_label(number),
            "returns_before": agenda.number_label((number // 100 + 1) * 100),
        }
    ]
    attendance.check_moves(meeting, moves)
    meeting.moves = attendance.clean_moves(moves)


def _upcoming_meeting(college):
    meeting = _meeting(college, datetime(2026, 12, 8, 20, 0))
    presented = []
    for title, service, category, state in UPCOMING_ITEMS:
        item = _item(
            college,
            title,
            service,
            category,
            motivation="Vu le Code de la démocratie locale et de la décentralisation ;",
            copy_groups=COPIES.get(title, []),
        )
        if title == UPCOMING_ITEMS[1][0]:
            _annexes(item)  # attached by the editor while preparing the item
        if state != "itemcreated":
            _proposed_and_validated(item, validate=state != "proposed")
        if state == "presented":
            presented.append(item)
    _present(presented, meeting)
    returned = _titled(college, UPCOMING_ITEMS[2][0])
    with api.env.adopt_user(username=SECRETARY):
        api.content.transition(
            obj=returned,
            transition="return_to_proposing_group",
            comment="Le plan d'implantation manque au dossier : merci de le joindre.",
        )
    (last,) = [i for i in college.objectValues() if i.title == UPCOMING_ITEMS[4][0]]
    last.advices_asked = [{"service": "finances", "deadline_days": 15}]
    from communesplone.meetings import visibility

    visibility.update(last)  # the finances advisers now see it
    last.reindexObject()
    return meeting


# The street sweeper's file: (title, file in demo_annexes/, type). The specifications
# are an office file (their preview made by LibreOffice), the estimate a PDF, the
# depot's plan an image; the bidders' contacts are personal data (confidential).
ANNEXES = (
    ("Cahier spécial des charges", "cahier-des-charges-2026-TR-014.odt", "annex"),
    ("Estimation du marché", "estimation-balayeuse.pdf", "budget"),
    ("Plan du hangar communal", "plan-hangar-communal.png", "plan"),
    ("Firmes consultées – contacts", "firmes-consultees.pdf", "personal"),
)
ANNEX_FILES = Path(__file__).parent / "demo_annexes"


def _annexes(item):
    """The street sweeper's annexes, added by the works service's editor."""
    with api.env.adopt_user(username=EDITORS[item.service]):
        for title, filename, annex_type in ANNEXES:
            api.content.create(
                container=item,
                type="meeting_annex",
                title=title,
                annex_type=annex_type,
                file=NamedBlobFile(data=(ANNEX_FILES / filename).read_bytes(), filename=filename),
            )


@contextmanager
def _office_previews():
    """A LibreOffice for the office annexes' previews while the demo is built.

    The site is created before ``make run`` starts its LibreOffice servers: if
    none answers, one is started on a free port for the build, then stopped.
    Without LibreOffice, the annex says it has no preview, as it would on a site.
    """
    from communesplone.documents import libreoffice

    if libreoffice.available():
        yield
        return
    saved = {name: os.environ.get(name) for name in (libreoffice.ENV_HOST, libreoffice.ENV_PORTS)}
    with tempfile.TemporaryDirectory(prefix="communesplone-demo-lo-") as workdir:
        try:
            servers = libreoffice.start(libreoffice.free_ports(1), workdir)
        except (libreoffice.LibreOfficeUnavailable, RuntimeError, OSError) as error:
            logger.info("No LibreOffice for the demo's previews: %s", error)
            yield
            return
        os.environ[libreoffice.ENV_HOST] = servers.host
        os.environ[libreoffice.ENV_PORTS] = ",".join(str(port) for port in servers.ports)
        try:
            yield
        finally:
            servers.stop()
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
