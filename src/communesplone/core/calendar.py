"""The commune's calendar: its closing days, and delays counted over them.

Shared by every application (urban deadlines, meetings' advice delays, ...).
A day is a *closing day* when it is a Saturday or a Sunday, one of the dates
listed in the CommunesPlone control panel (``communesplone.closing_days``),
or, when ``communesplone.public_holidays`` is on, one of Belgium's ten legal
public holidays (loi du 4 janvier 1974 relative aux jours fériés, and its
arrêté royal du 18 avril 1974, art. 1er), computed for any year, the three
that follow Easter included.

Delays are counted the Belgian way: the day of the act that starts a delay
is not counted, the last day is (Code judiciaire art. 52-53; CoDT art.
D.I.16, see docs/urban.rst). :func:`add_days` counts calendar days, or
working days only (``working=True``); :func:`next_working_day` moves an end
that falls on a closing day to the next working day.

The registry is read once per :class:`Calendar`: code that counts many
delays (a listing, a reindex of every licence) builds one with
:func:`current` and passes it on.
"""

from datetime import date
from datetime import timedelta
from dateutil.easter import easter
from functools import lru_cache
from plone import api


CLOSING_DAYS_RECORD = "communesplone.closing_days"
PUBLIC_HOLIDAYS_RECORD = "communesplone.public_holidays"
WEEKEND = (5, 6)  # date.weekday(): Saturday, Sunday
# Far enough for any legal delay (115 days + 30 of extension, in working days)
MAX_DAYS = 3660


@lru_cache(maxsize=256)
def belgian_public_holidays(year):
    """Belgium's ten legal public holidays of ``year``: {date: French name}.

    Loi du 4 janvier 1974 relative aux jours fériés, art. 1er, and arrêté
    royal du 18 avril 1974, art. 1er. Easter Monday, Ascension Day and Whit
    Monday follow (Western) Easter: 1, 39 and 50 days after Easter Sunday.
    """
    sunday = easter(year)
    return {
        date(year, 1, 1): "Nouvel An",
        sunday + timedelta(days=1): "Lundi de Pâques",
        date(year, 5, 1): "Fête du Travail",
        sunday + timedelta(days=39): "Ascension",
        sunday + timedelta(days=50): "Lundi de Pentecôte",
        date(year, 7, 21): "Fête nationale",
        date(year, 8, 15): "Assomption",
        date(year, 11, 1): "Toussaint",
        date(year, 11, 11): "Armistice",
        date(year, 12, 25): "Noël",
    }


class Calendar:
    """Closing days: weekends, the listed dates, and optionally the legal holidays."""

    def __init__(self, dates=(), public_holidays=True):
        self.dates = frozenset(dates or ())
        self.public_holidays = bool(public_holidays)

    def __repr__(self):
        return f"<Calendar {len(self.dates)} dates, public holidays {self.public_holidays}>"

    def is_closing_day(self, day):
        """Whether the commune is closed on ``day`` (a date or datetime)."""
        day = _as_date(day)
        if day.weekday() in WEEKEND or day in self.dates:
            return True
        return self.public_holidays and day in belgian_public_holidays(day.year)

    def next_working_day(self, day):
        """``day`` itself when it is a working day, else the next working day."""
        day = _as_date(day)
        for _ in range(MAX_DAYS):
            if not self.is_closing_day(day):
                return day
            day += timedelta(days=1)
        raise ValueError("No working day within ten years: check the closing days.")

    def add_days(self, start, n, working=False):
        """The day ``n`` days after ``start`` (which is not counted).

        With ``working``, only working days are counted (closing days are
        skipped); without it, every day is, as the law's "jours" are.
        """
        start = _as_date(start)
        if n < 0:
            raise ValueError("A delay is counted forwards: n must not be negative.")
        if n > MAX_DAYS:
            raise ValueError(f"A delay of more than {MAX_DAYS} days is not a legal delay.")
        if not working:
            return start + timedelta(days=n)
        day = start
        for _ in range(n):
            day = self.next_working_day(day + timedelta(days=1))
        return day


def _as_date(value):
    if hasattr(value, "date") and callable(value.date):  # datetime, not date
        return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"A date is needed, not {value!r}.")


def current():
    """The commune's calendar, as the CommunesPlone control panel sets it."""
    dates = api.portal.get_registry_record(CLOSING_DAYS_RECORD, default=None) or ()
    holidays = api.portal.get_registry_record(PUBLIC_HOLIDAYS_RECORD, default=True)
    return Calendar(dates, public_holidays=holidays)


def is_closing_day(day, calendar=None):
    """Whether the commune is closed on ``day``: weekend, listed date or legal holiday."""
    return (calendar or current()).is_closing_day(day)


def next_working_day(day, calendar=None):
    """``day`` when the commune is open that day, else its next working day."""
    return (calendar or current()).next_working_day(day)


def add_days(start, n, working=False, calendar=None):
    """The day ``n`` calendar days (or working days) after ``start``.

    :param start: the day of the act that starts the delay (not counted).
    :param n: the delay in days (0 or more).
    :param working: count working days only, skipping the closing days.
    :param calendar: a :class:`Calendar`; by default the commune's (registry).
    :raises ValueError: for a negative or absurdly long delay.
    """
    return (calendar or current()).add_days(start, n, working=working)
