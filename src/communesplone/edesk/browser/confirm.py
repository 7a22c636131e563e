"""``<desk>/@@confirm-request``: the page of the link mailed to an anonymous contact.

A GET only reads: it checks the link's token and shows a button (a form that
POSTs the token back with plone.protect's authenticator); the POST confirms
the request (``confirmation.confirm``: it is submitted and numbered). An
expired, altered or already used link gets a message saying so, and nothing
is written.
"""

from communesplone import _
from communesplone.edesk import anonymous
from communesplone.edesk import confirmation
from communesplone.edesk.browser.citizen import require_post
from plone import api
from plone.protect.authenticator import createToken
from Products.Five.browser import BrowserView
from zope.i18n import translate


INVALID = _(
    "This confirmation link is not valid. Check that you opened the whole address given "
    "in the mail."
)
EXPIRED = _(
    "This confirmation link has expired: the request was not sent to our services. "
    "Please submit it again."
)
GONE = _("There is no request waiting for this link any more: please submit it again.")
REFUSALS = (anonymous.BadSignature, anonymous.Expired, confirmation.NotPending)


class ConfirmRequest(BrowserView):
    def __call__(self):
        self.error = None
        self.done = None
        self.pending = None
        token = self.request.form.get("token")
        self.token_value = token if isinstance(token, str) else ""
        if self.request.get("REQUEST_METHOD") == "POST":
            require_post(self.request)
            try:
                request = confirmation.confirm(self.token_value)
            except REFUSALS as error:
                self.error = self._refusal(error)
            else:
                api.portal.show_message(
                    _(
                        "Thank you: your request ${number} has been submitted. Its news will "
                        "be mailed to you.",
                        mapping={"number": request.tracking_number},
                    ),
                    request=self.request,
                )
                self.request.response.redirect(self.context.absolute_url())
                return ""
            return self.index()
        try:
            self.pending = confirmation.find(self.token_value)
        except REFUSALS as error:
            self.error = self._refusal(error)
        return self.index()

    def _refusal(self, error):
        """The message of a refused token."""
        if isinstance(error, anonymous.Expired):
            return EXPIRED
        if isinstance(error, anonymous.BadSignature):
            return INVALID
        request = error.request  # NotPending: confirmed already, or deleted
        if request is not None and request.tracking_number:
            return _(
                "This request is already confirmed: its number is ${number}.",
                mapping={"number": request.tracking_number},
            )
        return GONE

    def type_title(self):
        request_type = self.pending.get_request_type() if self.pending is not None else None
        return request_type.title if request_type is not None else ""

    def authenticator(self):
        return createToken()

    def message(self, msg):
        return translate(msg, context=self.request) if msg else ""
