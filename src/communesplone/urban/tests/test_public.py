"""The public side over HTTP: the projects under inquiry, the online claim, the
bot and rate guards; and, without the meetings application, no college."""

from communesplone.core import antispam
from communesplone.urban import demo_cadastre
from communesplone.urban import meetings
from communesplone.urban import public
from communesplone.urban import testing
from communesplone.urban.desk import get_desk
from communesplone.urban.testing import session
from datetime import date
from datetime import timedelta
from plone import api
from types import SimpleNamespace

import pytest
import re
import time
import transaction


APPLICANT = {"name": "Dupont", "first_name": "Marie", "address": "Rue des Tilleuls 7"}
CLAIM = {
    "name": "Jean Riverain",
    "address": "Rue Haute 14, 5000 Namur",
    "email": "jean.riverain@example.org",
    "claim": "Le projet masque la vue sur l'église.",
}


@pytest.fixture
def world(functional_portal):
    portal = functional_portal
    testing.build(portal)
    today = date.today()
    announced = testing.make_licence(
        subject="Construction d'une maison unifamiliale",
        applicants=[APPLICANT],
        work_locations=[{"street": "Rue Haute", "number": "12", "postal_code": "5000"}],
        parcels=[demo_cadastre.parcel_row(demo_cadastre.install(get_desk(), count=4)[0])],
    )
    inquiry = testing.add_event(
        announced,
        "inquiry",
        start_date=today - timedelta(days=3),
        end_date=today + timedelta(days=12),
        notice="Une maison de deux façades avec garage.",
    )
    testing.transition(inquiry, "announce")
    hidden = testing.make_licence(subject="Extension d'un hangar agricole")
    draft = testing.add_event(hidden, "inquiry")
    public.LIMIT.reset()
    transaction.commit()
    yield SimpleNamespace(portal=portal, licence=announced, inquiry=inquiry, draft=draft)
    public.LIMIT.reset()


def claim_url(inquiry):
    return f"{inquiry.absolute_url()}/@@reclamation"


def post_claim(http, inquiry, values, aged=True, honeypot=""):
    form = http.get(claim_url(inquiry))
    assert form.status_code == 200, form.status_code
    token = re.search(r'name="_authenticator" value="([^"]+)"', form.text).group(1)
    stamp = antispam.form_stamp(now=time.time() - (60 if aged else 0))
    data = {**values, "_authenticator": token, "form_stamp": stamp, "website": honeypot}
    return http.post(claim_url(inquiry), data=data, allow_redirects=False)


def claimants(inquiry):
    transaction.begin()
    return list(inquiry.claimants or ())


def test_the_public_page_lists_announced_inquiries_and_no_personal_data(world):
    page = session().get(f"{world.portal.absolute_url()}/@@enquetes-publiques")
    assert page.status_code == 200
    assert world.licence.reference in page.text
    assert "Construction d&#x27;une maison unifamiliale" in page.text or (
        "Construction d'une maison unifamiliale" in page.text
    )
    assert "Rue Haute 12 5000" in page.text
    assert "Une maison de deux façades avec garage." in page.text
    assert claim_url(world.inquiry) in page.text
    assert "Extension d" not in page.text  # a prepared inquiry is not public
    assert "Dupont" not in page.text and "Marie" not in page.text
    # The map (Leaflet, core's copy) gets the same projects, placed, as GeoJSON.
    assert "++resource++communesplone.core/leaflet/leaflet.js" in page.text
    features = re.search(r'data-features="([^"]+)"', page.text).group(1)
    licence = world.licence
    assert licence.latitude is not None
    assert f"[{licence.longitude}, {licence.latitude}]" in features
    assert world.inquiry.absolute_url() in features
    # The desk offers the same page (to those who may view the desk).
    desk_page = session("editor").get(
        f"{world.licence.aq_parent.absolute_url()}/@@enquetes-publiques"
    )
    assert world.licence.reference in desk_page.text


def test_the_public_inquiries_are_in_the_sites_navigation(world):
    """A citizen finds the page from every page's main navigation (urban alone)."""
    home = session().get(world.portal.absolute_url())
    assert home.status_code == 200
    link = re.search(r'<a href="([^"]*@@enquetes-publiques)"[^>]*>([^<]*)<', home.text)
    assert link is not None, "no link to the public inquiries in the page"
    assert link.group(1) == f"{world.portal.absolute_url()}/@@enquetes-publiques"
    assert "Public inquiries" in home.text


def test_the_public_inquiries_are_in_the_websites_navigation(request):
    """With the website installed (the layer with everything), its main navigation
    has the tab too, for anonymous visitors."""
    from communesplone.website.browser.standards import Sections
    from plone.app.testing import logout

    layer = request.getfixturevalue("all_integration")
    portal, http_request = layer["portal"], layer["request"]
    logout()
    tabs = Sections(portal, http_request, None).navtree["/".join(portal.getPhysicalPath())]
    urls = [tab["url"] for tab in tabs]
    assert f"{portal.absolute_url()}/@@enquetes-publiques" in urls, urls


def test_a_visitor_sees_the_notice_and_nothing_else(world):
    http = session()
    assert http.get(world.inquiry.absolute_url(), allow_redirects=False).status_code == 200
    for url in (
        world.licence.absolute_url(),
        world.draft.absolute_url(),
        claim_url(world.draft),
        f"{world.portal.absolute_url()}/@@mes-dossiers",
    ):
        assert http.get(url, allow_redirects=False).status_code in (302, 401), url


def test_a_visitor_sends_a_claim(world):
    response = post_claim(session(), world.inquiry, CLAIM)
    assert response.status_code == 200
    assert "Thank you: your claim is recorded." in response.text
    [row] = claimants(world.inquiry)
    assert {key: row[key] for key in CLAIM} == CLAIM
    assert row["date"] == date.today()
    assert world.inquiry.claims_count() == 1
    # The claimants are personal data: not on the public pages.
    http = session()
    assert "Jean Riverain" not in http.get(world.inquiry.absolute_url()).text
    page = http.get(f"{world.portal.absolute_url()}/@@enquetes-publiques").text
    assert "Jean Riverain" not in page


@pytest.mark.parametrize(
    "values,message",
    [
        ({**CLAIM, "email": "not an address"}, '"Your email address" is not valid.'),
        ({**CLAIM, "name": "  "}, '"Your name" is required.'),
        ({**CLAIM, "claim": ""}, '"Your claim or observation" is required.'),
        ({**CLAIM, "claim": "x" * 10001}, '"Your claim or observation" is too long.'),
    ],
)
def test_bad_input_is_refused_with_its_reason_and_nothing_written(world, values, message):
    response = post_claim(session(), world.inquiry, values)
    assert response.status_code == 400
    assert message.replace('"', "&quot;") in response.text or message in response.text
    assert claimants(world.inquiry) == []
    assert 'value="Jean Riverain"' in response.text or values["name"].strip() == ""


def test_robots_are_refused(world):
    too_fast = post_claim(session(), world.inquiry, CLAIM, aged=False)
    assert too_fast.status_code == 400 and "sent back too quickly" in too_fast.text
    trapped = post_claim(session(), world.inquiry, CLAIM, honeypot="http://spam.example")
    assert trapped.status_code == 400 and "This request cannot be accepted." in trapped.text
    assert claimants(world.inquiry) == []


def test_visitors_are_rate_limited_members_are_not(world):
    with api.env.adopt_roles(["Manager"]):
        api.portal.set_registry_record(public.RATE_LIMIT, 1)
    transaction.commit()
    assert post_claim(session(), world.inquiry, CLAIM).status_code == 200
    limited = post_claim(session(), world.inquiry, CLAIM)
    assert limited.status_code == 429 and "Retry-After" in limited.headers
    assert len(claimants(world.inquiry)) == 1
    assert post_claim(session("citizen"), world.inquiry, CLAIM).status_code == 200
    assert len(claimants(world.inquiry)) == 2


def test_a_members_identity_is_prefilled(world):
    form = session("citizen").get(claim_url(world.inquiry))
    assert form.status_code == 200
    assert 'value="Citizen"' in form.text
    assert 'value="citizen@example.org"' in form.text


def test_a_closed_inquiry_takes_no_claim(world):
    testing.transition(world.inquiry, "close")
    transaction.commit()
    http = session()
    assert http.get(claim_url(world.inquiry), allow_redirects=False).status_code in (302, 401)
    with api.env.adopt_roles(["Manager"]), pytest.raises(public.Refusal):
        public.submit_claim(world.inquiry, CLAIM)


def test_without_meetings_nothing_of_the_college_shows(world):
    testing.transition(world.licence, "declare_complete")
    transaction.commit()
    assert not meetings.installed()
    with api.env.adopt_user(username="editor"):
        assert meetings.refusal(world.licence) == "There is no college to send the file to."
    page = session("editor").get(world.licence.absolute_url())
    assert page.status_code == 200
    assert "urban-send-to-college" not in page.text
