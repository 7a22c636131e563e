"""The e-desk workflows, as tables: who may do what in each state.

The ``definition.xml`` files of the profile are generated from this module
(``python scripts/make_workflows.py``); a test checks that they match.

Roles, and who has them on a request:

- Manager, Site Administrator: the site's administrators;
- Owner: the citizen who made the request (Plone makes its creator Owner);
- Editor, Reviewer, Reader: the groups of the request's processing service,
  through core's local roles (editors are Editor, Contributor and Reader,
  reviewers Reviewer and Reader, observers Reader).

Staff never see a draft; a citizen never reads the internal notes; once
closed, a request is read-only for everyone.
"""

from communesplone.core.permissions import ACCESS  # noqa: F401
from communesplone.core.permissions import ADD  # noqa: F401
from communesplone.core.permissions import ADD_FILE  # noqa: F401
from communesplone.core.permissions import DELETE  # noqa: F401
from communesplone.core.permissions import LIST  # noqa: F401
from communesplone.core.permissions import MODIFY  # noqa: F401
from communesplone.core.permissions import REVIEW  # noqa: F401
from communesplone.core.permissions import VIEW  # noqa: F401
from communesplone.core.workflow_xml import State
from communesplone.core.workflow_xml import Transition
from communesplone.core.workflow_xml import Workflow


ADMIN = ("Manager", "Site Administrator")
STAFF = ("Editor", "Reviewer", "Reader")
HANDLERS = (*ADMIN, "Editor", "Reviewer")

INTERNAL_NOTES = "communesplone.edesk: View internal notes"
POST_MESSAGE = "communesplone.edesk: Post message"
ANSWER = "communesplone.edesk: Answer request"
ADD_REQUEST = "communesplone.edesk: Add citizen request"
# Who may give roles on a request (the sharing page): administrators only, so
# that a citizen cannot hand their request to someone else, nor read which
# groups handle it.
LOCAL_ROLES = "Change local roles"
# Plone shows its toolbar (and its state menu) to whoever has "Show Toolbar"
# where they are, else the member tools in the header (plone.app.layout). On
# the e-desk's pages it is for those who handle the thing shown: the service's
# editors and reviewers on a request, administrators everywhere; not for
# citizens, whose transitions are buttons on their request's page.
SHOW_TOOLBAR = "Show Toolbar"

REQUEST_PERMISSIONS = (
    VIEW,
    ACCESS,
    LIST,
    MODIFY,
    DELETE,
    ADD,
    ADD_FILE,
    REVIEW,
    INTERNAL_NOTES,
    POST_MESSAGE,
    ANSWER,
    LOCAL_ROLES,
    SHOW_TOOLBAR,
)

OPEN = ("submitted", "in_progress", "waiting_citizen", "transmitted")


def _request_state(state_id, title, exits, *, view, modify, add=(), review=(), message=(),
                   answer=()):  # fmt: skip
    permissions = {
        VIEW: view,
        ACCESS: view,
        LIST: view,
        MODIFY: modify,
        DELETE: ADMIN + (("Owner",) if state_id == "draft" else ()),
        ADD: add,
        ADD_FILE: add,
        REVIEW: review,
        INTERNAL_NOTES: tuple(role for role in view if role != "Owner"),
        POST_MESSAGE: message,
        ANSWER: answer,
        LOCAL_ROLES: ADMIN,
        SHOW_TOOLBAR: ADMIN if state_id == "draft" else HANDLERS,
    }
    return State(state_id, title, tuple(exits), permissions)


def _handled(state_id, title, exits, answer=()):
    """An open state: staff handle the request, the citizen reads and writes messages."""
    return _request_state(
        state_id,
        title,
        exits,
        view=(*ADMIN, "Owner", *STAFF),
        modify=HANDLERS,
        add=(*HANDLERS, *answer),
        review=HANDLERS,
        message=(*HANDLERS, "Owner"),
        answer=answer,
    )


def _finished(state_id, title, exits):
    return _request_state(
        state_id,
        title,
        exits,
        view=(*ADMIN, "Owner", *STAFF),
        modify=ADMIN,
        review=HANDLERS,
        message=(*HANDLERS, "Owner"),
    )


def _review(transition_id, title, new_state):
    return Transition(transition_id, title, new_state, permissions=(REVIEW,))


REQUEST = Workflow(
    id="communesplone_citizen_request_workflow",
    title="Citizen request workflow",
    description="From the citizen's draft to the service's answer.",
    initial_state="draft",
    permissions=REQUEST_PERMISSIONS,
    states=[
        _request_state(
            "draft",
            "Draft",
            ["submit"],
            view=(*ADMIN, "Owner"),
            modify=(*ADMIN, "Owner"),
            add=(*ADMIN, "Owner"),
        ),
        _handled("submitted", "Submitted", ["take", "transmit", "reject"]),
        _handled(
            "in_progress",
            "In progress",
            ["ask_information", "transmit", "complete", "reject"],
        ),
        _handled(
            "waiting_citizen",
            "Waiting for the citizen",
            ["provide_information", "take", "reject"],
            answer=("Owner",),
        ),
        _handled(
            "transmitted", "Transmitted to the service concerned", ["take", "complete", "reject"]
        ),
        # "Processed", not "Done": Plone's own catalogue translates "Done" (as
        # "Terminé", "Gedaan") before ours in its toolbar (test_workflow_spec.py)
        _finished("done", "Processed", ["close", "reopen"]),
        _finished("rejected", "Rejected", ["close", "reopen"]),
        _request_state(
            "closed",
            "Closed",
            [],
            view=(*ADMIN, "Owner", *STAFF),
            modify=(),
        ),
    ],
    transitions=[
        Transition("submit", "Submit the request", "submitted", permissions=(MODIFY,)),
        _review("take", "Take in charge", "in_progress"),
        _review("ask_information", "Ask the citizen for information", "waiting_citizen"),
        Transition(
            "provide_information", "Provide the information", "in_progress", permissions=(ANSWER,)
        ),  # fmt: skip
        _review("transmit", "Transmit to the service concerned", "transmitted"),
        _review("complete", "Mark as done", "done"),
        _review("reject", "Refuse", "rejected"),
        _review("close", "Close", "closed"),
        _review("reopen", "Reopen", "in_progress"),
    ],
)

# The desk and the request types: everyone reads them, administrators manage them.
CATALOGUE = Workflow(
    id="communesplone_edesk_catalogue_workflow",
    title="E-desk catalogue workflow",
    description="The online desk and its request types: public, managed by administrators.",
    initial_state="published",
    permissions=(VIEW, ACCESS, MODIFY, DELETE, ADD, ADD_REQUEST, SHOW_TOOLBAR),
    states=[
        State(
            "published",
            "Published",
            (),
            {
                VIEW: ("Anonymous",),
                ACCESS: ("Anonymous",),
                MODIFY: ADMIN,
                DELETE: ADMIN,
                ADD: (*ADMIN, "Member"),
                ADD_REQUEST: (*ADMIN, "Member"),
                SHOW_TOOLBAR: (*ADMIN, "Editor", "Contributor", "Reviewer"),
            },
        )
    ],
)

WORKFLOWS = [REQUEST, CATALOGUE]
