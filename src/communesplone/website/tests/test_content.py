"""The website's types: validation (forms and REST alike), dates, listings, home page, theme."""

from communesplone.website.listings import current_alerts
from communesplone.website.listings import open_vacancies
from communesplone.website.testing import build
from communesplone.website.testing import PASSWORD
from datetime import date
from datetime import datetime
from datetime import timedelta
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import pytest
import pytz
import re
import requests
import transaction


NOW = datetime.now(pytz.timezone("Europe/Brussels"))
BAD_HOURS = [{"day": "mon", "opens": "14:00", "closes": "12:00"}]
GOOD_HOURS = [{"day": "mon", "opens": "08:30", "closes": "12:00"}]
# The English msgid (the coordinator merges the translations into the catalogues)
REFUSAL = "On Monday, the closing time (12:00) must come after the opening time (14:00)."


@pytest.fixture
def site(functional_portal):
    build(functional_portal)
    with api.env.adopt_roles(["Manager"]):
        world = {
            "directory_entry": api.content.create(
                container=functional_portal,
                type="directory_entry",
                id="boulangerie",
                title="Boulangerie Dupont",
                category="commerces",
                address="Rue Haute 1",
                phone="071 00 00 00",
                opening_hours=GOOD_HOURS,
            ),
            "job_vacancy": api.content.create(
                container=functional_portal,
                type="job_vacancy",
                id="ouvrier",
                title="Ouvrier polyvalent",
                service="personnel",
                contract_type="cdi",
                closing_date=date.today() + timedelta(days=10),
            ),
            "closed_vacancy": api.content.create(
                container=functional_portal,
                type="job_vacancy",
                id="closed",
                title="Employé fermé",
                service="personnel",
                contract_type="cdd",
                closing_date=date.today() - timedelta(days=1),
            ),
            "procedure": api.content.create(
                container=functional_portal,
                type="procedure",
                id="carte-identite",
                title="Carte d'identité",
                cost="20 €",
                service="personnel",
            ),
            "quick_link": api.content.create(
                container=functional_portal,
                type="quick_link",
                id="online-desk-link",
                title="Guichet en ligne",
                url="https://example.org/guichet",
            ),
            "alert_banner": api.content.create(
                container=functional_portal,
                type="alert_banner",
                id="travaux",
                title="Travaux rue Haute",
                message="La rue Haute est fermée.",
                level="warning",
                start=datetime.now() - timedelta(hours=1),
                end=datetime.now() + timedelta(days=2),
            ),
            "future_alert": api.content.create(
                container=functional_portal,
                type="alert_banner",
                id="future",
                title="Alerte future",
                message="Pas encore.",
                level="info",
                start=datetime.now() + timedelta(days=1),
                end=datetime.now() + timedelta(days=2),
            ),
            "news": api.content.create(
                container=functional_portal, type="News Item", id="news", title="Nouvelle piscine"
            ),
            "event": api.content.create(
                container=functional_portal,
                type="Event",
                id="fete",
                title="Fête du Patrimoine",
                start=NOW + timedelta(days=5),
                end=NOW + timedelta(days=5, hours=3),
            ),
        }
        for obj in world.values():
            api.content.transition(obj=obj, to_state="published")
    transaction.commit()
    return world


def _http(user=None):
    http = requests.Session()
    if user == SITE_OWNER_NAME:
        http.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    elif user:
        http.auth = (user, PASSWORD)
    return http


def test_opening_hours_refused_through_rest(site, functional_portal):
    entry = site["directory_entry"]
    response = _http("editor").patch(
        entry.absolute_url(),
        headers={"Accept": "application/json"},
        json={"opening_hours": BAD_HOURS},
    )
    assert response.status_code == 400
    assert REFUSAL in response.text, response.text
    transaction.begin()
    assert entry.opening_hours == GOOD_HOURS


def test_opening_hours_refused_through_the_form(site, functional_portal):
    entry = site["directory_entry"]
    http = _http("editor")
    form = {
        "form.widgets.IBasic.title": "Boulangerie Dupont",
        "form.widgets.category:list": "commerces",
        "form.widgets.opening_hours.count": "1",
        "form.widgets.opening_hours.0-empty-marker": "1",
        "form.widgets.opening_hours.0.widgets.day-empty-marker": "1",
        "form.widgets.opening_hours.0.widgets.day:list": "mon",
        "form.widgets.opening_hours.0.widgets.opens": "14:00",
        "form.widgets.opening_hours.0.widgets.closes": "12:00",
        "form.buttons.save": "Enregistrer",
    }
    page = http.get(f"{entry.absolute_url()}/edit")
    assert page.status_code == 200
    found = re.search(r'<input[^>]*name="_authenticator"[^>]*>', page.text)
    assert found, re.findall(r".{100}_authenticator.{100}", page.text)
    token = re.search(r'value="([^"]+)"', found.group(0)).group(1)
    response = http.post(
        f"{entry.absolute_url()}/edit",
        data={**form, "_authenticator": token},
    )
    assert response.status_code == 200
    assert REFUSAL in response.text, (
        re.findall(r'class="[^"]*invalid-feedback[^"]*">([^<]*)<', response.text)
        or re.sub(r"<[^>]+>|\s+", " ", response.text)[:3000]
    )
    transaction.begin()
    assert entry.opening_hours == GOOD_HOURS


def test_opening_hours_checked_by_the_schema(site):
    from communesplone.core.validation import Refusal
    from communesplone.website.content.directory_entry import IDirectoryEntry

    field = IDirectoryEntry["opening_hours"].bind(site["directory_entry"])
    field.validate(GOOD_HOURS)
    with pytest.raises(Refusal):
        field.validate(BAD_HOURS)
    with pytest.raises(Refusal):
        field.validate([{"day": "mon", "opens": "8h", "closes": "12:00"}])


def test_closed_vacancies_hidden_by_the_catalog(site):
    titles = [brain.Title for brain in open_vacancies()]
    assert titles == ["Ouvrier polyvalent"]
    # Anonymous visitors: the catalog itself hides expired content
    anonymous = _http().get(f"{api.portal.get().absolute_url()}/@@job-vacancies")
    assert "Ouvrier polyvalent" in anonymous.text
    assert "Employé fermé" not in anonymous.text
    # Editors too: the listing shows open vacancies only
    editor = _http("editor").get(f"{api.portal.get().absolute_url()}/@@job-vacancies")
    assert "Ouvrier polyvalent" in editor.text
    assert "Employé fermé" not in editor.text


def test_vacancy_expires_with_its_closing_date(site):
    vacancy = site["job_vacancy"]
    assert vacancy.expires().Date() == (date.today() + timedelta(days=10)).strftime("%Y/%m/%d")
    vacancy.setExpirationDate(None)  # Plone's own writes do not change it
    assert vacancy.is_open()
    assert not site["closed_vacancy"].is_open()


def test_alert_banner_shown_while_current(site):
    assert [brain.Title for brain in current_alerts()] == ["Travaux rue Haute"]
    page = _http().get(api.portal.get().absolute_url() + "/boulangerie")
    assert "La rue Haute est fermée." in page.text
    assert "Pas encore." not in page.text
    alert = site["alert_banner"]
    alert.end = datetime.now() - timedelta(minutes=1)
    alert.reindexObject()
    transaction.commit()
    assert list(current_alerts()) == []
    page = _http().get(api.portal.get().absolute_url() + "/boulangerie")
    assert "La rue Haute est fermée." not in page.text


def test_alert_banner_end_after_start(site):
    response = _http("editor").patch(
        site["alert_banner"].absolute_url(),
        headers={"Accept": "application/json"},
        json={"end": "2020-01-01T10:00:00"},
    )
    assert response.status_code == 400
    assert "end after it starts" in response.text


def test_home_page_blocks(site, functional_portal):
    with api.env.adopt_roles(["Manager"]):
        api.portal.set_registry_record("communesplone.website.banner_title", "IDESS")
        api.portal.set_registry_record("communesplone.commune_name", "Commune de Plonéville")
    transaction.commit()
    page = _http().get(functional_portal.absolute_url(), headers={"Accept-Language": "fr"})
    assert page.status_code == 200
    text = page.text
    for expected in (
        "IDESS",  # banner
        "La rue Haute est fermée.",  # current alert
        "Nouvelle piscine",  # latest news
        "Fête du Patrimoine",  # upcoming events
        "Guichet en ligne",  # quick links
        "Ouvrier polyvalent",  # jobs teaser
        "@@directory",  # directory teaser
        "Commune de Plonéville",  # header
        "Contactez-nous",  # top bar, in the browser's language
        "Plan du site",
        "++plone++communesplone.website/website.css",  # the theme's bundle
    ):
        assert expected in text, expected
    assert "Employé fermé" not in text
    assert "Pas encore." not in text


@pytest.mark.parametrize("user", [None, "editor", SITE_OWNER_NAME])
def test_theme_renders_every_type(site, user):
    http = _http(user)
    for name, obj in site.items():
        page = http.get(obj.absolute_url(), headers={"Accept-Language": "fr"})
        assert page.status_code == 200, (name, user, page.status_code)
        assert "cp-topbar" in page.text and "cp-footer" in page.text, (name, user)
        assert obj.title.replace("'", "&#x27;") in page.text or obj.title in page.text, name
    for view in ("@@directory", "@@job-vacancies", "@@procedures"):
        page = http.get(f"{api.portal.get().absolute_url()}/{view}")
        assert page.status_code == 200, view


def test_directory_search(site):
    url = f"{api.portal.get().absolute_url()}/@@directory"
    assert "Boulangerie Dupont" in _http().get(url, params={"category": "commerces"}).text
    assert "Boulangerie Dupont" not in _http().get(url, params={"category": "sante"}).text
    assert "Boulangerie Dupont" in _http().get(url, params={"text": "boulang"}).text
    assert "Boulangerie Dupont" not in _http().get(url, params={"text": "piscine ("}).text


def test_settings_refuse_unreadable_colour(functional_portal):
    response = _http(SITE_OWNER_NAME).patch(
        f"{functional_portal.absolute_url()}/@controlpanels/website-settings",
        headers={"Accept": "application/json"},
        json={"primary_colour": "#ffff00"},
    )
    assert response.status_code == 400
    assert "4.5:1" in response.text
