""" "Notifications": which meetings emails the user receives (their preferences).

``@@meetings-notifications`` (on the site, from the user menu) shows one box per
kind of mail (``notifications.KINDS``), checked when the user receives it;
saving (a POST with the authenticator) stores the kinds left unchecked in the
user's member property ``notifications.PROPERTY``.
"""

from communesplone import _
from communesplone.meetings import notifications
from communesplone.meetings.browser.utils import check_post
from communesplone.meetings.browser.utils import form_list
from plone import api
from Products.Five import BrowserView
from zope.i18n import translate


class NotificationPreferences(BrowserView):
    def __call__(self):
        self.member = api.user.get_current()
        if self.request.method == "POST":
            check_post(self.request)
            wanted = set(form_list(self.request, "kinds"))
            notifications.set_turned_off(self.member, set(notifications.KINDS) - wanted)
            api.portal.show_message(
                _("Your notification preferences are saved."), request=self.request
            )
            self.request.response.redirect(self.request.getURL())
            return ""
        return self.index()

    def email(self):
        return self.member.getProperty("email", "") or ""

    def kinds(self):
        off = notifications.turned_off(self.member)
        return [
            {
                "id": kind,
                "title": translate(title, context=self.request),
                "checked": kind not in off,
            }
            for kind, title in notifications.KINDS.items()
        ]
