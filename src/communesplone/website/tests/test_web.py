"""The site for visitors and machines, over HTTP: languages, site map, feeds,
schema.org JSON-LD, Open Graph, HTTP caching, and the Zope root's page."""

from communesplone.website import feeds
from communesplone.website.testing import build
from datetime import datetime
from datetime import timedelta
from html.parser import HTMLParser
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_NAME
from plone.app.testing import TEST_USER_PASSWORD
from plone.namedfile.file import NamedBlobImage
from xml.etree import ElementTree

import base64
import json
import pytest
import pytz
import requests
import transaction


# A 1×1 PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
HOSTILE = "Fête </script><script>alert(1)</script> & <!-- co"


class Head(HTMLParser):
    """The ``<meta>``, ``<link>`` and JSON-LD scripts of a page, and its ``lang``."""

    def __init__(self, html):
        super().__init__()
        self.meta, self.links, self.jsonld, self.lang = [], [], [], None
        self._in_jsonld = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "meta":
            self.meta.append(attrs)
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_jsonld = True

    def handle_endtag(self, tag):
        self._in_jsonld = False

    def handle_data(self, data):
        if self._in_jsonld:
            self.jsonld.append(json.loads(data))

    def og(self, name):
        return [m["content"] for m in self.meta if m.get("property") == name]


@pytest.fixture
def site(functional_portal):
    """Published news (one with a lead image) and events in feed-enabled
    folders, a directory entry, a private page; the commune's logo."""
    portal = functional_portal
    build(portal)
    now = datetime.now(pytz.timezone("Europe/Brussels"))
    api.portal.set_registry_record("plone.email_from_address", "commune@example.org")
    api.portal.set_registry_record("plone.smtp_host", "localhost")
    with api.env.adopt_roles(["Manager"]):
        news = api.content.create(container=portal, type="Folder", id="news", title="News")
        agenda = api.content.create(container=portal, type="Folder", id="agenda", title="Agenda")
        item = api.content.create(
            container=news,
            type="News Item",
            id="fair",
            title="Village fair",
            description="The fair is back.",
            image=NamedBlobImage(data=PNG, filename="fair.png"),
        )
        plain = api.content.create(
            container=news, type="News Item", id="plain", title="Plain news", description="Text."
        )
        event = api.content.create(
            container=agenda,
            type="Event",
            id="concert",
            title=HOSTILE,
            description="An evening concert.",
            start=now + timedelta(days=3),
            end=now + timedelta(days=3, hours=2),
            location="Salle des fêtes",
            contact_name="Centre culturel",
        )
        entry = api.content.create(
            container=portal,
            type="directory_entry",
            id="bakery",
            title="Boulangerie Dupont",
            description="Bread.",
            category="commerces",
            address="Rue Haute 1\n5000 Plonéville",
            latitude=50.46,
            longitude=4.87,
            phone="+32 81 00 00 00",
            opening_hours=[{"day": "tue", "opens": "07:00", "closes": "18:00"}],
        )
        private = api.content.create(container=portal, type="Document", id="secret", title="Secret")
        for obj in (news, agenda, item, plain, event, entry):
            api.content.transition(obj=obj, transition="publish")
        feeds.enable(news, agenda)
        logo = b"filenameb64:bG9nby5wbmc=;datab64:" + base64.b64encode(PNG)
        api.portal.set_registry_record("communesplone.logo", logo)
    transaction.commit()
    return {
        "portal": portal,
        "news": news,
        "agenda": agenda,
        "item": item,
        "plain": plain,
        "event": event,
        "entry": entry,
        "private": private,
    }


def get(url, language=None, auth=None, headers=None, **kwargs):
    headers = {**({"Accept-Language": language} if language else {}), **(headers or {})}
    return requests.get(url, headers=headers, auth=auth, timeout=60, **kwargs)


# Languages


@pytest.mark.parametrize(
    "language, expected",
    [("nl", ("Contacteer ons", 'lang="nl"')), ("fr", ("Contactez-nous", 'lang="fr"'))],
)
def test_the_interface_follows_the_browsers_language(site, language, expected):
    """The test site's default language is English: the browser's preference wins."""
    url = site["portal"].absolute_url()
    html = get(url, f"{language},en;q=0.5").text
    for text in expected:
        assert text in html
    assert "Contact us" not in html
    # and the forms: Plone's contact form
    form = get(f"{url}/contact-info", language).text
    assert Head(form).lang == language
    assert {"nl": "Naam", "fr": "Nom"}[language] in form


def test_a_language_nobody_offers_falls_back_to_the_default(site):
    html = get(site["portal"].absolute_url(), "de").text
    assert Head(html).lang == "en" and "Contact us" in html


def test_the_selector_sets_the_cookie_and_switches(site):
    url = site["plain"].absolute_url()
    html = get(url, "fr").text
    # An accessible selector: a labelled navigation, each language's name in it
    assert '<nav class="cp-languages" aria-label="' in html
    assert f'href="{url}?set_language=nl" lang="nl" hreflang="nl"' in html
    assert '<span class="visually-hidden">Nederlands</span>' in html
    assert 'hreflang="fr" aria-current="true"' in html
    chosen = get(f"{url}?set_language=nl", "fr", allow_redirects=False)
    assert chosen.cookies.get("I18N_LANGUAGE") == "nl"
    assert Head(chosen.text).lang == "nl"
    # The cookie beats the browser's preference afterwards
    later = get(url, "fr", cookies={"I18N_LANGUAGE": "nl"})
    assert Head(later.text).lang == "nl" and "Contacteer ons" in later.text


# Site map and feeds


def test_sitemap_lists_what_anonymous_visitors_may_see(site):
    portal = site["portal"].absolute_url()
    response = get(f"{portal}/sitemap.xml")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/xml")
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {
        loc.text for loc in ElementTree.fromstring(response.content).findall(".//s:loc", namespace)
    }
    assert {site["item"].absolute_url(), site["entry"].absolute_url(), portal} <= urls
    assert site["private"].absolute_url() not in urls
    assert get(f"{portal}/sitemap.xml.gz").status_code == 200  # Plone's own, turned on


def test_news_and_events_have_feeds_linked_in_the_head(site):
    for folder, title in ((site["news"], "Village fair"), (site["agenda"], "Fête")):
        feed = get(f"{folder.absolute_url()}/RSS")
        assert feed.status_code == 200
        assert title in feed.text
        ElementTree.fromstring(feed.content)  # well-formed XML
        links = Head(get(folder.absolute_url()).text).links
        # Titled with the feed type as text (Plone's viewlet printed b'RSS 1.0')
        assert {
            "rel": "alternate",
            "href": f"{folder.absolute_url()}/RSS",
            "type": "application/rss+xml",
            "title": f"{folder.title} - RSS 1.0",
        } in links
    # The home page links the site's feeds: the news and the events
    # A title with "<" or "&" is escaped once, not twice
    assert Head(get(site["event"].absolute_url()).text).og("og:title") == [HOSTILE]
    home = Head(get(site["portal"].absolute_url()).text).links
    feeds_linked = {link["href"] for link in home if link.get("rel") == "alternate"}
    assert {f"{site['news'].absolute_url()}/RSS", f"{site['agenda'].absolute_url()}/RSS"} <= (
        feeds_linked
    )


def test_the_themes_icons_are_found(site):
    """Barceloneta's touch icons (relative links that Diazo used to prefix twice)."""
    links = Head(get(site["portal"].absolute_url()).text).links
    icons = [link["href"] for link in links if "apple-touch-icon" in link.get("rel", "")]
    assert len(icons) == 6
    for href in icons:
        assert "++theme++barceloneta/++theme++" not in href, href
        icon = get(requests.compat.urljoin(site["portal"].absolute_url(), href))
        assert (icon.status_code, icon.headers["Content-Type"]) == (200, "image/png"), href


# schema.org and Open Graph


def test_event_json_ld_is_valid_and_escaped(site):
    html = get(site["event"].absolute_url()).text
    assert "</script><script>alert(1)" not in html
    (data,) = Head(html).jsonld
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == HOSTILE
    assert data["url"] == site["event"].absolute_url()
    assert datetime.fromisoformat(data["startDate"]) < datetime.fromisoformat(data["endDate"])
    assert data["location"] == {
        "@type": "Place",
        "name": "Salle des fêtes",
        "address": "Salle des fêtes",
    }
    assert data["organizer"]["name"] == "Centre culturel"


def test_directory_entry_json_ld(site):
    (data,) = Head(get(site["entry"].absolute_url()).text).jsonld
    assert data["@type"] == "LocalBusiness" and data["name"] == "Boulangerie Dupont"
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Rue Haute 1 5000 Plonéville",
    }
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 50.46, "longitude": 4.87}
    assert data["openingHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": "https://schema.org/Tuesday",
            "opens": "07:00",
            "closes": "18:00",
        }
    ]
    assert data["telephone"] == "+32 81 00 00 00"


def test_other_pages_have_no_json_ld(site):
    assert Head(get(site["plain"].absolute_url()).text).jsonld == []


def test_open_graph_with_the_lead_image_or_the_communes_logo(site):
    item = Head(get(site["item"].absolute_url()).text)
    assert item.og("og:title") == ["Village fair"]
    assert item.og("og:description") == ["The fair is back."]
    assert item.og("og:url") == [site["item"].absolute_url()]
    (image,) = item.og("og:image")
    assert image.startswith(f"{site['item'].absolute_url()}/@@images/")
    plain = Head(get(site["plain"].absolute_url()).text)
    assert plain.og("og:image") == [f"{site['portal'].absolute_url()}/@@commune-logo"]
    assert plain.og("og:image:type") == ["image/png"]
    # A title with "<" or "&" is escaped once, not twice
    assert Head(get(site["event"].absolute_url()).text).og("og:title") == [HOSTILE]
    home = Head(get(site["portal"].absolute_url()).text)
    assert home.og("og:url") == [site["portal"].absolute_url()]


# HTTP caching


def cache_control(response):
    return {part.strip() for part in response.headers.get("Cache-Control", "").split(",")}


def test_anonymous_pages_are_cached_moderately_with_an_etag(site):
    url = site["plain"].absolute_url()
    response = get(url)
    assert cache_control(response) == {"max-age=0", "s-maxage=600", "must-revalidate"}
    assert response.headers["Vary"] == "Accept-Language, Cookie"
    etag = response.headers["ETag"]
    again = get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    # Another language is another page
    assert get(url, "nl").headers["ETag"] != etag
    # The home page (the site root's view) too
    assert "s-maxage=600" in cache_control(get(site["portal"].absolute_url()))


def test_what_the_catalog_does_not_see_shows_within_ten_minutes(site, monkeypatch):
    """The settings or an alert's end change no catalog counter: the ETag changes
    with the time window, so a visitor's browser does not keep the page longer."""
    from communesplone.website import caching

    url = site["portal"].absolute_url()
    monkeypatch.setattr(caching, "now", lambda: 1_000_000_000)
    etag = get(url).headers["ETag"]
    assert get(url, headers={"If-None-Match": etag}).status_code == 304
    monkeypatch.setattr(caching, "now", lambda: 1_000_000_000 + caching.WINDOW)
    later = get(url, headers={"If-None-Match": etag})
    assert later.status_code == 200 and later.headers["ETag"] != etag


def test_logged_in_users_are_never_cached(site):
    url = site["plain"].absolute_url()
    response = get(url, auth=(TEST_USER_NAME, TEST_USER_PASSWORD))
    assert response.status_code == 200
    assert cache_control(response) == {"max-age=0", "must-revalidate", "private"}
    again = get(
        url,
        auth=(TEST_USER_NAME, TEST_USER_PASSWORD),
        headers={"If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 200


def test_resources_are_cached_strongly(site):
    response = get(f"{site['portal'].absolute_url()}/++plone++communesplone.website/website.css")
    assert response.status_code == 200
    assert "max-age=86400" in cache_control(response)
    assert "private" not in cache_control(response)


def test_setting_the_language_is_not_cached(site):
    response = get(f"{site['plain'].absolute_url()}?set_language=nl")
    assert "private" in cache_control(response)


# The Zope root


def test_the_zope_root_leads_to_the_site_and_the_zmi_stays(site):
    from communesplone.website.browser.root import plone_sites

    app = site["portal"].aq_parent
    app_url = app.absolute_url()
    # The instance holds this site alone (a test of the session may have left
    # another in the layer's database; this test's own database is thrown away).
    own = site["portal"].getId()
    others = [other.getId() for other in plone_sites(app) if other.getId() != own]
    if others:
        app.manage_delObjects(others)
        transaction.commit()
    response = get(f"{app_url}/", allow_redirects=False)
    assert response.status_code == 302
    assert response.headers["Location"] == site["portal"].absolute_url()
    manage = get(f"{app_url}/manage_main", auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD))
    assert manage.status_code == 200 and site["portal"].getId() in manage.text
    assert get(f"{app_url}/@@plone-overview").status_code == 200
    # A real instance's root has Zope's own page ("Zope QuickStart"): the site wins
    from OFS.Application import AppInitializer

    transaction.abort()  # see what the server's requests committed
    app = site["portal"].aq_parent
    AppInitializer(app).install_root_view()
    assert "index_html" in app.objectIds()
    transaction.commit()
    response = get(f"{app_url}/", allow_redirects=False)
    assert response.headers["Location"] == site["portal"].absolute_url()


# The upgrade


def test_upgrade_to_1003(portal):
    """A site at 1002 gets the languages, caching, site map and social tags."""
    setup = portal.portal_setup
    profile = "communesplone.website:default"
    with api.env.adopt_roles(["Manager"]):
        api.portal.set_registry_record("plone.available_languages", ["en"])
        api.portal.set_registry_record("plone.use_request_negotiation", False)
        api.portal.set_registry_record("plone.use_cookie_negotiation", False)
        api.portal.set_registry_record("plone.enable_sitemap", False)
        api.portal.set_registry_record("plone.caching.interfaces.ICacheSettings.enabled", False)
        setup.setLastVersionForProfile(profile, "1002")
        setup.upgradeProfile(profile, dest="1003")
    assert setup.getLastVersionForProfile(profile) == ("1003",)
    assert api.portal.get_registry_record("plone.available_languages") == ["en", "fr", "nl"]
    assert api.portal.get_registry_record("plone.use_request_negotiation")
    assert api.portal.get_registry_record("plone.use_cookie_negotiation")
    assert api.portal.get_registry_record("plone.enable_sitemap")
    assert api.portal.get_registry_record("plone.caching.interfaces.ICacheSettings.enabled")
    mapping = api.portal.get_registry_record(
        "plone.caching.interfaces.ICacheSettings.operationMapping"
    )
    assert mapping["plone.content.itemView"] == "plone.app.caching.moderateCaching"
    assert mapping["communesplone.personal"] == "communesplone.website.noStore"


def test_multilingual_profile_installs_content_translation(portal):
    from plone.app.testing import applyProfile
    from plone.base.utils import get_installer

    with api.env.adopt_roles(["Manager"]):
        applyProfile(portal, "communesplone.website:multilingual")
    assert get_installer(portal).is_product_installed("plone.app.multilingual")
    # A root folder per language, and the website's types are translatable
    assert {"en", "fr", "nl"} <= set(portal.objectIds())
    for portal_type in ("directory_entry", "procedure", "News Item"):
        assert "plone.translatable" in portal.portal_types[portal_type].behaviors
    assert portal.getLayout() == "homepage"  # the commune's home page stays
    # plone.app.multilingual's selector (to the page's translation), with the
    # website's accessible template
    from communesplone.website.multilingual import IWebsiteMultilingualLayer
    from zope.component import getMultiAdapter
    from zope.interface import alsoProvides
    from zope.viewlet.interfaces import IViewletManager

    request = portal.REQUEST
    alsoProvides(request, IWebsiteMultilingualLayer)
    page = portal["nl"]
    view = getMultiAdapter((page, request), name="view")
    manager = getMultiAdapter((page, request, view), IViewletManager, name="plone.portalheader")
    manager.update()
    (selector,) = [v for v in manager.viewlets if v.__name__.endswith("languageselector")]
    html = selector.render()
    assert '<nav class="cp-languages"' in html
    assert f'href="{portal.absolute_url()}/@@multilingual-selector/' in html
    assert html.count('aria-current="true"') == 1 and 'hreflang="nl"' in html


def test_the_demo_feeds_news_and_events(portal):
    from plone.app.testing import applyProfile
    from plone.base.interfaces.syndication import IFeedSettings

    with api.env.adopt_roles(["Manager"]):
        applyProfile(portal, "communesplone.website:demo")
    news = portal["vie-communale"]["actualites"]
    agenda = portal["culture-et-loisirs"]["agenda"]
    assert IFeedSettings(news).enabled and IFeedSettings(agenda).enabled
    assert api.portal.get_registry_record(feeds.SITE_FEEDS) == (news.UID(), agenda.UID())
