"""The slow-request log: a WSGI filter that logs the requests over a threshold.

zope.ini (written by bootstrap.py) puts it in the pipeline after Paste's
translogger (the request log, ``var/log/access.log``)::

    [filter:slowlog]
    use = call:communesplone.core.slowlog:filter_factory
    threshold = 2.0

Each request that took ``threshold`` seconds or more, until its last byte was
sent, is logged as a warning on the ``communesplone.slow`` logger (zope.ini
sends it to ``var/log/slow.log``): its duration, status, method, path and
query, the client's address and the process id (several instances share a
log folder in a cluster).
"""

import logging
import os
import time


logger = logging.getLogger("communesplone.slow")


class SlowRequestLog:
    def __init__(self, app, threshold=2.0):
        self.app = app
        self.threshold = float(threshold)

    def __call__(self, environ, start_response):
        started = time.monotonic()
        status = []

        def start(code, headers, exc_info=None):
            status[:] = [code]
            return start_response(code, headers, exc_info)

        try:
            result = self.app(environ, start)
        except BaseException:
            self._log(environ, "500 (exception)", started)
            raise
        return _Closing(result, lambda: self._log(environ, status[0] if status else "-", started))

    def _log(self, environ, status, started):
        elapsed = time.monotonic() - started
        if elapsed < self.threshold:
            return
        query = environ.get("QUERY_STRING")
        logger.warning(
            "%.3f s %s %s %s%s from %s (pid %s)",
            elapsed,
            status.split(" ", 1)[0],
            environ.get("REQUEST_METHOD", "-"),
            environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
            f"?{query}" if query else "",
            environ.get("HTTP_X_FORWARDED_FOR") or environ.get("REMOTE_ADDR", "-"),
            os.getpid(),
        )


class _Closing:
    """The application's iterable, calling ``done`` once it is closed."""

    def __init__(self, result, done):
        self.result = result
        self.done = done

    def __iter__(self):
        return iter(self.result)

    def close(self):
        try:
            close = getattr(self.result, "close", None)
            if close is not None:
                close()
        finally:
            self.done()


def filter_factory(global_conf, threshold=2.0, **local_conf):
    """The PasteDeploy filter factory (``use = call:...``)."""

    def make(app):
        return SlowRequestLog(app, threshold=threshold)

    return make
