"""The urban workflow XML is generated from ``workflow_spec.py``, consistent, and
run by the site (core's ``workflow_spec_tests``); internal notes and others'
personal data are never the applicant's."""

from communesplone.core.workflow_testing import workflow_spec_tests
from communesplone.urban import workflow_spec
from communesplone.urban.constants import APPLICANT
from communesplone.urban.constants import VIEW_INTERNAL_NOTES
from communesplone.urban.constants import VIEW_PERSONAL_DATA


globals().update(workflow_spec_tests("urban", workflow_spec))


def test_internal_notes_never_for_the_applicant():
    for workflow in workflow_spec.WORKFLOWS:
        for state in workflow.states:
            assert APPLICANT not in state.permissions.get(VIEW_INTERNAL_NOTES, ()), state.id


def test_claimants_never_for_the_applicant_nor_the_public():
    for state in workflow_spec.INQUIRY.states:
        roles = state.permissions[VIEW_PERSONAL_DATA]
        assert not {APPLICANT, "Anonymous", "Member", "Authenticated"} & set(roles), state.id
