"""Demo content of the urban application, for the fictitious commune.

Applied by ``communesplone.urban:demo`` (after the core's demo: the
Urbanisme service and its staff, Thomas Martin and Claire Peeters). It fills
the desk's parcel store with the demo village (``demo_cadastre.py``) unless
it has parcels, and makes nine files of different types in different states,
each on parcels of the village, with their events in order: among them the
seed's "Construction d'une maison" with "Type de voie: Communale",
"Revêtement: filets d'eau", its road equipment and its events of March
(deposit, receipt, three opinion requests). Dates are in the current year
(the past year before July, so that no event lies in the future).

A file whose subject exists already is left as it is: applying the profile
again makes nothing twice. Everything here is invented.
"""

from communesplone.urban import constants
from communesplone.urban import opinions
from communesplone.urban.desk import get_contacts
from communesplone.urban.desk import get_desk
from communesplone.urban.desk import get_event_type
from communesplone.urban.desk import get_licence_type
from datetime import date
from datetime import timedelta
from plone import api
from plone.dexterity.utils import createContentInContainer


MANAGERS = ["tmartin", "cpeeters"]

CONTACTS = [
    ("architecte-lemaire", "architect", "Lemaire", "Sophie", "Atelier Lemaire",
     "Rue des Tilleuls 8", "5399", "Aulne-la-Forêt", "A-2011-0457"),
    ("architecte-dewinter", "architect", "De Winter", "Bruno", "", "Place du Marché 2",
     "5000", "Namur", "A-2004-1123"),
    ("notaire-gilson", "notary", "Gilson", "Anne", "Étude Gilson", "Rue du Palais 14", "5000",
     "Namur", ""),
    ("geometre-noel", "geometrician", "Noël", "Julien", "Bureau Noël", "Chemin de la Ferme 3",
     "5399", "Aulne-la-Forêt", "G-0987"),
]  # fmt: skip


def _applicant(civility, name, first_name, address, phone="", email="", company="", bce=""):
    return {
        "civility": civility,
        "name": name,
        "first_name": first_name,
        "address": address,
        "phone": phone,
        "email": email,
        "company": company,
        "bce_number": bce,
    }


# Each file: licence type, subject, the parcels (indexes in the village's records,
# nearest to the centre first), its fields, its events [(event type, month, day,
# fields, actions)], the transitions of the licence after its events.
# Actions of an opinion request: ("sent", month, day), ("received", month, day, opinion).
FILES = [
    {
        "licence_type": "building_permit",
        "subject": "Construction d'une maison unifamiliale",
        "parcels": [4],
        "fields": {
            "works_description": "Construction d'une maison unifamiliale de deux façades, "
            "toiture à deux versants en ardoises, garage attenant.",
            "work_types": ["new_building"],
            "folder_category": "housing",
            "road_type": "municipal",
            "coating": "gutters",
            "road_equipments": ["water", "electricity", "sewer_treated", "separate_sewer"],
            "zone": "housing",
            "dwellings_before": 0,
            "dwellings_after": 1,
            "applicants": [
                _applicant(
                    "mr_mrs",
                    "Lambotte",
                    "Pierre et Julie",
                    "Rue Haute 21, 5000 Namur",
                    "0471 23 45 67",
                    "lambotte@example.org",
                ),
            ],  # fmt: skip
            "architect": "architecte-lemaire",
        },
        "events": [
            ("deposit", 3, 1, {}, []),
            ("receipt", 3, 6, {}, []),
            ("opinion_spw_mobility", 3, 7, {}, [("sent", 3, 7)]),
            ("opinion_fd", 3, 7, {}, [("sent", 3, 7)]),
            ("opinion_spw_environment", 3, 7, {}, [("sent", 3, 7)]),
        ],
        "transitions": [],
    },
    {
        "licence_type": "building_permit",
        "subject": "Transformation d'une grange en deux logements",
        "parcels": [11, 12],
        "fields": {
            "works_description": "Transformation d'une grange en deux logements, création de "
            "baies en façade arrière, isolation de la toiture.",
            "work_types": ["transformation", "change_of_use"],
            "folder_category": "housing",
            "road_type": "municipal",
            "coating": "asphalt",
            "road_equipments": ["water", "electricity", "sewer_untreated"],
            "zone": "rural_housing",
            "protected_heritage": True,
            "dwellings_before": 0,
            "dwellings_after": 2,
            "applicants": [
                _applicant(
                    "mrs",
                    "Gérard",
                    "Hélène",
                    "Chemin des Saules 4, 5399 Aulne-la-Forêt",
                    "081 22 33 44",
                    "h.gerard@example.org",
                ),
            ],  # fmt: skip
            "architect": "architecte-dewinter",
        },
        "events": [
            ("deposit", 2, 3, {}, []),
            ("receipt", 2, 5, {}, []),
            ("acknowledgement", 2, 20, {}, []),
            (
                "opinion_fd",
                2,
                24,
                {},
                [("sent", 2, 24), ("received", 3, 25, "favorable_conditions")],
            ),
            ("opinion_fire", 2, 24, {}, [("sent", 2, 24), ("received", 3, 10, "favorable")]),
            (
                "inquiry",
                3,
                2,
                {
                    "start_date": (3, 9),
                    "end_date": (3, 23),
                    "notice": "Transformation d'une grange en deux logements, avec dérogation au "
                    "guide régional d'urbanisme (baies en façade arrière).",
                    "claimants": [
                        {
                            "name": "Marc Delvaux",
                            "address": "Chemin des Saules 6, 5399 Aulne-la-Forêt",
                            "claim": "Craint des vues directes sur son jardin.",
                            "date": (3, 15),
                        },
                        {
                            "name": "Nadia Benali",
                            "address": "Chemin des Saules 2, 5399 Aulne-la-Forêt",
                            "claim": "Demande que le stationnement se fasse sur la parcelle.",
                            "date": (3, 20),
                        },
                    ],
                },
                ["announce", "close"],
            ),
        ],  # fmt: skip
        "transitions_before": {"inquiry": ["declare_complete"]},
        "transitions": [],
    },
    {
        "licence_type": "building_permit",
        "subject": "Extension d'une habitation (véranda)",
        "parcels": [20],
        "fields": {
            "works_description": "Construction d'une véranda de 18 m² à l'arrière de l'habitation.",
            "work_types": ["extension"],
            "folder_category": "housing",
            "road_type": "municipal",
            "coating": "paving",
            "road_equipments": ["water", "electricity", "sewer_treated"],
            "zone": "housing",
            "dwellings_before": 1,
            "dwellings_after": 1,
            "applicants": [
                _applicant("mr", "Renson", "Olivier", "Rue du Tilleul 9, 5399 Aulne-la-Forêt"),
            ],
        },
        "events": [
            ("deposit", 1, 12, {}, []),
            ("receipt", 1, 14, {}, []),
            ("acknowledgement", 1, 30, {}, []),
            ("college_decision", 2, 24, {"decision": "granted"}, []),
            ("notification", 2, 27, {}, []),
            ("works_start", 4, 6, {}, []),
        ],
        "transitions_before": {
            "college_decision": ["declare_complete"],
            "notification": ["accept"],
        },
        "transitions": [],
    },
    {
        "licence_type": "urbanisation_permit",
        "subject": "Permis d'urbanisation : douze lots, Chemin des Prés",
        "parcels": [40, 41, 42],
        "fields": {
            "works_description": "Division en douze lots à bâtir, création d'une voirie de "
            "desserte et de ses équipements.",
            "folder_category": "housing",
            "road_type": "municipal",
            "coating": "gravel",
            "road_equipments": ["water"],
            "zone": "deferred",
            "applicants": [
                _applicant(
                    "company",
                    "",
                    "",
                    "Avenue de la Gare 30, 5000 Namur",
                    "081 40 50 60",
                    "info@terrains-mosans.example",
                    "Terrains mosans SA",
                    "0412.345.678",
                ),
            ],  # fmt: skip
            "geometrician": "geometre-noel",
        },
        "events": [
            ("deposit", 4, 2, {}, []),
            ("receipt", 4, 3, {}, []),
            (
                "missing_parts",
                4,
                18,
                {"notes": "Manque le plan de la voirie et l'étude d'incidences."},
                [],
            ),
        ],
        "transitions": ["declare_incomplete"],
    },
    {
        "licence_type": "planning_declaration",
        "subject": "Abri de jardin de 25 m²",
        "parcels": [30],
        "fields": {
            "work_types": ["new_building"],
            "road_type": "municipal",
            "coating": "asphalt",
            "zone": "housing",
            "applicants": [
                _applicant("mrs", "Collard", "Martine", "Rue des Écoles 5, 5399 Aulne-la-Forêt"),
            ],
        },
        "events": [
            ("deposit", 5, 4, {}, []),
            ("receipt", 5, 5, {}, []),
            ("college_decision", 5, 26, {"decision": "refused"}, []),
        ],
        "transitions": ["refuse"],
    },
    {
        "licence_type": "environmental_declaration_3",
        "subject": "Citerne à mazout de 5 000 litres",
        "parcels": [33],
        "fields": {
            "road_type": "regional",
            "coating": "asphalt",
            "applicants": [
                _applicant("mr", "Wauters", "Luc", "Route de Namur 112, 5399 Aulne-la-Forêt"),
            ],
        },
        "events": [("deposit", 6, 2, {}, [])],
        "transitions": [],
    },
    {
        "licence_type": "notary_letter",
        "subject": "Renseignements urbanistiques : vente d'une maison",
        "parcels": [50],
        "fields": {
            "zone": "housing",
            "notary": "notaire-gilson",
            "applicants": [
                _applicant(
                    "company",
                    "",
                    "",
                    "Rue du Palais 14, 5000 Namur",
                    "081 30 30 30",
                    "etude@gilson.example",
                    "Étude du notaire Gilson",
                ),
            ],  # fmt: skip
        },
        "events": [("deposit", 6, 9, {}, []), ("receipt", 6, 9, {}, [])],
        "transitions": [],
    },
    {
        "licence_type": "planning_certificate_1",
        "subject": "Certificat d'urbanisme n°1 : terrain à bâtir",
        "parcels": [60],
        "fields": {
            "zone": "agricultural",
            "road_type": "provincial",
            "coating": "concrete",
            "applicants": [
                _applicant("mr", "Hardy", "Vincent", "Rue de la Station 3, 5399 Aulne-la-Forêt"),
            ],
        },
        "events": [("deposit", 3, 16, {}, []), ("receipt", 3, 17, {}, [])],
        "transitions": ["deliver"],
    },
    {
        "licence_type": "environmental_permit_2",
        "subject": "Atelier de menuiserie et stockage de bois",
        "parcels": [70, 71],
        "fields": {
            "works_description": "Exploitation d'un atelier de menuiserie (machines de "
            "40 kW) et stockage de bois sous abri.",
            "folder_category": "industry",
            "road_type": "regional",
            "coating": "asphalt",
            "road_equipments": ["water", "electricity"],
            "zone": "economic",
            "applicants": [
                _applicant(
                    "company",
                    "",
                    "",
                    "Zoning des Forges 7, 5399 Aulne-la-Forêt",
                    "081 55 66 77",
                    "contact@menuiserie-dufour.example",
                    "Menuiserie Dufour SRL",
                    "0734.567.891",
                ),
            ],  # fmt: skip
        },
        "events": [
            ("deposit", 5, 11, {}, []),
            ("receipt", 5, 12, {}, []),
            ("acknowledgement", 5, 28, {}, []),
            ("opinion_fire", 6, 1, {}, [("sent", 6, 2)]),
        ],
        # under public inquiry now, so that the public page lists it and takes claims
        "running_inquiry": (
            "Exploitation d'un atelier de menuiserie (classe 2) avec stockage de bois et "
            "aspiration des copeaux, Drève des Prés. Le dossier peut être consulté à "
            "l'administration communale pendant l'enquête."
        ),
        "transitions_before": {"opinion_fire": ["declare_complete"]},
        "transitions": [],
    },
]


def demo_year(today=None):
    """The demo's year: this one from July on, else the past one (no future events)."""
    today = today or date.today()
    return today.year if today.month >= 7 else today.year - 1


def _contacts():
    """{contact id: UID} of the demo's architects, notary and geometrician (made once)."""
    folder = get_contacts()
    found = {}
    if folder is None:
        return found
    for contact_id, kind, name, first, company, street, code, city, number in CONTACTS:
        contact = folder.get(contact_id)
        if contact is None:
            contact = api.content.create(
                container=folder,
                type=constants.CONTACT,
                id=contact_id,
                title=name,
                kind=kind,
                first_name=first,
                company=company or None,
                street=street,
                postal_code=code,
                city=city,
                email=f"{contact_id}@example.org",
                registration_number=number or None,
            )
        found[contact_id] = contact.UID()
    return found


def _parcels(desk):
    """The village's records, nearest to the centre first (the store filled if empty)."""
    from communesplone.urban import cadastre
    from communesplone.urban import demo_cadastre

    store = cadastre.get_store(desk, create=False)
    if store is None or not len(store.parcels):
        return demo_cadastre.install(desk)
    cx, cy = demo_cadastre.CENTRE
    records = demo_cadastre.village(300)
    return sorted(records, key=lambda r: ((r["x"] - cx) ** 2 + (r["y"] - cy) ** 2, r["capakey"]))


def _value(year, value):
    """A (month, day) pair as a date of the demo's year; anything else as it is."""
    if isinstance(value, tuple) and len(value) == 2:
        return date(year, *value)
    if isinstance(value, list):
        return [
            {key: _value(year, item) for key, item in row.items()} if isinstance(row, dict) else row
            for row in value
        ]
    return value


def _locate(licence):
    try:
        from communesplone.urban import gis

        found = gis.licence_location(licence)
    except ImportError:  # pragma: no cover - the GIS part is there in the bundle
        found = None
    if found:
        licence.latitude, licence.longitude = found[0], found[1]


def make_file(desk, spec, records, contacts, year):
    """Make one demo file of ``spec`` (see :data:`FILES`) with its events."""
    from communesplone.urban import demo_cadastre

    licence_type = get_licence_type(spec["licence_type"])
    fields = dict(spec["fields"])
    for kind in ("architect", "notary", "geometrician"):
        if fields.get(kind):
            fields[kind] = contacts.get(fields[kind])
    chosen = [records[index] for index in spec["parcels"] if index < len(records)]
    licence = createContentInContainer(
        desk,
        licence_type.family,
        licence_type=licence_type.getId(),
        subject=spec["subject"],
        folder_managers=list(MANAGERS),
        parcels=[demo_cadastre.parcel_row(record) for record in chosen],
        work_locations=[demo_cadastre.work_location(record) for record in chosen[:1]],
        **fields,
    )
    _locate(licence)
    before = spec.get("transitions_before", {})
    for event_type_id, month, day, event_fields, actions in spec["events"]:
        for transition in before.get(event_type_id, ()):
            api.content.transition(obj=licence, transition=transition)
        event_type = get_event_type(event_type_id)
        event = createContentInContainer(
            licence,
            constants.KIND_TYPES[event_type.kind],
            event_type=event_type_id,
            event_date=date(year, month, day),
            **{key: _value(year, value) for key, value in event_fields.items()},
        )
        for action in actions:
            if action == "announce" or action == "close":
                api.content.transition(obj=event, transition=action)
            elif action[0] == "sent":
                opinions.send(event, date(year, action[1], action[2]))
            elif action[0] == "received":
                opinions.receive(event, action[3], date(year, action[1], action[2]))
        event.reindexObject()
    if spec.get("running_inquiry"):
        running_inquiry(licence, spec["running_inquiry"])
    for transition in spec.get("transitions", ()):
        api.content.transition(obj=licence, transition=transition)
    licence.reindexObject()
    return licence


# A running inquiry: begun these days ago, ending in these days (the demo shows one
# that takes claims whatever the day the site is made)
RUNNING_INQUIRY = (3, 12)


def running_inquiry(licence, notice, today=None):
    """An announced public inquiry on ``licence``, running today."""
    today = today or date.today()
    start = today - timedelta(days=RUNNING_INQUIRY[0])
    event = createContentInContainer(
        licence,
        constants.INQUIRY,
        event_type="inquiry",
        event_date=start,
        start_date=start,
        end_date=today + timedelta(days=RUNNING_INQUIRY[1]),
        notice=notice,
    )
    api.content.transition(obj=event, transition="announce")
    event.reindexObject()
    return event


def install(context):
    """Post handler of ``communesplone.urban:demo``."""
    desk = get_desk()
    if desk is None:
        return
    year = demo_year()
    with api.env.adopt_roles(["Manager"]):
        existing = {
            getattr(obj, "subject", None)
            for obj in desk.objectValues()
            if obj.portal_type in constants.LICENCES
        }
        records = _parcels(desk)
        contacts = _contacts()
        for spec in FILES:
            if spec["subject"] in existing:
                continue
            make_file(desk, spec, records, contacts, year)
