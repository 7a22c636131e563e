"""Demo content of the website, for the fictitious commune of Plonéville.

Applied by ``communesplone.website:demo`` (after the core's demo: services
and staff). The seed's four sections with their pages, news, events in the
coming months, a directory, two job vacancies, procedures (linked to the
e-desk's request types when they exist), quick links and a current alert
banner, all published. Nothing is created twice: content that exists (by
its id) is left as it is, so a re-run never overwrites an editor's work.
"""

from communesplone.core.demo import create_users
from communesplone.website import feeds
from communesplone.website import sections
from communesplone.website.interfaces import PREFIX
from datetime import date
from datetime import datetime
from datetime import timedelta
from plone import api
from plone.app.textfield.value import RichTextValue

import pytz


SETTINGS = {
    "banner_title": "IDESS — Services de proximité à finalité sociale",
    "banner_text": (
        "Petits travaux de jardinage, bricolage, transport social : renseignements au "
        "0800 1 1901 (Région wallonne) ou au 071 26 05 20 (CPAS de Plonéville)."
    ),
    "footer_address": "Administration communale\nPlace de la Maison communale 1\n9999 Plonéville",
    "footer_hours": (
        "Du lundi au vendredi : 8 h 30 – 12 h\nLe mercredi : 13 h 30 – 16 h\n"
        "Le samedi (Population) : 9 h – 11 h 30"
    ),
    "footer_phone": "071 26 00 00",
    "footer_email": "info@ploneville.example",
    "directory_categories": [
        "Commerces et artisans",
        "Associations sportives",
        "Associations culturelles",
        "Santé et social",
        "Horeca",
    ],
    "contract_types": [
        "Contrat à durée indéterminée",
        "Contrat à durée déterminée",
        "Remplacement",
        "Job étudiant",
    ],
}
SECTIONS = {
    "vie-communale": (
        "Vie communale",
        "Le collège, le conseil, les services communaux et la vie de nos villages.",
        [
            ("college-communal", "Le collège communal", "Le bourgmestre et les échevins."),
            (
                "conseil-communal",
                "Le conseil communal",
                "Séances, ordres du jour et procès-verbaux.",
            ),
            (
                "services-communaux",
                "Les services communaux",
                "Qui fait quoi, et comment les joindre.",
            ),
            ("demarches", "Démarches administratives", "Carte d'identité, permis, déclarations…"),
        ],
    ),
    "social-et-sante": (
        "Social et santé",
        "Le CPAS, l'aide aux aînés, la petite enfance et la santé.",
        [
            ("cpas", "Le CPAS", "Le centre public d'action sociale de Plonéville."),
            ("aines", "Aînés", "Repas à domicile, taxi social, activités."),
            ("petite-enfance", "Petite enfance", "Crèches, accueillantes et consultations ONE."),
        ],
    ),
    "culture-et-loisirs": (
        "Culture et loisirs",
        "Le centre culturel, la bibliothèque, le sport et les fêtes.",
        [
            ("centre-culturel", "Le centre culturel", "Programme de la saison et stages."),
            ("bibliotheque", "La bibliothèque", "Horaires, catalogue et animations."),
            ("sport", "Sport", "Le hall omnisports, la piscine et les clubs."),
        ],
    ),
    "economie": (
        "Économie",
        "Commerces, marchés, emploi et entreprises de la commune.",
        [
            ("commerces", "Commerce local", "Marchés hebdomadaires et commerçants."),
            ("emploi", "Emploi", "Les offres d'emploi de la commune et de la région."),
            ("entreprises", "Entreprises", "Zonings, aides et contacts utiles."),
        ],
    ),
}
NEWS = [
    ("Opération Carton Jaune", "Les agents constatateurs sensibilisent à la propreté."),
    ("Nouvelle piscine : début du chantier", "Les travaux du bassin de 25 mètres commencent."),
    ("Collecte des sapins de Noël", "Les sapins sont ramassés la première semaine de janvier."),
    ("Fermeture de la rue Haute", "Réfection de la voirie entre la place et l'école."),
    ("Prime à la rénovation", "La commune complète la prime régionale."),
    ("Plan canicule", "Les personnes isolées peuvent se signaler au CPAS."),
    ("Repair Café", "Un samedi par mois à la maison de village."),
    ("Budget communal adopté", "Le conseil a voté le budget de l'année prochaine."),
    ("Nouvelles heures d'ouverture", "La Population ouvre aussi le samedi matin."),
    ("Élagage des haies", "Rappel du règlement de police sur les plantations."),
    ("Bibliothèque : prêt numérique", "Empruntez des livres numériques gratuitement."),
    ("Stages de Pâques", "Inscriptions ouvertes au centre sportif."),
    ("Enquête publique : parc éolien", "Le dossier est consultable au service Urbanisme."),
    ("Accueil des nouveaux habitants", "Rencontre avec le collège à la maison communale."),
    ("Compost à domicile", "Des fûts à compost à prix réduit."),
    ("Conseil des enfants", "Les jeunes élus présentent leurs projets."),
    ("Plan de mobilité", "Participez à la consultation sur les déplacements."),
    ("Journée de l'arbre", "Distribution gratuite de plants le dernier samedi de novembre."),
    ("Marché de Noël", "Chalets, vin chaud et artisans sur la place communale."),
    ("Ya 1 truc !", "Le guide des bons plans pour les jeunes est paru."),
]
EVENTS = [
    ("Fête du Patrimoine", 12, "Place communale", "Visites guidées des églises et des fermes."),
    ("Lire en Sambre", 20, "Bibliothèque communale", "Lectures, rencontres d'auteurs, ateliers."),
    ("Marché de Noël", 28, "Place communale", "Artisans, producteurs locaux et animations."),
    ("Conseil communal", 35, "Maison communale", "Séance publique du conseil communal."),
    ("Terres promises — Théâtre du Public", 45, "Centre culturel", "Une pièce en tournée."),
    ("Jogging des villages", 60, "Hall omnisports", "5 et 10 km à travers la campagne."),
    ("Repair Café", 75, "Maison de village", "Réparons ensemble plutôt que de jeter."),
    ("Brocante de printemps", 110, "Rue Haute", "Plus de 200 exposants."),
]
DIRECTORY = [
    (
        "boulangerie-dupont",
        "Boulangerie Dupont",
        "commerces-et-artisans",
        "Pains au levain, pâtisseries.",
        "Rue Haute 12\n9999 Plonéville",
        50.412,
        4.626,
        "071 26 11 11",
        "info@boulangerie-dupont.example",
        [("tue", "07:00", "18:00"), ("wed", "07:00", "18:00"), ("sat", "07:00", "13:00")],
    ),
    (
        "rfc-ploneville",
        "Royal Football Club Plonéville",
        "associations-sportives",
        "Football dès 5 ans.",
        "Stade communal, rue du Stade 3\n9999 Plonéville",
        50.409,
        4.631,
        "0470 11 22 33",
        None,
        [("wed", "14:00", "18:00"), ("sat", "09:00", "12:00")],
    ),
    (
        "chorale-echo",
        "Chorale L'Écho des Vallées",
        "associations-culturelles",
        "Chœur mixte, répétitions le jeudi.",
        "Maison de village\n9999 Plonéville",
        None,
        None,
        "071 26 22 22",
        "echo@example.org",
        [("thu", "19:30", "21:30")],
    ),
    (
        "maison-medicale",
        "Maison médicale du Centre",
        "sante-et-social",
        "Médecine générale, kinésithérapie, soins infirmiers.",
        "Place communale 5\n9999 Plonéville",
        50.411,
        4.628,
        "071 26 33 33",
        "accueil@mm-centre.example",
        [
            ("mon", "08:00", "19:00"),
            ("tue", "08:00", "19:00"),
            ("wed", "08:00", "19:00"),
            ("thu", "08:00", "19:00"),
            ("fri", "08:00", "19:00"),
        ],
    ),
    (
        "cafe-de-la-place",
        "Café de la Place",
        "horeca",
        "Brasserie, petite restauration.",
        "Place communale 2\n9999 Plonéville",
        50.4112,
        4.6283,
        "071 26 44 44",
        None,
        [("fri", "10:00", "23:00"), ("sat", "10:00", "23:00"), ("sun", "10:00", "20:00")],
    ),
]
VACANCIES = [
    (
        "ouvrier-voirie",
        "Ouvrier qualifié (H/F/X) au service Travaux",
        "travaux",
        "contrat-a-duree-indeterminee",
        "Temps plein, 38 h/semaine",
        30,
        "<p>Entretien des voiries, des trottoirs et des espaces verts de la commune.</p>"
        "<ul><li>Permis C souhaité</li><li>Expérience en maçonnerie appréciée</li></ul>",
    ),
    (
        "employe-population",
        "Employé d'administration (H/F/X) — Population / État civil",
        "population",
        "contrat-a-duree-determinee",
        "Mi-temps, 19 h/semaine",
        21,
        "<p>Accueil des citoyens, délivrance des documents d'identité et des certificats.</p>",
    ),
]
HOW_TO_APPLY = (
    "<p>Envoyez votre lettre de motivation, votre CV et une copie de votre diplôme au "
    "Collège communal, Place de la Maison communale 1, 9999 Plonéville, ou par courriel à "
    "<a href='mailto:personnel@ploneville.example'>personnel@ploneville.example</a>.</p>"
)
PROCEDURES = [
    (
        "carte-identite",
        "Carte d'identité électronique",
        "population",
        None,
        "La carte d'identité électronique (eID) des Belges de plus de 12 ans.",
        "Tout habitant belge inscrit dans la commune, dès 12 ans.",
        "Présentez-vous au service Population avec votre convocation. Délai : trois semaines.",
        "25 € (procédure normale)",
        "<ul><li>Votre ancienne carte</li><li>Une photo récente</li></ul>",
        "Loi du 19 juillet 1991 relative aux registres de la population.",
    ),
    (
        "certificat-residence",
        "Certificat de résidence",
        "population",
        "certificat-residence",
        "Un document qui atteste votre adresse.",
        "Toute personne inscrite dans la commune.",
        "Demandez-le en ligne ou au guichet du service Population.",
        "Gratuit en ligne, 3 € au guichet",
        "<p>Aucun.</p>",
        "Arrêté royal du 16 juillet 1992 relatif aux registres de la population.",
    ),
    (
        "permis-urbanisme",
        "Permis d'urbanisme",
        "urbanisme",
        None,
        "L'autorisation de construire, transformer ou démolir.",
        "Tout propriétaire ou son mandataire.",
        "Déposez votre demande complète au service Urbanisme, sur rendez-vous.",
        "Selon la nature des travaux",
        "<ul><li>Le formulaire de demande</li><li>Les plans</li></ul>",
        "Code du Développement Territorial (CoDT).",
    ),
    (
        "declaration-naissance",
        "Déclaration de naissance",
        "population",
        None,
        "L'enregistrement de la naissance d'un enfant.",
        "Les parents, dans les 15 jours de la naissance.",
        "Présentez-vous au service État civil avec le certificat médical.",
        "Gratuit",
        "<ul><li>Le certificat médical</li><li>Les cartes d'identité des parents</li></ul>",
        "Code civil, articles 55 et suivants.",
    ),
    (
        "composition-menage",
        "Composition de ménage",
        "population",
        "composition-menage",
        "Un document qui indique les personnes de votre ménage.",
        "Toute personne inscrite dans la commune, pour elle-même.",
        "Demandez-la en ligne ou au guichet du service Population.",
        "Gratuit en ligne, 3 € au guichet",
        "<p>Aucun.</p>",
        "Arrêté royal du 16 juillet 1992 relatif aux registres de la population.",
    ),
    (
        "depot-encombrants",
        "Enlèvement des encombrants",
        "environnement",
        None,
        "Le ramassage des objets trop grands pour les sacs.",
        "Tout ménage de la commune, deux fois par an.",
        "Demandez un enlèvement en ligne ou par téléphone.",
        "15 € par enlèvement",
        "<p>Aucun.</p>",
        "Règlement communal relatif à la collecte des déchets.",
    ),
]
QUICK_LINKS = [
    ("guichet-en-ligne", "Guichet en ligne", "/guichet"),
    ("seances-publiques", "Séances du conseil", "/conseil/@@public-meetings"),
    ("offres-emploi", "Offres d'emploi", "/@@job-vacancies"),
    ("annuaire", "Annuaire", "/@@directory"),
    ("demarches-liste", "Démarches", "/@@procedures"),
    ("agenda", "Agenda", "/event_listing"),
]


def _html(text):
    return RichTextValue(text, "text/html", "text/x-html-safe")


def _create(container, type_, id_, **fields):
    if id_ in container.objectIds():
        return None
    obj = api.content.create(container=container, type=type_, id=id_, **fields)
    api.content.transition(obj=obj, to_state="published")
    return obj


def _request_type_uid(hint):
    """The UID of the e-desk's request type whose id contains ``hint`` (if the e-desk is there)."""
    if not hint:
        return None
    brains = api.content.find(portal_type="request_type", id=hint)
    return brains[0].UID if brains else None


def install(context):
    portal = api.portal.get()
    for key, value in SETTINGS.items():
        if not api.portal.get_registry_record(f"{PREFIX}.{key}", default=None):
            api.portal.set_registry_record(f"{PREFIX}.{key}", value)
    for section_id, (title, description, pages) in SECTIONS.items():
        if section_id not in portal.objectIds():
            _create(portal, "Folder", section_id, title=title, description=description)
        section = portal[section_id]
        for page_id, page_title, page_description in pages:
            _create(
                section,
                "Document",
                page_id,
                title=page_title,
                description=page_description,
                text=_html(f"<p>{page_description}</p>"),
            )
    culture, economie = portal["culture-et-loisirs"], portal["economie"]
    vie = portal["vie-communale"]
    news_folder = _folder(vie, "actualites", "Actualités")
    now = datetime.now(pytz.timezone("Europe/Brussels")).replace(minute=0, second=0, microsecond=0)
    for number, (title, description) in enumerate(NEWS):
        item = _create(
            news_folder,
            "News Item",
            f"actualite-{number + 1}",
            title=title,
            description=description,
            text=_html(f"<p>{description}</p>"),
        )
        if item is not None:
            item.setEffectiveDate(now - timedelta(days=2 * number))
            item.reindexObject()
    agenda = _folder(culture, "agenda", "Agenda")
    for number, (title, days, location, description) in enumerate(EVENTS):
        start = (now + timedelta(days=days)).replace(hour=14 if number % 2 else 19)
        _create(
            agenda,
            "Event",
            f"evenement-{number + 1}",
            title=title,
            description=description,
            start=start,
            end=start + timedelta(hours=3),
            location=location,
            text=_html(f"<p>{description}</p>"),
        )
    feeds.enable(news_folder, agenda)
    directory = _folder(economie, "annuaire", "Annuaire")
    for entry_id, title, category, description, address, lat, lon, phone, email, hours in DIRECTORY:
        _create(
            directory,
            "directory_entry",
            entry_id,
            title=title,
            category=category,
            description=description,
            address=address,
            latitude=lat,
            longitude=lon,
            phone=phone,
            email=email,
            opening_hours=[{"day": d, "opens": o, "closes": c} for d, o, c in hours],
        )
    jobs = _folder(economie, "offres-emploi", "Offres d'emploi")
    for job_id, title, service, contract, hours, days, text in VACANCIES:
        _create(
            jobs,
            "job_vacancy",
            job_id,
            title=title,
            service=service,
            contract_type=contract,
            hours=hours,
            closing_date=date.today() + timedelta(days=days),
            text=_html(text),
            how_to_apply=_html(HOW_TO_APPLY),
        )
    procedures = _folder(vie, "demarches-administratives", "Démarches en ligne et au guichet")
    for proc_id, title, service, hint, what, who, how, cost, documents, legal in PROCEDURES:
        _create(
            procedures,
            "procedure",
            proc_id,
            title=title,
            description=what,
            service=service,
            request_type=_request_type_uid(hint),
            what=_html(f"<p>{what}</p>"),
            who=_html(f"<p>{who}</p>"),
            how=_html(f"<p>{how}</p>"),
            cost=cost,
            documents=_html(documents),
            legal_basis=legal,
        )
    links = _folder(portal, "acces-rapides", "Accès rapides", exclude=True)
    for link_id, title, path in QUICK_LINKS:
        _create(links, "quick_link", link_id, title=title, url=path)
    _newsletter(portal, news_folder, agenda)
    _association_section(culture)
    _portlets(portal)
    alerts = _folder(portal, "alertes", "Alertes", exclude=True)
    _create(
        alerts,
        "alert_banner",
        "travaux-rue-haute",
        title="Travaux rue Haute",
        message=(
            "La rue Haute est fermée à la circulation entre la place et l'école pendant les "
            "travaux de voirie. Déviation par la rue du Stade."
        ),
        level="warning",
        start=datetime.now() - timedelta(days=1),
        end=datetime.now() + timedelta(days=60),
    )


# The association whose member edits its own section (sections.py): login, name, groups
USERS = [("chorale", "Martine Lejeune (Chorale L'Écho des Vallées)", [])]
ASSOCIATION_SECTION = ("chorale", "Chorale L'Écho des Vallées", "Le chœur mixte de nos villages.")
ASSOCIATION_PAGES = [
    ("qui-sommes-nous", "Qui sommes-nous ?", "Quarante choristes, de 16 à 82 ans, depuis 1978."),
    ("repetitions", "Répétitions", "Le jeudi de 19 h 30 à 21 h 30 à la maison de village."),
]
# Written by the member and submitted: it waits for the web team in "Pending review"
ASSOCIATION_NEWS = ("concert-de-noel", "Concert de Noël", "Le dimanche avant Noël en l'église.")


def _association_section(culture):
    """A section of "Culture et loisirs" delegated to the choir's member, with the pages
    the web team published and a news item the member submitted, waiting for review."""
    create_users(USERS)
    login = USERS[0][0]
    section_id, title, description = ASSOCIATION_SECTION
    if section_id in culture.objectIds():
        return
    section = _create(culture, "Folder", section_id, title=title, description=description)
    api.user.grant_roles(username=login, obj=section, roles=[sections.ROLE])
    for page_id, page_title, text in ASSOCIATION_PAGES:
        _create(section, "Document", page_id, title=page_title, text=_html(f"<p>{text}</p>"))
    news_id, news_title, text = ASSOCIATION_NEWS
    with api.env.adopt_user(username=login):
        news = api.content.create(
            container=section, type="News Item", id=news_id, title=news_title, description=text
        )
        api.content.transition(obj=news, transition="submit")


def _portlets(portal):
    """Left column: "Accès rapides" and "Nouveautés" (Plone's news portlet); right
    column: the month calendar instead of the upcoming events, which the home
    page shows already."""
    from communesplone.website.browser.newsletter_portlet import Assignment as Newsletter
    from communesplone.website.browser.portlets import Assignment as QuickLinks
    from plone.app.event.portlets.portlet_calendar import Assignment as Calendar
    from plone.app.portlets.portlets.news import Assignment as News
    from plone.portlets.interfaces import IPortletAssignmentMapping
    from plone.portlets.interfaces import IPortletManager
    from zope.component import getMultiAdapter
    from zope.component import getUtility

    manager = getUtility(IPortletManager, name="plone.leftcolumn", context=portal)
    mapping = getMultiAdapter((portal, manager), IPortletAssignmentMapping)
    if "acces-rapides" not in mapping:
        mapping["acces-rapides"] = QuickLinks()
    if "notre-lettre" not in mapping:  # "Our newsletter", after "Accès rapides"
        mapping["notre-lettre"] = Newsletter()
        order = [name for name in mapping if name != "notre-lettre"]
        position = order.index("acces-rapides") + 1 if "acces-rapides" in order else 0
        mapping.updateOrder([*order[:position], "notre-lettre", *order[position:]])
    if "nouveautes" not in mapping:
        mapping["nouveautes"] = News(count=5, state=("published",))
    manager = getUtility(IPortletManager, name="plone.rightcolumn", context=portal)
    mapping = getMultiAdapter((portal, manager), IPortletAssignmentMapping)
    if "calendrier" not in mapping:
        if "events" in mapping:
            del mapping["events"]
        mapping["calendrier"] = Calendar(state=("published",))


def _newsletter(portal, news_folder, agenda):
    """The commune's newsletter (published, no subscriber) and a draft issue."""
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.intid.interfaces import IIntIds

    _create(
        portal,
        "newsletter",
        "lettre-information",
        title="La lettre de Plonéville",
        description="Les nouvelles de la commune, une fois par mois, dans votre boîte mail.",
        exclude_from_nav=True,
    )
    letter = portal["lettre-information"]
    if "lettre-decembre" in letter.objectIds():
        return
    intids = getUtility(IIntIds)
    chosen = [news_folder[f"actualite-{n}"] for n in (1, 2, 3) if f"actualite-{n}" in news_folder]
    chosen += [agenda[f"evenement-{n}"] for n in (1, 2) if f"evenement-{n}" in agenda]
    api.content.create(  # a draft: private, for the editors to complete and send
        container=letter,
        type="newsletter_issue",
        id="lettre-decembre",
        title="La lettre de décembre",
        intro=_html("<p>Chères habitantes, chers habitants, voici les nouvelles du mois.</p>"),
        items=[RelationValue(intids.getId(obj)) for obj in chosen],
    )


def _folder(container, folder_id, title, exclude=False):
    if folder_id not in container.objectIds():
        _create(container, "Folder", folder_id, title=title, exclude_from_nav=exclude)
    return container[folder_id]
