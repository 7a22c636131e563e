"""The errors of ``@generate-document``: ``{"error": {"type", "message"}}``."""

from communesplone.documents import generation
from communesplone.documents.browser.generate import error_message

import json


TYPES = {
    400: "BadRequest",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    503: "ServiceUnavailable",
}


def error_reply(request, error, template=None):
    """Set the status of ``error`` on the response; return its JSON body.

    The message is translated; a template's error gives its details to
    template managers only (see ``error_message``).
    """
    error.template = template
    request.response.setStatus(error.status)
    request.response.setHeader("Content-Type", "application/json")
    if isinstance(error, generation.TemplateError):
        kind = "TemplateError"
    else:
        kind = TYPES.get(error.status, "BadRequest")
    return json.dumps({"error": {"type": kind, "message": error_message(error, request)}})
