"""Submitting a request: its location checked, then the request created and submitted.

The citizen's form (``browser/citizen.py``) and the Open311 API
(``open311/``) both check the values with :func:`fields.validate_values`,
the location with :func:`check_location`, then call :func:`create`; the
``submit`` transition then gives the tracking number and sends the mail
(``workflows.py``). Everything is checked before :func:`create` writes, and
:func:`create` runs in the caller's transaction: a failure undoes it all.

Concurrent submissions all take a number from the same sequence, so two of
them in flight at once conflict at commit, and Zope retries the loser (three
times by default, then the citizen would get an error). So that none is ever
dropped, the submissions of one process queue on a lock, held until their
transaction ends: a data manager joined to the transaction
(:class:`SubmissionLock`) releases it when the transaction commits or
aborts. A submission that finds the lock taken read the sequence before the
one in flight commits, and would conflict: :func:`create` raises a
``ConflictError`` at once, and Zope's publisher runs the request again after
its short random delay. The retry waits for the lock as soon as its
transaction begins (:func:`on_publication_start`, on ``IPubStart``, before
anything is traversed or written), then begins its transaction again, so
that it reads the sequence as last committed: it cannot conflict with this
process's submissions. A submission whose commit failed (a conflict with
another process) is retried the same way. Outside a request that may be
retried (a script, a test, the publisher's last attempt), a submission waits
for the lock and goes on: ZODB's conflict at commit still refuses a duplicate
number. The request's id is
random, not its title's: two submissions never pick the same id in the desk
(a BTree folder, unordered), and a new id needs no search for a free name.
No mail leaves before the commit (``notifications``), so a retry repeats
nothing the citizen could see.
"""

from communesplone import _
from communesplone.edesk import confirmation
from communesplone.edesk.desk import get_desk
from communesplone.edesk.fields import FieldError
from plone import api
from plone.namedfile.file import NamedBlobFile
from transaction.interfaces import ISavepointDataManager
from ZODB.POSException import ConflictError
from zope.globalrequest import getRequest
from zope.interface import implementer

import logging
import re
import threading
import transaction
import uuid


logger = logging.getLogger("communesplone.edesk")
_SUBMITTING = threading.Lock()
# .lock: this thread's SubmissionLock while it holds the lock; .queued: the request's
# retry is to take the lock when it starts
_HELD = threading.local()
QUEUE_TIMEOUT = 60  # seconds to wait for the lock; after it, rely on retries


COORDINATES = (("latitude", -90.0, 90.0), ("longitude", -180.0, 180.0))


def coordinate(name, text):
    """The float of ``text`` for ``name`` (latitude or longitude), None if blank.

    Raise :class:`FieldError` (under ``name``) if it is not a number in range.
    """
    low, high = next((low, high) for key, low, high in COORDINATES if key == name)
    text = (text if isinstance(text, str) else "").strip()
    if not text:
        return None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        number = None
    if number is None or not low <= number <= high:  # NaN fails the comparison too
        raise FieldError(name, _("This coordinate is not valid."))
    return number


def check_location(address, latitude, longitude, *, address_required=True):
    """Return ``(location, errors)`` for a request type that needs a location.

    ``location`` holds ``address`` and the coordinates given; ``errors`` is
    {name: FieldError}. The address is required when ``address_required``
    (the form, where the citizen types it); otherwise (Open311, where a point
    may stand alone) a location is an address or both coordinates.
    """
    errors, location = {}, {}
    address = (address if isinstance(address, str) else "").strip()
    location["address"] = address
    for name, text in (("latitude", latitude), ("longitude", longitude)):
        try:
            value = coordinate(name, text)
        except FieldError as error:
            errors[name] = error
            continue
        if value is not None:
            location[name] = value
    if errors:
        return location, errors
    point = "latitude" in location and "longitude" in location
    if address_required and not address:
        errors["address"] = FieldError("address", _("Give the address of the location."))
    elif not address and not point:
        errors["address"] = FieldError(
            "address", _("Give the address of the location, or its latitude and longitude.")
        )
    elif ("latitude" in location) != ("longitude" in location):
        errors["latitude"] = FieldError("latitude", _("Give both the latitude and the longitude."))
    return location, errors


def create(request_type, values, *, anonymous, files=None, location=None, contact_email=None,
           internal_notes=None, media_url=None, confirmed=True):  # fmt: skip
    """Create the request of ``request_type`` in the desk and submit it; return it.

    ``values`` and ``location`` must have been checked. An ``anonymous``
    request is created on behalf of nobody: it keeps no local role (the
    public never reads it) and its news go to ``contact_email``, if any.
    An anonymous request that is not ``confirmed`` (its contact's address is
    not known to be theirs) is not submitted: it waits in the ``draft`` state,
    without a number, until its contact follows the link mailed to
    ``contact_email`` (``confirmation.py``).
    ``files`` is {field id: (filename, data)}, already checked.
    """
    if not (anonymous and not confirmed):
        _queue()
    fields = dict(
        request_type=request_type.UID(),
        values=values,
        contact_email=contact_email or None,
        service=request_type.service,
        **(location or {}),
    )
    if internal_notes:
        fields["internal_notes"] = internal_notes
    if anonymous:
        with api.env.adopt_roles(["Manager"]):
            created = _add(request_type, fields, files, media_url)
            created.manage_delLocalRoles([p for p, _roles in created.get_local_roles()])
            created.reindexObjectSecurity()
            _belong_to_nobody(created)
        if confirmed:
            submit_anonymous(created)
        else:
            if not contact_email:
                raise ValueError("An anonymous request to confirm needs a contact email")
            confirmation.await_confirmation(created)
    else:
        # the member's name, for the staff listing (indexers.requester_name)
        member = api.user.get_current()
        fields["requester_fullname"] = member.getProperty("fullname", "") or ""
        created = _add(request_type, fields, files, media_url)
        api.content.transition(obj=created, transition="submit")
    return created


def submit_anonymous(created):
    """Submit the anonymous request ``created`` (it takes its number, its contact is told)."""
    _queue()
    with api.env.adopt_roles(["Manager"]):
        api.content.transition(obj=created, transition="submit")
        _belong_to_nobody(created)  # the transition's reindex names the session's user


def _belong_to_nobody(created):
    if created.listCreators():  # a session's user (an Open311 call may carry one)
        created.setCreators(())
        created.reindexObject(idxs=["Creator", "listCreators"])


def _queue():
    """Hold this process's submission lock until the current transaction ends.

    Raise ``ConflictError`` if the lock is taken and the request may be retried:
    its retry waits for the lock before it reads anything.
    """
    current = transaction.get()
    held = getattr(_HELD, "lock", None)
    if held is not None and held.transaction is current:
        return  # a second submission in the same transaction, or the retry
    if _SUBMITTING.acquire(blocking=False):
        SubmissionLock(current)
        return
    if _retryable():
        _HELD.queued = True
        raise ConflictError("Submission queued: the request is run again once the lock is free")
    if not _SUBMITTING.acquire(timeout=QUEUE_TIMEOUT):
        logger.warning("Submission lock not free after %s s: relying on retries", QUEUE_TIMEOUT)
        return
    SubmissionLock(current)


def _retryable():
    request = getRequest()
    return request is not None and request.supports_retry()


def on_publication_start(event):
    """``IPubStart`` subscriber: the retry of a queued submission takes the lock,
    then begins its transaction again (nothing is written yet), so that it reads
    what the submission before it committed."""
    if not getattr(_HELD, "queued", False):
        return
    _HELD.queued = False
    if not _SUBMITTING.acquire(timeout=QUEUE_TIMEOUT):
        logger.warning("Submission lock not free after %s s: relying on retries", QUEUE_TIMEOUT)
        return
    SubmissionLock(transaction.begin())


class _KeepLock:
    def rollback(self):
        pass


@implementer(ISavepointDataManager)
class SubmissionLock:
    """This thread's hold on the submission lock, joined to ``txn``: the lock is
    released when that transaction commits or aborts. It writes nothing. If the
    commit fails (a conflict with another process), the request's retry is queued
    (:func:`on_publication_start`)."""

    transaction_manager = transaction.manager

    def __init__(self, txn):
        self.transaction = txn
        _HELD.lock = self
        txn.join(self)

    def _release(self, txn):
        if txn is self.transaction and getattr(_HELD, "lock", None) is self:
            _HELD.lock = None
            self.transaction = None
            _SUBMITTING.release()

    def abort(self, txn):
        self._release(txn)

    def tpc_begin(self, txn):
        pass

    def commit(self, txn):
        pass

    def tpc_vote(self, txn):
        pass

    def tpc_finish(self, txn):
        self._release(txn)

    def tpc_abort(self, txn):
        if _retryable():
            _HELD.queued = True
        self._release(txn)

    def sortKey(self):
        return "~communesplone.edesk.submission"  # after the ZODB's connections

    def savepoint(self):
        """A savepoint keeps the lock: rolling back to it changes nothing here."""
        return _KeepLock()


def _add(request_type, fields, files, media_url):
    created = api.content.create(
        container=get_desk(),
        type="citizen_request",
        id=f"request-{uuid.uuid4().hex[:16]}",
        title=request_type.title,
        **fields,
    )
    if media_url:
        created.media_url = media_url
    for field_id, (filename, data) in (files or {}).items():
        api.content.create(
            container=created,
            type="File",
            id=f"{field_id}-{re.sub(r'[^a-zA-Z0-9._-]', '_', filename)}",
            title=filename,
            file=NamedBlobFile(data=data, filename=filename),
        )
    return created
