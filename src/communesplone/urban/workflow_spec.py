"""The urban workflows, as tables: who may do what in each state.

The ``definition.xml`` files of the profile are generated from this module
(``python scripts/make_workflows.py``); a test checks that they match.

Roles, and who has them:

- Manager, Site Administrator: the site's administrators;
- Editor (with Contributor and Reader), Reviewer (with Reader), Reader: the
  groups of the Urbanisme service (editors, reviewers, observers), through
  core's local roles on the desk (``/urbanisme`` belongs to the service), so on
  everything in it;
- UrbanApplicant: the applicant's member account, on their own licences.

Staff handle the files: editors and reviewers edit them, add their events and
run the processing transitions; reviewers (and administrators) close them
(accept, refuse, deliver, abandon). Observers read. The applicant reads their
licence, its events and their own personal data, never the internal notes.
After the decision a licence is read-only (administrators correct it) but
still receives its events (notification, works, appeal).

Events acquire the licence's permissions (their workflows manage none),
except inquiries: an announced inquiry is public (its notice; the claimants
are personal data, for staff only) and takes claims.
"""

from communesplone.core.workflow_xml import State
from communesplone.core.workflow_xml import Transition
from communesplone.core.workflow_xml import Workflow
from communesplone.urban.constants import ACCESS
from communesplone.urban.constants import ADD
from communesplone.urban.constants import ADD_CERTIFICATE
from communesplone.urban.constants import ADD_CONTACT
from communesplone.urban.constants import ADD_DECISION
from communesplone.urban.constants import ADD_DECLARATION
from communesplone.urban.constants import ADD_EVENT
from communesplone.urban.constants import ADD_EVENT_TYPE
from communesplone.urban.constants import ADD_FILE
from communesplone.urban.constants import ADD_INQUIRY
from communesplone.urban.constants import ADD_LICENCE_TYPE
from communesplone.urban.constants import ADD_OPINION_REQUEST
from communesplone.urban.constants import ADD_PERMIT
from communesplone.urban.constants import APPLICANT
from communesplone.urban.constants import CERTIFICATE_WORKFLOW
from communesplone.urban.constants import CONFIG_WORKFLOW
from communesplone.urban.constants import CONTACTS_WORKFLOW
from communesplone.urban.constants import DECLARATION_WORKFLOW
from communesplone.urban.constants import DELETE
from communesplone.urban.constants import DESK_WORKFLOW
from communesplone.urban.constants import EVENT_WORKFLOW
from communesplone.urban.constants import GRANTED
from communesplone.urban.constants import INQUIRY_WORKFLOW
from communesplone.urban.constants import LIST
from communesplone.urban.constants import MODIFY
from communesplone.urban.constants import OPINION_WORKFLOW
from communesplone.urban.constants import PERMIT_WORKFLOW
from communesplone.urban.constants import REFUSED
from communesplone.urban.constants import REVIEW
from communesplone.urban.constants import SUBMIT_CLAIM
from communesplone.urban.constants import VIEW
from communesplone.urban.constants import VIEW_INTERNAL_NOTES
from communesplone.urban.constants import VIEW_PERSONAL_DATA


ADMIN = ("Manager", "Site Administrator")
STAFF = ("Editor", "Reviewer", "Reader")
HANDLERS = (*ADMIN, "Editor", "Reviewer")
DECIDERS = (*ADMIN, "Reviewer")
LOCAL_ROLES = "Change local roles"
EVENT_ADDS = (ADD, ADD_FILE, ADD_EVENT, ADD_OPINION_REQUEST, ADD_INQUIRY, ADD_DECISION)

LICENCE_PERMISSIONS = (
    VIEW,
    ACCESS,
    LIST,
    MODIFY,
    DELETE,
    REVIEW,
    *EVENT_ADDS,
    VIEW_PERSONAL_DATA,
    VIEW_INTERNAL_NOTES,
    LOCAL_ROLES,
)


def _licence_state(state_id, title, exits, *, handled, add):
    """A licence state: ``handled`` (open) states are edited by the staff; events are
    added where ``add``."""
    readers = (*ADMIN, *STAFF, APPLICANT)
    return State(
        state_id,
        title,
        tuple(exits),
        {
            VIEW: readers,
            ACCESS: readers,
            LIST: readers,
            MODIFY: HANDLERS if handled else ADMIN,
            DELETE: ADMIN,
            REVIEW: DECIDERS if handled else ADMIN,
            **dict.fromkeys(EVENT_ADDS, HANDLERS if add else ADMIN),
            VIEW_PERSONAL_DATA: readers,
            VIEW_INTERNAL_NOTES: (*ADMIN, *STAFF),
            LOCAL_ROLES: ADMIN,
        },
    )


def _open(state_id, title, exits):
    return _licence_state(state_id, title, exits, handled=True, add=True)


def _decided(state_id, title):
    """Decided: read-only, but its events (notification, works, appeal) are still added."""
    return _licence_state(state_id, title, (), handled=False, add=True)


def _closed(state_id, title):
    """Withdrawn or abandoned: read-only, nothing added (administrators correct)."""
    return _licence_state(state_id, title, (), handled=False, add=False)


def _handle(transition_id, title, new_state):
    """A processing step: whoever edits the file (editors, reviewers, administrators)."""
    return Transition(transition_id, title, new_state, permissions=(MODIFY,))


def _decide(transition_id, title, new_state, decision=None):
    """Closing the file: reviewers and administrators; accept and refuse once the
    decision event has recorded that decision on the licence."""
    expr = f"python:here.decision == '{decision}'" if decision else ""
    return Transition(transition_id, title, new_state, permissions=(REVIEW,), expr=expr)


ACCEPT = _decide("accept", "Grant", "accepted", GRANTED)
REFUSE = _decide("refuse", "Refuse", "refused", REFUSED)
RETIRE = _handle("retire", "Withdrawn by the applicant", "retired")
ABANDON = _decide("abandon", "Abandon", "abandoned")

PERMIT = Workflow(
    id=PERMIT_WORKFLOW,
    title="Urban permit workflow (CoDT)",
    description="Deposit, completeness, processing, then granted or refused.",
    initial_state="deposit",
    permissions=LICENCE_PERMISSIONS,
    states=[
        _open(
            "deposit",
            "Deposited",
            ["declare_complete", "declare_incomplete", "retire", "abandon"],
        ),
        _open("incomplete", "Incomplete", ["declare_complete", "retire", "abandon"]),
        _open("complete", "Complete", ["accept", "refuse", "suspend", "retire", "abandon"]),
        _open("suspended", "Suspended", ["resume", "retire", "abandon"]),
        _decided("accepted", "Granted"),
        _decided("refused", "Refused"),
        _closed("retired", "Withdrawn"),
        _closed("abandoned", "Abandoned"),
    ],
    transitions=[
        _handle("declare_complete", "Declare complete", "complete"),
        _handle("declare_incomplete", "Declare incomplete", "incomplete"),
        _handle("suspend", "Suspend", "suspended"),
        _handle("resume", "Resume", "complete"),
        ACCEPT,
        REFUSE,
        RETIRE,
        ABANDON,
    ],
)

DECLARATION = Workflow(
    id=DECLARATION_WORKFLOW,
    title="Urban declaration workflow",
    description="Deposit, then granted, refused or withdrawn.",
    initial_state="deposit",
    permissions=LICENCE_PERMISSIONS,
    states=[
        _open("deposit", "Deposited", ["accept", "refuse", "retire"]),
        _decided("accepted", "Granted"),
        _decided("refused", "Refused"),
        _closed("retired", "Withdrawn"),
    ],
    transitions=[ACCEPT, REFUSE, RETIRE],
)

CERTIFICATE = Workflow(
    id=CERTIFICATE_WORKFLOW,
    title="Urban certificate workflow",
    description="Deposit, then delivered or withdrawn.",
    initial_state="deposit",
    permissions=LICENCE_PERMISSIONS,
    states=[
        _open("deposit", "Deposited", ["deliver", "retire"]),
        _decided("delivered", "Delivered"),
        _closed("retired", "Withdrawn"),
    ],
    transitions=[_decide("deliver", "Deliver", "delivered"), RETIRE],
)

LICENCE_WORKFLOWS = [PERMIT, DECLARATION, CERTIFICATE]

# Events: one state, the licence's permissions (acquired: the workflow manages none).
EVENT = Workflow(
    id=EVENT_WORKFLOW,
    title="Urban event workflow",
    description="An event of a licence: the licence's permissions apply.",
    initial_state="recorded",
    permissions=(),
    states=[State("recorded", "Recorded", (), {})],
)

OPINION = Workflow(
    id=OPINION_WORKFLOW,
    title="Urban opinion request workflow",
    description="Prepared, sent to the body, its opinion received; the licence's permissions.",
    initial_state="prepared",
    permissions=(),
    states=[
        State("prepared", "Prepared", ("send",), {}),
        State("sent", "Sent", ("receive",), {}),
        State("received", "Received", (), {}),
    ],
    transitions=[
        _handle("send", "Send", "sent"),
        # only once the opinion given is recorded on the request (opinions.may_receive)
        Transition(
            "receive",
            "Receive the opinion",
            "received",
            permissions=(MODIFY,),
            expr="python: here.restrictedTraverse('@@urban-guards').allows('receive')",
        ),
    ],
)


def _inquiry_state(state_id, title, exits, *, public):
    readers = ("Anonymous",) if public else (*ADMIN, *STAFF, APPLICANT)
    return State(
        state_id,
        title,
        tuple(exits),
        {
            VIEW: readers,
            ACCESS: readers,
            VIEW_PERSONAL_DATA: (*ADMIN, *STAFF),
            SUBMIT_CLAIM: ("Anonymous", "Member") if public else (),
        },
    )


INQUIRY = Workflow(
    id=INQUIRY_WORKFLOW,
    title="Urban inquiry workflow",
    description=(
        "Prepared, announced (its notice public, claims taken), closed; the claimants are "
        "personal data. Other permissions are the licence's."
    ),
    initial_state="draft",
    permissions=(VIEW, ACCESS, VIEW_PERSONAL_DATA, SUBMIT_CLAIM),
    states=[
        _inquiry_state("draft", "Prepared", ["announce"], public=False),
        _inquiry_state("announced", "Announced", ["close"], public=True),
        _inquiry_state("closed", "Closed", [], public=False),
    ],
    transitions=[
        _handle("announce", "Announce", "announced"),
        _handle("close", "Close", "closed"),
    ],
)


def _one_state(workflow_id, title, description, permissions):
    return Workflow(
        id=workflow_id,
        title=title,
        description=description,
        initial_state="active",
        permissions=tuple(permissions),
        states=[State("active", "Active", (), permissions)],
    )


STAFF_READ = (*ADMIN, *STAFF)

DESK = _one_state(
    DESK_WORKFLOW,
    "Urban desk workflow",
    "The desk: the Urbanisme staff see it and add licences in it.",
    {
        # a licence being added (in the add form, or REST) is checked here: its
        # applicants and notes are written by the staff who make it
        VIEW_PERSONAL_DATA: STAFF_READ,
        VIEW_INTERNAL_NOTES: STAFF_READ,
        VIEW: STAFF_READ,
        ACCESS: STAFF_READ,
        LIST: STAFF_READ,
        MODIFY: ADMIN,
        DELETE: ADMIN,
        ADD: (*ADMIN, "Contributor"),
        ADD_PERMIT: (*ADMIN, "Contributor"),
        ADD_DECLARATION: (*ADMIN, "Contributor"),
        ADD_CERTIFICATE: (*ADMIN, "Contributor"),
    },
)

CONFIG = _one_state(
    CONFIG_WORKFLOW,
    "Urban configuration workflow",
    "Licence types and event types: the staff read them, administrators manage them.",
    {
        VIEW: STAFF_READ,
        ACCESS: STAFF_READ,
        LIST: STAFF_READ,
        MODIFY: ADMIN,
        DELETE: ADMIN,
        ADD: ADMIN,
        ADD_LICENCE_TYPE: ADMIN,
        ADD_EVENT_TYPE: ADMIN,
    },
)

CONTACTS = _one_state(
    CONTACTS_WORKFLOW,
    "Urban contacts workflow",
    "Architects, notaries, geometricians: the staff read them, editors keep them.",
    {
        VIEW: STAFF_READ,
        ACCESS: STAFF_READ,
        LIST: STAFF_READ,
        MODIFY: (*ADMIN, "Editor"),
        DELETE: ADMIN,
        ADD: (*ADMIN, "Editor"),
        ADD_CONTACT: (*ADMIN, "Editor"),
    },
)

WORKFLOWS = [PERMIT, DECLARATION, CERTIFICATE, EVENT, OPINION, INQUIRY, DESK, CONFIG, CONTACTS]
