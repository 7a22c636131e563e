"""The e-desk's workflow XML is generated from ``workflow_spec.py``, consistent,
and run by the site (core's ``workflow_spec_tests``); internal notes are never
the owner's."""

from communesplone.core.workflow_testing import workflow_spec_tests
from communesplone.edesk import workflow_spec


globals().update(workflow_spec_tests("edesk", workflow_spec))


def test_internal_notes_never_for_the_owner():
    for state in workflow_spec.REQUEST.states:
        assert "Owner" not in state.permissions[workflow_spec.INTERNAL_NOTES], state.id
