"""``@@health``: does this instance's storage answer? For load balancers.

Registered on the Zope application root (``/@@health``) and on Plone sites.
200 and ``ok`` when the storage answered a round trip, 503 otherwise. It
reads no content and writes nothing, and nothing caches its answer:

- RelStorage: a ``SELECT 1`` on a fresh connection to the database;
- ZEO: the client is connected and the server answers ``server_status``;
- FileStorage: the file is open (``lastTransaction``).
"""

from Products.Five.browser import BrowserView

import logging


logger = logging.getLogger("communesplone.health")


def storage_answers(db):
    """(True, "") when ``db``'s storage answers, else (False, the reason)."""
    storage = db.storage
    try:
        adapter = getattr(storage, "_adapter", None)  # RelStorage
        if adapter is not None:
            adapter.connmanager.open_and_call(lambda conn, cursor: cursor.execute("SELECT 1"))
            return True, ""
        is_connected = getattr(storage, "is_connected", None)  # ZEO
        if is_connected is not None:
            if not is_connected():
                return False, "not connected to the ZEO server"
            storage.server_status()
            return True, ""
        storage.lastTransaction()
        return True, ""
    except Exception as error:  # any failure of the storage means: not healthy
        logger.warning("health check: the storage does not answer: %r", error)
        return False, type(error).__name__


class Health(BrowserView):
    def __call__(self):
        ok, reason = storage_answers(self.context._p_jar.db())
        response = self.request.response
        response.setStatus(200 if ok else 503)
        response.setHeader("Content-Type", "text/plain; charset=utf-8")
        response.setHeader("Cache-Control", "no-store")
        return "ok\n" if ok else f"storage unavailable: {reason}\n"
