"""Demo content of the e-desk, for the fictitious commune of Plonéville.

Applied by ``communesplone.edesk:demo`` (after the core's demo: services and
staff). The seed's nine request types: six certificates of Population / État
civil, three problem reports of Travaux. Nothing is created twice: a type
that exists (by its id) is left as it is.
"""

from communesplone.edesk.desk import get_desk
from communesplone.edesk.setuphandlers import post_install
from communesplone.edesk.templates import HOUSEHOLD as HOUSEHOLD_CERTIFICATE
from communesplone.edesk.templates import RESIDENCE
from plone import api


def _field(field_id, label, field_type, required=True, help_text=None, options=None):
    return {
        "id": field_id,
        "label": label,
        "type": field_type,
        "required": required,
        "help": help_text,
        "options": options,
    }


PURPOSE = _field(
    "purpose",
    "Usage du document",
    "choice",
    options="Administration\nEmployeur\nÉcole\nAutre",
)
NRN = _field(
    "nrn",
    "Numéro de registre national",
    "nrn",
    help_text="Le numéro se trouve au dos de votre carte d'identité.",
)
COPIES = _field("copies", "Nombre d'exemplaires", "number", required=False)
ATTACHMENT = _field(
    "attachment",
    "Pièce justificative",
    "file",
    required=False,
    help_text="Facultatif : un document utile au service (PDF, JPG, PNG, ODT ou DOCX).",
)
CERTIFICATE_FIELDS = [NRN, PURPOSE, COPIES, ATTACHMENT]
HOUSEHOLD = _field(
    "household",
    "Membres du ménage",
    "textarea",
    required=False,
    help_text="Une personne par ligne : nom, prénom, date de naissance, lien.",
)
PROBLEM_FIELDS = [
    _field("description", "Description du problème", "textarea"),
    _field("photo", "Photo", "file", required=False),
    _field("phone", "Téléphone", "phone", required=False),
]

CERTIFICATE = {
    "service": "population",
    "anonymous_allowed": False,
    "needs_location": False,
    "processing_days": 5,
    "fee": "Gratuit",
}
PROBLEM = {
    "service": "travaux",
    "anonymous_allowed": True,
    "needs_location": True,
    "processing_days": 15,
    "fee": "",
}

# id, title, Open311 code, common settings, fields, assurance
TYPES = [
    ("certificat-residence", "Certificat de résidence", None, CERTIFICATE, CERTIFICATE_FIELDS,
     "password"),
    ("certificat-vie", "Certificat de vie", None, CERTIFICATE, CERTIFICATE_FIELDS, "password"),
    ("certificat-nationalite", "Certificat de nationalité", None, CERTIFICATE,
     CERTIFICATE_FIELDS, "password"),
    ("bonne-vie-moeurs-1", "Certificat de bonne vie et mœurs (modèle 1)", None,
     {**CERTIFICATE, "fee": "5 EUR"}, CERTIFICATE_FIELDS, "eid"),
    ("bonne-vie-moeurs-2", "Certificat de bonne vie et mœurs (modèle 2)", None,
     {**CERTIFICATE, "fee": "5 EUR"}, CERTIFICATE_FIELDS, "eid"),
    ("composition-menage", "Composition de ménage", None, CERTIFICATE,
     [*CERTIFICATE_FIELDS, HOUSEHOLD], "password"),
    ("eclairage", "Problème d'éclairage dans la rue", "eclairage", PROBLEM, PROBLEM_FIELDS,
     "password"),
    ("egouts", "Problèmes avec les égouts", "egouts", PROBLEM, PROBLEM_FIELDS, "password"),
    ("voirie", "Problème avec l'état de la route", "voirie", PROBLEM, PROBLEM_FIELDS,
     "password"),
]  # fmt: skip


# The types whose approval produces a certificate, and its shipped template
CERTIFICATES = {
    "certificat-residence": RESIDENCE.id,
    "composition-menage": HOUSEHOLD_CERTIFICATE.id,
}


def _certificate(type_id):
    """The UID of the certificate template of ``type_id``, or None."""
    template_id = CERTIFICATES.get(type_id)
    template = api.content.get(path=f"/templates/edesk/{template_id}") if template_id else None
    return template.UID() if template is not None else None


# The desk's mails (registration, news of the requests) need a sender address
SENDER = {
    "plone.email_from_address": "guichet@ploneville.example",
    "plone.email_from_name": "Guichet en ligne de Plonéville",
}


def enable_registration():
    """Citizens register themselves, confirmed by email: Plone's registration form
    mails a link where they choose their password (it is hidden while the site
    has no sender address)."""
    for name, value in SENDER.items():
        if not api.portal.get_registry_record(name, default=None):
            api.portal.set_registry_record(name, value)
    api.portal.set_registry_record("plone.enable_self_reg", True)
    api.portal.set_registry_record("plone.enable_user_pwd_choice", False)


def install(context):
    """Post handler of ``communesplone.edesk:demo``."""
    post_install(context)
    desk = get_desk()
    with api.env.adopt_roles(["Manager"]):
        enable_registration()
        for type_id, title, code, settings, fields, assurance in TYPES:
            if type_id in desk.objectIds():
                continue
            api.content.create(
                container=desk,
                type="request_type",
                id=type_id,
                title=title,
                open311_code=code,
                field_definitions=[dict(row) for row in fields],
                assurance=assurance,
                certificate_template=_certificate(type_id),
                active=True,
                **settings,
            )
