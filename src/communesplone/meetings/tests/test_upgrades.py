"""The meetings' upgrades: to 1001 on a site built from version 1000, to 1003 on a
site whose workflows are those of 1002.

Version 1000 installed the templates built by the former
scripts/make_pod_templates.py (``data/1000/``), without a record of their
origin, and with their outcomes and vote sentences written in French in
their expressions. The upgrade replaces those nobody has edited with the
shipped flat files, whose sentences come from meeting_helper in the
document's language; an edited one is kept, noted in the log, and still
renders, since meeting_helper still offers what it used.
"""

from communesplone import _
from communesplone.documents import generation
from communesplone.documents import templates as shipped_templates
from communesplone.documents.templates import odf
from communesplone.documents.templates import RECORD
from communesplone.meetings import visibility
from communesplone.meetings import votes
from communesplone.meetings.templates import TEMPLATES
from communesplone.meetings.testing import build
from communesplone.meetings.upgrades import SHIPPED_1000
from pathlib import Path
from plone import api
from plone.app.textfield.value import RichTextValue
from plone.namedfile.file import NamedBlobFile
from zope.annotation.interfaces import IAnnotations
from zope.i18n import translate

import io
import logging
import pytest
import re
import zipfile


PROFILE = "communesplone.meetings:default"
DATA = Path(__file__).parent / "data" / "1000"
SHIPPED = Path(__file__).resolve().parent.parent / "templates"


def folder():
    return api.portal.get()["templates"]["meetings"]


def edit(data, old, new):
    """``data`` (an .odt) with ``old`` replaced by ``new`` in its content.xml."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as original, zipfile.ZipFile(buffer, "w") as copy:
        for item in original.infolist():
            member = original.read(item.filename)
            if item.filename == "content.xml":
                assert old.encode() in member
                member = member.replace(old.encode(), new.encode())
            copy.writestr(item, member)
    return buffer.getvalue()


def text(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("content.xml").decode()
    xml = re.sub(r"<text:s(?: text:c=\"(\d+)\")?(?:/>|></text:s>)", " ", xml)
    return re.sub(r"<[^>]+>", "", re.sub(r"</text:(p|h)>", "\n", xml))


@pytest.fixture
def site_1000(portal):
    """A site with the meetings of version 1000: their templates then, no record."""
    api.portal.get_tool("portal_setup").setLastVersionForProfile(PROFILE, "1000")
    for shipped in TEMPLATES:
        if shipped.id not in SHIPPED_1000:  # shipped since: version 1000 had none
            folder()._delObject(shipped.id)
            continue
        template = folder()[shipped.id]
        name = f"{shipped.name}.odt"
        template.odt_file = NamedBlobFile((DATA / name).read_bytes(), filename=name)
        IAnnotations(template).pop(RECORD, None)
    return portal


@pytest.fixture
def decided_item(portal):
    world = build(portal)
    meeting = world.meeting()
    item = world.validated_item(
        "Réfection de la rue Haute",
        decision=RichTextValue("<p>Approuve le cahier des charges.</p>", "text/html"),
    )
    world.transition(item, "present")
    world.transition(meeting, "freeze", "decide")
    meeting.attendance = [{"member": "martin", "status": "excused", "represented_by": None}]
    votes.encode(item, [{"label": "Sur l'ensemble", "voters": {"dupont": "yes", "leroy": "no"}}])
    world.transition(item, "accept")
    return item


def test_upgrade_to_1001(site_1000, decided_item, caplog):
    setup = api.portal.get_tool("portal_setup")
    # The secretary improved the minutes (version 1000's file, a title changed)
    minutes = folder()["proces_verbal-odt"]
    improved = edit(
        (DATA / "proces_verbal.odt").read_bytes(), ">Procès-verbal<", ">Procès-verbal officiel<"
    )
    minutes.odt_file = NamedBlobFile(improved, filename="proces_verbal.odt")
    with caplog.at_level(logging.INFO, logger=shipped_templates.__name__):
        setup.upgradeProfile(PROFILE, dest="1001")
    assert setup.getLastVersionForProfile(PROFILE) == ("1001",)

    # The three unedited templates are the shipped ones now, with their record
    for shipped in TEMPLATES:
        if shipped.id not in SHIPPED_1000 or shipped.id == "proces_verbal-odt":
            continue
        template = folder()[shipped.id]
        flat = (SHIPPED / "fr" / f"{shipped.name}.fodt").read_bytes()
        assert template.odt_file.data == odf.package(flat)
        assert shipped_templates.record(template)["file"] == f"fr/{shipped.name}.fodt"
    # The minutes are kept, and the log says which and where to compare
    assert minutes.odt_file.data == improved
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "/templates/meetings/proces_verbal-odt kept: it was edited" in warnings[0]
    assert "communesplone.meetings/templates/fr/proces_verbal.fodt" in warnings[0]

    # The replaced extract takes its sentences from meeting_helper ...
    with api.env.adopt_user(username="manager"):
        extract = text(generation.render(decided_item, folder()["deliberation-odt"], "odt").data)
        meeting = api.content.get(UID=decided_item.meeting_uid)
        kept = text(generation.render(meeting, minutes, "odt").data)
    approved = translate(_("Approved"), target_language="fr")
    mapping = {"yes": 1, "no": 1, "abstain": 0}
    counts = translate(
        _("${yes} for, ${no} against, ${abstain} abstentions", mapping=mapping),
        target_language="fr",
    )
    assert f"Décision : {approved}" in extract
    assert f"Sur l'ensemble : {counts}." in extract
    assert "Référence : " in extract
    # ... and the kept minutes still render, with what meeting_helper offered in 1000
    assert "Procès-verbal officiel" in kept
    assert "Décision : Approuvé" in kept
    assert "Sur l'ensemble : 1 voix pour, 1 voix contre, 0 abstention(s)." in kept


def test_upgrade_in_a_dutch_speaking_commune(site_1000):
    api.portal.get_tool("portal_registry")["communesplone.default_language"] = "nl"
    api.portal.get_tool("portal_setup").upgradeProfile(PROFILE)
    for shipped in TEMPLATES:
        template = folder()[shipped.id]
        flat = (SHIPPED / "nl" / f"{shipped.name}.fodt").read_bytes()
        assert template.odt_file.data == odf.package(flat)
        assert template.Title() == translate(shipped.title, target_language="nl")
    assert "Notulen" in text(folder()["proces_verbal-odt"].odt_file.data)


def test_upgrade_to_1003_gives_the_advice_workflow_and_the_extension_permission(portal):
    """A site of version 1002: an advice could be given while being written, and the
    delay's extension had no permission. After the upgrade, an advice is signed
    before it is given (one being written stays so), and the meeting managers and
    the advisers hold "Extend advice delay" on the items that await advices."""
    from communesplone.meetings.constants import ADVICE_WORKFLOW
    from communesplone.meetings.constants import EXTEND_ADVICE_DELAY
    from communesplone.meetings.constants import ITEM_WORKFLOW

    world = build(portal)
    item = world.item(advices_asked=[{"service": "finances", "deadline_days": 10}])
    world.transition(item, "propose", user="editor_a")
    with api.env.adopt_user(username="adviser"):
        advice = api.content.create(
            container=item, type="meeting_advice", id="avis", service="finances",
            advice_type="positive",
        )  # fmt: skip
    secret = world.validated_item("Personnel: nomination", privacy="secret")
    public = world.validated_item("Voirie: marché public")
    meeting = world.meeting()
    world.transition(public, "present")
    world.transition(meeting, "freeze")
    assert "Reader" not in visibility._roles(secret, "View")
    assert "Anonymous" in visibility._roles(public, "View")
    # version 1002's workflows
    setup = api.portal.get_tool("portal_setup")
    setup.setLastVersionForProfile(PROFILE, "1002")
    workflow_tool = api.portal.get_tool("portal_workflow")
    workflow_tool[ADVICE_WORKFLOW].states["advice_under_edit"].transitions = (
        "signAdvice",
        "giveAdvice",
    )
    item_workflow = workflow_tool[ITEM_WORKFLOW]
    item_workflow.permissions = tuple(
        p for p in item_workflow.permissions if p != EXTEND_ADVICE_DELAY
    )
    for state in item_workflow.states.objectValues():
        (state.permission_roles or {}).pop(EXTEND_ADVICE_DELAY, None)
    item.manage_permission(EXTEND_ADVICE_DELAY, roles=[], acquire=1)
    with api.env.adopt_user(username="adviser"):
        assert "giveAdvice" in {t["id"] for t in workflow_tool.getTransitionsFor(advice)}

    setup.upgradeProfile(PROFILE, dest="1003")

    assert setup.getLastVersionForProfile(PROFILE) == ("1003",)
    assert workflow_tool[ADVICE_WORKFLOW].states["advice_under_edit"].transitions == ("signAdvice",)
    assert api.content.get_state(advice) == "advice_under_edit"
    roles = {r["name"] for r in item.rolesOfPermission(EXTEND_ADVICE_DELAY) if r["selected"]}
    assert {"MeetingManager", "MeetingAdviser"} <= roles and "Editor" not in roles
    with api.env.adopt_user(username="adviser"):
        assert api.user.has_permission(EXTEND_ADVICE_DELAY, obj=item)
        with pytest.raises(api.exc.InvalidParameterError):
            api.content.transition(obj=advice, transition="giveAdvice")
    with api.env.adopt_user(username="editor_a"):
        assert not api.user.has_permission(EXTEND_ADVICE_DELAY, obj=item)
    # what the workflows' tables cannot say is applied again: a secret item stays
    # hidden from its service's observers, a public one stays public
    assert "Reader" not in visibility._roles(secret, "View")
    assert "Anonymous" in visibility._roles(public, "View")
