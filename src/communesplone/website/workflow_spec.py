"""The website's workflow, as a table: who may do what in each state.

The ``definition.xml`` of the profile is generated from this module
(``python scripts/make_workflows.py``); a test checks that it matches.

It is Plone's ``simple_publication_workflow`` (same states, same
transitions, same roles for the commune's own web team) with two changes
that make the collaborative sections a real review:

- the section editor (:data:`SECTION_EDITOR`, given on a section from its
  sharing page) reads the section's content, writes and submits drafts, and
  may take back a submission, but never publishes: publishing and sending
  back need ``Review portal content`` (Reviewer, Site Administrator, Manager);
- once published, content is changed by the web team only (Editor, Site
  Administrator, Manager): its owner, a section editor or a contributor,
  takes it back to private (``retract``), edits it and submits it again, so
  that nothing reaches the public without a reviewer.

Adding content (``Add portal content`` and the types' add permissions) is
given to the section editor site-wide by ``sections.py``: the role is only
ever held on a section, so that is where it counts.
"""

from communesplone.core.permissions import ACCESS  # noqa: F401
from communesplone.core.permissions import MODIFY  # noqa: F401
from communesplone.core.permissions import REVIEW  # noqa: F401
from communesplone.core.permissions import VIEW  # noqa: F401
from communesplone.core.workflow_xml import State
from communesplone.core.workflow_xml import Transition
from communesplone.core.workflow_xml import Workflow


SECTION_EDITOR = "SectionEditor"
ADMIN = ("Manager", "Site Administrator")

REQUEST_REVIEW = "Request review"

PERMISSIONS = (VIEW, ACCESS, MODIFY, REQUEST_REVIEW)
READERS = (*ADMIN, "Owner", "Editor", "Reader", "Contributor", SECTION_EDITOR)
# Who may submit and take back a submission (Plone gives Request review to these)
AUTHORS = (*ADMIN, "Owner", "Editor", SECTION_EDITOR)


def _state(state_id, title, exits, *, view, modify, request_review, description=""):
    permissions = {VIEW: view, ACCESS: view, MODIFY: modify, REQUEST_REVIEW: request_review}
    return State(state_id, title, tuple(exits), permissions, description)


WEBSITE = Workflow(
    id="communesplone_website_workflow",
    title="Website publication workflow",
    description=(
        "Content starts private, is submitted for review and published by the web team;"
        " section editors write in their section and never publish."
    ),
    initial_state="private",
    permissions=PERMISSIONS,
    states=[
        _state(
            "private",
            "Private",
            ["submit", "publish"],
            view=READERS,
            modify=(*ADMIN, "Owner", "Editor", SECTION_EDITOR),
            request_review=AUTHORS,
            description="Can only be seen and edited by its authors and the web team.",
        ),
        _state(
            "pending",
            "Pending review",
            ["publish", "reject", "retract"],
            view=(*READERS, "Reviewer"),
            modify=(*ADMIN, "Reviewer"),
            request_review=AUTHORS,
            description="Waiting to be reviewed, not editable by its authors.",
        ),
        _state(
            "published",
            "Published",
            ["retract", "reject"],
            view=("Anonymous",),
            modify=(*ADMIN, "Editor"),
            request_review=(*ADMIN, "Owner", "Editor"),
            description="Visible to everyone, edited by the web team.",
        ),
    ],
    transitions=[
        Transition(
            "submit",
            "Submit for publication",
            "pending",
            permissions=(REQUEST_REVIEW,),
            description="The author submits the content to the web team.",
        ),
        Transition(
            "publish",
            "Publish",
            "published",
            permissions=(REVIEW,),
            description="The web team publishes the content.",
        ),
        Transition(
            "reject",
            "Send back",
            "private",
            permissions=(REVIEW,),
            description="The web team sends the content back to its authors.",
        ),
        Transition(
            "retract",
            "Retract",
            "private",
            permissions=(REQUEST_REVIEW,),
            description="The author takes the content back to private.",
        ),
    ],
)

WORKFLOWS = [WEBSITE]
