"""Plone's own markup made valid on the commune's site (browser/standards.py).

The whole check is ``tests/browser/test_standards.py`` (axe-core and the Nu
HTML Checker, in Chromium); these read the themed pages over HTTP, without
Chromium or Java, for what the website's overrides change.
"""

from plone import api
from plone.app.testing import applyProfile

import pytest
import re
import requests
import transaction


@pytest.fixture
def home(functional_portal):
    with api.env.adopt_roles(["Manager"]):
        applyProfile(functional_portal, "communesplone.core:demo")
        applyProfile(functional_portal, "communesplone.website:demo")
    transaction.commit()
    response = requests.get(functional_portal.absolute_url(), timeout=60)
    assert response.status_code == 200
    return response


DECLARATION = re.compile(rb"<meta [^>]*(?:charset|http-equiv=\"Content-Type\")[^>]*>")


def test_one_encoding_declaration_in_the_first_1024_bytes(home):
    declarations = DECLARATION.findall(home.content)
    assert declarations == [
        b'<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />'
    ]
    assert home.content.index(declarations[0]) < 1024 - len(declarations[0])
    head = home.text[home.text.index("<head>") : home.text.index("</head>")]
    assert head.split("<meta", 1)[0].strip() == "<head>"  # the first thing in the head


def test_no_icon_attribute_on_links(home):
    assert 'id="personaltools-login"' in home.text
    assert re.findall(r"<a [^>]*\bicon=", home.text) == []


def test_navigation_openers_name_their_checkbox(home):
    openers = re.findall(r'<input id="navitem-[^>]*>\s*<label [^>]*>', home.text)
    assert openers  # the sections with pages have one
    for opener in openers:
        assert 'aria-label="' in opener.split("<label")[0]
        assert "role=" not in opener.split("<label")[1]
        assert "aria-label" not in opener.split("<label")[1]


def test_phone_menu_is_a_dialog(home):
    (menu,) = re.findall(r'<div [^>]*id="offcanvasNavbar"[^>]*>', home.text)
    assert 'role="dialog"' in menu
    assert 'aria-labelledby="offcanvasNavbarLabel"' in menu


def test_news_dates_are_machine_readable(home):
    dates = re.findall(r'<time class="portletItemDetails"[^>]*>', home.text)
    assert dates
    assert all(re.search(r'datetime="\d{4}-\d{2}-\d{2}"', tag) for tag in dates)


def test_footer_once(home):
    assert home.text.count('id="portletmanager-plone-footerportlets"') == 1
