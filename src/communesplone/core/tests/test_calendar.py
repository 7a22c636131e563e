"""The commune's closing days and delays counted over them (core/calendar.py)."""

from communesplone.core import calendar
from communesplone.core.calendar import belgian_public_holidays
from communesplone.core.calendar import Calendar
from datetime import date
from datetime import datetime
from plone import api
from plone.registry.interfaces import IRegistry
from zope.component import getUtility

import pytest


@pytest.mark.parametrize(
    "year,easter_monday,ascension,whit_monday",
    [
        # Easter Sundays: 31 March 2024, 20 April 2025, 5 April 2026, 24 April 2011
        (2024, date(2024, 4, 1), date(2024, 5, 9), date(2024, 5, 20)),
        (2025, date(2025, 4, 21), date(2025, 5, 29), date(2025, 6, 9)),
        (2026, date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25)),
        (2011, date(2011, 4, 25), date(2011, 6, 2), date(2011, 6, 13)),
    ],
)
def test_easter_based_holidays(year, easter_monday, ascension, whit_monday):
    holidays = belgian_public_holidays(year)
    assert len(holidays) == 10
    assert holidays[easter_monday] == "Lundi de Pâques"
    assert holidays[ascension] == "Ascension"
    assert holidays[whit_monday] == "Lundi de Pentecôte"


def test_fixed_holidays():
    fixed = {d.strftime("%d/%m") for d in belgian_public_holidays(2030)}
    assert {"01/01", "01/05", "21/07", "15/08", "01/11", "11/11", "25/12"} <= fixed


def test_closing_days():
    cal = Calendar([date(2026, 9, 28)], public_holidays=True)
    assert cal.is_closing_day(date(2026, 12, 5))  # a Saturday
    assert cal.is_closing_day(date(2026, 12, 6))  # a Sunday
    assert cal.is_closing_day(date(2026, 4, 6))  # Easter Monday
    assert cal.is_closing_day(date(2026, 9, 28))  # listed
    assert cal.is_closing_day(datetime(2026, 9, 28, 14, 30))
    assert not cal.is_closing_day(date(2026, 9, 29))
    without_holidays = Calendar(public_holidays=False)
    assert not without_holidays.is_closing_day(date(2026, 4, 6))
    assert without_holidays.is_closing_day(date(2026, 4, 5))  # Sunday stays closed


def test_add_calendar_days_counts_every_day():
    cal = Calendar([date(2026, 4, 7)])
    # the start day is not counted: 20 days after 6 March is 26 March
    assert cal.add_days(date(2026, 3, 6), 20) == date(2026, 3, 26)
    assert cal.add_days(date(2026, 4, 3), 3) == date(2026, 4, 6)  # a holiday counts
    assert cal.add_days(date(2026, 3, 6), 0) == date(2026, 3, 6)


def test_add_working_days_skips_closing_days():
    cal = Calendar([date(2026, 4, 8)])
    # Thursday 2 April 2026 + 3 working days: Friday 3, (weekend, Easter
    # Monday 6), Tuesday 7, (8 listed), Thursday 9
    assert cal.add_days(date(2026, 4, 2), 3, working=True) == date(2026, 4, 9)
    assert Calendar(public_holidays=False).add_days(date(2026, 4, 2), 3, working=True) == date(
        2026, 4, 7
    )
    # from a closing day, the next working day is day 1
    assert cal.add_days(date(2026, 4, 4), 1, working=True) == date(2026, 4, 7)


def test_next_working_day():
    cal = Calendar([date(2026, 12, 24), date(2026, 12, 28)])
    assert cal.next_working_day(date(2026, 12, 23)) == date(2026, 12, 23)
    # 24 listed, 25 Christmas, 26-27 weekend, 28 listed
    assert cal.next_working_day(date(2026, 12, 24)) == date(2026, 12, 29)


def test_bad_delays_refused():
    with pytest.raises(ValueError):
        Calendar().add_days(date(2026, 1, 1), -1)
    with pytest.raises(TypeError):
        Calendar().add_days("2026-01-01", 1)


def test_the_registry_sets_the_calendar(portal):
    assert api.portal.get_registry_record("communesplone.public_holidays") is True
    assert api.portal.get_registry_record("communesplone.closing_days") == []
    day = date(2026, 9, 28)  # a Monday
    assert not calendar.is_closing_day(day)
    api.portal.set_registry_record("communesplone.closing_days", [day])
    assert calendar.is_closing_day(day)
    assert calendar.add_days(date(2026, 9, 25), 1, working=True) == date(2026, 9, 29)
    api.portal.set_registry_record("communesplone.public_holidays", False)
    assert not calendar.is_closing_day(date(2026, 11, 11))


def test_upgrade_to_1001_adds_the_records_and_keeps_the_services(portal):
    setup = portal.portal_setup
    profile = "communesplone.core:default"
    registry = getUtility(IRegistry)
    services = [{"id": "travaux", "title": "Travaux", "email": None}]
    with api.env.adopt_roles(["Manager"]):
        api.portal.set_registry_record("communesplone.services", services)
        del registry.records["communesplone.closing_days"]
        del registry.records["communesplone.public_holidays"]
        setup.setLastVersionForProfile(profile, "1000")
        setup.upgradeProfile(profile, dest="1001")
    assert setup.getLastVersionForProfile(profile) == ("1001",)
    assert api.portal.get_registry_record("communesplone.closing_days") == []
    assert api.portal.get_registry_record("communesplone.public_holidays") is True
    assert api.portal.get_registry_record("communesplone.services") == services


def test_closing_days_in_the_control_panel_and_over_rest(functional_portal):
    from plone.app.testing import SITE_OWNER_NAME
    from plone.app.testing import SITE_OWNER_PASSWORD

    import requests
    import transaction

    auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    url = functional_portal.absolute_url()
    page = requests.get(f"{url}/@@communesplone-controlpanel", auth=auth)
    assert "form.widgets.closing_days" in page.text
    assert "form.widgets.public_holidays" in page.text
    response = requests.patch(
        f"{url}/@controlpanels/communesplone",
        headers={"Accept": "application/json", "Content-Type": "application/json"},
        auth=auth,
        json={"closing_days": ["2026-09-28", "2026-11-02"], "public_holidays": False},
    )
    assert response.status_code == 204, response.text
    transaction.begin()
    assert api.portal.get_registry_record("communesplone.closing_days") == [
        date(2026, 9, 28),
        date(2026, 11, 2),
    ]
    assert calendar.is_closing_day(date(2026, 11, 2))
    assert not calendar.is_closing_day(date(2026, 11, 11))
    response = requests.patch(
        f"{url}/@controlpanels/communesplone",
        headers={"Accept": "application/json", "Content-Type": "application/json"},
        auth=auth,
        json={"closing_days": ["28/09/2026"]},
    )
    assert response.status_code == 400
    api.portal.set_registry_record("communesplone.closing_days", [])
    api.portal.set_registry_record("communesplone.public_holidays", True)
    transaction.commit()
