"""``@@edit-decision`` of an item: its decision, and nothing else, from the meeting page.

Declared with "Modify portal content" (what it changes); it shows the
decision too, so it asks for the permission that guards the decision
("communesplone.meetings: View decision") as well.
"""

from communesplone import _
from communesplone.meetings import agenda
from communesplone.meetings.browser.utils import meeting_url_of
from communesplone.meetings.browser.utils import require
from communesplone.meetings.constants import VIEW_DECISION
from communesplone.meetings.content.meeting_item import IMeetingItem
from plone import api
from plone.protect import CheckAuthenticator
from plone.z3cform.layout import FormWrapper
from z3c.form import button
from z3c.form import field
from z3c.form import form


class EditDecisionForm(form.EditForm):
    """Edit the decision of an item, and nothing else."""

    fields = field.Fields(IMeetingItem).select("decision")
    enableCSRFProtection = True

    @property
    def label(self):
        number = agenda.number_label(self.context.item_number)
        title = f"{number}. {self.context.Title()}" if number else self.context.Title()
        return _("Decision of ${item}", mapping={"item": title})

    def next_url(self):
        meeting_url = meeting_url_of(self.context)
        if meeting_url:
            return f"{meeting_url}#item-{self.context.UID()}"
        return self.context.absolute_url()

    @button.buttonAndHandler(_("Save"), name="save")
    def handle_save(self, action):
        CheckAuthenticator(self.request)
        data, errors = self.extractData()
        if errors:
            self.status = self.formErrorsMessage
            return
        self.applyChanges(data)
        api.portal.show_message(_("The decision is saved."), request=self.request)
        self.request.response.redirect(self.next_url())

    @button.buttonAndHandler(_("Cancel"), name="cancel")
    def handle_cancel(self, action):
        api.portal.show_message(_("Nothing was changed."), request=self.request)
        self.request.response.redirect(self.next_url())


class EditDecision(FormWrapper):
    """The form in Plone's page."""

    form = EditDecisionForm

    def __call__(self):
        require(VIEW_DECISION, self.context)
        return super().__call__()
