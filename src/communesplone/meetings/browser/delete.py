"""Deleting a meeting from the classic UI: a refusal is a message, not an error page.

``workflows.meeting_will_be_removed`` refuses to delete a meeting that holds
decided items (:class:`~communesplone.meetings.workflows.DeletionRefused`,
translated), whichever way it is deleted. Plone's delete confirmation form
and folder contents' delete action would show an error page; here each
attempt is rolled back to a savepoint and the reason is shown: as an error
message on the meeting for the confirmation form, among the errors of the
action for folder contents (the other selected objects are still deleted).
"""

from communesplone.meetings.workflows import DeletionRefused
from plone.app.content.browser.actions import DeleteConfirmationForm
from plone.app.content.browser.contents.delete import DeleteActionView
from Products.statusmessages.interfaces import IStatusMessage
from z3c.form import button

import transaction


class MeetingDeleteConfirmationForm(DeleteConfirmationForm):
    handlers = DeleteConfirmationForm.handlers.copy()

    @button.handler(DeleteConfirmationForm.buttons["Delete"])
    def handle_delete(self, action):
        savepoint = transaction.savepoint()
        try:
            DeleteConfirmationForm.handle_delete.func(self, action)
        except DeletionRefused as error:
            savepoint.rollback()
            IStatusMessage(self.request).add(str(error), type="error")
            self.request.response.redirect(self.context.absolute_url())


class FolderContentsDeleteAction(DeleteActionView):
    """``@@fc-delete``, folder contents' delete action, in any folder: a meeting,
    or a body that holds one, may be among the objects selected."""

    def action(self, obj):
        savepoint = transaction.savepoint()
        try:
            super().action(obj)
        except DeletionRefused as error:
            savepoint.rollback()
            self.errors.append(str(error))
