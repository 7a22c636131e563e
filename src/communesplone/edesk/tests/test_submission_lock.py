"""The submissions' lock (``submission._queue``): joined to the transaction as a
data manager, held until it commits or aborts, and passed to the retry of a
request that had to wait for it. No Zope here: transactions and threads only
(the 200 concurrent submissions over HTTP are ``test_concurrency.py``)."""

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


def test_a_request_that_waited_is_retried_and_keeps_the_lock():
    setRequest(Request(retry=True))
    finish, thread = held_elsewhere()
    threading.Timer(0.2, finish.set).start()
    transaction.begin()
    with pytest.raises(ConflictError):  # Zope's publisher runs the request again
        submission._queue()
    transaction.abort()
    thread.join()
    assert submission._SUBMITTING.locked()  # kept for the retry: no one else takes it
    transaction.begin()  # the retry: it reads what the other submission committed
    submission._queue()  # does not wait
    assert submission._SUBMITTING.locked()
    transaction.commit()
    assert not submission._SUBMITTING.locked()


def test_a_kept_lock_is_released_by_a_retry_that_does_not_submit():
    setRequest(Request(retry=True))
    finish, thread = held_elsewhere()
    threading.Timer(0.2, finish.set).start()
    transaction.begin()
    with pytest.raises(ConflictError):
        submission._queue()
    transaction.abort()
    thread.join()
    transaction.begin()  # the retry fails before submitting (a refused value)
    assert submission._SUBMITTING.locked()
    transaction.abort()
    assert not submission._SUBMITTING.locked()


def test_outside_a_request_it_waits_and_goes_on():
    finish, thread = held_elsewhere()
    threading.Timer(0.2, finish.set).start()
    transaction.begin()
    submission._queue()  # no request to retry: waits for the other transaction
    thread.join()
    assert submission._SUBMITTING.locked()
    transaction.commit()
    assert not submission._SUBMITTING.locked()
