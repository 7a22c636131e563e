"""``@@health``: does this instance's storage answer? For load balancers.

And a WSGI filter that answers 503 when the storage server is down.

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


def _storage_errors():
    """The exceptions that mean "the storage server does not answer"."""
    errors = []
    try:
        from ZEO.Exceptions import ClientDisconnected

        errors.append(ClientDisconnected)
    except ImportError:  # pragma: no cover
        pass
    try:
        import psycopg2

        errors += [psycopg2.OperationalError, psycopg2.InterfaceError]
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


class StorageUnavailable:
    """WSGI filter: 503 (and a log line) when the storage server does not answer.

    Zope opens the database connection before publishing anything (RelStorage
    polls PostgreSQL there): when PostgreSQL or the ZEO server is down, that
    fails before any view, exception views included, and the WSGI server
    would answer 500. This says 503 Service Unavailable, with Retry-After, for
    every request, ``@@health`` too, which load balancers understand.
    """

    def __init__(self, app, retry_after=10):
        self.app = app
        self.retry_after = str(retry_after)
        self.errors = _storage_errors()

    def __call__(self, environ, start_response):
        try:
            return self.app(environ, start_response)
        except self.errors as error:
            logger.error("the storage does not answer: %r", error)
            start_response(
                "503 Service Unavailable",
                [("Content-Type", "text/plain; charset=utf-8"),
                 ("Retry-After", self.retry_after), ("Cache-Control", "no-store")],
            )  # fmt: skip
            return [f"storage unavailable: {type(error).__name__}\n".encode()]


def unavailable_filter(global_conf, retry_after=10, **local_conf):
    """The PasteDeploy filter factory (``use = call:...``) of :class:`StorageUnavailable`."""

    def make(app):
        return StorageUnavailable(app, retry_after=retry_after)

    return make
