"""The committed workflow XML is what ``scripts/make_workflows.py`` writes from
``workflow_spec.py``, the description is consistent, and the site runs it
(core's ``workflow_spec_tests``); and the consistency check can fail."""

from communesplone.core.workflow_testing import workflow_spec_tests
from communesplone.core.workflow_xml import check
from communesplone.core.workflow_xml import State
from communesplone.meetings import workflow_spec

import dataclasses
import pytest


globals().update(workflow_spec_tests("meetings", workflow_spec))


def test_check_finds_a_missing_permission():
    """The consistency check can fail: a state that forgets a permission is refused."""
    item = workflow_spec.ITEM
    first = item.states[0]
    permissions = {p: roles for p, roles in first.permissions.items() if p != "View"}
    crippled = State(first.id, first.title, first.exits, permissions)
    broken = dataclasses.replace(item, states=[crippled, *item.states[1:]])
    with pytest.raises(ValueError, match="no roles for"):
        check(broken)
