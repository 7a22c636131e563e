"""A transition that the current state does not allow: a clear refusal.

Plone's ``content_status_modify`` silently skips a transition that is not
available and says "Item state changed."; for the meetings types it says
instead which transition was refused, in which state, and that nothing was
changed. The same check and message answer plone.restapi's ``@workflow``
(see ``services/workflow``), which would otherwise answer 200 to a
transition whose destination is the current state.

A transition that the meetings' rules refuse while it runs
(:class:`~communesplone.meetings.workflows.TransitionRefused`: publishing
personal data nobody reviewed) is rolled back to a savepoint taken before
it (Plone sets the effective date first) and its reason shown as an error
message, instead of an error page.
"""

from Acquisition import aq_inner
from communesplone import _
from communesplone.meetings.workflows import TransitionRefused
from plone import api
from plone.app.content.browser.content_status_modify import ContentStatusModifyView
from plone.protect import CheckAuthenticator
from Products.statusmessages.interfaces import IStatusMessage
from zope.i18n import translate

import transaction


def is_possible(obj, transition_id):
    """Whether the current user may do ``transition_id`` on ``obj`` now.

    The test of ``portal_workflow.doActionFor``: a transition from the
    current state, triggered by the user, whose guard lets the user through.
    """
    workflow_tool = api.portal.get_tool("portal_workflow")
    return any(
        workflow.isActionSupported(obj, transition_id)
        for workflow in workflow_tool.getWorkflowsFor(obj)
    )


def refused_message(obj, transition_id, request):
    """The translated refusal of ``transition_id`` on ``obj`` in its current state."""
    workflow_tool = api.portal.get_tool("portal_workflow")
    state = api.content.get_state(obj, default="")
    state_title = workflow_tool.getTitleForStateOnType(state, obj.portal_type) or state
    transition_title = transition_id
    same_state = False
    for workflow in workflow_tool.getWorkflowsFor(obj):
        transition = workflow.transitions.get(transition_id)
        if transition is not None:
            transition_title = transition.title or transition_id
            same_state = transition.new_state_id == state
    mapping = {
        "transition": translate(transition_title, domain="plone", context=request),
        "state": translate(state_title, domain="plone", context=request),
    }
    if same_state:
        message = _(
            '"${transition}" is not possible: the current state is already "${state}". '
            "Nothing was changed.",
            mapping=mapping,
        )
    else:
        message = _(
            '"${transition}" is not possible for you in the current state ("${state}"): '
            "nothing was changed.",
            mapping=mapping,
        )
    return translate(message, context=request)


class MeetingsContentStatusModify(ContentStatusModifyView):
    """``content_status_modify`` that refuses a transition not available now."""

    def __call__(
        self, workflow_action=None, comment="", effective_date=None, expiration_date=None, **kw
    ):
        context = aq_inner(self.context)
        if workflow_action:
            CheckAuthenticator(self.request)
            # The history form sends the current state for "no change": Plone lets it be.
            current = api.content.get_state(context, default=None)
            if workflow_action != current and not is_possible(context, workflow_action):
                message = refused_message(context, workflow_action, self.request)
                IStatusMessage(self.request).add(message, type="error")
                return self.request.response.redirect(context.absolute_url())
        savepoint = transaction.savepoint()
        try:
            return super().__call__(workflow_action, comment, effective_date, expiration_date, **kw)
        except TransitionRefused as error:
            savepoint.rollback()
            IStatusMessage(self.request).add(str(error), type="error")
            return self.request.response.redirect(context.absolute_url())
