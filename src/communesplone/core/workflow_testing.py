"""The tests every application's workflow tables get.

An application's ``tests/test_workflow_spec.py`` takes them with::

    globals().update(workflow_spec_tests("meetings", workflow_spec))

and adds its own. They check that the committed ``definition.xml`` files are
what ``scripts/make_workflows.py`` writes from ``workflow_spec.py``, that no
workflow lives outside the spec, that each table is consistent, and that the
site runs what the spec says.
"""

from communesplone.core.workflow_xml import check
from pathlib import Path

import difflib
import importlib.util
import pytest


ROOT = Path(__file__).resolve().parents[3]


def make_workflows():
    """scripts/ is not a package: load the script as a module."""
    spec = importlib.util.spec_from_file_location(
        "make_workflows", ROOT / "scripts" / "make_workflows.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def workflow_spec_tests(application, workflow_spec):
    """The test functions for ``application``'s ``workflow_spec`` module, by name."""
    targets = make_workflows().targets(application)
    profile_workflows = ROOT / f"src/communesplone/{application}/profiles/default/workflows"
    workflows = workflow_spec.WORKFLOWS

    @pytest.mark.parametrize("path,xml", targets, ids=[path.parent.name for path, _x in targets])
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
        on_disk = {path.name for path in profile_workflows.iterdir() if path.is_dir()}
        assert on_disk == {workflow.id for workflow in workflows}

    @pytest.mark.parametrize("workflow", workflows, ids=lambda w: w.id)
    def test_spec_is_consistent(workflow):
        check(workflow)  # raises ValueError on an inconsistency

    @pytest.mark.parametrize("workflow", workflows, ids=lambda w: w.id)
    def test_installed_workflow_is_the_spec(portal, workflow):
        """The profile imported into the site gives each state the spec's roles."""
        installed = portal.portal_workflow[workflow.id]
        assert installed.initial_state == workflow.initial_state
        assert set(installed.permissions) == set(workflow.permissions)
        assert set(installed.states.objectIds()) == {state.id for state in workflow.states}
        for state in workflow.states:
            definition = installed.states[state.id]
            assert set(definition.transitions) == set(state.exits), state.id
            for permission, roles in state.permissions.items():
                assert set(definition.getPermissionInfo(permission)["roles"]) == set(roles), (
                    state.id,
                    permission,
                )
        assert set(installed.transitions.objectIds()) == {t.id for t in workflow.transitions}
        for transition in workflow.transitions:
            assert installed.transitions[transition.id].new_state_id == transition.new_state

    return {name: value for name, value in locals().items() if name.startswith("test_")}
