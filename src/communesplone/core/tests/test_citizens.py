"""Self-registered members are citizens; members made by an administrator are not."""

from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import pytest
import requests
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}


@pytest.fixture
def site(functional_portal):
    api.portal.set_registry_record("plone.enable_self_reg", True)
    api.portal.set_registry_record("plone.enable_user_pwd_choice", True)
    transaction.commit()
    return functional_portal


def in_citizens(login):
    transaction.begin()
    return login in [user.getId() for user in api.user.get_users(groupname="Citizens")]


def test_self_registration_joins_citizens(site):
    response = requests.post(
        f"{site.absolute_url()}/@users",
        headers=JSON,
        json={
            "username": "camille",
            "email": "camille@example.org",
            "password": "a-long-password",
        },
    )
    assert response.status_code == 201, response.text
    assert in_citizens("camille")


def test_members_added_by_an_administrator_are_not_citizens(site):
    response = requests.post(
        f"{site.absolute_url()}/@users",
        headers=JSON,
        auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD),
        json={
            "username": "agent",
            "email": "agent@example.org",
            "password": "a-long-password",
        },
    )
    assert response.status_code == 201, response.text
    transaction.begin()
    assert api.user.get(username="agent") is not None
    assert not in_citizens("agent")
