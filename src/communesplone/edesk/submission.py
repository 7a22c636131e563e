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
dropped, the submissions of one process queue: :func:`create` takes a lock,
held until its transaction ends (a data manager joined to the transaction,
:class:`SubmissionLock`, releases it when the transaction commits or aborts).
A submission that had to wait for the lock read the sequence before the
previous one committed, and would conflict: it raises a ``ConflictError``
at once, still holding the lock, and Zope's publisher retries the request,
which then reads the sequence as last committed and cannot conflict with
this process's submissions (the lock passes to the retried request; if that
one does not submit, the lock is released at its transaction's end). Outside
a request that may be retried (a script, a test), the submission waits and
goes on: ZODB's conflict at commit still refuses a duplicate number. Only
submissions from another process (a second instance on the same ZEO server)
still conflict, and those are retried. The request's id is
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
from transaction.interfaces import ISynchronizer
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
_HELD = threading.local()  # .lock: the SubmissionLock of this thread, while it holds the lock
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

    Raise ``ConflictError`` (a retry of the request, which keeps the lock) if
    the lock was busy: the transaction then read the sequence before the
    previous submission committed.
    """
    current = transaction.get()
    held = getattr(_HELD, "lock", None)
    if held is not None:
        held.hold(current)  # the same transaction, or the retry of the request that waited
        return
    if _SUBMITTING.acquire(blocking=False):
        SubmissionLock().hold(current)
        return
    if not _SUBMITTING.acquire(timeout=QUEUE_TIMEOUT):
        logger.warning("Submission lock not free after %s s: relying on retries", QUEUE_TIMEOUT)
        return
    lock = SubmissionLock()
    lock.hold(current)
    request = getRequest()
    if request is not None and request.supports_retry():
        lock.keep_for_retry = True
        raise ConflictError("Submission queued: the request is retried after the previous one")


class _KeepLock:
    def rollback(self):
        pass


@implementer(ISavepointDataManager, ISynchronizer)
class SubmissionLock:
    """This thread's hold on the submission lock, joined to the transaction
    that holds it: the lock is released when that transaction commits or
    aborts. It votes nothing and writes nothing.

    Kept for a retry (``keep_for_retry``) when its transaction aborts, it
    passes to the thread's next transaction: released when that one ends,
    whether it submits (:func:`_queue` joins it again) or not (as a
    synchronizer of the thread's transaction manager, which keeps a weak
    reference: ``_HELD.lock`` is the strong one).
    """

    transaction_manager = transaction.manager
    keep_for_retry = False

    def __init__(self):
        self.transaction = None
        self.kept_from = None  # the aborted transaction that kept it for a retry
        _HELD.lock = self

    def hold(self, txn):
        if self.transaction is not txn:
            self.transaction = txn
            txn.join(self)

    def release(self):
        if getattr(_HELD, "lock", None) is self:
            _HELD.lock = None
            if self.kept_from is not None:
                transaction.manager.unregisterSynch(self)
            self.transaction = self.kept_from = None
            _SUBMITTING.release()

    def _ended(self, txn):
        if txn is not self.transaction:
            return
        if self.keep_for_retry:
            self.keep_for_retry = False
            self.transaction = None
            self.kept_from = txn
            transaction.manager.registerSynch(self)  # released at the next transaction's end
        else:
            self.release()

    # IDataManager
    def abort(self, txn):
        self._ended(txn)

    def tpc_begin(self, txn):
        pass

    def commit(self, txn):
        pass

    def tpc_vote(self, txn):
        pass

    def tpc_finish(self, txn):
        self._ended(txn)

    def tpc_abort(self, txn):
        self._ended(txn)

    def sortKey(self):
        return "~communesplone.edesk.submission"  # after the ZODB's connections

    def savepoint(self):
        """A savepoint keeps the lock: rolling back to it changes nothing here."""
        return _KeepLock()

    # ISynchronizer: only while kept for a retry
    def beforeCompletion(self, txn):
        pass

    def newTransaction(self, txn):
        pass

    def afterCompletion(self, txn):
        if txn is not self.kept_from:  # not the abort that kept it: the next transaction's end
            self.release()


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
