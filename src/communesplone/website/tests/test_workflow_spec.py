"""The website's workflow XML is generated from ``workflow_spec.py``, consistent, and
run by the site (core's ``workflow_spec_tests``); a section editor never publishes."""

from communesplone.core.workflow_testing import workflow_spec_tests
from communesplone.website import workflow_spec


globals().update(workflow_spec_tests("website", workflow_spec))


def test_publishing_is_the_web_teams():
    """Only Review portal content publishes; the section editor changes no published content."""
    transitions = {t.id: t for t in workflow_spec.WEBSITE.transitions}
    assert transitions["publish"].permissions == (workflow_spec.REVIEW,)
    published = {state.id: state for state in workflow_spec.WEBSITE.states}["published"]
    assert workflow_spec.SECTION_EDITOR not in published.permissions[workflow_spec.MODIFY]
    assert "Owner" not in published.permissions[workflow_spec.MODIFY]
