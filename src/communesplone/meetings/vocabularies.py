"""Vocabularies of the meetings application."""

from communesplone import _
from communesplone.core import services
from communesplone.meetings.bodies import body_of
from communesplone.meetings.constants import ADD_MEETING
from plone import api
from zope.i18n import translate
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


def _fixed(*pairs):
    @provider(IVocabularyFactory)
    def factory(context):
        return SimpleVocabulary([SimpleTerm(value, value, title) for value, title in pairs])

    return factory


privacy = _fixed(("public", _("Public")), ("secret", _("Secret (closed session)")))
list_types = _fixed(("normal", _("Normal")), ("late", _("Late")))
attendance = _fixed(
    ("present", _("attendance_present", default="Present")),
    ("absent", _("Absent")),
    ("excused", _("Excused")),
    ("represented", _("Represented")),
    ("replaced", _("Replaced")),
)
advice_types = _fixed(
    ("positive", _("Positive")),
    ("positive_with_remarks", _("Positive with remarks")),
    ("cautious", _("Cautious")),
    ("negative", _("Negative")),
    ("nil", _("No advice")),
)
ordering_rules = _fixed(
    ("list_type", _("Normal items before late items")),
    ("category", _("By category order")),
    ("service", _("By proposing service order")),
)
forwarded_states = _fixed(("itemcreated", _("Created")), ("validated", _("Validated")))
vote_values = _fixed(
    ("yes", _("vote_yes", default="Yes")),
    ("no", _("vote_no", default="No")),
    ("abstain", _("vote_abstain", default="Abstain")),
    ("blank", _("vote_blank", default="Blank")),
    ("invalid", _("vote_invalid", default="Invalid")),
    ("does_not_vote", _("vote_does_not_vote", default="Does not vote")),
)
poll_types = _fixed(
    ("public", _("Public vote, member by member")),
    ("secret", _("Secret ballot (counts only)")),
    ("no_vote", _("No vote (taken for information)")),
)


@provider(IVocabularyFactory)
def copy_groups(context):
    """The services that the item's body allows in copy (``copy_groups_allowed``);
    an item's current copy groups stay in the list, so that whoever edits it keeps them."""
    body = body_of(context)
    allowed = set((body.copy_groups_allowed or ()) if body is not None else ())
    allowed.update(getattr(context, "copy_groups", None) or () if context is not body else ())
    return SimpleVocabulary(
        [
            SimpleTerm(row["id"], row["id"], row["title"])
            for row in services.get_all()
            if row["id"] in allowed
        ]
    )


def _states(workflow_id):
    @provider(IVocabularyFactory)
    def factory(context):
        workflow = api.portal.get_tool("portal_workflow").getWorkflowById(workflow_id)
        if workflow is None:
            return SimpleVocabulary([])
        return SimpleVocabulary(
            [
                SimpleTerm(state.getId(), state.getId(), _(state.title))
                for state in workflow.states.objectValues()
            ]
        )

    return factory


meeting_states = _states("communesplone_meeting_workflow")
item_states = _states("communesplone_meeting_item_workflow")


@provider(IVocabularyFactory)
def bodies(context):
    catalog = api.portal.get_tool("portal_catalog")
    return SimpleVocabulary(
        [
            SimpleTerm(brain.UID, brain.UID, brain.Title)
            for brain in catalog.unrestrictedSearchResults(
                portal_type="meeting_body", sort_on="sortable_title"
            )
        ]
    )


@provider(IVocabularyFactory)
def categories(context):
    body = body_of(context)
    rows = (body.categories or ()) if body is not None else ()
    return SimpleVocabulary([SimpleTerm(row["id"], row["id"], row["title"]) for row in rows])


@provider(IVocabularyFactory)
def members(context):
    body = body_of(context)
    rows = (body.members or ()) if body is not None else ()
    return SimpleVocabulary(
        [SimpleTerm(row["id"], row["id"], f"{row['person']} ({row['function']})") for row in rows]
    )


@provider(IVocabularyFactory)
def upcoming_meetings(context):
    """The body's meetings that still accept items (created or frozen), by date."""
    body = body_of(context)
    if body is None:
        return SimpleVocabulary([])
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        portal_type="meeting",
        path="/".join(body.getPhysicalPath()),
        review_state=("created", "frozen"),
        sort_on="meeting_date",
    )
    return SimpleVocabulary([SimpleTerm(b.UID, b.UID, b.Title) for b in brains])


def _user_groups():
    """The ids of the current user's groups (none for an anonymous visitor)."""
    if api.user.is_anonymous():
        return set()
    return {group.getId() for group in api.group.get_groups(user=api.user.get_current())}


@provider(IVocabularyFactory)
def advice_services(context):
    """Services whose advice is asked on the item and whose adviser the user is."""
    item = context if getattr(context, "portal_type", None) == "meeting_item" else None
    if item is None:
        item = getattr(context, "aq_parent", None)
    asked = item.asked_services() if hasattr(item, "asked_services") else []
    if item is context and asked:  # a new advice: not one whose delay ran out, released
        from communesplone.meetings import advices

        asked = [service for service in asked if not advices.released(item, service)]
    groups = _user_groups()
    manager = api.user.has_permission("Manage portal")
    return SimpleVocabulary(
        [
            SimpleTerm(row["id"], row["id"], row["title"])
            for row in services.get_all()
            if row["id"] in asked
            and (manager or services.group_id(row["id"], "advisers") in groups)
        ]
    )


def title_of(vocabulary_factory, value, request):
    """The translated title of ``value`` in a fixed vocabulary, for views."""
    vocabulary = vocabulary_factory(None)
    if value in vocabulary:
        return translate(vocabulary.getTerm(value).title, context=request)
    return value or ""


@provider(IVocabularyFactory)
def proposing_services(context):
    """The services an item may be proposed for by the current user.

    The body's meeting managers (and administrators) may file an item under
    any service; a service editor, under the services they edit. An item's
    current service stays in the list, so that whoever edits it keeps it.
    The field's validation uses this vocabulary, in forms and in REST alike.
    """
    body = body_of(context)
    current = getattr(context, "service", None) if context is not body else None
    if body is not None and api.user.has_permission(ADD_MEETING, obj=body):
        allowed = None
    else:
        groups = _user_groups()
        allowed = {
            row["id"]
            for row in services.get_all()
            if services.group_id(row["id"], "editors") in groups
        }
    return SimpleVocabulary(
        [
            SimpleTerm(row["id"], row["id"], row["title"])
            for row in services.get_all()
            if allowed is None or row["id"] in allowed or row["id"] == current
        ]
    )
