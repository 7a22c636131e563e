"""Upgrade steps of the meetings profile (``profiles/default/metadata.xml``), from 1000.

Each step is registered in ``configure.zcml`` and named after the version it
brings a site to. See docs/deploy.rst for running them.
"""

from communesplone.documents.templates import upgrade
from communesplone.meetings.templates import TEMPLATES
from plone import api


# sha256 of the templates that version 1000 installed (built by the former
# scripts/make_pod_templates.py): such a template nobody has edited.
SHIPPED_1000 = {
    "ordre_du_jour-odt": {"49b6713294d14c773eb7ce8ecf07a8e7e3443b4de897f4f58e10a99af34b51ef"},
    "proces_verbal-odt": {"79daaaa71b294c1e8f68103051ccbd8c6689d5532bd869373ae093ffda81a723"},
    "deliberation-odt": {"c26687996d2de733bf6ede908eaeee6e2b546baa11366e724da3974f00b31515"},
    "decisions_publication-odt": {
        "909968ac8a50e5438f7ca1e9739910d2fab9d5f94d428ee02c9e45bebb4ed613"
    },
}


def to_1001(context):
    """The templates from their flat files, in the commune's language, their sentences
    from meeting_helper (outcomes, votes, late items); with a record of where they
    came from. An edited template is kept (and noted in the log): it still works,
    meeting_helper keeps what it offered."""
    upgrade("meetings", TEMPLATES, known=SHIPPED_1000)


# The meetings' second level (issue 12): advices by rule with delays, the
# "waiting for advices" state, notifications, attendance and polls, annex
# types, copy groups, groups in charge and power observers, masking. Every
# profile file of the application that these touch is imported again.
PROFILE = "profile-communesplone.meetings:default"
STEPS_1002 = (
    "rolemap",
    "plone.app.registry",
    "typeinfo",
    "workflow",
    "catalog",
    "memberdata-properties",
    "controlpanel",
    "actions",
)
REINDEXED_1002 = ("meeting_item", "meeting_advice", "meeting_annex", "meeting")


def attendance_and_visibility_1002(context):
    """Attendance rows in their new shape (replacements); the bodies' power observers
    groups; every meeting's and item's permissions for copy groups, groups in charge
    and power observers."""
    from communesplone.meetings import attendance
    from communesplone.meetings import visibility

    attendance.migrate_1002()
    visibility.migrate_1002()


def to_1002(context):
    """The second level's types, states, permissions, indexes, settings and templates;
    the role mappings of existing content follow the new workflows, and it is
    reindexed."""
    from communesplone.meetings.setuphandlers import post_install

    for step in STEPS_1002:
        context.runImportStepFromProfile(PROFILE, step)
    api.portal.get_tool("portal_workflow").updateRoleMappings()
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type=REINDEXED_1002):
        brain._unrestrictedGetObject().reindexObject()
    post_install(context)
    from communesplone.meetings.advices import migrate_1002 as advices_1002

    advices_1002(context)
    # the shipped templates that changed (the publication masks personal data),
    # where nobody edited them
    upgrade("meetings", TEMPLATES)
    from communesplone.meetings.annexes import migrate_1002 as annexes_1002

    annexes_1002(context)
    attendance_and_visibility_1002(context)


# The meetings' second level, completed (issue 12): the advice's workflow and the
# permissions that its steps and the delay's extension need. The workflows and the
# permissions are imported again, and existing content follows them.
STEPS_1003 = ("rolemap", "workflow")


def to_1003(context):
    """The workflows and the role map again; the role mappings of existing content
    follow them, and then the rules that the workflows' tables cannot say
    (``visibility.py``: secret items, what is public, copy groups, groups in charge,
    power observers, confidential annexes, advices), which updateRoleMappings reset,
    are applied again. Advices being written stay so; those given stay given."""
    from communesplone.meetings import bodies
    from communesplone.meetings import visibility

    for step in STEPS_1003:
        context.runImportStepFromProfile(PROFILE, step)
    api.portal.get_tool("portal_workflow").updateRoleMappings()
    for body in bodies.all_bodies():
        visibility.update_body(body)
