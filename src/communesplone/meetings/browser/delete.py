"""Deleting a meeting from the classic UI: a refusal is a message, not an error page.

``workflows.meeting_will_be_removed`` refuses to delete a meeting that holds
decided items (zExceptions.BadRequest, translated). Plone's delete
confirmation form would show an error page; this one rolls the attempt
back, shows the reason as an error message and goes back to the meeting.
"""

from plone.app.content.browser.actions import DeleteConfirmationForm
from Products.statusmessages.interfaces import IStatusMessage
from z3c.form import button
from zExceptions import BadRequest

import transaction


class MeetingDeleteConfirmationForm(DeleteConfirmationForm):
    handlers = DeleteConfirmationForm.handlers.copy()

    @button.handler(DeleteConfirmationForm.buttons["Delete"])
    def handle_delete(self, action):
        savepoint = transaction.savepoint()
        try:
            DeleteConfirmationForm.handle_delete.func(self, action)
        except BadRequest as error:
            savepoint.rollback()
            IStatusMessage(self.request).add(str(error), type="error")
            self.request.response.redirect(self.context.absolute_url())
