"""Upgrade steps of the website profile, numbered from 1000."""

from communesplone.website.setuphandlers import post_install


PROFILE = "profile-communesplone.website:default"
# What the first real website profile (1001) brings to a site that installed
# the empty one (1000).
STEPS_1001 = (
    "rolemap",
    "plone.app.registry",
    "typeinfo",
    "workflow",
    "catalog",
    "controlpanel",
    "portlets",
)


def to_1001(context):
    """Types, permissions, settings, theme bundle, catalog index, Site Setup; the home page."""
    for step in STEPS_1001:
        context.runImportStepFromProfile(PROFILE, step)
    post_install(context)


# The newsletter (1002): its types, workflow bindings, permissions and portlet.
STEPS_1002 = ("rolemap", "typeinfo", "workflow", "portlets")


def to_1002(context):
    """The newsletter and its issues, their permissions, workflow and portlet."""
    for step in STEPS_1002:
        context.runImportStepFromProfile(PROFILE, step)
