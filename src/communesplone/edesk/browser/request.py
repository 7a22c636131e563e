"""A request's page, and the form that adds a message to its thread."""

from communesplone import _
from communesplone.edesk import certificates
from communesplone.edesk.browser.citizen import require_post
from communesplone.edesk.notifications import STATE_TITLES
from datetime import datetime
from plone import api
from plone.memoize.view import memoize
from plone.protect.authenticator import createToken
from Products.Five.browser import BrowserView
from zope.component import getMultiAdapter


POST_MESSAGE = "communesplone.edesk: Post message"
MAX_MESSAGE = 5000


class RequestView(BrowserView):
    def request_type(self):
        return self.context.get_request_type()

    def state_title(self):
        """The state's name (a message of the e-desk's catalogue)."""
        state = api.content.get_state(self.context)
        return STATE_TITLES.get(state, state)

    def transitions(self):
        """(id, title) of the transitions the user may make, as buttons, when Plone's
        toolbar (and its state menu) is not shown to them: to citizens (the
        workflow's "Show Toolbar"). The workflow's guards decide which."""
        context_state = getMultiAdapter((self.context, self.request), name="plone_context_state")
        if context_state.is_toolbar_visible():
            return []
        workflow = api.portal.get_tool("portal_workflow")
        return [(info["id"], info["title"]) for info in workflow.getTransitionsFor(self.context)]

    def values(self):
        """[(label, value)] of the type's fields, in their order."""
        request_type = self.request_type()
        stored = self.context.values or {}
        rows = request_type.definitions() if request_type is not None else []
        result = []
        for row in rows:
            if row["id"] in stored:
                value = stored[row["id"]]
                if isinstance(value, bool):
                    value = api.portal.translate(_("Yes") if value else _("No"))
                result.append((row["label"], value))
        return result

    def attachments(self):
        """The files of the request but its certificates (:meth:`certificates`)."""
        made = {brain.UID for brain in self.certificates()}
        return [
            brain
            for brain in api.content.find(
                context=self.context, portal_type="File", sort_on="getObjPositionInParent"
            )
            if brain.UID not in made
        ]

    @memoize
    def certificates(self):
        return certificates.certificates(self.context)

    def messages(self):
        return list(self.context.messages or ())

    def can_post(self):
        return api.user.has_permission(POST_MESSAGE, obj=self.context)

    def can_read_notes(self):
        return api.user.has_permission("communesplone.edesk: View internal notes", obj=self.context)

    def history(self):
        workflow = api.portal.get_tool("portal_workflow")
        history = workflow.getInfoFor(self.context, "review_history", [])
        return [
            {
                "state": STATE_TITLES.get(entry["review_state"], entry["review_state"]),
                "time": entry["time"],
                "comments": entry.get("comments", ""),
            }
            for entry in history
        ]

    def token(self):
        return createToken()


class PostMessage(BrowserView):
    """POST: add a message to the thread (the citizen's or staff's)."""

    def __call__(self):
        require_post(self.request)
        text = (self.request.form.get("text") or "").strip()
        if not text or len(text) > MAX_MESSAGE:
            api.portal.show_message(
                _("Write a message of at most ${max} characters.", mapping={"max": MAX_MESSAGE}),
                request=self.request,
                type="error",
            )
        else:
            user = api.user.get_current()
            staff = user.getId() not in self.context.listCreators()
            self.context.messages = (
                *(self.context.messages or ()),
                {
                    "author": user.getProperty("fullname", "") or user.getId(),
                    "from_staff": staff,
                    "date": datetime.now().isoformat(timespec="minutes"),
                    "text": text,
                },
            )
            api.portal.show_message(_("Your message has been added."), request=self.request)
        self.request.response.redirect(self.context.absolute_url())
        return ""
