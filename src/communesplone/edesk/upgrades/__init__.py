"""Upgrade steps of the edesk profile, numbered from 1000."""

from communesplone.edesk.setuphandlers import post_install


PROFILE = "profile-communesplone.edesk:default"
# The steps that the first real edesk profile (1001) brings to a site that
# installed the empty one (1000).
STEPS_1001 = ("rolemap", "plone.app.registry", "typeinfo", "workflow", "catalog")


def to_1001(context):
    """Types, workflows, permissions, catalog indexes, registry records, and the desk."""
    for step in STEPS_1001:
        context.runImportStepFromProfile(PROFILE, step)
    post_install(context)
