"""The standards checks of the browser tests: axe-core (WCAG 2.1 AA) and the
W3C Nu HTML Checker.

Both tools come from npm (``core/tests/standards/package.json``, installed by
``bootstrap.py``'s ``node_modules()``): axe-core is injected into a Playwright
page, the checker (``vnu-jar``) runs with the machine's Java, once for a whole
batch of saved documents. Where a tool is missing, the test that needs it is
skipped with the reason in the summary.

    violations = axe_violations(page)
    assert not violations, format_axe(violations)

    errors = nu_errors({"home": html, ...})
    assert not any(errors.values()), format_nu(errors)
"""

from pathlib import Path

import json
import os
import shutil
import subprocess
import tempfile


TOOLS = Path(__file__).parent / "tests" / "standards" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
# axe-core's tags for the success criteria of WCAG 2.0 and 2.1, levels A and AA
WCAG21AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
# The Nu checker's message types that fail a document ("info" and warnings do not)
NU_FAILURES = ("error", "non-document-error")


def _skip(reason):
    import pytest

    pytest.skip(reason)


def axe_violations(page, tags=WCAG21AA):
    """The axe-core violations of the page loaded in ``page``, for ``tags``.

    Each is axe's own result: ``id``, ``impact``, ``help``, ``helpUrl`` and
    ``nodes`` (each with ``target``, its CSS selector, and ``failureSummary``).
    """
    if not AXE.exists():
        _skip(f"{AXE} is missing: run python3 bootstrap.py test (npm ci)")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        }).then(result => result.violations)""",
        list(tags),
    )


def format_axe(violations, title=""):
    """``violations`` as readable lines: the rule, then each element's selector and why."""
    lines = [title] if title else []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            selector = " >> ".join(
                ", ".join(part) if isinstance(part, list) else part for part in node["target"]
            )
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {selector}: {summary}")
    return "\n".join(lines)


def nu_errors(documents, folder=None):
    """Check the HTML ``documents`` ({name: text}) with the Nu HTML Checker, in one run.

    The documents are saved as ``<folder>/<name>.html`` (a temporary folder
    unless given, to keep them for reading). Return {name: [message]} with the
    errors of every document (an empty list when it is valid); each message is
    the checker's JSON (``message``, ``lastLine``, ``firstColumn``, ``extract``).
    """
    java = shutil.which("java")
    if java is None:
        _skip("Java is missing: install Debian's default-jre-headless (bootstrap.py test does)")
    if not VNU.exists():
        _skip(f"{VNU} is missing: run python3 bootstrap.py test (npm ci)")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(folder or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        paths = {}
        for name, text in documents.items():
            path = folder / f"{name}.html"
            path.write_text(text, encoding="utf-8")
            paths[path.resolve().as_uri()] = name
        files = [str(folder / f"{name}.html") for name in documents]
        result = subprocess.run(
            [java, "-jar", str(VNU), "--format", "json", *files],
            capture_output=True,
            text=True,
            env={**os.environ, "LC_ALL": "C.UTF-8"},
        )
    report = json.loads(result.stderr or result.stdout)
    errors = {name: [] for name in documents}
    for message in report["messages"]:
        if message["type"] not in NU_FAILURES:
            continue
        url = message.get("url", "")
        name = paths.get(url) or paths.get(url.replace("file:/", "file:///", 1))
        errors.setdefault(name or url, []).append(message)
    return errors


def format_nu(errors):
    """The Nu checker's ``errors`` ({name: [message]}) as readable lines."""
    lines = []
    for name, messages in errors.items():
        for message in messages:
            where = f"{name}:{message.get('lastLine', '?')}:{message.get('firstColumn', '?')}"
            extract = " ".join(message.get("extract", "").split())
            lines.append(f"{where}: {message['message']}" + (f"  [{extract}]" if extract else ""))
    return "\n".join(lines)
