"""The RAM-cached fragments of the public pages (fragments.py): made once, made
again at once when what they show changes, never shown to the wrong user."""

from communesplone.website import fragments
from communesplone.website import listings
from communesplone.website.browser import viewlets
from communesplone.website.interfaces import IWebsiteLayer
from communesplone.website.interfaces import PREFIX
from communesplone.website.testing import build
from datetime import date
from datetime import timedelta
from plone import api
from plone.app.layout.viewlets.common import ContentViewsViewlet
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from zope.component import getMultiAdapter
from zope.interface import alsoProvides

import pytest
import requests
import transaction


NOW = 1_800_000_000  # a fixed time: the fragments' minute does not change during a test


def get(url, auth=None):
    response = requests.get(url, auth=auth, timeout=60)
    assert response.status_code == 200
    return response.text


def counting(monkeypatch, module, name):
    """Count the calls of ``module.name`` (still calling it)."""
    calls = []
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


@pytest.fixture
def site(functional_portal, monkeypatch):
    monkeypatch.setattr(fragments, "now", lambda: NOW)
    build(functional_portal)
    transaction.commit()
    return functional_portal


def publish_news(portal, title):
    with api.env.adopt_roles(["Manager"]):
        item = api.content.create(container=portal, type="News Item", title=title)
        api.content.transition(obj=item, transition="publish")
    transaction.commit()
    return item


def test_a_new_news_item_is_on_the_home_page_at_the_next_request(site, monkeypatch):
    calls = counting(monkeypatch, listings, "latest_news")
    url = site.absolute_url()
    assert "Fête du village" not in get(url)
    assert "Fête du village" not in get(url)
    assert len(calls) == 1  # the second request had the blocks from the cache
    publish_news(site, "Fête du village")
    assert "Fête du village" in get(url)
    assert len(calls) == 2


def test_a_setting_shows_at_once(site):
    url = site.absolute_url()
    page = get(url)
    assert "Travaux rue Haute" not in page and "071 99 99 99" not in page
    api.portal.set_registry_record(f"{PREFIX}.banner_title", "Travaux rue Haute")
    api.portal.set_registry_record(f"{PREFIX}.footer_phone", "071 99 99 99")
    transaction.commit()
    page = get(url)
    assert "Travaux rue Haute" in page  # the home page's blocks
    assert "071 99 99 99" in page  # the footer


def test_a_new_section_is_in_the_navigation_at_the_next_request(site):
    url = site.absolute_url()
    assert 'id="portal-globalnav"' in get(url)
    with api.env.adopt_roles(["Manager"]):
        section = api.content.create(container=site, type="Folder", title="Vie communale")
        api.content.transition(obj=section, transition="publish")
    transaction.commit()
    assert f'href="{section.absolute_url()}"' in get(url)


def test_an_editor_never_gets_the_anonymous_fragment_nor_the_reverse(site):
    url = site.absolute_url()
    with api.env.adopt_roles(["Manager"]):  # both private
        api.content.create(
            container=site,
            type="job_vacancy",
            title="Conseil à huis clos",
            service="personnel",
            closing_date=date.today() + timedelta(days=30),
        )
        api.content.create(container=site, type="Folder", title="Brouillons")
    transaction.commit()
    owner = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    anonymous = get(url)
    assert "Conseil à huis clos" not in anonymous and "Brouillons" not in anonymous
    manager = get(url, auth=owner)
    assert "Conseil à huis clos" in manager  # the home page's blocks (open vacancies)
    assert "Brouillons" in manager  # the navigation
    anonymous = get(url)
    assert "Conseil à huis clos" not in anonymous and "Brouillons" not in anonymous


def test_time_alone_renews_the_fragments_within_a_minute(site, monkeypatch):
    calls = counting(monkeypatch, listings, "current_alerts")
    url = site.absolute_url()
    get(url)
    get(url)
    assert len(calls) == 1
    monkeypatch.setattr(fragments, "now", lambda: NOW + fragments.MINUTE)
    get(url)
    assert len(calls) == 2


def test_the_resource_tags_are_made_once_and_follow_the_bundles(site, monkeypatch):
    updates = []
    original = viewlets.resource.ResourceBase.update
    monkeypatch.setattr(
        viewlets.resource.ResourceBase,
        "update",
        lambda self: updates.append(1) or original(self),
    )
    url = site.absolute_url()
    assert "website.css" in get(url)
    made = len(updates)
    assert made == 1  # the scripts' and the styles' viewlets share one rendering
    assert "website.css" in get(url)
    assert len(updates) == made  # from the cache
    api.portal.set_registry_record("plone.bundles/communesplone-website.enabled", False)
    transaction.commit()
    assert "website.css" not in get(url)


def test_anonymous_visitors_get_no_toolbar_and_nothing_of_it_is_computed(site, monkeypatch):
    tabs = counting(monkeypatch, ContentViewsViewlet, "getTabSets")
    url = site.absolute_url()
    assert 'id="edit-bar"' not in get(url)
    assert tabs == []
    assert 'id="edit-bar"' in get(url, auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD))
    assert tabs


def test_a_change_not_yet_committed_is_neither_cached_nor_read_from_the_cache(portal):
    """Within a transaction that changed the catalog (a form that adds an item,
    then shows a page), the fragments are made from what the transaction sees."""
    http = portal.REQUEST
    alsoProvides(http, IWebsiteLayer)
    home = getMultiAdapter((portal, http), name="homepage")
    assert "Marché de Noël" not in home.blocks()  # cached, under the committed state
    with api.env.adopt_roles(["Manager"]):
        item = api.content.create(container=portal, type="News Item", title="Marché de Noël")
        api.content.transition(obj=item, transition="publish")
    home = getMultiAdapter((portal, http), name="homepage")
    assert "Marché de Noël" in home.blocks()
