"""Dates as the standards count them (`shared/default-standards.md`, "Words used below").

Working days are Monday to Friday less the bank holidays of England and Wales
(from the `holidays` package, substitute and one-off days included) less the
standards' `extra_non_working_days`. Working-day arithmetic is done on a
precomputed table of working-day ordinals, so a deadline costs two lookups.
"""

from __future__ import annotations

import bisect
import calendar as _stdcal
from collections.abc import Iterable
from datetime import date, timedelta
from functools import cached_property

import holidays


class Calendar:
    """Working days of England and Wales, with a standards file's extra days off."""

    def __init__(self, extra_non_working_days: Iterable[date] = ()) -> None:
        self.extra = frozenset(extra_non_working_days)
        self._years: set[int] = set()
        self._days_off: set[date] = set(self.extra)

    def _ensure(self, year: int) -> None:
        # Years are added lazily: a batch run only pays for the years in play.
        if year not in self._years:
            for y in range(year - 1, year + 2):
                if y not in self._years:
                    self._years.add(y)
                    self._days_off.update(holidays.country_holidays("GB", subdiv="ENG", years=y))
            self.__dict__.pop("_sorted_off", None)

    @cached_property
    def _sorted_off(self) -> list[date]:
        return sorted(self._days_off)

    def is_working_day(self, day: date) -> bool:
        self._ensure(day.year)
        return day.weekday() < 5 and day not in self._days_off

    def add_working_days(self, start: date, count: int) -> date:
        """The `count`th working day after `start` (`start` itself is not counted)."""
        day = start
        remaining = count
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when `end` <= `start`)."""
        if end <= start:
            return 0
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def within_working_days(self, start: date, day: date, count: int) -> bool:
        """On or after `start` and on or before the `count`th working day after it."""
        return start <= day <= self.add_working_days(start, count)

    def holidays_between(self, start: date, end: date) -> list[date]:
        """Days off (not weekends) strictly after `start` up to `end`: for evidence."""
        for year in range(start.year, end.year + 1):  # every year between, not only the ends
            self._ensure(year)
        off = self._sorted_off
        low = bisect.bisect_right(off, start)
        high = bisect.bisect_right(off, end)
        return [d for d in off[low:high] if d.weekday() < 5]


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day when the day does not exist."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = _stdcal.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def add_years(day: date, years: int) -> date:
    """The same day `years` later (or earlier); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def stretch_days(start: date, end: date) -> int:
    """The number of days from one date to the next."""
    return (end - start).days
