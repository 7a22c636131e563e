"""The meetings demo: both bodies, a closed meeting with decisions, an upcoming one."""

from communesplone.documents.testing import _missing as libreoffice_missing
from communesplone.meetings import agenda
from communesplone.meetings import masking
from plone import api
from plone.app.testing import applyProfile


def _states(body, portal_type):
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        portal_type=portal_type, path="/".join(body.getPhysicalPath())
    )
    return sorted(brain.review_state for brain in brains)


def test_demo(portal):
    applyProfile(portal, "communesplone.meetings:demo")
    college, conseil = portal["college"], portal["conseil"]
    assert _states(college, "meeting") == ["closed", "created"]
    closed = college["seance-2026-11-10"]
    decided = [api.content.get_state(item) for item in agenda.items(closed)]
    assert decided[0] == "accepted" and "accepted_but_modified" in decided
    assert "delayed" in decided
    assert {item.privacy for item in agenda.items(closed)} == {"public", "secret"}
    # a replacement, and a member who leaves during a point and comes back
    from communesplone.meetings import attendance
    from communesplone.meetings import votes

    assert closed.attendance_of("collard") == ("replaced", None)
    assert "collard" in [row["id"] for row in votes.voters(agenda.items(closed)[0])]
    (move,) = closed.moves
    assert move["member"] == "wauters"
    away = [i for i in agenda.items(closed) if "wauters" in attendance.away_for(i, closed)]
    assert [agenda.number_label(i.item_number) for i in away] == [move["leaves_before"]]
    # a published decision with the names in it masked
    (prime,) = [i for i in agenda.items(closed) if i.title.startswith("Prime communale")]
    assert masking.marked_texts(prime.decision.raw) == ["Claire Fontaine", "BE68 5390 0754 7034"]
    assert "Claire Fontaine" not in masking.public_text(prime.decision.output)
    upcoming = college["seance-2026-12-08"]
    titles = [item.title for item in agenda.items(upcoming)]
    assert titles[0] == "Approuve le procès-verbal de la séance antérieure"  # recurring
    item_states = set(_states(college, "meeting_item"))
    assert {"itemcreated", "proposed", "validated", "presented", "accepted"} <= item_states
    # a budget-related item waits for the financial director's advice (CDLD L1124-40)
    (waiting,) = [i for i in college.objectValues() if i.title.startswith("Acquisition d'une")]
    assert api.content.get_state(waiting) == "waiting_advices"
    from communesplone.meetings import advices

    assert [service for service, _due in advices.pending(waiting)] == ["finances"]
    services = {
        brain.service
        for brain in api.portal.get_tool("portal_catalog").unrestrictedSearchResults(
            portal_type="meeting_item", path="/".join(college.getPhysicalPath())
        )
    }
    assert services == {
        "secretariat",
        "population",
        "travaux",
        "urbanisme",
        "finances",
        "environnement",
    }
    # accepted items marked for the council were sent there, validated
    assert _states(conseil, "meeting_item") == ["validated", "validated"]
    members = {u.getId() for u in api.user.get_users(groupname="college_members")}
    assert members == {"jdupont", "dgodin", "mwauters"}
    assert "dgodin" in {u.getId() for u in api.user.get_users(groupname="conseil_meetingmanagers")}


def _finds(login, obj):
    with api.env.adopt_user(username=login):
        return bool(api.content.find(UID=obj.UID()))


def _titled(body, start):
    (item,) = [i for i in body.objectValues() if i.title.startswith(start)]
    return item


def test_demo_polls_and_attendance_per_item(portal):
    applyProfile(portal, "communesplone.meetings:demo")
    closed = portal["college"]["seance-2026-11-10"]
    items = {item.title.split(" –")[0]: item for item in agenda.items(closed)}
    secret = items["Personnel communal"]
    assert secret.poll_type == "secret"
    assert secret.votes[0]["counts"]["blank"] == 1
    assert items["Plan de cohésion sociale"].poll_type == "no_vote"
    grant = items["Prime communale à la rénovation"]
    assert grant.item_excused == ["dupont"]
    assert grant.item_signatories == {"1": "lambotte"}
    assert grant.votes[0]["voters"]["collard"] == "does_not_vote"


def test_demo_annexes_copies_and_readers(portal):
    applyProfile(portal, "communesplone.meetings:demo")
    college = portal["college"]
    sweeper = _titled(college, "Marché de fournitures – acquisition")
    annexes = {a.annex_type: a for a in sweeper.objectValues() if a.portal_type == "meeting_annex"}
    assert sorted(annexes) == ["annex", "budget", "personal", "plan"]
    assert annexes["personal"].confidential and not annexes["personal"].to_print
    assert annexes["budget"].preview_error is None  # a readable PDF
    assert annexes["plan"].preview is not None  # the image's PDF
    office = annexes["annex"]
    if libreoffice_missing():
        assert office.preview is None and office.preview_error
    else:
        assert office.preview is not None and office.preview_error is None
    # in copy to the environment service: its editor reads it, read-only
    assert sweeper.copy_groups == ["environnement"]
    assert _finds("ejacobs", sweeper)
    with api.env.adopt_user(username="ejacobs"):
        assert not api.user.has_permission("Modify portal content", obj=sweeper)
    assert not _finds("ejacobs", annexes["personal"])
    # the alderman in charge of the works reads its proposed items, not the others
    assert _finds("mwauters", _titled(college, "Travaux d'égouttage"))
    assert not _finds("mwauters", _titled(college, "Population – changement"))
    # the power observer reads the closed meeting's items, not those being prepared
    closed = college["seance-2026-11-10"]
    assert _finds("kservais", closed) and _finds("kservais", agenda.items(closed)[0])
    assert not _finds("kservais", _titled(college, "Subside à l'ASBL"))
    # an item returned to its service, in its editor's "À faire"
    returned = _titled(college, "Permis d'urbanisme – construction")
    assert api.content.get_state(returned) == "returned_to_proposing_group"


def test_demo_is_applied_once(portal):
    applyProfile(portal, "communesplone.meetings:demo")
    count = len(portal["college"].objectIds())
    portal["college"].title = "Collège (renommé)"
    applyProfile(portal, "communesplone.meetings:demo")
    assert len(portal["college"].objectIds()) == count
    assert portal["college"].title == "Collège (renommé)"
