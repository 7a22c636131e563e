"""Every user-facing string is in the catalogues, translated into French and Dutch."""

from pathlib import Path
from zope.i18n import translate
from zope.i18nmessageid import Message

import communesplone
import pytest
import re
import subprocess
import sys


PACKAGE = Path(communesplone.__file__).parent
LOCALES = PACKAGE / "locales"
ENTRY = re.compile(r'^msgid "((?:[^"\\]|\\.)*)"\nmsgstr "((?:[^"\\]|\\.)*)"', re.M)


def entries(path):
    return {msgid: msgstr for msgid, msgstr in ENTRY.findall(path.read_text()) if msgid}


def test_pot_is_up_to_date(tmp_path):
    """The committed .pot holds exactly what i18ndude finds in the sources."""
    pot = tmp_path / "communesplone.pot"
    i18ndude = Path(sys.executable).parent / "i18ndude"
    subprocess.run(
        [i18ndude, "rebuild-pot", "--pot", pot, "--create", "communesplone", "."],
        cwd=PACKAGE,
        check=True,
        capture_output=True,
    )
    assert set(entries(pot)) == set(entries(LOCALES / "communesplone.pot")), (
        "run `make i18n` and translate the new strings"
    )


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_catalogue_has_every_message(language):
    catalogue = entries(LOCALES / language / "LC_MESSAGES" / "communesplone.po")
    expected = set(entries(LOCALES / "communesplone.pot"))
    assert set(catalogue) == expected
    if language != "en":
        untranslated = sorted(msgid for msgid, msgstr in catalogue.items() if not msgstr)
        assert untranslated == []


def test_catalogues_are_loaded(portal):
    message = Message("Municipal services", domain="communesplone")
    assert translate(message, target_language="fr") == "Services communaux"
    assert translate(message, target_language="nl") == "Gemeentelijke diensten"
    assert translate(message, target_language="en") == "Municipal services"


def test_workflow_titles_catalogues_are_up_to_date(portal):
    """Plone's toolbar reads workflow titles in the ``plone`` domain: our
    ``plone.po`` files hold them as ``communesplone.po`` translates them."""
    import importlib.util

    script = PACKAGE.parent.parent / "scripts" / "make_workflows.py"
    spec = importlib.util.spec_from_file_location("make_workflows", script)
    make_workflows = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_workflows)
    for path, text in make_workflows.catalogue_targets():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path} is stale: run `python scripts/make_workflows.py`"
        )
    assert translate(Message("Present", domain="plone"), target_language="fr") == "Présenter"


def test_request_language_is_the_negotiated_one(portal):
    from communesplone.core.i18n import request_language
    from zope.globalrequest import getRequest
    from zope.globalrequest import setRequest

    request = portal.REQUEST
    saved = getRequest()
    request.other.pop("LANGUAGE", None)
    assert request_language(request) is None
    assert request_language(request, "") == ""
    request["LANGUAGE"] = "nl"  # where plone.i18n's negotiation puts it
    try:
        assert request_language(request, "fr") == "nl"
        setRequest(request)
        assert request_language() == "nl"  # the current request
        setRequest(None)
        assert request_language(default="fr") == "fr"  # none: the default
    finally:
        request.other.pop("LANGUAGE", None)
        setRequest(saved)


def test_commune_language_follows_the_control_panel(portal):
    from communesplone.core.i18n import commune_language
    from plone import api

    for language in ("nl", "fr"):
        api.portal.set_registry_record("communesplone.default_language", language)
        assert commune_language() == language
    registry = api.portal.get_tool("portal_registry")
    del registry.records["communesplone.default_language"]  # core not installed: Plone's
    api.portal.set_registry_record("plone.default_language", "en")
    assert commune_language() == "en"


def _literal_msgids():
    """{msgid: a file using it} of every ``_("...")`` with a literal in the sources,
    f-strings included, where i18ndude (which reads tokens, not the tree) misses them."""
    import ast

    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, str(path.relative_to(PACKAGE)))
    return found


def test_every_literal_message_is_in_the_catalogue():
    """A message written inside an f-string is invisible to i18ndude: it would never be
    translated (the minutes said "unanimously" in French)."""
    pot = LOCALES / "communesplone.pot"
    text = pot.read_text()
    known = {
        msgid.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
        for msgid in entries(pot)
    }
    # msgids that the .pot wraps over several lines
    for block in re.findall(r'^msgid ""\n((?:".*"\n)+)msgstr', text, re.M):
        joined = "".join(line[1:-1] for line in block.splitlines())
        known.add(joined.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\"))
    missing = {msgid: where for msgid, where in _literal_msgids().items() if msgid not in known}
    assert missing == {}, "write these messages outside f-strings, then `make i18n`"
