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
held until its transaction ends, and when the transaction has written nothing
yet it restarts it, so that it reads the sequence as last committed and does
not conflict. Only submissions from another process (a second instance on the
same ZEO server) still conflict, and those are retried. The request's id is
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

import logging
import re
import threading
import transaction
import uuid


logger = logging.getLogger("communesplone.edesk")
_SUBMITTING = threading.Lock()
_QUEUED = threading.local()  # the transaction this thread holds the lock for
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

    If the transaction has written nothing yet, begin it again (the same as
    ``Connection.sync``): it then reads what the previous submission committed.
    """
    current = transaction.get()
    if getattr(_QUEUED, "transaction", None) is current:
        return  # a second submission in the same transaction
    if not _SUBMITTING.acquire(timeout=QUEUE_TIMEOUT):
        logger.warning("Submission lock not free after %s s: relying on retries", QUEUE_TIMEOUT)
        return
    if not getattr(current, "_resources", True):  # nothing written yet
        current = transaction.manager.begin()
    _QUEUED.transaction = current
    held = [True]

    def release(*args):
        if held:
            held.clear()
            _QUEUED.transaction = None
            _SUBMITTING.release()

    current.addAfterCommitHook(release)
    current.addAfterAbortHook(release)


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
