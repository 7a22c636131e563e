"""With every application installed: the e-desk speaks the visitor's language,
and its personal pages are never cached."""

from communesplone.core.citizens import GROUP as CITIZENS
from plone import api

import pytest
import requests
import transaction


PASSWORD = "secret-password"


@pytest.fixture
def desk(all_functional):
    portal = all_functional["portal"]
    with api.env.adopt_roles(["Manager"]):
        api.user.create(username="resident", email="resident@example.org", password=PASSWORD)
        api.group.add_user(groupname=CITIZENS, username="resident")
    transaction.commit()
    return portal["guichet"]


def test_the_edesk_form_in_the_browsers_language(desk):
    url = f"{desk.absolute_url()}/@@new-request"
    dutch = requests.get(url, headers={"Accept-Language": "nl-BE,nl;q=0.9"}, timeout=60)
    assert "Een nieuwe aanvraag indienen" in dutch.text
    french = requests.get(url, headers={"Accept-Language": "fr-BE"}, timeout=60)
    assert "Introduire une nouvelle demande" in french.text


def test_my_requests_is_never_cached(desk):
    url = f"{desk.absolute_url()}/@@my-requests"
    mine = requests.get(url, auth=("resident", PASSWORD), timeout=60)
    assert mine.status_code == 200
    cache_control = {part.strip() for part in mine.headers["Cache-Control"].split(",")}
    assert cache_control == {"private", "no-cache", "no-store", "max-age=0"}
    assert "ETag" not in mine.headers
    # The desk itself, a public page, is cached for anonymous visitors
    public = requests.get(desk.absolute_url(), timeout=60)
    assert "s-maxage=600" in public.headers["Cache-Control"]
