"""Helpers shared by the meeting's pages (meeting, attendance, votes, decision)."""

from communesplone import _
from communesplone.meetings.constants import ITEM_WORKFLOW
from plone import api
from plone.protect import CheckAuthenticator
from plone.protect import PostOnly
from zExceptions import Unauthorized
from zope.component import getUtility
from zope.i18n import translate
from zope.schema.interfaces import IVocabularyFactory


def check_post(request):
    """Forbidden unless ``request`` is a POST with a valid authenticator."""
    PostOnly(request)
    CheckAuthenticator(request)


def require(permission, obj):
    """Unauthorized unless the user has ``permission`` on ``obj``.

    For a page declared with one permission (what it changes) that also shows
    data guarded by another (the decision's "View decision")."""
    if not api.user.has_permission(permission, obj=obj):
        raise Unauthorized(f"{permission} on {obj.absolute_url()}")


def static_url():
    """The URL of the meetings' static resources (``static/``)."""
    return f"{api.portal.get().absolute_url()}/++resource++communesplone.meetings"


def vocabulary_titles(name, context, request):
    """{value: translated title} of the named vocabulary."""
    vocabulary = getUtility(IVocabularyFactory, name)(context)
    return {term.value: translate(term.title, context=request) for term in vocabulary}


def transition_titles(request, names):
    """[(transition id, translated title)] of the item workflow, in the order of ``names``."""
    workflow = api.portal.get_tool("portal_workflow").getWorkflowById(ITEM_WORKFLOW)
    result = []
    for name in names:
        transition = workflow.transitions.get(name) if workflow is not None else None
        title = transition.title if transition is not None and transition.title else name
        result.append((name, translate(_(title), context=request)))
    return result


def meeting_url_of(item):
    """The URL of the meeting ``item`` is on, if the user may see it, else None."""
    if not item.meeting_uid:
        return None
    catalog = api.portal.get_tool("portal_catalog")
    found = catalog(UID=item.meeting_uid)
    return found[0].getURL() if found else None


def form_list(request, name):
    """The non-empty strings that the form sent as ``name`` (one value or a list)."""
    values = request.form.get(name) or []
    if isinstance(values, str):
        values = [values]
    return [value for value in values if isinstance(value, str) and value]


def people(rows):
    """{member id: name} of a body's member rows."""
    return {row["id"]: row.get("person") or row["id"] for row in rows}
