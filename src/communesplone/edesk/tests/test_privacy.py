"""Personal data: retention (anonymisation past the type's period) and account deletion."""

from communesplone.core.smtptesting import smtp  # noqa: F401 (fixture)
from communesplone.core.smtptesting import subject
from communesplone.core.testing import authenticator
from communesplone.edesk import deletion
from communesplone.edesk import retention
from communesplone.edesk.testing import build
from communesplone.edesk.testing import session
from DateTime import DateTime
from plone import api
from plone.namedfile.file import NamedBlobFile
from plone.protect.authenticator import createToken
from ZODB.POSException import ConflictError

import transaction


def _closed_request(world, user="citizen_a", request_type=None):
    """A request with every kind of personal data, taken, done and closed."""
    request = world.request(
        user,
        request_type=request_type,
        address="Rue de Fer 1, 5000 Namur",
        latitude=50.467412,
        longitude=4.871834,
        internal_notes="Called the citizen at home",
    )
    request.messages = ({"author": "Citizen A", "from_staff": False, "date": "", "text": "Hi"},)
    with api.env.adopt_roles(["Manager"]):
        api.content.create(
            container=request,
            type="File",
            id="proof.png",
            file=NamedBlobFile(data=b"\x89PNG", filename="proof.png"),
        )
    world.transition(request, "take", "complete", user="reviewer", comment="Seen A's file")
    world.transition(request, "close", user="reviewer")
    return request


def _months_later(months):
    return retention.months_before(DateTime(), -months)


def test_anonymised_past_retention_only_statistics_kept(portal):
    world = build(portal)
    with api.env.adopt_roles(["Manager"]):
        short = api.content.create(
            container=world.desk,
            type="request_type",
            id="short",
            title="Short",
            service="population",
            field_definitions=world.certificate.field_definitions,
            retention_months=6,
        )
    assert world.certificate.retention_months == retention.DEFAULT_MONTHS == 24
    kept_long = _closed_request(world)
    request = _closed_request(world, request_type=short)
    still_open = world.request("citizen_a")
    number, created = request.tracking_number, request.created()
    closed = retention.closed_on(request)

    assert retention.run(now=_months_later(5)) == 0  # not past yet
    assert not retention.is_anonymised(request) and request.values
    assert retention.run(now=_months_later(7)) == 1

    # the citizen's data gone from the object
    assert request.values == {} and request.messages == () and request.objectIds() == []
    for name in ("contact_email", "address", "internal_notes", "rejection_reason"):
        assert getattr(request, name) is None, name
    assert (request.latitude, request.longitude) == (50.47, 4.87)
    assert request.listCreators() == ()
    assert not [p for p, roles in request.get_local_roles() if "Owner" in roles]
    history = request.workflow_history[retention.WORKFLOW]
    assert all(entry["actor"] != "citizen_a" for entry in history)
    assert not any("Seen A" in (entry["comments"] or "") for entry in history)
    assert (
        history[-1]["action"] == retention.HISTORY_ACTION and "6 months" in history[-1]["comments"]
    )
    # ... and from the catalog
    catalog = portal.portal_catalog
    [brain] = catalog.unrestrictedSearchResults(UID=request.UID())
    assert brain.anonymised is True and brain.requester == "" and brain.Creator == ""
    assert brain.requester_name == ""
    mine = catalog.unrestrictedSearchResults(portal_type="citizen_request", Creator="citizen_a")
    assert request.UID() not in {b.UID for b in mine} and kept_long.UID() in {b.UID for b in mine}
    inside = catalog.unrestrictedSearchResults(path="/".join(request.getPhysicalPath()))
    assert [b.UID for b in inside] == [request.UID()]  # the files unindexed
    # the statistics kept
    assert (request.tracking_number, request.created()) == (number, created)
    assert request.request_type == short.UID() and request.service == "population"
    assert api.content.get_state(request) == "closed" and retention.closed_on(request) == closed
    assert [e["action"] for e in history][:4] == [None, "submit", "take", "complete"]

    # idempotent; the other type's request (24 months) and the open one untouched
    assert retention.run(now=_months_later(7)) == 0
    assert len(request.workflow_history[retention.WORKFLOW]) == len(history)
    assert kept_long.values and still_open.values
    assert retention.run(now=_months_later(25)) == 1  # the 24-month one; never the open one
    assert retention.is_anonymised(kept_long) and not retention.is_anonymised(still_open)


def test_months_before_clamps_the_day():
    assert retention.months_before(DateTime("2026/03/31 10:00 UTC"), 1).Date() == "2026/02/28"
    assert retention.months_before(DateTime("2026/01/15 10:00 UTC"), 24).Date() == "2024/01/15"


# Over HTTP: the deletion path, REST, and no write on GET ------------------------


def test_account_deletion_asked_by_the_citizen_processed_by_an_administrator(
    functional_portal,
    smtp,  # noqa: F811
):
    world = build(functional_portal)
    closed = _closed_request(world)
    open_one = world.request("citizen_a")
    draft = world.request("citizen_a", submit=False)
    other = world.request("citizen_b")
    draft_path = "/".join(draft.getPhysicalPath())
    transaction.commit()
    smtp.messages.clear()
    desk_url = world.desk.absolute_url()
    panel_url = f"{functional_portal.absolute_url()}/@@edesk-personal-data"
    citizen = session("citizen_a")

    page = citizen.get(f"{desk_url}/@@my-requests")
    assert f'href="{desk_url}/@@delete-my-account"' in page.text
    form = citizen.get(f"{desk_url}/@@delete-my-account", params={"confirm": "1", "ask": "1"})
    assert form.status_code == 200 and "confirm-deletion" in form.text
    forged = citizen.post(f"{desk_url}/@@delete-my-account", data={"confirm": "1"})
    assert forged.status_code == 403
    unticked = citizen.post(
        f"{desk_url}/@@delete-my-account", data={"_authenticator": authenticator(form)}
    )
    assert "Tick the box" in unticked.text
    transaction.begin()
    assert not deletion.is_pending("citizen_a")  # GET, forged and unticked POSTs wrote nothing

    asked = citizen.post(
        f"{desk_url}/@@delete-my-account",
        data={"_authenticator": authenticator(form), "confirm": "1"},
    )
    assert asked.status_code == 200 and asked.url.endswith("@@my-requests")
    transaction.begin()
    assert deletion.is_pending("citizen_a")
    assert [rcpt for rcpt, _m in smtp.messages] == [["guichet@commune.example"]]
    assert "citizen_a" in subject(smtp.messages[0][1])

    # a citizen cannot see nor process the deletions
    for login in ("citizen_a", "citizen_b", "reviewer"):
        http = session(login)
        for method in (http.get, http.post):
            refused = method(panel_url, data={"process": "citizen_a"}, allow_redirects=False)
            assert refused.status_code in (302, 401, 403), login  # to insufficient-privileges
    admin = session("siteadmin")
    panel = admin.get(panel_url, params={"process": "citizen_a", "anonymise": "1"})
    assert panel.status_code == 200 and "citizen_a" in panel.text
    assert "Anonymise now" not in panel.text  # Manage portal only: not a Site Administrator's
    transaction.begin()
    assert api.user.get(userid="citizen_a") is not None  # the GET wrote nothing

    smtp.messages.clear()
    done = admin.post(
        panel_url, data={"_authenticator": authenticator(panel), "process": "citizen_a"}
    )
    assert done.status_code == 200 and "is deleted" in done.text
    transaction.begin()
    assert api.user.get(userid="citizen_a") is None and not deletion.is_pending("citizen_a")
    assert functional_portal.unrestrictedTraverse(draft_path, None) is None
    for request in (closed, open_one):
        assert retention.is_anonymised(request) and api.content.get_state(request) == "closed"
        assert request.values == {} and request.listCreators() == ()
    assert [e["action"] for e in open_one.workflow_history[retention.WORKFLOW]][-2:] == [
        deletion.WITHDRAW_ACTION,
        retention.HISTORY_ACTION,
    ]
    assert other.values and other.listCreators() == ("citizen_b",)
    page = session("reviewer").get(open_one.absolute_url())
    assert page.status_code == 200 and open_one.tracking_number in page.text
    assert "Citizen A" not in page.text and "citizen_a" not in page.text
    assert [rcpt for rcpt, _m in smtp.messages] == [["citizen_a@example.org"]]

    # REST: nothing of the citizen left, for the administrator either
    for request in (closed, open_one):
        answer = session("manager").get(
            request.absolute_url(), headers={"Accept": "application/json"}
        )
        data = answer.json()
        assert data["values"] == {} and data["address"] is None and data["items"] == []
        assert data["tracking_number"] == request.tracking_number
        for personal in ("citizen_a", "Citizen A", "Rue de Fer", "proof.png", "Called"):
            assert personal not in answer.text, personal
    found = (
        session("manager")
        .get(
            f"{functional_portal.absolute_url()}/@search",
            params={"Creator": "citizen_a", "portal_type": "citizen_request"},
            headers={"Accept": "application/json"},
        )
        .json()
    )
    assert found["items_total"] == 0


def test_anonymise_now_needs_manage_portal_and_a_post(functional_portal):
    world = build(functional_portal)
    request = _closed_request(world)
    with api.env.adopt_roles(["Manager"]):
        world.certificate.retention_months = 1
        # closed two months ago
        history = list(request.workflow_history[retention.WORKFLOW])
        history[-1] = {**history[-1], "time": retention.months_before(DateTime(), 2)}
        request.workflow_history[retention.WORKFLOW] = tuple(history)
        request.reindexObject(idxs=["closed_on"])
    transaction.commit()
    panel_url = f"{functional_portal.absolute_url()}/@@edesk-personal-data"
    manager = session("manager")
    panel = manager.get(panel_url, params={"anonymise": "1"})
    assert "Anonymise now" in panel.text
    transaction.begin()
    assert not retention.is_anonymised(request)
    admin = session("siteadmin")
    assert not api.user.has_permission("Manage portal", username="siteadmin", obj=functional_portal)
    with api.env.adopt_user(username="siteadmin"):
        token = createToken()  # the page offers them no form: a valid token all the same
    refused = admin.post(panel_url, data={"_authenticator": token, "anonymise": "1"},
                         allow_redirects=False)  # fmt: skip
    assert refused.status_code in (302, 401, 403)
    transaction.begin()
    assert not retention.is_anonymised(request)
    done = manager.post(panel_url, data={"_authenticator": authenticator(panel), "anonymise": "1"})
    assert "1 request(s) anonymised" in done.text
    transaction.begin()
    assert retention.is_anonymised(request)


def test_upgrade_to_1006(portal):
    world = build(portal)
    request = _closed_request(world)
    setup, catalog = portal.portal_setup, portal.portal_catalog
    with api.env.adopt_roles(["Manager"]):
        for index in retention.INDEXES:
            catalog.delIndex(index)
            catalog.delColumn(index)
        portal.portal_controlpanel.unregisterConfiglet("communesplone-edesk-personal-data")
        portal.manage_permission(deletion.REQUEST_DELETION, (), acquire=True)
        setup.setLastVersionForProfile("communesplone.edesk:default", "1005")
        assert [step["dest"] for step in setup.listUpgrades("communesplone.edesk:default")][0] == (
            "1006",
        )
        setup.upgradeProfile("communesplone.edesk:default", dest="1006")
    assert setup.getLastVersionForProfile("communesplone.edesk:default") == ("1006",)
    [brain] = catalog.unrestrictedSearchResults(
        closed_on={"query": DateTime(), "range": "max"}, anonymised=False
    )
    assert brain._unrestrictedGetObject() == request
    assert brain.closed_on == retention.closed_on(request)
    configlets = [action.id for action in portal.portal_controlpanel.listActions()]
    assert "communesplone-edesk-personal-data" in configlets
    roles = [
        r["name"] for r in portal.rolesOfPermission(deletion.REQUEST_DELETION) if r["selected"]
    ]
    assert roles == ["Member"]


def test_run_commits_in_batches_and_retries_a_conflict(functional_portal, monkeypatch, caplog):
    world = build(functional_portal)
    requests_ = [_closed_request(world), _closed_request(world, user="citizen_b")]
    transaction.commit()
    anonymise, calls = retention.anonymise, []

    def conflicting(request, **kwargs):
        calls.append(request.getId())
        if len(calls) == 2:  # the second batch, first attempt
            request.values = {"half": "written"}  # undone by the abort
            raise ConflictError()
        return anonymise(request, **kwargs)

    monkeypatch.setattr(retention, "anonymise", conflicting)
    assert retention.run(now=_months_later(25), batch_size=1, commit=True, actor="system") == 2
    assert calls == [requests_[0].getId(), requests_[1].getId(), requests_[1].getId()]
    assert "conflict in batch 1, attempt 1" in caplog.text
    transaction.begin()
    for request in requests_:
        assert retention.is_anonymised(request) and request.values == {}
    assert retention.run(now=_months_later(25), commit=True) == 0
