"""The urban application's names, each defined once: types, workflows,
permissions, roles, the licence and event families, and catalog indexes.

The configuration (licence types, event types, their vocabularies and
deadlines) is content that administrators edit; the ids below are those of
the defaults the profile installs, which code may refer to.
"""

from communesplone.core.permissions import ACCESS  # noqa: F401
from communesplone.core.permissions import ADD  # noqa: F401
from communesplone.core.permissions import ADD_FILE  # noqa: F401
from communesplone.core.permissions import DELETE  # noqa: F401
from communesplone.core.permissions import LIST  # noqa: F401
from communesplone.core.permissions import MODIFY  # noqa: F401
from communesplone.core.permissions import REVIEW  # noqa: F401
from communesplone.core.permissions import VIEW  # noqa: F401


# Containers
DESK = "urban_desk"  # /urbanisme: the licences, the configuration, the contacts
CONFIG = "urban_config"  # /urbanisme/configuration
CONTACTS = "urban_contacts"  # /urbanisme/contacts
DESK_ID = "urbanisme"
CONFIG_ID = "configuration"
CONTACTS_ID = "contacts"

# Configuration types
LICENCE_TYPE = "urban_licence_type"
EVENT_TYPE = "urban_event_type"
CONTACT = "urban_contact"

# Licences: one content type per procedure family (each has its own workflow);
# a licence's configured variant (permis d'urbanisme, CU1, ...) is its
# ``licence_type``, the id of an urban_licence_type.
PERMIT = "urban_permit"
DECLARATION = "urban_declaration"
CERTIFICATE = "urban_certificate"
LICENCES = (PERMIT, DECLARATION, CERTIFICATE)

# Events, held in a licence
EVENT = "urban_event"  # filing, college, notification, works, appeal...
OPINION_REQUEST = "urban_opinion_request"  # "Demande d'avis" to one body
INQUIRY = "urban_inquiry"  # "Enquête publique" / "Annonce de projet"
DECISION = "urban_decision"  # "Décision du collège": octroi / refus
EVENTS = (EVENT, OPINION_REQUEST, INQUIRY, DECISION)

# Licence families: the portal type of each family, by the name the
# licence types' configuration uses
FAMILIES = {"permit": PERMIT, "declaration": DECLARATION, "certificate": CERTIFICATE}

# Workflows
PERMIT_WORKFLOW = "communesplone_urban_permit_workflow"
DECLARATION_WORKFLOW = "communesplone_urban_declaration_workflow"
CERTIFICATE_WORKFLOW = "communesplone_urban_certificate_workflow"
EVENT_WORKFLOW = "communesplone_urban_event_workflow"
OPINION_WORKFLOW = "communesplone_urban_opinion_workflow"
INQUIRY_WORKFLOW = "communesplone_urban_inquiry_workflow"
DESK_WORKFLOW = "communesplone_urban_desk_workflow"  # the desk
CONFIG_WORKFLOW = "communesplone_urban_config_workflow"  # configuration, licence and event types
CONTACTS_WORKFLOW = "communesplone_urban_contacts_workflow"  # the directory and its contacts

# The municipal service that handles the files (a core service, created by
# the profile when missing); its groups get their roles on every licence.
SERVICE = "urbanisme"

# Roles
APPLICANT = "UrbanApplicant"  # local role of an applicant's member account

# Permissions (their titles, as Zope knows them)
ADD_PERMIT = "communesplone.urban: Add permit"
ADD_DECLARATION = "communesplone.urban: Add declaration"
ADD_CERTIFICATE = "communesplone.urban: Add certificate"
ADD_EVENT = "communesplone.urban: Add event"
ADD_OPINION_REQUEST = "communesplone.urban: Add opinion request"
ADD_INQUIRY = "communesplone.urban: Add inquiry"
ADD_DECISION = "communesplone.urban: Add decision"
ADD_LICENCE_TYPE = "communesplone.urban: Add licence type"
ADD_EVENT_TYPE = "communesplone.urban: Add event type"
ADD_CONTACT = "communesplone.urban: Add contact"
ADD_DESK = "communesplone.urban: Add urban desk"
# Their ids (zcml), for types' add permissions and fields' read permissions
ADD_PERMIT_ID = "communesplone.urban.AddPermit"
ADD_DECLARATION_ID = "communesplone.urban.AddDeclaration"
ADD_CERTIFICATE_ID = "communesplone.urban.AddCertificate"
ADD_EVENT_ID = "communesplone.urban.AddEvent"
ADD_OPINION_REQUEST_ID = "communesplone.urban.AddOpinionRequest"
ADD_INQUIRY_ID = "communesplone.urban.AddInquiry"
ADD_DECISION_ID = "communesplone.urban.AddDecision"
ADD_LICENCE_TYPE_ID = "communesplone.urban.AddLicenceType"
ADD_EVENT_TYPE_ID = "communesplone.urban.AddEventType"
ADD_CONTACT_ID = "communesplone.urban.AddContact"
ADD_DESK_ID = "communesplone.urban.AddUrbanDesk"
VIEW_PERSONAL_DATA_ID = "communesplone.urban.ViewPersonalData"
VIEW_INTERNAL_NOTES_ID = "communesplone.urban.ViewInternalNotes"
SUBMIT_CLAIM_ID = "communesplone.urban.SubmitClaim"
SEARCH_CADASTRE_ID = "communesplone.urban.SearchCadastre"
MANAGE_CADASTRE_ID = "communesplone.urban.ManageCadastre"
# Applicants', owners' and claimants' names, addresses, phones and emails
VIEW_PERSONAL_DATA = "communesplone.urban: View personal data"
# Staff-only notes on a licence or an event
VIEW_INTERNAL_NOTES = "communesplone.urban: View internal notes"
# A citizen's claim ("réclamation") during a public inquiry
SUBMIT_CLAIM = "communesplone.urban: Submit claim"
# The parcel store: search it (owners are personal data), import into it
SEARCH_CADASTRE = "communesplone.urban: Search cadastre"
MANAGE_CADASTRE = "communesplone.urban: Manage cadastre"

# Event kinds (an urban_event_type's ``kind``) and the content type of each
KIND_TYPES = {
    "filing": EVENT,
    "opinion_request": OPINION_REQUEST,
    "inquiry": INQUIRY,
    "college": EVENT,
    "decision": DECISION,
    "notification": EVENT,
    "works": EVENT,
    "appeal": EVENT,
}

# Ids of the default event types that code refers to (deadline rules, views)
DEPOSIT = "deposit"  # Dépôt de la demande
RECEIPT = "receipt"  # Réception de la demande
ACKNOWLEDGEMENT = "acknowledgement"  # Accusé de réception
MISSING_PARTS = "missing_parts"  # Demande de compléments
COMPLETE = "complete"  # Dossier complet
INCOMPLETE = "incomplete"  # Dossier incomplet
COLLEGE_DECISION = "college_decision"  # Décision du collège (octroi / refus)
OPINION_FD = "opinion_fd"  # Demande d'avis au fonctionnaire délégué
EXTENSION = "extension"  # Prorogation du délai de décision (deadlines.py)

# Ids of the default licence types that the deadline rules apply to
BUILDING_PERMIT = "building_permit"  # PU, permis d'urbanisme
URBANISATION_PERMIT = "urbanisation_permit"  # PURB, permis d'urbanisation
PLANNING_CERTIFICATE_2 = "planning_certificate_2"  # CU2, certificat d'urbanisme n°2
ENVIRONMENTAL_DECLARATION_3 = "environmental_declaration_3"  # DE3
ENVIRONMENTAL_PERMIT_1 = "environmental_permit_1"  # PE1, permis d'environnement classe 1
ENVIRONMENTAL_PERMIT_2 = "environmental_permit_2"  # PE2, permis d'environnement classe 2
SINGLE_PERMIT = "single_permit"  # PUN, permis unique

# The permit workflow's suspension (deadlines.py: the decision's count stops)
SUSPEND = "suspend"
RESUME = "resume"

# A decision (the decision event's and the licence's ``decision``)
GRANTED = "granted"
REFUSED = "refused"

# An opinion given by a body (an opinion request's ``opinion``)
OPINIONS = ("favorable", "favorable_conditions", "unfavorable")

# The default reference format of a licence type
REFERENCE_FORMAT = "{code}/{year}/{number:04d}"

# Catalog indexes of this application
INDEX_LICENCE_TYPE = "licence_type"
INDEX_REFERENCE = "licence_reference"
INDEX_FOLDER_MANAGERS = "folder_managers"
INDEX_EVENT_TYPE = "urban_event_type"
INDEX_EVENT_DATE = "urban_event_date"
INDEX_DEADLINE = "urban_deadline"  # the next legal deadline (licence) or due date (opinion)
INDEX_DEADLINE_RULE = "urban_deadline_rule"  # metadata: the rule of that deadline
INDEX_CAPAKEYS = "parcel_capakeys"
