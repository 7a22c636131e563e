"""The licence's page, the event pages (opinion requests, inquiries, decisions),
the desk's listing of licences, and the demo files."""

from communesplone.core.validation import Refusal
from communesplone.urban import constants
from communesplone.urban import opinions
from communesplone.urban import public
from communesplone.urban import testing
from communesplone.urban.desk import get_desk
from plone import api
from plone.app.testing import applyProfile
from zope.annotation.interfaces import IAnnotations
from zope.component import getMultiAdapter

import datetime
import pytest


MARCH = datetime.date(2026, 3, 1)


def day(month, number):
    return datetime.date(2026, month, number)


def view(obj, name="view", form=None):
    request = obj.REQUEST
    IAnnotations(request).pop("plone.memoize", None)  # a new page: nothing cached
    request.form.clear()
    request.form.update(form or {})
    return getMultiAdapter((obj, request), name=name)


@pytest.fixture
def seed(portal):
    """The seed's file: road data, equipment, and its events of March (added out of date order)."""
    testing.build(portal)
    licence = testing.make_licence(
        subject="Construction d'une maison",
        road_type="municipal",
        coating="gutters",
        road_equipments=["water", "sewer_treated"],
        folder_managers=["editor"],
        applicants=[{"name": "Lambotte", "first_name": "Julie", "email": "julie@example.org"}],
        parcels=[{"division": "99001", "section": "A", "radical": "12", "exposant": "B"}],
        work_locations=[{"street": "Rue de l'Église", "number": "12", "city": "Plonéville"}],
    )
    testing.add_event(licence, "deposit", event_date=day(3, 1))
    testing.add_event(licence, "receipt", event_date=day(3, 6))
    testing.add_event(licence, "opinion_fd", event_date=day(3, 7))
    testing.add_event(licence, "opinion_spw_mobility", event_date=day(3, 7))
    testing.add_event(licence, "acknowledgement", event_date=day(3, 2))
    return licence


def test_licence_page_road_equipment_and_events_in_date_order(seed):
    with api.env.adopt_user(username="editor"):
        page = view(seed)
        html = page()
        road = page.road()
        events = page.events()
        links = page.add_links()
    assert road["type"] == "Municipal" and road["coating"] == "Gutters"
    assert [(item["id"], item["checked"]) for item in road["equipment"]] == [
        ("water", True),
        ("electricity", False),
        ("sewer_treated", True),
        ("sewer_untreated", False),
        ("separate_sewer", False),
    ]
    assert [row["date"] for row in events] == [
        "01/03/2026", "02/03/2026", "06/03/2026", "07/03/2026", "07/03/2026"
    ]  # fmt: skip
    assert events[1]["title"] == "Acknowledgement of receipt"
    assert events[1]["url"] in html
    assert "Add an event to this file" in html and "GIS tools" in html
    offered = {link["id"] for link in links}
    assert "inquiry" not in offered and "notification" not in offered
    assert "opinion_fire" in offered
    assert "college_decision" not in offered  # a permit is decided once complete
    assert "Julie Lambotte" in html and "99001" in html and "Rue de l'Église 12" in html
    assert seed.Subject() == ()  # the subject is not a list of keywords (one per letter)


def test_applicants_only_for_those_who_may_read_personal_data(seed):
    with api.env.adopt_user(username="observer"):
        assert view(seed).applicants()[0]["email"] == "julie@example.org"
    seed.manage_permission(constants.VIEW_PERSONAL_DATA, ["Manager"], acquire=False)
    with api.env.adopt_user(username="observer"):
        page = view(seed)
        assert page.applicants() is None
        assert "julie@example.org" not in page()


def test_opinion_request_sent_then_received(seed):
    request = (
        seed["opinion-request-delegated-officer-fd"]
        if ("opinion-request-delegated-officer-fd" in seed)
        else next(obj for obj in seed.objectValues() if obj.event_type == "opinion_fd")
    )
    with api.env.adopt_roles(["Manager"]):
        with pytest.raises(Refusal):  # not sent yet
            opinions.receive(request, "favorable", day(3, 20))
        with pytest.raises(Refusal) as refused:  # before its own date
            opinions.send(request, day(3, 6))
        assert "before its own date" in str(refused.value.message)
        opinions.send(request, day(3, 7))
        assert api.content.get_state(request) == "sent"
        # 35 days (the FD's delay), moved to the next open day by the deadlines module
        assert day(4, 11) <= opinions.due(request) <= day(4, 14)
        assert opinions.overdue(request, today=day(5, 1))
        with pytest.raises(Refusal):  # no opinion chosen
            opinions.receive(request, None, day(3, 20))
        with pytest.raises(Refusal):  # received before it was sent
            opinions.receive(request, "favorable", day(3, 5))
        opinions.receive(request, "favorable_conditions", day(3, 20), "Sous réserve de …")
    assert api.content.get_state(request) == "received"
    assert not opinions.overdue(request, today=day(5, 1))
    with api.env.adopt_user(username="editor"):
        page = view(request)
        shown = page.opinion()
        html = page()
    assert shown["opinion_title"] == "Favorable with conditions"
    assert shown["received"] == "20/03/2026" and "Sous réserve de …" in html
    assert not page.can_send() and not page.can_receive()


def test_opinion_forms_post_only(seed):
    request = next(obj for obj in seed.objectValues() if obj.event_type == "opinion_fd")
    from zExceptions import BadRequest

    with api.env.adopt_user(username="editor"):
        assert view(request).can_send()
        action = view(request, "opinion-send", {"sent_date": "2026-03-07"})
        with pytest.raises(BadRequest):  # a GET never writes
            action()
    assert api.content.get_state(request) == "prepared"


def test_inquiry_claimants_for_staff_count_for_all(seed):
    testing.transition(seed, "declare_complete")
    inquiry = testing.add_event(
        seed,
        "inquiry",
        event_date=day(3, 10),
        start_date=day(3, 15),
        end_date=day(3, 30),
        claimants=[
            {"name": "Marc Delvaux", "claim": "Vues directes"},
            {"name": "Nadia Benali", "claim": "Stationnement"},
        ],
    )
    testing.transition(inquiry, "announce")
    with api.env.adopt_user(username="editor"):
        shown = view(inquiry).inquiry()
    assert shown["count"] == 2 and shown["claimants"][0]["name"] == "Marc Delvaux"
    with api.env.adopt_roles(["Anonymous"]):
        page = view(inquiry)
        shown = page.inquiry()
        html = page()
    assert shown["count"] == 2 and shown["claimants"] is None
    assert "Marc Delvaux" not in html


def test_decision_page_and_licence(seed):
    decision = testing.add_event(
        seed, "college_decision", event_date=day(4, 2), decision=constants.GRANTED
    )
    with api.env.adopt_user(username="editor"):
        assert view(decision).decision()["title"] == "Granted"
        shown = view(seed).decision()
    assert shown == {"value": "granted", "title": "Granted", "date": "02/04/2026"}


def test_desk_listing_filters(seed):
    year = datetime.date.today().year
    testing.make_licence(licence_type="planning_declaration", subject="Abri de jardin")
    other = testing.make_licence(subject="Véranda", folder_managers=["reviewer"])
    testing.transition(other, "retire")
    desk = get_desk()

    def references(**form):
        with api.env.adopt_user(username="editor"):
            return sorted(row["reference"] for row in view(desk, "licences", form).rows())

    assert references() == [f"DU/{year}/0001", f"PU/{year}/0001", f"PU/{year}/0002"]
    assert references(licence_type="planning_declaration") == [f"DU/{year}/0001"]
    assert references(state="retired") == [f"PU/{year}/0002"]
    assert references(folder_manager="editor") == [f"PU/{year}/0001"]
    assert references(year=str(year - 1)) == []
    with api.env.adopt_user(username="other_staff"):  # another service's staff: nothing
        assert list(view(desk, "licences").rows()) == []


def test_demo_files(portal):
    applyProfile(portal, "communesplone.urban:demo")
    applyProfile(portal, "communesplone.urban:demo")  # twice: nothing doubled
    desk = get_desk()
    licences = [obj for obj in desk.objectValues() if obj.portal_type in constants.LICENCES]
    assert len(licences) == 9
    assert len({obj.licence_type for obj in licences}) >= 7
    states = {api.content.get_state(obj) for obj in licences}
    assert {"deposit", "complete", "incomplete", "accepted", "refused", "delivered"} <= states
    seed = next(obj for obj in licences if obj.subject.startswith("Construction d'une maison"))
    assert (seed.road_type, seed.coating) == ("municipal", "gutters")
    assert [event.event_type for event in seed.objectValues()] == [
        "deposit", "receipt", "opinion_spw_mobility", "opinion_fd", "opinion_spw_environment"
    ]  # fmt: skip
    assert seed.parcels and seed.latitude is not None
    # one inquiry runs now: the public page lists it, and it takes claims
    [brain] = public.announced()
    inquiry = brain.getObject()
    assert inquiry.start_date <= datetime.date.today() < inquiry.end_date
    assert inquiry.licence().licence_type == "environmental_permit_2"
