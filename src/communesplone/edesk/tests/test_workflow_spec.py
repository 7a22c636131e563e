"""The committed workflow XML is what ``scripts/make_workflows.py`` writes from
``workflow_spec.py``, the description is consistent, and the site runs it."""

from communesplone.core.workflow_xml import check
from communesplone.edesk import workflow_spec
from pathlib import Path

import difflib
import importlib.util
import pytest


ROOT = Path(__file__).resolve().parents[4]
PROFILE_WORKFLOWS = ROOT / "src/communesplone/edesk/profiles/default/workflows"


def _make_workflows():
    spec = importlib.util.spec_from_file_location(
        "make_workflows", ROOT / "scripts" / "make_workflows.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TARGETS = _make_workflows().targets("edesk")


@pytest.mark.parametrize("path,xml", TARGETS, ids=[path.parent.name for path, _xml in TARGETS])
def test_committed_xml_is_generated(path, xml):
    assert path.is_file(), f"{path} is missing: run scripts/make_workflows.py"
    committed = path.read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(
            committed.splitlines(keepends=True),
            xml.splitlines(keepends=True),
            "committed",
            "generated",
        )
    )
    assert committed == xml, f"run scripts/make_workflows.py:\n{diff}"


def test_no_workflow_outside_the_spec():
    on_disk = {path.name for path in PROFILE_WORKFLOWS.iterdir() if path.is_dir()}
    assert on_disk == {workflow.id for workflow in workflow_spec.WORKFLOWS}


@pytest.mark.parametrize("workflow", workflow_spec.WORKFLOWS, ids=lambda w: w.id)
def test_spec_is_consistent(workflow):
    check(workflow)


def test_internal_notes_never_for_the_owner():
    for state in workflow_spec.REQUEST.states:
        assert "Owner" not in state.permissions[workflow_spec.INTERNAL_NOTES], state.id


@pytest.mark.parametrize("workflow", workflow_spec.WORKFLOWS, ids=lambda w: w.id)
def test_installed_workflow_is_the_spec(portal, workflow):
    installed = portal.portal_workflow[workflow.id]
    assert installed.initial_state == workflow.initial_state
    assert set(installed.states.objectIds()) == {state.id for state in workflow.states}
    for state in workflow.states:
        definition = installed.states[state.id]
        assert set(definition.transitions) == set(state.exits), state.id
        for permission, roles in state.permissions.items():
            assert set(definition.getPermissionInfo(permission)["roles"]) == set(roles), (
                state.id,
                permission,
            )
    for transition in workflow.transitions:
        assert installed.transitions[transition.id].new_state_id == transition.new_state
