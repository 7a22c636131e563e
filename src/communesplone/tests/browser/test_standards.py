"""Standards ("W3C"): the public pages pass axe-core and the Nu HTML Checker.

On a site with every application and the demo content, in Chromium: the
website's public pages, the meetings' public pages and the e-desk's citizen
pages, as an anonymous visitor (and as the demo citizen for the forms of the
request types, "Mes demandes" and a request's page). Each page must have no
axe-core violation of WCAG 2.1 A/AA and no Nu HTML Checker error. The pages
are loaded once for the class (one server, one browser); the checker runs
once over all the documents the server sent, which stay in
test-output/standards/ for reading.

Nothing is excluded from either check.
"""

from communesplone.core import demo as core_demo
from communesplone.core.browsertesting import log_in
from communesplone.core.standardstesting import axe_violations
from communesplone.core.standardstesting import format_axe
from communesplone.core.standardstesting import format_nu
from communesplone.core.standardstesting import nu_errors
from communesplone.edesk import demo as edesk_demo
from communesplone.edesk import submission
from communesplone.edesk.desk import get_desk
from pathlib import Path
from plone import api
from plone.app.testing import applyProfile

import os
import pytest
import transaction


pytestmark = pytest.mark.browser

DOCUMENTS = Path(os.environ.get("TEST_OUTPUT", "test-output")) / "standards"
CITIZEN = "citoyen"  # the demo's citizen (core's demo)

# name -> path under the site, seen by an anonymous visitor
ANONYMOUS = {
    # the website
    "home": "",
    "section": "/vie-communale",
    "delegated-section": "/culture-et-loisirs/chorale",  # an association's
    "news-item": "/vie-communale/actualites/actualite-1",
    "event": "/culture-et-loisirs/agenda/evenement-1",
    "events-listing": "/event_listing",
    "directory": "/@@directory",
    "directory-entry": "/economie/annuaire/boulangerie-dupont",
    "jobs": "/@@job-vacancies",
    "job": "/economie/offres-emploi/ouvrier-voirie",
    "procedures": "/@@procedures",
    "procedure": "/vie-communale/demarches-administratives/carte-identite",
    "search": "/@@search?SearchableText=piscine",
    "sitemap": "/@@sitemap",
    "newsletter": "/lettre-information",
    # the meetings
    "public-meetings": "/college/@@public-meetings",
    "decisions-archive": "/college/@@decisions-archive",
    "meeting": "/college/seance-2026-11-10",
    "item": "/college/eclairage-public-remplacement-par-des-luminaires-led",
    # the e-desk
    "desk": "/guichet",
    "request-types": "/guichet/@@new-request",
    "report-form": "/guichet/eclairage/@@submit",
    "reports-map": "/guichet/@@reports-map",
}
# name -> what to wait for, on the pages that JavaScript builds after loading
READY = {"reports-map": "#edesk-reports-map.leaflet-container"}
# name -> path, seen by the demo citizen; "{request}" is their request's path
CITIZEN_PAGES = {
    # the form of each of the demo's request types
    **{f"form-{type_id}": f"/guichet/{type_id}/@@submit" for type_id, *_rest in edesk_demo.TYPES},
    "my-requests": "/guichet/@@my-requests",
    "my-request": "{request}",
}

# A document with an error of each kind, checked beside the pages: proof that
# the checks run and report (grey on grey text; an "icon" attribute on a link)
KNOWN_BAD_NAME = "known-bad"
KNOWN_BAD = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Known bad</title></head>
<body><main><p style="color: #999; background: #aaa">Gris sur gris</p>
<a href="#top" icon="plone-login">Lien</a></main></body></html>
"""


@pytest.fixture(scope="class")
def checked(all_functional_class, chromium):
    """{name: (url, axe violations, HTML sent by the server)} for every page."""
    layer = all_functional_class
    layer.testSetUp()
    try:
        portal = layer["portal"]
        with api.env.adopt_roles(["Manager"]):
            applyProfile(portal, "communesplone:demo")
        with api.env.adopt_user(username=CITIZEN):
            request = submission.create(
                get_desk()["certificat-residence"],
                {"nrn": "85.07.30-033.28", "purpose": "Employeur"},
                anonymous=False,
            )
        transaction.commit()
        portal_url = portal.absolute_url()
        request_path = request.absolute_url()[len(portal_url) :]
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE")
        page = context.new_page()
        results = {}

        def check(name, path):
            url = portal_url + path.format(request=request_path)
            response = page.goto(url)
            if name in READY:
                page.locator(READY[name]).first.wait_for()
            assert response.status == 200, (name, url, response.status)
            assert page.url == url, (name, url, page.url)  # not sent to the login form
            results[name] = (url, axe_violations(page), response.text())

        for name, path in ANONYMOUS.items():
            check(name, path)
        log_in(page, portal_url, CITIZEN, core_demo.PASSWORD)
        for name, path in CITIZEN_PAGES.items():
            check(name, path)
        page.set_content(KNOWN_BAD)  # the checks find what they must
        results[KNOWN_BAD_NAME] = ("about:blank", axe_violations(page), KNOWN_BAD)
        context.close()
        yield results
    finally:
        layer.testTearDown()


class TestStandards:
    @pytest.mark.parametrize("name", [*ANONYMOUS, *CITIZEN_PAGES])
    def test_no_axe_violation(self, checked, name):
        url, violations, _html = checked[name]
        assert violations == [], format_axe(violations, title=f"{name} <{url}>")

    def test_no_nu_html_checker_error(self, checked):
        documents = {name: html for name, (_url, _violations, html) in checked.items()}
        errors = nu_errors(documents, folder=DOCUMENTS)
        assert set(errors) == set(documents)  # each document was checked, none unknown
        known_bad = errors.pop(KNOWN_BAD_NAME)
        assert [m["message"] for m in known_bad] == [
            "Attribute \u201cicon\u201d not allowed on element \u201ca\u201d at this point."
        ]
        assert not any(errors.values()), "\n" + format_nu(errors)

    def test_axe_finds_a_violation(self, checked):
        _url, violations, _html = checked[KNOWN_BAD_NAME]
        assert [v["id"] for v in violations] == ["color-contrast"]
        text = format_axe(violations)  # the rule, then each element's selector and why
        assert text.startswith("color-contrast (serious): Elements must meet minimum color")
        assert "\n    p: Fix any of the following: Element has insufficient color contrast" in text
