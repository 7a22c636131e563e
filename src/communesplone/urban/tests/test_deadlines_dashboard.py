"""The deadlines dashboard's lists are limited: the most urgent rows, and how many in all."""

from communesplone.urban import testing
from communesplone.urban.browser import deadlines as dashboard
from datetime import date
from datetime import timedelta
from plone import api

import pytest


def ago(days):
    return date.today() - timedelta(days=days)


@pytest.fixture
def desk(portal):
    return testing.build(portal)


def overdue_file(desk, days):
    """A permit of the editor whose completeness check (30 days from receipt) is long over."""
    licence = testing.make_licence(desk, folder_managers=["editor"])
    testing.add_event(licence, "deposit", event_date=ago(days))
    testing.add_event(licence, "receipt", event_date=ago(days))
    return licence


def test_each_list_shows_the_most_urgent_rows_and_the_count(desk, monkeypatch):
    older = overdue_file(desk, 90)
    newer = overdue_file(desk, 60)
    monkeypatch.setattr(dashboard, "LIMIT", 1)
    with api.env.adopt_user(username="editor"):
        view = desk.restrictedTraverse("@@urban-deadlines")
        html = view()
    # the oldest deadline first; the other one counted, not shown
    assert [row["url"] for row in view.overdue] == [older.absolute_url()]
    assert view.overdue_total == 2
    assert newer.reference not in html
    assert "The first 1 of 2 are shown." in html
    assert view.upcoming == [] and view.upcoming_total == 0
