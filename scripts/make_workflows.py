"""Write the workflows' definition.xml files from each application's workflow_spec.py.

    python scripts/make_workflows.py

A test (``test_workflow_spec.py`` of each application) checks that the
committed XML is what this script writes, so edit the spec, not the XML.
It also writes the ``plone`` domain catalogues (``locales/<fr|nl>/LC_MESSAGES/plone.po``)
that give Plone's toolbar the states' and transitions' titles, translated as
in ``communesplone.po``: run it again after translating new titles.
"""

from importlib import import_module
from pathlib import Path

import sys


SRC = Path(__file__).resolve().parent.parent / "src"
APPLICATIONS = ("meetings", "edesk", "urban", "website")


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


LOCALES = SRC / "communesplone" / "locales"
LANGUAGES = ("fr", "nl")


def catalogue_targets():
    """[(path, text)] of the ``plone`` domain catalogues of the workflows' titles."""
    from communesplone.core.workflow_xml import plone_catalogue

    import re

    entry = re.compile(r'^msgid "((?:[^"\\]|\\.)*)"\nmsgstr "((?:[^"\\]|\\.)*)"', re.M)
    workflows = [
        workflow
        for application in APPLICATIONS
        for workflow in import_module(f"communesplone.{application}.workflow_spec").WORKFLOWS
    ]
    result = []
    for language in LANGUAGES:
        folder = LOCALES / language / "LC_MESSAGES"
        translations = dict(entry.findall((folder / "communesplone.po").read_text()))
        result.append((folder / "plone.po", plone_catalogue(workflows, translations, language)))
    return result


def main():
    sys.path.insert(0, str(SRC))
    written = [target for application in APPLICATIONS for target in targets(application)]
    for path, text in written + catalogue_targets():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(path.relative_to(SRC.parent))


if __name__ == "__main__":
    main()
