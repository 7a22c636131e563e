"""Upgrade steps of the urban profile, numbered from 1000."""

PROFILE = "profile-communesplone.urban:default"


def to_1001(context):
    """The whole urban profile (every step: types, workflows, permissions and roles,
    catalog, registry, ...) over the empty 1000, then its setup handler (the service,
    the desk and its default configuration)."""
    context.runAllImportStepsFromProfile(PROFILE, purge_old=False)
