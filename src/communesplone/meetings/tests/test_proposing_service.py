"""An editor proposes items for the services they edit, not for others."""

from communesplone.meetings.testing import build
from communesplone.meetings.testing import PASSWORD
from plone import api
from zope.component import getUtility
from zope.schema.interfaces import IVocabularyFactory

import requests
import transaction


def _offered(context, login):
    factory = getUtility(IVocabularyFactory, "communesplone.meetings.proposing_services")
    with api.env.adopt_user(username=login):
        return [term.value for term in factory(context)]


def test_each_user_is_offered_the_services_they_may_propose_for(portal):
    world = build(portal)
    assert _offered(world.college, "editor_a") == ["travaux"]
    assert _offered(world.college, "editor_b") == ["population"]
    assert _offered(world.college, "manager") == ["travaux", "population", "finances"]
    assert _offered(world.college, "citizen") == []
    item = world.item(service="travaux")
    world.transition(item, "propose", user="editor_a")
    # the reviewer, who edits no service, keeps the item's own service
    assert _offered(item, "reviewer") == ["travaux"]


def test_rest_refuses_an_item_for_another_service(functional_portal):
    world = build(functional_portal)
    transaction.commit()
    url = world.college.absolute_url()
    http = requests.Session()
    http.auth = ("editor_a", PASSWORD)
    http.headers["Accept"] = "application/json"
    refused = http.post(
        url, json={"@type": "meeting_item", "title": "Hors service", "service": "population"}
    )
    assert refused.status_code == 400, refused.text
    assert "service" in refused.text
    accepted = http.post(
        url, json={"@type": "meeting_item", "title": "Mon point", "service": "travaux"}
    )
    assert accepted.status_code == 201, accepted.text
    transaction.begin()
    titles = {obj.title for obj in world.college.objectValues()}
    assert "Mon point" in titles and "Hors service" not in titles
