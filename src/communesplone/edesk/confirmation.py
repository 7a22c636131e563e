"""Anonymous requests wait until their contact confirms their email address.

An anonymous request (the form without a login, or Open311 through a key that
is not trusted) is stored in the workflow's ``draft`` state, owned by nobody,
with the marker :class:`IAwaitingConfirmation`, and the contact receives a
link (:func:`confirm_url`). Until the link is followed the request is a draft:
the workflow lets no one but administrators see it, it has no number, and the
map and Open311 never list drafts. The link carries a signed token
(``anonymous.sign``: the request's UID, for the purpose ``confirm-request``)
that expires after the registry's ``anonymous_confirmation_hours``. Its page,
``<desk>/@@confirm-request``, writes nothing on GET: it shows a button that
POSTs the token back, and :func:`confirm` then submits the request as if it had
just been sent (the number, the mail "we have received your request").

:func:`purge` deletes the requests never confirmed once their link has
expired; it is meant to run daily (see docs/edesk.rst).
"""

from communesplone.edesk import anonymous
from communesplone.edesk import notifications
from communesplone.edesk import settings
from communesplone.edesk.desk import get_desk
from DateTime import DateTime
from plone import api
from zope.interface import alsoProvides
from zope.interface import Interface
from zope.interface import noLongerProvides

import logging


logger = logging.getLogger("communesplone.edesk")
PURPOSE = "confirm-request"
VIEW = "confirm-request"


class IAwaitingConfirmation(Interface):
    """An anonymous request whose contact has not yet confirmed their email address."""


class NotPending(Exception):
    """The token is valid but its request is gone or already confirmed (``request``, if any)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.request = request


def lifetime():
    """How long a confirmation link works, in seconds."""
    return settings.get("anonymous_confirmation_hours") * 3600


def await_confirmation(request):
    """Mark the new anonymous ``request`` as waiting, and mail its contact the link."""
    alsoProvides(request, IAwaitingConfirmation)
    request.reindexObject(idxs=["object_provides"])
    notifications.mail_confirmation(
        request, confirm_url(request), settings.get("anonymous_confirmation_hours")
    )


def is_awaiting(request):
    return IAwaitingConfirmation.providedBy(request)


def token(request):
    return anonymous.sign(PURPOSE, request.UID(), lifetime())


def confirm_url(request):
    return f"{get_desk().absolute_url()}/@@{VIEW}?token={token(request)}"


def find(token):
    """The request waiting for ``token``.

    Raise ``anonymous.BadSignature`` (not a link of ours), ``anonymous.Expired``
    (its time is over), or :class:`NotPending` (already confirmed, or deleted).
    """
    uid = anonymous.unsign(PURPOSE, token)
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(portal_type="citizen_request", UID=uid)
    request = brains[0]._unrestrictedGetObject() if brains else None
    if request is None or not is_awaiting(request):
        raise NotPending(request)
    return request


def confirm(token):
    """Submit the request waiting for ``token`` (it takes its number); return it.

    Raises as :func:`find` does.
    """
    from communesplone.edesk import submission

    submission._queue()  # before any write: the number is then read as last committed
    request = find(token)
    noLongerProvides(request, IAwaitingConfirmation)
    request.reindexObject(idxs=["object_provides"])
    submission.submit_anonymous(request)
    return request


def purge(*, now=None):
    """Delete the anonymous requests whose confirmation link has expired; return their count."""
    now = DateTime() if now is None else now
    cutoff = now - lifetime() / 86400.0
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        portal_type="citizen_request",
        object_provides=IAwaitingConfirmation.__identifier__,
        created={"query": cutoff, "range": "max"},
    )
    paths = []
    with api.env.adopt_roles(["Manager"]):
        for brain in brains:
            request = brain._unrestrictedGetObject()
            if is_awaiting(request) and api.content.get_state(request) == "draft":
                paths.append(brain.getPath())
                api.content.delete(obj=request, check_linkintegrity=False)
    if paths:
        logger.info("Deleted %d anonymous requests never confirmed: %s", len(paths), paths)
    return len(paths)
