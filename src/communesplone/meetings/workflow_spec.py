"""The meetings workflows, as tables: who may do what in each state.

The ``definition.xml`` files of the profile are generated from this module
(``python scripts/make_workflows.py``); a test checks that they match.
State and transition ids are PloneMeeting's, so that people who know it feel
at home.

Roles, and who has them:

- Manager, Site Administrator: the site's administrators;
- MeetingManager: the body's meeting managers group (the secretariat), on the body;
- MeetingMember: the body's members group, on the body;
- MeetingItemCreator: every service's editors, on the body (may add items);
- Editor, Contributor, Reviewer, Reader: the item's service groups (core's local
  roles): editors are Editor, Contributor and Reader, reviewers Reviewer and
  Reader, observers Reader;
- MeetingAdviser: the advisers groups of the services whose advice is asked, on the item;
- MeetingAdviceEditor: the advisers group of the advice's service, on the advice.

What the tables cannot say is in ``visibility.py``: a secret item is hidden
from observers and advisers once it is validated, and public items, meetings
and decisions are opened to anonymous visitors by the body's publication
settings.
"""

from communesplone.core.workflow_xml import State
from communesplone.core.workflow_xml import Transition
from communesplone.core.workflow_xml import Workflow
from communesplone.meetings.constants import ACCESS
from communesplone.meetings.constants import ADD
from communesplone.meetings.constants import ADD_ADVICE
from communesplone.meetings.constants import ADD_ANNEX
from communesplone.meetings.constants import ADD_FILE
from communesplone.meetings.constants import ADVICE_STATES
from communesplone.meetings.constants import DECIDED
from communesplone.meetings.constants import DELETE
from communesplone.meetings.constants import ENCODE_VOTES
from communesplone.meetings.constants import EXTEND_ADVICE_DELAY
from communesplone.meetings.constants import LIST
from communesplone.meetings.constants import MODIFY
from communesplone.meetings.constants import REVIEW
from communesplone.meetings.constants import VIEW
from communesplone.meetings.constants import VIEW_DECISION


ADMIN = ("Manager", "Site Administrator")
MANAGERS = (*ADMIN, "MeetingManager")
SERVICE = ("Editor", "Reviewer", "Reader")


ITEM_PERMISSIONS = (
    VIEW,
    ACCESS,
    LIST,
    VIEW_DECISION,
    MODIFY,
    DELETE,
    ADD,
    ADD_FILE,
    ADD_ANNEX,
    ADD_ADVICE,
    REVIEW,
    ENCODE_VOTES,
    EXTEND_ADVICE_DELAY,
)

# Guards that depend on the body or the meeting: methods of workflows.Guards.
GUARD = "python: here.restrictedTraverse('@@meeting-guards').allows('{}')"


def _review(transition_id, title, new_state, guard=None):
    """A transition for those who may review, guarded by @@meeting-guards when ``guard``."""
    expr = GUARD.format(guard) if guard else ""
    return Transition(transition_id, title, new_state, permissions=(REVIEW,), expr=expr)


def _item_state(state_id, title, exits, *, view, modify, add, advise=(), review=(), votes=()):
    permissions = {
        VIEW: view,
        ACCESS: view,
        LIST: view,
        VIEW_DECISION: view,
        MODIFY: modify,
        DELETE: ADMIN + (("Editor",) if state_id == "itemcreated" else ()),
        ADD: tuple(dict.fromkeys(add + advise)),
        ADD_FILE: add,
        ADD_ANNEX: add,
        ADD_ADVICE: advise,
        REVIEW: review,
        ENCODE_VOTES: votes,
        # while advices are awaited, the meeting managers and the advisers asked
        # extend a delay (advices.may_extend: an adviser, his service's advice only)
        EXTEND_ADVICE_DELAY: (*MANAGERS, "MeetingAdviser") if state_id in ADVICE_STATES else (),
    }
    return State(state_id, title, tuple(exits), permissions)


IN_MEETING_VIEW = (*MANAGERS, *SERVICE, "MeetingMember", "MeetingAdviser")

ITEM = Workflow(
    id="communesplone_meeting_item_workflow",
    title="Meeting item workflow",
    description="From the item created by a service to the decision of the body.",
    initial_state="itemcreated",
    permissions=ITEM_PERMISSIONS,
    states=[
        _item_state(
            "itemcreated",
            "Created",
            ["propose"],
            view=(*ADMIN, *SERVICE),
            modify=(*ADMIN, "Editor"),
            add=(*ADMIN, "Editor"),
        ),
        _item_state(
            "proposed",
            "Proposed",
            ["validate", "prevalidate", "backToItemCreated", "wait_advices_from_proposed"],
            view=(*MANAGERS, *SERVICE, "MeetingAdviser"),
            modify=(*MANAGERS, "Reviewer"),
            add=(*MANAGERS, "Reviewer"),
            advise=("MeetingAdviser",),
            review=(*MANAGERS, "Reviewer"),
        ),
        # Enabled per body (its "waiting_advices" setting): the item waits
        # there, unchanged, for its mandatory advices (advices.py moves it).
        _item_state(
            "waiting_advices",
            "Waiting for advices",
            ["backTo_proposed_from_waiting_advices", "backToItemCreated"],
            view=(*MANAGERS, *SERVICE, "MeetingAdviser"),
            modify=MANAGERS,
            add=MANAGERS,
            advise=("MeetingAdviser",),
            review=(*MANAGERS, "Reviewer"),
        ),
        _item_state(
            "prevalidated",
            "Pre-validated",
            ["validate", "backToProposed"],
            view=(*MANAGERS, *SERVICE, "MeetingAdviser"),
            modify=MANAGERS,
            add=MANAGERS,
            advise=("MeetingAdviser",),
            review=MANAGERS,
        ),
        _item_state(
            "validated",
            "Validated",
            ["present", "backToProposed", "backToPrevalidated"],
            view=(*MANAGERS, *SERVICE, "MeetingAdviser"),
            modify=MANAGERS,
            add=MANAGERS,
            advise=("MeetingAdviser",),
            review=MANAGERS,
        ),
        _item_state(
            "presented",
            "Presented",
            ["itemfreeze", "backToValidated", "return_to_proposing_group"],
            view=(*MANAGERS, *SERVICE, "MeetingAdviser"),
            modify=MANAGERS,
            add=MANAGERS,
            review=MANAGERS,
        ),
        _item_state(
            "itemfrozen",
            "Frozen",
            [
                "accept",
                "accept_but_modify",
                "refuse",
                "delay",
                "postpone_next_meeting",
                "backToPresented",
                "return_to_proposing_group",
            ],
            view=IN_MEETING_VIEW,
            modify=MANAGERS,
            add=MANAGERS,
            review=MANAGERS,
            votes=MANAGERS,
        ),
        _item_state(
            "returned_to_proposing_group",
            "Returned to the proposing service",
            ["backToPresented", "backToItemFrozen"],
            view=IN_MEETING_VIEW,
            modify=(*MANAGERS, "Editor", "Reviewer"),
            add=(*MANAGERS, "Editor", "Reviewer"),
            review=MANAGERS,
        ),
        *(
            _item_state(
                state_id,
                title,
                ["backToItemFrozen"],
                view=IN_MEETING_VIEW,
                modify=MANAGERS,
                add=MANAGERS,
                review=MANAGERS,
                votes=MANAGERS,
            )
            for state_id, title in zip(
                DECIDED,
                ("Accepted", "Accepted but modified", "Refused", "Delayed", "Postponed"),
                strict=True,
            )
        ),
    ],
    transitions=[
        Transition("propose", "Propose", "proposed", permissions=(MODIFY,)),
        _review("prevalidate", "Pre-validate", "prevalidated", "prevalidate"),
        _review("validate", "Validate", "validated", "validate"),
        _review("present", "Present", "presented", "present"),
        _review("itemfreeze", "Freeze", "itemfrozen", "itemfreeze"),
        _review(
            "wait_advices_from_proposed", "Wait for advices", "waiting_advices", "wait_advices"
        ),
        _review(
            "backTo_proposed_from_waiting_advices",
            "Back to proposed (advices received)",
            "proposed",
            "advices_received",
        ),
        *(
            _review(tid, title, state, "decide")
            for tid, title, state in (
                ("accept", "Accept", "accepted"),
                ("accept_but_modify", "Accept but modify", "accepted_but_modified"),
                ("refuse", "Refuse", "refused"),
                ("delay", "Delay", "delayed"),
                ("postpone_next_meeting", "Postpone to the next meeting", "postponed_next_meeting"),
            )
        ),
        _review(
            "return_to_proposing_group",
            "Return to the proposing service",
            "returned_to_proposing_group",
        ),
        _review("backToItemCreated", "Back to created", "itemcreated"),
        _review("backToProposed", "Back to proposed", "proposed"),
        _review(
            "backToPrevalidated", "Back to pre-validated", "prevalidated", "backToPrevalidated"
        ),
        _review("backToValidated", "Remove from the meeting", "validated", "backToValidated"),
        _review("backToPresented", "Back to presented", "presented", "backToPresented"),
        _review("backToItemFrozen", "Back to frozen", "itemfrozen", "backToItemFrozen"),
    ],
)


MEETING_PERMISSIONS = (VIEW, ACCESS, LIST, MODIFY, DELETE, ADD, ADD_FILE, REVIEW)


def _meeting_state(state_id, title, exits, *, view, modify, delete=ADMIN):
    return State(
        state_id,
        title,
        tuple(exits),
        {
            VIEW: view,
            ACCESS: view,
            LIST: view,
            MODIFY: modify,
            DELETE: delete,
            ADD: modify,
            ADD_FILE: modify,
            REVIEW: modify,
        },
    )


MEETING_STAFF = (*MANAGERS, "MeetingItemCreator")
MEETING_BODY = (*MEETING_STAFF, "MeetingMember")

MEETING = Workflow(
    id="communesplone_meeting_workflow",
    title="Meeting workflow",
    description="From the meeting created by the secretariat to its closed minutes.",
    initial_state="created",
    permissions=MEETING_PERMISSIONS,
    states=[
        _meeting_state(
            "created", "Created", ["freeze"], view=MEETING_STAFF, modify=MANAGERS, delete=MANAGERS
        ),
        _meeting_state(
            "frozen", "Frozen", ["decide", "backToCreated"], view=MEETING_BODY, modify=MANAGERS
        ),
        _meeting_state(
            "decided",
            "Decided",
            ["publish_decisions", "close", "backToFrozen"],
            view=MEETING_BODY,
            modify=MANAGERS,
        ),
        _meeting_state(
            "decisions_published",
            "Decisions published",
            ["close", "backToDecided"],
            view=MEETING_BODY,
            modify=MANAGERS,
        ),
        _meeting_state("closed", "Closed", ["backToDecided"], view=MEETING_BODY, modify=ADMIN),
    ],
    transitions=[
        _review("freeze", "Freeze", "frozen"),
        _review("decide", "Decide", "decided"),
        _review("publish_decisions", "Publish the decisions", "decisions_published"),
        _review("close", "Close", "closed"),
        _review("backToCreated", "Back to created", "created"),
        _review("backToFrozen", "Back to frozen", "frozen"),
        # From "closed" only the meeting managers' Review permission is gone:
        # reopening a closed meeting is for the body's meeting managers too.
        Transition("backToDecided", "Back to decided", "decided", roles=MANAGERS),
    ],
)


ADVICE_PERMISSIONS = (VIEW, ACCESS, MODIFY, DELETE, REVIEW)

# Until it is given, an advice is its service's own: hidden from everyone else
# (the meeting managers too), as PloneMeeting's "hidden during redaction".
ADVICE_SERVICE = (*ADMIN, "MeetingAdviceEditor")
ADVISE = "python: here.restrictedTraverse('@@meeting-guards').allows('advise')"

ADVICE = Workflow(
    id="communesplone_meeting_advice_workflow",
    title="Meeting advice workflow",
    description=(
        "An advice is written by the adviser service, signed, then given; it can be taken "
        "back while its item is not presented."
    ),
    initial_state="advice_under_edit",
    permissions=ADVICE_PERMISSIONS,
    states=[
        State(
            "advice_under_edit",
            "Being written",
            ("signAdvice",),
            {
                VIEW: ADVICE_SERVICE,
                ACCESS: ADVICE_SERVICE,
                MODIFY: ADVICE_SERVICE,
                DELETE: ADVICE_SERVICE,
                REVIEW: ADVICE_SERVICE,
            },
        ),
        State(
            "advice_signed",
            "Signed",
            ("giveAdvice", "backToAdviceUnderEdit"),
            {
                VIEW: ADVICE_SERVICE,
                ACCESS: ADVICE_SERVICE,
                MODIFY: ADMIN,
                DELETE: ADMIN,
                REVIEW: ADVICE_SERVICE,
            },
        ),
        State(
            "advice_given",
            "Given",
            ("backToAdviceUnderEdit",),
            {
                VIEW: IN_MEETING_VIEW + ("MeetingAdviceEditor",),
                ACCESS: IN_MEETING_VIEW + ("MeetingAdviceEditor",),
                MODIFY: ADMIN,
                DELETE: ADMIN,
                REVIEW: (*ADMIN, "MeetingAdviceEditor"),
            },
        ),
    ],
    transitions=[
        Transition(
            "signAdvice", "Sign the advice", "advice_signed", permissions=(REVIEW,), expr=ADVISE
        ),
        Transition(
            "giveAdvice", "Give the advice", "advice_given", permissions=(REVIEW,), expr=ADVISE
        ),
        Transition(
            "backToAdviceUnderEdit",
            "Take the advice back",
            "advice_under_edit",
            permissions=(REVIEW,),
            expr=ADVISE,
        ),
    ],
)


BODY_PERMISSIONS = (VIEW, ACCESS, MODIFY, DELETE, ADD)

BODY = Workflow(
    id="communesplone_meeting_body_workflow",
    title="Meeting body workflow",
    description=(
        "One state: the body is public (its public pages list what each visitor may see); "
        "administrators configure it, meeting managers add meetings, service editors add items."
    ),
    initial_state="active",
    permissions=BODY_PERMISSIONS,
    states=[
        State(
            "active",
            "Active",
            (),
            {
                VIEW: ("Anonymous",),
                ACCESS: ("Anonymous",),
                MODIFY: ADMIN,
                DELETE: ADMIN,
                # each type's add permission says who adds what: items for the
                # services' editors, meetings for the meeting managers, the
                # body's own document templates for the template managers
                ADD: (*MANAGERS, "MeetingItemCreator", "TemplateManager"),
            },
        )
    ],
)

WORKFLOWS = (ITEM, MEETING, ADVICE, BODY)
