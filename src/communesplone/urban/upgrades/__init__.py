"""Upgrade steps of the urban profile, numbered from 1000."""

from communesplone.urban.constants import DESK_ID
from communesplone.urban.constants import EVENTS
from communesplone.urban.constants import LICENCES


PROFILE = "profile-communesplone.urban:default"


def to_1001(context):
    """The whole urban profile (every step: types, workflows, permissions and roles,
    catalog, registry, ...) over the empty 1000, then its setup handler (the service,
    the desk and its default configuration)."""
    context.runAllImportStepsFromProfile(PROFILE, purge_old=False)


# Urban, finished (issue 10): deadline rules, settings in Site Setup, the
# public inquiries in the navigation, indexes for the volumes of a commune.
STEPS_1002 = (
    "rolemap",
    "plone.app.registry",
    "typeinfo",
    "workflow",
    "catalog",
    "controlpanel",
    "actions",
)


def to_1002(context):
    """The urban profile's files again; existing files and events follow the
    workflows' permissions and are reindexed."""
    from plone import api

    for step in STEPS_1002:
        context.runImportStepFromProfile(PROFILE, step)
    api.portal.get_tool("portal_workflow").updateRoleMappings()
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type=LICENCES + EVENTS):
        brain._unrestrictedGetObject().reindexObject()
    college_decision_states()
    desk = api.portal.get().get(DESK_ID)
    if desk is not None:
        from communesplone.urban.setuphandlers import block_site_portlets

        block_site_portlets(desk)


OLD_COLLEGE_DECISION_STATES = ["deposit", "complete"]


def college_decision_states():
    """The college's decision, offered in "Deposited" for declarations only (a permit
    is decided once complete): the default event type's states, unless changed."""
    from communesplone.urban.desk import get_event_type
    from communesplone.urban.setuphandlers import COLLEGE_DECISION_STATES

    item = get_event_type("college_decision")
    if item is not None and list(item.states or ()) == OLD_COLLEGE_DECISION_STATES:
        item.states = list(COLLEGE_DECISION_STATES)
        item.reindexObject()


# The Urbanism panel for the commune's administrator (core's permission
# "communesplone: Manage settings"); the desk's "Deadlines" in portal_actions,
# translated in the communesplone domain (the type's actions are in "plone").
STEPS_1003 = ("controlpanel", "typeinfo", "actions")


def to_1003(context):
    """The Urbanism panel's permission; the Deadlines action, translated."""
    for step in STEPS_1003:
        context.runImportStepFromProfile(PROFILE, step)
