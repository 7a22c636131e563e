"""A body's own document templates apply to that body only; the site's apply everywhere."""

from communesplone.documents import generation
from communesplone.documents.setuphandlers import add_template
from communesplone.meetings.templates import FOLDER
from communesplone.meetings.testing import build
from plone import api


def _offered(obj):
    with api.env.adopt_roles(["Manager"]):
        return {template.UID() for template in generation.templates_for(obj)}


def test_a_bodys_templates_stay_in_the_body(portal):
    world = build(portal)
    with api.env.adopt_roles(["Manager"]):
        folder = api.content.create(
            container=world.college, type="pod_template_folder", id="templates", title="Modèles"
        )
        own = add_template(
            folder,
            "ordre_du_jour.odt",
            "Ordre du jour du Collège",
            ["meeting"],
            ["odt"],
            source=FOLDER,
        )
    college_meeting = world.meeting()
    council_meeting = world.meeting(body=world.council)
    assert own.UID() in _offered(college_meeting)
    assert own.UID() not in _offered(council_meeting)
    site_wide = {
        t.UID()
        for t in portal["templates"]["meetings"].objectValues()
        if "meeting" in t.portal_types
    }
    assert site_wide and site_wide <= _offered(council_meeting)
    assert site_wide <= _offered(college_meeting)


def test_template_managers_may_add_templates_to_a_body(portal):
    world = build(portal, users=False)
    api.user.create(username="templates", email="t@example.org", password="secret-password")
    api.user.grant_roles(username="templates", roles=["TemplateManager"])
    with api.env.adopt_user(username="templates"):
        assert api.user.has_permission(
            "communesplone.documents: Add POD template folder", obj=world.college
        )
        assert api.user.has_permission("Add portal content", obj=world.college)
        assert not api.user.has_permission(
            "communesplone.meetings: Add meeting item", obj=world.college
        )
