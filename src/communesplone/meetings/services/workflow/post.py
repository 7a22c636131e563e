"""POST ``@workflow/<transition>`` on items, meetings and advices.

plone.restapi's own service, whose answer to a transition that the current
state (or the caller) does not allow is a 400 with CMF's untranslated
"No workflow provides the '${action_id}' action.": here the message says
which transition, and in which state, and that nothing was changed.
"""

from communesplone.meetings.browser.transitions import refused_message
from plone.restapi.services.workflow.transition import WorkflowTransition


class WorkflowTransitionPost(WorkflowTransition):
    def reply(self):
        answer = super().reply()
        error = answer.get("error") if isinstance(answer, dict) else None
        if error and error.get("type") == "WorkflowException" and self.transition:
            error["message"] = refused_message(self.context, self.transition, self.request)
        return answer
