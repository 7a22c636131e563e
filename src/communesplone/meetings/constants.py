"""The meetings application's names, each defined once: types, workflows,
permissions and the groups of states that several modules test against."""

from communesplone.core.permissions import ACCESS  # noqa: F401
from communesplone.core.permissions import ADD  # noqa: F401
from communesplone.core.permissions import ADD_FILE  # noqa: F401
from communesplone.core.permissions import DELETE  # noqa: F401
from communesplone.core.permissions import LIST  # noqa: F401
from communesplone.core.permissions import MODIFY  # noqa: F401
from communesplone.core.permissions import REVIEW  # noqa: F401
from communesplone.core.permissions import VIEW  # noqa: F401


# Content types
BODY = "meeting_body"
MEETING = "meeting"
ITEM = "meeting_item"
ADVICE = "meeting_advice"
ANNEX = "meeting_annex"

# Workflows
ADVICE_WORKFLOW = "communesplone_meeting_advice_workflow"
ITEM_WORKFLOW = "communesplone_meeting_item_workflow"
MEETING_WORKFLOW = "communesplone_meeting_workflow"

# Permissions (their titles, as Zope knows them)
VIEW_DECISION = "communesplone.meetings: View decision"
ADD_ITEM = "communesplone.meetings: Add meeting item"
ADD_MEETING = "communesplone.meetings: Add meeting"
ADD_ANNEX = "communesplone.meetings: Add annex"
ADD_ADVICE = "communesplone.meetings: Add advice"
ENCODE_VOTES = "communesplone.meetings: Encode votes"
VIEW_PERSONAL_DATA = "communesplone.meetings: View personal data"
EXTEND_ADVICE_DELAY = "communesplone.meetings: Extend advice delay"

# Rich text marked as personal data (masking/): the editor's format wraps it in this class
PERSONAL_DATA_CLASS = "personal-data"

# Groups of item states
DECIDED = ("accepted", "accepted_but_modified", "refused", "delayed", "postponed_next_meeting")
# frozen in a meeting or decided: the bodies' default public and power observers' states
FROZEN_OR_DECIDED = ("itemfrozen", *DECIDED)
# advices may be asked, written and taken back (the item is not presented yet)
ADVICE_STATES = ("proposed", "waiting_advices", "prevalidated", "validated")
# Meeting states that still accept items
ACCEPTS_ITEMS = ("created", "frozen", "decided")
