"""The error answer of the meetings endpoints, in plone.restapi's shape."""

from zope.i18n import translate


def bad_request(request, message, kind="BadRequest"):
    """Set status 400; return ``{"error": {"type", "message"}}``, the message translated."""
    request.response.setStatus(400)
    return {"error": {"type": kind, "message": translate(message, context=request)}}
