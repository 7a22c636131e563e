"""The submissions' lock (``submission._queue``): joined to the transaction as a
data manager, held until it commits or aborts; a request that finds it taken
is run again, and its retry waits for it before reading anything. No Zope
here: transactions and threads only (the 200 concurrent submissions over
HTTP are ``test_concurrency.py``)."""

from communesplone.edesk import submission
from ZODB.POSException import ConflictError
from zope.globalrequest import clearRequest
from zope.globalrequest import setRequest

import pytest
import threading
import transaction


class Request:
    """What ``_queue`` asks of the published request."""

    def __init__(self, retry):
        self.retry = retry

    def supports_retry(self):
        return self.retry


@pytest.fixture(autouse=True)
def clean():
    transaction.abort()
    yield
    transaction.abort()
    clearRequest()
    assert not submission._SUBMITTING.locked()


def held_elsewhere():
    """Take the lock in another thread's transaction; return (release, thread)."""
    taken, finish = threading.Event(), threading.Event()

    def run():
        transaction.begin()
        submission._queue()
        taken.set()
        finish.wait(10)
        transaction.commit()

    thread = threading.Thread(target=run)
    thread.start()
    assert taken.wait(10)
    return finish, thread


def test_held_until_the_transaction_commits():
    transaction.begin()
    submission._queue()
    submission._queue()  # a second submission in the same transaction
    assert submission._SUBMITTING.locked()
    transaction.savepoint().rollback()  # a savepoint keeps it
    assert submission._SUBMITTING.locked()
    transaction.commit()
    assert not submission._SUBMITTING.locked()


def test_released_when_the_transaction_aborts():
    transaction.begin()
    submission._queue()
    transaction.abort()
    assert not submission._SUBMITTING.locked()


def test_a_queued_request_is_retried_and_its_retry_waits_for_the_lock():
    setRequest(Request(retry=True))
    finish, thread = held_elsewhere()
    transaction.begin()
    with pytest.raises(ConflictError):  # at once: Zope's publisher runs the request again
        submission._queue()
    transaction.abort()
    assert submission._SUBMITTING.locked()  # still the other thread's
    threading.Timer(0.2, finish.set).start()
    first = transaction.begin()  # the retry starts
    submission.on_publication_start(None)  # waits for the other thread's commit
    thread.join()
    assert transaction.get() is not first  # begun again: it reads the last commit
    submission._queue()  # holds the lock already: no wait, no conflict
    assert submission._SUBMITTING.locked()
    transaction.commit()
    assert not submission._SUBMITTING.locked()
    first = transaction.begin()
    submission.on_publication_start(None)  # another request: nothing to do
    assert transaction.get() is first and not submission._SUBMITTING.locked()


def test_a_retry_that_does_not_submit_releases_the_lock():
    submission._HELD.queued = True
    transaction.begin()
    submission.on_publication_start(None)
    assert submission._SUBMITTING.locked()
    transaction.abort()  # the retry fails before submitting
    assert not submission._SUBMITTING.locked()


def test_a_failed_commit_queues_the_retry():
    setRequest(Request(retry=True))
    transaction.begin()
    submission._queue()
    lock = submission._HELD.lock
    lock.tpc_abort(transaction.get())  # as when the ZODB refuses the commit
    assert not submission._SUBMITTING.locked()
    assert submission._HELD.queued
    submission._HELD.queued = False


def test_outside_a_request_it_waits_and_goes_on():
    finish, thread = held_elsewhere()
    threading.Timer(0.2, finish.set).start()
    transaction.begin()
    submission._queue()  # no request to retry: waits for the other transaction
    thread.join()
    assert submission._SUBMITTING.locked()
    transaction.commit()
    assert not submission._SUBMITTING.locked()
