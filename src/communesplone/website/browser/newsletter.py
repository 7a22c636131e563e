"""The newsletter's pages: subscribing, confirming, unsubscribing, the subscribers
(for their managers), and an issue's page, preview, mail and sending.

Every change is a POST: the visitor's forms carry Plone's authenticator;
the links mailed to subscribers carry a signed token, which is their proof
(the one-click unsubscribe of RFC 8058 is a POST from the mail program,
without authenticator). A GET shows a page and writes nothing.
"""

from communesplone import _
from communesplone.core.i18n import request_language
from communesplone.core.validation import Refusal
from communesplone.website import newsletter as subscriptions
from communesplone.website import sending
from plone import api
from plone.protect import CheckAuthenticator
from plone.protect.interfaces import IDisableCSRFProtection
from Products.Five.browser import BrowserView
from zExceptions import Forbidden
from zope.interface import alsoProvides

import csv
import io
import json


def newsletters():
    """The newsletters the visitor may see (the portlet offers the first)."""
    return api.content.find(portal_type="newsletter", sort_on="getObjPositionInParent")


class _Form(BrowserView):
    """A page whose POST acts; ``message`` and ``error`` say what happened."""

    message = error = None

    def posted(self):
        return self.request.method == "POST"

    def check_authenticator(self):
        if not self.posted():
            raise Forbidden("POST only")
        CheckAuthenticator(self.request)


class SubscribeView(_Form):
    """The newsletter's page (``view``) and ``@@subscribe``: the form, and its answer."""

    def __call__(self):
        if self.posted() and "email" in self.request.form:
            self.check_authenticator()
            email = self.request.form.get("email", "")
            try:
                self.message = subscriptions.subscribe(self.context, email)
            except Refusal as refusal:
                self.error = refusal.message
                self.request.response.setStatus(400)
        return self.index()

    def email(self):
        return self.request.form.get("email", "") if self.error else ""

    def issues(self):
        """The published issues, the latest first (the archive)."""
        return api.content.find(
            context=self.context,
            portal_type="newsletter_issue",
            review_state="published",
            sort_on="effective",
            sort_order="descending",
        )


class _TokenView(_Form):
    """A page reached by a mailed link: GET shows a button, POST acts."""

    action = None

    def token(self):
        return self.request.form.get("token", "")

    def __call__(self):
        try:
            self.email = subscriptions.verify(self.context, self.token(), self.action)
        except Refusal as refusal:
            self.error = refusal.message
            self.request.response.setStatus(400)
            return self.index()
        if self.posted():
            # The signed token proves the link came from the newsletter's mail.
            alsoProvides(self.request, IDisableCSRFProtection)
            try:
                self.message = self.act()
            except Refusal as refusal:
                self.error = refusal.message
                self.request.response.setStatus(400)
        return self.index()


class ConfirmView(_TokenView):
    action = subscriptions.CONFIRM

    def act(self):
        subscriptions.confirm(self.context, self.token())
        return _(
            "Your subscription to ${title} is confirmed. Thank you!",
            mapping={"title": self.context.title},
        )


class UnsubscribeView(_TokenView):
    action = subscriptions.UNSUBSCRIBE

    def act(self):
        subscriptions.unsubscribe(self.context, self.token())
        return _(
            "${email} will receive ${title} no more: its subscription is deleted.",
            mapping={"email": self.email, "title": self.context.title},
        )


# --- For the newsletter's managers (permission: Manage newsletter subscribers) ---


class SubscribersView(_Form):
    """The subscribers, their deletion (GDPR), the CSV export."""

    def __call__(self):
        if self.posted():
            self.check_authenticator()
            removed = [
                email
                for email in self.request.form.get("delete", [])
                if subscriptions.remove(self.context, email)
            ]
            self.message = _("${count} subscribers deleted.", mapping={"count": len(removed)})
        return self.index()

    def subscribers(self):
        tree = subscriptions.subscribers_or_none(self.context)
        return list(tree.values()) if tree is not None else []

    def state(self, subscriber):
        return STATE_TITLES[subscriber.state]

    def date(self, value):
        return api.portal.get_localized_time(value, long_format=True) if value else ""


STATE_TITLES = {
    subscriptions.PENDING: _("Waiting for confirmation"),
    subscriptions.CONFIRMED: _("Confirmed"),
}
COLUMNS = ("email", "state", "language", "requested", "confirmed")


class SubscribersCSV(BrowserView):
    def __call__(self):
        tree = subscriptions.subscribers_or_none(self.context)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for subscriber in tree.values() if tree is not None else ():
            data = subscriber.data()
            writer.writerow([_cell(data[column]) for column in COLUMNS])
        response = self.request.response
        response.setHeader("Content-Type", "text/csv; charset=utf-8")
        response.setHeader(
            "Content-Disposition", f'attachment; filename="{self.context.getId()}-subscribers.csv"'
        )
        response.setHeader("Cache-Control", "no-store")
        return out.getvalue()


def _cell(value):
    """A CSV cell that a spreadsheet does not run as a formula."""
    value = value or ""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


class SubscriberData(BrowserView):
    """One subscriber's data, as JSON (GDPR right of access)."""

    def __call__(self):
        found = subscriptions.get(self.context, self.request.form.get("email", ""))
        response = self.request.response
        response.setHeader("Content-Type", "application/json")
        response.setHeader("Cache-Control", "no-store")
        if found is None:
            response.setStatus(404)
            return json.dumps({"error": "not found"})
        response.setHeader("Content-Disposition", 'attachment; filename="subscriber.json"')
        return json.dumps(found.data(), indent=2)


# --- An issue --------------------------------------------------------------------


class IssueView(_Form):
    """The issue as its readers see it; for those who may send it, the progress and the button."""

    def items(self):
        return [
            {
                "title": obj.title,
                "description": obj.description,
                "url": obj.absolute_url(),
                "when": (
                    api.portal.get_localized_time(obj.start, long_format=True)
                    if obj.portal_type == "Event"
                    else None
                ),
            }
            for obj in self.context.selected()
        ]

    def can_send(self):
        return api.user.has_permission("communesplone.website: Send newsletter", obj=self.context)

    def progress(self):
        found = sending.progress(self.context)
        return {
            "state": sending.STATES[found.state],
            "sent": len(found.sent),
            "failed": list(found.failed.items()),
            "pending": len(found.pending),
            "total": found.total,
            "batches": found.batches,
            "error": found.error,
            "done": found.state == sending.DONE,
            "started": found.started is not None,
            "subscribers": len(subscriptions.confirmed(self.context.newsletter())),
        }


class IssueMail(IssueView):
    """The HTML of the issue's mail (``unsubscribe``: the subscriber's link)."""

    def __call__(self, unsubscribe="#", language=None):
        self.unsubscribe = unsubscribe
        self.language = language or request_language(
            self.request, api.portal.get_default_language()
        )
        return self.index()

    def text(self):
        """The text part of the mail."""
        lines = [self.context.title, "=" * len(self.context.title), ""]
        if self.context.intro:
            lines += [self.context.intro.output_relative_to(self.context), ""]
        for item in self.items():
            lines += [item["title"]]
            lines += [item["when"]] if item["when"] else []
            lines += [item["description"]] if item["description"] else []
            lines += [item["url"], ""]
        return "\n".join(_plain(line) for line in lines)


def _plain(line):
    """Text without its HTML tags (the introduction is rich text)."""
    import re

    return re.sub(r"<[^>]+>", "", line or "")


class MailPreview(IssueMail):
    """The mail as a subscriber will receive it (with a link that unsubscribes nobody)."""

    def __call__(self):
        return super().__call__(unsubscribe="#")


class SendView(_Form):
    """POST: send the issue's pending mails in batches; then back to the issue's page."""

    def __call__(self):
        self.check_authenticator()
        url = self.context.absolute_url()
        try:
            found = sending.send(self.context)
        except Refusal as refusal:
            api.portal.show_message(refusal.message, self.request, type="error")
            return self.request.response.redirect(url)
        mapping = {"sent": len(found.sent), "total": found.total, "error": found.error or ""}
        if found.error:
            text = _(
                "Sending interrupted after ${sent} of ${total} mails (${error}). Send again "
                "to resume: nobody receives the issue twice.",
                mapping=mapping,
            )
            api.portal.show_message(text, self.request, type="error")
        else:
            api.portal.show_message(
                _("The issue has been sent: ${sent} of ${total} mails.", mapping=mapping),
                self.request,
            )
        return self.request.response.redirect(url)
