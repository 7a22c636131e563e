"""Site Setup → Open311 API keys: one key per application, shown once.

Every change is a POST with plone.protect's authenticator. A new key is
shown on the answer to its creation only; afterwards the page shows its
first characters (the registry keeps its hash, see ``keys.py``).
"""

from communesplone import _
from communesplone.edesk.open311 import keys
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from zExceptions import Forbidden


ACTIONS = ("add", "activate", "deactivate", "trust", "distrust", "delete")


class KeysControlPanel(BrowserView):
    def __call__(self):
        self.new_key = None
        self.error = None
        if self.request.get("REQUEST_METHOD") == "POST":
            CheckAuthenticator(self.request)
            self.handle(self.request.form)
        elif any(name in self.request.form for name in ACTIONS):
            raise Forbidden("POST only")
        return self.index()

    def handle(self, form):
        if "add" in form:
            name = (form.get("name") or "").strip()
            if not name:
                self.error = _("Give the name of the application that will use the key.")
                return
            row, self.new_key = keys.add(name)
            self.new_name = row["name"]
            return
        for action in ACTIONS[1:]:
            key_id = form.get(action)
            if not key_id:
                continue
            if action == "delete":
                done = keys.delete(key_id)
            elif action in ("trust", "distrust"):
                done = keys.set_trusted(key_id, action == "trust")
            else:
                done = keys.set_active(key_id, action == "activate")
            if not done:
                self.error = _("There is no such key.")
                return
            messages = {
                "activate": _("The key is active."),
                "deactivate": _("The key is deactivated: the application can no longer post."),
                "delete": _("The key is deleted."),
                "trust": _("The key is trusted: its reports are submitted at once."),
                "distrust": _(
                    "The key is not trusted: its reports wait until their contact confirms "
                    "their email address."
                ),
            }
            api.portal.show_message(messages[action], request=self.request)
            self.request.response.redirect(f"{self.context.absolute_url()}/@@open311-keys")
            return

    def keys(self):
        return keys.get_all()

    def base_url(self):
        return f"{api.portal.get().absolute_url()}/open311/v2"
