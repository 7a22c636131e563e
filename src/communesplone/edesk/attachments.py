"""Attachments of requests: a size limit and a whitelist of file types.

Both are registry records (``communesplone.edesk.*``, set in the registry
profile and changed by administrators); :func:`check` is called by the
submission form before anything is written, and by the subscriber that
refuses a file added to a request in any other way (REST, the add form).
"""

from communesplone import _
from plone import api
from zope.interface import Invalid


MAX_SIZE_RECORD = "communesplone.edesk.attachment_max_size_mb"
EXTENSIONS_RECORD = "communesplone.edesk.attachment_extensions"
DEFAULT_MAX_SIZE_MB = 10
DEFAULT_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "odt", "docx")


def limits():
    """(maximum size in bytes, allowed extensions) from the registry."""
    size = api.portal.get_registry_record(MAX_SIZE_RECORD, default=None)
    extensions = api.portal.get_registry_record(EXTENSIONS_RECORD, default=None)
    size = DEFAULT_MAX_SIZE_MB if size is None else size
    extensions = DEFAULT_EXTENSIONS if extensions is None else extensions
    return size * 1024 * 1024, tuple(e.lower().lstrip(".") for e in extensions)


def check(filename, size):
    """Raise Invalid, with a translated message, if the file may not be attached."""
    max_size, extensions = limits()
    extension = (filename or "").rsplit(".", 1)[-1].lower() if "." in (filename or "") else ""
    if extension not in extensions:
        raise Invalid(
            _(
                'The file "${name}" is not accepted: attach a file of one of these '
                "types: ${types}.",
                mapping={"name": filename or "", "types": ", ".join(extensions)},
            )
        )
    if size > max_size:
        raise Invalid(
            _(
                'The file "${name}" is too large (${size} MB): at most ${max} MB.',
                mapping={
                    "name": filename,
                    "size": f"{size / 1024 / 1024:.1f}",
                    "max": max_size // (1024 * 1024),
                },
            )
        )
    return True
