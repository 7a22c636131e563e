"""Write the workflows' definition.xml files from each application's workflow_spec.py.

    python scripts/make_workflows.py

A test (``test_workflow_spec.py`` of each application) checks that the
committed XML is what this script writes, so edit the spec, not the XML.
"""

from importlib import import_module
from pathlib import Path

import sys


SRC = Path(__file__).resolve().parent.parent / "src"
APPLICATIONS = ("meetings",)


def targets(application):
    """[(path, xml)] for the workflows of ``application``."""
    from communesplone.core.workflow_xml import check
    from communesplone.core.workflow_xml import definition

    spec = import_module(f"communesplone.{application}.workflow_spec")
    folder = SRC / "communesplone" / application / "profiles" / "default" / "workflows"
    result = []
    for workflow in spec.WORKFLOWS:
        check(workflow)
        result.append((folder / workflow.id / "definition.xml", definition(workflow)))
    return result


def main():
    sys.path.insert(0, str(SRC))
    for application in APPLICATIONS:
        for path, xml in targets(application):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(xml, encoding="utf-8")
            print(path.relative_to(SRC.parent))


if __name__ == "__main__":
    main()
