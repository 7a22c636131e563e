"""POST ``@workflow/<transition>`` on items, meetings and advices.

plone.restapi's own service, with two differences. A transition that the
current state (or the caller) does not allow is refused before anything is
done: a 400 whose message says which transition, in which state, and that
nothing was changed (plone.restapi's message is CMF's untranslated "No
workflow provides the '${action_id}' action.", and it sets the effective
date before it tries). And a transition to the state the object is already
in is refused the same way: plone.restapi answers it 200, as if done.
A transition refused while it runs (``workflows.TransitionRefused``, a
BadRequest: publishing personal data nobody reviewed) answers 400 with its
reason; whatever was done before it (plone.restapi's effective date) is
rolled back.
"""

from communesplone.meetings.browser.transitions import is_possible
from communesplone.meetings.browser.transitions import refused_message
from communesplone.meetings.services.errors import bad_request
from plone.restapi.services.workflow.transition import WorkflowTransition

import transaction


class WorkflowTransitionPost(WorkflowTransition):
    def reply(self):
        if self.transition and not is_possible(self.context, self.transition):
            message = refused_message(self.context, self.transition, self.request)
            return bad_request(self.request, message, kind="WorkflowException")
        savepoint = transaction.savepoint()
        answer = super().reply()
        error = answer.get("error") if isinstance(answer, dict) else None
        if error:
            savepoint.rollback()  # nothing half-done: plone.restapi sets the effective date first
        if error and error.get("type") == "WorkflowException" and self.transition:
            error["message"] = refused_message(self.context, self.transition, self.request)
        return answer
