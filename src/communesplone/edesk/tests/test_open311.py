"""Open311 GeoReport v2 over real HTTP: each endpoint, in JSON and in XML, with its errors."""

from communesplone.edesk import public
from communesplone.edesk.open311 import keys
from communesplone.edesk.open311.api import attributes
from communesplone.edesk.submission import check_location
from communesplone.edesk.testing import build
from communesplone.edesk.testing import PASSWORD
from communesplone.edesk.tests.test_workflows import _text
from communesplone.edesk.tests.test_workflows import smtp  # noqa: F401 (fixture)
from DateTime import DateTime
from plone import api
from plone.app.testing import applyProfile
from xml.etree import ElementTree

import pytest
import re
import requests
import transaction


PERSONAL = ("riverain@example.org", "Jeanne", "Dupont", "0470 12 34 56", "Submitted through")
SEWER_FIELDS = [
    {"id": "description", "label": "Description", "type": "textarea", "required": True},
    {"id": "depth", "label": "Depth (cm)", "type": "number", "required": True,
     "help": "Roughly"},
    {"id": "kind", "label": "Kind", "type": "choice", "required": False,
     "options": "Blocked\nSmell"},
    {"id": "urgent", "label": "Urgent", "type": "boolean", "required": False},
    {"id": "photo", "label": "Photo", "type": "file", "required": False},
    {"id": "phone", "label": "Phone", "type": "phone", "required": False},
]  # fmt: skip


class Site:
    def __init__(self, world, key, sewer):
        self.world = world
        self.key = key
        self.sewer = sewer
        self.base = f"{world.portal.absolute_url()}/open311/v2"

    def get(self, path, **params):
        return requests.get(f"{self.base}/{path}", params=params)

    def post(self, fmt="json", **data):
        data.setdefault("api_key", self.key)
        return requests.post(f"{self.base}/requests.{fmt}", data=data)


@pytest.fixture
def site(functional_portal):
    world = build(functional_portal)
    with api.env.adopt_roles(["Manager"]):
        world.problem.open311_code = "lighting"
        world.problem.processing_days = 15
        world.problem.reindexObject()
        sewer = api.content.create(
            container=world.desk,
            type="request_type",
            id="sewer",
            title="Égouts",
            service="travaux",
            field_definitions=SEWER_FIELDS,
            needs_location=True,
            anonymous_allowed=True,
            open311_code="sewer",
            active=True,
        )
        _row, key = keys.add("FixMyStreet", trusted=True)  # it confirms its users' emails
    transaction.commit()
    return Site(world, key, sewer)


def _xml(response):
    return ElementTree.fromstring(response.content)


def _requests():
    transaction.begin()
    catalog = api.portal.get_tool("portal_catalog")
    return [b._unrestrictedGetObject() for b in catalog.unrestrictedSearchResults(
        portal_type="citizen_request", sort_on="created")]  # fmt: skip


def _report(site, **data):
    """A report posted through the API; returns its request."""
    fields = {
        "service_code": "lighting",
        "description": "La lampe est éteinte",
        "lat": "50.4674",
        "long": "4.8718",
        "address_string": "Rue de Fer 1, Namur",
        "email": "riverain@example.org",
        "first_name": "Jeanne",
        "last_name": "Dupont",
        "phone": "0470 12 34 56",
    }
    fields.update(data)
    response = site.post(**fields)
    assert response.status_code == 200, response.text
    number = response.json()[0]["service_request_id"]
    return next(r for r in _requests() if r.tracking_number == number)


def _assert_error(response, status, fragment):
    assert response.status_code == status
    if response.headers["Content-Type"].startswith("application/json"):
        errors = response.json()
        assert all(set(error) == {"code", "description"} for error in errors)
        assert {error["code"] for error in errors} == {status}
        assert any(fragment in error["description"] for error in errors), errors
    else:
        root = _xml(response)
        assert root.tag == "errors"
        assert [e.findtext("code") for e in root.findall("error")][0] == str(status)
        assert any(fragment in e.findtext("description") for e in root.findall("error"))


# --- discovery and services -------------------------------------------------------


def test_discovery(site):
    data = site.get("discovery.json").json()
    [endpoint] = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == site.base
    assert endpoint["formats"] == ["application/json", "text/xml"]
    assert data["contact"] == "guichet@commune.example"
    response = site.get("discovery.xml")
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    root = _xml(response)
    assert root.tag == "discovery"
    assert root.findtext("endpoints/endpoint/url") == site.base
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "application/json",
        "text/xml",
    ]
    # no suffix: XML, as the specification requires; format= picks JSON
    assert _xml(site.get("discovery")).tag == "discovery"
    assert site.get("discovery", format="json").json()["endpoints"][0]["url"] == site.base
    assert _xml(site.get("discovery", format=["json", "xml"])).tag == "discovery"


def test_services_lists_active_problem_types_with_a_code(site):
    with api.env.adopt_roles(["Manager"]):
        site.world.certificate.open311_code = "certificate"  # not a problem report
        api.content.create(container=site.world.desk, type="request_type", id="off",
                           title="Off", service="travaux", open311_code="off",
                           needs_location=True, anonymous_allowed=True, active=False)  # fmt: skip
    transaction.commit()
    response = site.get("services.json")
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    services = response.json()
    assert [s["service_code"] for s in services] == ["sewer", "lighting"]  # by title
    lighting = services[1]
    assert lighting == {
        "service_code": "lighting",
        "service_name": "Problème d'éclairage",
        "description": "",
        "metadata": False,  # its only field is the description
        "type": "realtime",
        "keywords": "",
        "group": "Travaux",
    }
    assert services[0]["metadata"] is True
    root = _xml(site.get("services.xml"))
    assert root.tag == "services"
    assert [s.findtext("service_code") for s in root.findall("service")] == ["sewer", "lighting"]
    assert root.find("service/metadata").text == "true"


def test_service_definition(site):
    data = site.get("services/sewer.json").json()
    assert data["service_code"] == "sewer"
    codes = [a["code"] for a in data["attributes"]]
    assert codes == ["depth", "kind", "urgent", "phone"]  # no description, no file
    depth, kind, urgent, phone = data["attributes"]
    assert depth == {"variable": True, "code": "depth", "datatype": "number", "required": True,
                     "datatype_description": "Roughly", "order": 1,
                     "description": "Depth (cm)"}  # fmt: skip
    assert kind["datatype"] == "singlevaluelist"
    assert kind["values"] == [{"key": "Blocked", "name": "Blocked"},
                              {"key": "Smell", "name": "Smell"}]  # fmt: skip
    assert [v["key"] for v in urgent["values"]] == ["true", "false"]
    assert phone["datatype"] == "string"
    root = _xml(site.get("services/sewer.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "sewer"
    keys_ = [v.findtext("key") for v in root.findall("attributes/attribute[2]/values/value")]
    assert keys_ == ["Blocked", "Smell"]
    assert root.findtext("attributes/attribute/required") == "true"


def test_service_definition_of_an_unknown_code(site):
    for fmt in ("json", "xml"):
        _assert_error(site.get(f"services/nope.{fmt}"), 404, "no service with the code nope")
    # a certificate has no public definition, even with a code
    with api.env.adopt_roles(["Manager"]):
        site.world.certificate.open311_code = "certificate"
    transaction.commit()
    _assert_error(site.get("services/certificate.json"), 404, "certificate")


# --- POST requests --------------------------------------------------------------------


def test_post_creates_a_numbered_submitted_request_and_notifies(site, smtp):  # noqa: F811
    response = site.post(
        service_code="sewer",
        description="Odeur forte",
        **{"attribute[depth]": "12,5", "attribute[kind]": "Smell", "attribute[urgent]": "true"},
        lat="50.4674",
        long="4.8718",
        email="riverain@example.org",
        first_name="Jeanne",
        last_name="Dupont",
        phone="0470 12 34 56",
        media_url="https://photos.example.org/1.jpg",
    )
    assert response.status_code == 200, response.text
    [answer] = response.json()
    [created] = _requests()
    assert answer["service_request_id"] == created.tracking_number
    assert re.fullmatch(r"\d{4}-\d{6}", created.tracking_number)
    assert answer["token"] == created.UID()
    assert answer["account_id"] is None
    assert api.content.get_state(created) == "submitted"
    assert created.values == {"description": "Odeur forte", "depth": 12.5, "kind": "Smell",
                              "urgent": True, "phone": "0470 12 34 56"}  # fmt: skip
    assert (created.latitude, created.longitude, created.address) == (50.4674, 4.8718, "")
    assert created.contact_email == "riverain@example.org"
    assert created.service == "travaux"
    assert created.media_url == "https://photos.example.org/1.jpg"
    assert created.get_local_roles() == ()  # the public never reads the request itself
    assert "FixMyStreet" in created.internal_notes and "Jeanne Dupont" in created.internal_notes
    assert "Photo: https://photos.example.org/1.jpg" in created.internal_notes
    assert [rcpt for rcpt, _m in smtp.messages] == [["riverain@example.org"]]
    subject, body = _text(smtp.messages[0][1])
    assert created.tracking_number in subject and created.absolute_url() in body
    # XML: the same answer as a <service_requests> document
    response = site.post("xml", service_code="lighting", description="Lampe",
                         address_string="Rue Haute 1")  # fmt: skip
    assert response.status_code == 200
    root = _xml(response)
    assert root.tag == "service_requests"
    number = root.findtext("request/service_request_id")
    assert number and number != created.tracking_number
    assert int(number[-6:]) == int(created.tracking_number[-6:]) + 1  # gap-free numbers
    assert root.findtext("request/service_notice").startswith("The service aims")


def test_post_needs_an_active_key(site):
    data = {"service_code": "lighting", "description": "Lampe", "address_string": "Rue Haute 1"}
    for fmt in ("json", "xml"):
        _assert_error(site.post(fmt, **data, api_key="wrong"), 403, "api_key")
        response = requests.post(f"{site.base}/requests.{fmt}", data=data)  # no key at all
        _assert_error(response, 403, "api_key")
    [row] = keys.get_all()
    with api.env.adopt_roles(["Manager"]):
        keys.set_active(row["id"], False)
    transaction.commit()
    _assert_error(site.post(**data), 403, "api_key")
    assert _requests() == []
    with api.env.adopt_roles(["Manager"]):
        keys.set_active(row["id"], True)
    transaction.commit()
    assert site.post(**data).status_code == 200
    # a GET with a key writes nothing
    assert site.get("requests.json", api_key=site.key, **data).status_code == 200
    assert len(_requests()) == 1


def test_post_belongs_to_nobody_even_with_a_session(site):
    """The key, not a session, authenticates a POST: a logged-in visitor gains nothing."""
    data = {"api_key": site.key, "service_code": "lighting", "description": "Lampe",
            "address_string": "Rue Haute 1"}  # fmt: skip
    response = requests.post(f"{site.base}/requests.json", data=data,
                             auth=("citizen_a", PASSWORD))  # fmt: skip
    assert response.status_code == 200
    [created] = _requests()
    assert created.listCreators() == ()
    assert created.get_local_roles() == ()
    mine = requests.get(f"{site.world.desk.absolute_url()}/@@my-requests",
                        auth=("citizen_a", PASSWORD))  # fmt: skip
    assert created.tracking_number not in mine.text
    page = requests.get(created.absolute_url(), auth=("citizen_a", PASSWORD),
                        allow_redirects=False)  # fmt: skip
    assert page.status_code != 200 and created.tracking_number not in page.text


def test_post_errors_write_nothing(site):
    cases = [
        ({"service_code": "nope"}, 400, "no service with the code nope"),
        ({"service_code": "sewer", "attribute[depth]": ""}, 400, '"Depth (cm)" is required.'),
        ({"service_code": "sewer", "attribute[depth]": "deep"}, 400, "must be a number"),
        ({"service_code": "sewer", "attribute[depth]": "1", "attribute[kind]": "Other"}, 400,
         "choose one of the options"),
        ({"service_code": "sewer", "attribute[depth]": "1", "attribute[color]": "red"}, 400,
         '"color" is not a field of this request type.'),
        ({"service_code": "lighting", "description": ""}, 400, '"Description" is required.'),
        ({"service_code": "lighting", "lat": "95", "long": "4"}, 400, "coordinate is not valid"),
        ({"service_code": "lighting", "lat": "north", "long": "4"}, 400,
         "coordinate is not valid"),
        ({"service_code": "lighting", "lat": "50.1"}, 400, "both the latitude and the longitude"),
        ({"service_code": "lighting", "lat": "", "address_string": ""}, 400,
         "or its latitude and longitude"),
        ({"service_code": "lighting", "email": "nobody"}, 400, "not a valid email address"),
        ({"service_code": "lighting", "media_url": "javascript:alert(1)"}, 400, "media_url"),
    ]  # fmt: skip
    for data, status, fragment in cases:
        data = {"description": "Odeur", "address_string": "Rue Haute 1", **data}
        for fmt in ("json", "xml"):
            _assert_error(site.post(fmt, **data), status, fragment)
    # several errors at once are all listed
    response = site.post(service_code="sewer", description="", lat="95", long="4")
    assert len(response.json()) == 3
    # repeated parameters are refused like bad values, never a server error
    response = site.post(service_code=["sewer", "lighting"], description="x", lat="1", long="1")
    assert response.status_code == 400
    response = site.post(service_code="sewer", description=["a", "b"], lat=["1", "2"], long="1")
    assert response.status_code == 400
    assert _requests() == []


def test_location_rules_shared_with_the_form():
    """The form needs an address; Open311 takes an address or a point; both check coordinates."""
    location, errors = check_location("Rue Haute 1", "50,5", " 4.1 ")
    assert (location, errors) == ({"address": "Rue Haute 1", "latitude": 50.5,
                                   "longitude": 4.1}, {})  # fmt: skip
    _location, errors = check_location("", "50.5", "4.1")
    assert list(errors) == ["address"]  # the form's rule
    location, errors = check_location("", "50.5", "4.1", address_required=False)
    assert errors == {} and location["latitude"] == 50.5
    _location, errors = check_location("Rue Haute 1", "nan", "4.1")
    assert list(errors) == ["latitude"]
    _location, errors = check_location("Rue Haute 1", "", "181")
    assert list(errors) == ["longitude"]


# --- GET requests, one request, tokens -------------------------------------------------


def test_requests_show_no_personal_data(site):
    report = _report(site, description="Lampe\x07 éteinte")
    site.world.transition(report, "take", user="other_staff")
    transaction.commit()
    site.world.request()  # a certificate: never listed
    transaction.commit()
    response = site.get("requests.json")
    [record] = response.json()
    assert record["service_request_id"] == report.tracking_number
    assert record["status"] == "open"
    assert record["status_notes"] == "In progress"
    assert record["service_code"] == "lighting"
    assert record["service_name"] == "Problème d'éclairage"
    assert record["description"] == "Lampe\x07 éteinte"
    assert record["agency_responsible"] == "Travaux"
    assert record["service_notice"] == "The service aims to process it within 15 days."
    assert (record["lat"], record["long"]) == (50.4674, 4.8718)
    assert record["address"] == "Rue de Fer 1, Namur"
    assert DateTime(record["expected_datetime"]) - DateTime(record["requested_datetime"]) == 15
    assert set(record) == {
        "service_request_id", "status", "status_notes", "service_name", "service_code",
        "description", "agency_responsible", "service_notice", "requested_datetime",
        "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
        "long", "media_url",
    }  # fmt: skip
    for fmt in ("json", "xml"):
        for path in ("requests", f"requests/{report.tracking_number}"):
            text = site.get(f"{path}.{fmt}").text
            assert report.tracking_number in text
            for personal in PERSONAL:
                assert personal not in text, (path, fmt, personal)
    root = _xml(site.get("requests.xml"))  # well-formed: the control character is left out
    assert root.findtext("request/description") == "Lampe éteinte"
    assert root.tag == "service_requests"
    assert root.findtext("request/status") == "open"
    assert root.findtext("request/lat") == "50.4674"


def test_requests_filters(site):
    first = _report(site)
    second = _report(site, service_code="sewer", **{"attribute[depth]": "3"})
    third = _report(site)
    site.world.transition(third, "take", "complete", user="other_staff")
    with api.env.adopt_roles(["Manager"]):
        draft = api.content.create(container=site.world.desk, type="citizen_request",
                                   title="Draft", request_type=site.world.problem.UID(),
                                   values={"description": "x"})  # fmt: skip
        first.creation_date = DateTime() - 30
        first.reindexObject()
    transaction.commit()
    assert api.content.get_state(draft) == "draft"

    def ids(**params):
        return [r["service_request_id"] for r in site.get("requests.json", **params).json()]

    numbers = [r.tracking_number for r in (first, second, third)]
    assert ids() == [numbers[2], numbers[1], numbers[0]]  # newest first, no draft
    assert ids(service_code="sewer") == [numbers[1]]
    assert ids(service_code="sewer,lighting") == [numbers[2], numbers[1], numbers[0]]
    assert ids(status="closed") == [numbers[2]]
    assert ids(status="open") == [numbers[1], numbers[0]]
    assert ids(start_date=(DateTime() - 1).ISO8601()) == [numbers[2], numbers[1]]
    assert ids(start_date=(DateTime() - 40).ISO8601(), end_date=(DateTime() - 20).ISO8601()) == [
        numbers[0]
    ]
    # service_request_id overrides the other filters
    assert ids(service_request_id=f"{numbers[0]},{numbers[2]}", status="open") == [
        numbers[2],
        numbers[0],
    ]
    # the XML lists the same
    root = _xml(site.get("requests.xml", status="closed"))
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [numbers[2]]
    # bad filters
    for fmt in ("json", "xml"):
        _assert_error(site.get(f"requests.{fmt}", status="pending"), 400, '"open" or "closed"')
        _assert_error(site.get(f"requests.{fmt}", service_code="nope"), 400, "nope")
        _assert_error(site.get(f"requests.{fmt}", start_date="yesterday"), 400, "not a date")
        _assert_error(
            site.get(
                f"requests.{fmt}",
                start_date="2026-01-01T00:00:00Z",
                end_date="2026-06-01T00:00:00Z",
            ),  # fmt: skip
            400,
            "more than 90 days",
        )
        _assert_error(
            site.get(
                f"requests.{fmt}",
                start_date="2026-06-01T00:00:00Z",
                end_date="2026-05-01T00:00:00Z",
            ),  # fmt: skip
            400,
            "after the end_date",
        )


def test_one_request_and_unknown_ids(site):
    report = _report(site)
    certificate = site.world.request()
    transaction.commit()
    data = site.get(f"requests/{report.tracking_number}.json").json()
    assert [r["service_request_id"] for r in data] == [report.tracking_number]
    root = _xml(site.get(f"requests/{report.tracking_number}.xml"))
    assert root.findtext("request/service_request_id") == report.tracking_number
    for fmt in ("json", "xml"):
        _assert_error(site.get(f"requests/1999-000001.{fmt}"), 404, "no request 1999-000001")
        # a certificate is not a public report
        _assert_error(site.get(f"requests/{certificate.tracking_number}.{fmt}"), 404, "no request")


def test_tokens(site):
    response = site.post(service_code="lighting", description="Lampe", address_string="Rue 1")
    [answer] = response.json()
    data = site.get(f"tokens/{answer['token']}.json").json()
    assert data == [{"service_request_id": answer["service_request_id"],
                     "token": answer["token"]}]  # fmt: skip
    root = _xml(site.get(f"tokens/{answer['token']}.xml"))
    assert root.findtext("request/service_request_id") == answer["service_request_id"]
    transaction.begin()  # see what the server committed
    certificate = site.world.request()
    transaction.commit()
    for fmt in ("json", "xml"):
        _assert_error(site.get(f"tokens/unknown.{fmt}"), 404, "token unknown")
        _assert_error(site.get(f"tokens/{certificate.UID()}.{fmt}"), 404, "token")


def test_unknown_endpoints_and_methods(site):
    for fmt in ("json", "xml"):
        _assert_error(site.get(f"nothing.{fmt}"), 404, "no such Open311 endpoint")
        _assert_error(site.get(f"requests/a/b.{fmt}"), 404, "no such Open311 endpoint")
        response = requests.post(f"{site.base}/services.{fmt}", data={"api_key": site.key})
        _assert_error(response, 405, "HTTP method")
        assert response.headers["Allow"] == "GET"
    _assert_error(requests.get(f"{site.world.portal.absolute_url()}/open311/v3.json"), 404,
                  "no such")  # fmt: skip


def test_demo_problem_types_are_open311_services(portal):
    with api.env.adopt_roles(["Manager"]):
        applyProfile(portal, "communesplone.edesk:demo")
    types = public.problem_types(open311=True, active_only=True)
    assert {t.open311_code for t in types} == {"eclairage", "egouts", "voirie"}
    [voirie] = [t for t in types if t.open311_code == "voirie"]
    assert [a["code"] for a in attributes(voirie, str)] == ["phone"]  # description: standard
