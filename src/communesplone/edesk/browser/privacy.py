"""Personal data: the citizen's account deletion request, and the administrators' page.

- ``<desk>/@@delete-my-account`` (permission ``Request account deletion``,
  members): GET explains and shows the confirmation form; a POST with the
  authenticator records the request, or cancels it (``deletion.py``);
- ``<site>/@@edesk-personal-data`` (Site Setup → E-desk personal data,
  permission ``Manage personal data``): the retention periods of the types,
  the pending deletions with their Delete button, and "Anonymise now" (the
  daily task, at once; ``Manage portal`` only). Every change is a POST with
  the authenticator; a GET writes nothing.
"""

from communesplone import _
from communesplone.edesk import deletion
from communesplone.edesk import retention
from communesplone.edesk.browser.citizen import require_post
from communesplone.edesk.desk import get_desk
from plone import api
from Products.Five.browser import BrowserView
from zExceptions import Unauthorized
from zope.interface import Invalid


MANAGE_PORTAL = "Manage portal"


class DeleteMyAccount(BrowserView):
    """The member asks for (or cancels) their account's deletion."""

    def __call__(self):
        self.error = None
        if self.request.get("REQUEST_METHOD") == "POST":
            require_post(self.request)
            userid = api.user.get_current().getId()
            if "cancel" in self.request.form:
                deletion.cancel(userid)
                message = _("Your request for the deletion of your account is cancelled.")
            elif not self.request.form.get("confirm"):
                self.error = _("Tick the box to confirm that your account must be deleted.")
                return self.index()
            else:
                deletion.ask(userid)
                message = _(
                    "Your request for the deletion of your account has been sent to the "
                    "administrators. You will receive an email once it is done."
                )
            api.portal.show_message(message, request=self.request)
            self.request.response.redirect(f"{self.context.absolute_url()}/@@my-requests")
            return ""
        return self.index()

    def pending(self):
        return deletion.is_pending(api.user.get_current().getId())


class PersonalDataPanel(BrowserView):
    """Site Setup → E-desk personal data."""

    def __call__(self):
        self.error = None
        if self.request.get("REQUEST_METHOD") == "POST":
            require_post(self.request)
            self.handle(self.request.form)
        return self.index()

    def handle(self, form):
        if "anonymise" in form:
            if not self.may_run():
                raise Unauthorized(MANAGE_PORTAL)
            count = retention.run()
            api.portal.show_message(
                _("${count} request(s) anonymised.", mapping={"count": count}),
                request=self.request,
            )
            return
        userid = form.get("process")
        if userid:
            try:
                counts = deletion.process(userid)
            except Invalid as error:
                self.error = error.args[0]
                return
            api.portal.show_message(
                _(
                    "The account ${login} is deleted: ${anonymised} request(s) anonymised, "
                    "${closed} of them closed as withdrawn, ${deleted} draft(s) deleted.",
                    mapping={"login": userid, **counts},
                ),
                request=self.request,
            )

    def may_run(self):
        return api.user.has_permission(MANAGE_PORTAL, obj=api.portal.get())

    def pending(self):
        return deletion.pending()

    def request_types(self):
        """[(title, months)] of the request types."""
        desk = get_desk()
        if desk is None:
            return []
        found = api.content.find(context=desk, portal_type="request_type", sort_on="sortable_title")
        return [(brain.Title, retention.retention_months(brain.getObject())) for brain in found]
