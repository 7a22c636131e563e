"""The e-desk's workflow XML is generated from ``workflow_spec.py``, consistent,
and run by the site (core's ``workflow_spec_tests``); internal notes are never
the owner's."""

from communesplone.core.workflow_testing import workflow_spec_tests
from communesplone.edesk import workflow_spec
from zope.i18n import translate
from zope.i18nmessageid import Message

import pytest


globals().update(workflow_spec_tests("edesk", workflow_spec))


def test_internal_notes_never_for_the_owner():
    for state in workflow_spec.REQUEST.states:
        assert "Owner" not in state.permissions[workflow_spec.INTERNAL_NOTES], state.id


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_titles_in_plones_toolbar_are_ours(portal, language):
    """Plone's toolbar translates the states' and transitions' titles in its own
    ``plone`` domain, where Plone's catalogue comes first: a title that Plone
    translates too ("Done": "Terminé") must not be ours, or the toolbar says
    Plone's word (our ``plone.po`` is generated from ``communesplone.po``)."""
    differ = {}
    for workflow in workflow_spec.WORKFLOWS:
        for item in (*workflow.states, *workflow.transitions):
            ours = translate(Message(item.title, domain="communesplone"), target_language=language)
            plones = translate(Message(item.title, domain="plone"), target_language=language)
            if plones not in (ours, item.title):  # untranslated until make_workflows.py runs
                differ[item.title] = (plones, ours)
    assert differ == {}
