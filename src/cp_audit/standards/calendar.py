"""Dates as the standards count them (`shared/default-standards.md`, "Words used below").

Working days are Monday to Friday less the bank holidays of England and Wales
(from the `holidays` package, substitute and one-off days included) less the
standards' `extra_non_working_days`. Working-day arithmetic is done on a
precomputed table over the years in play: for each day, the number of working
days before it, and the position of each working day. Counting the working
days between two dates and finding the Nth working day after a date are then
two lookups each, whatever the distance.
"""

from __future__ import annotations

import bisect
import calendar as _stdcal
from array import array
from collections.abc import Iterable, Sequence
from datetime import MAXYEAR, MINYEAR, date
from itertools import pairwise

import holidays


class Calendar:
    """Working days of England and Wales, with a standards file's extra days off.

    The table covers whole years, from `_first` to `_last`; it grows (by at least
    its own span, so a long run rebuilds it only a few times) when a date outside
    it is asked about. Day `i` of the table is the day of ordinal `_base + i`.
    """

    def __init__(self, extra_non_working_days: Iterable[date] = ()) -> None:
        self.extra = frozenset(extra_non_working_days)
        self._first = self._last = 0  # the years covered; none while _last < _first
        self._base = 0
        self._before = array("i", [0])  # [i]: working days among the table's first i days
        self._working = array("i")  # the index of each working day, in order
        self._off: list[date] = []  # weekdays that are not working days, sorted
        self._year_off: dict[int, frozenset[date]] = {}  # bank holidays, by year

    # -- the table ---------------------------------------------------------

    def _cover(self, first: int, last: int) -> None:
        """Make the table cover the years `first` to `last` (built with a year more each side)."""
        if self._first <= first and last <= self._last:
            return
        if self._last == 0:  # empty: start with the years asked for
            new_first, new_last = first - 1, last + 1
        else:
            span = self._last - self._first + 1
            new_first = min(self._first, first - 1)
            new_last = max(self._last, last + 1)
            if new_first < self._first:
                new_first = min(new_first, self._first - span)
            if new_last > self._last:
                new_last = max(new_last, self._last + span)
        self._build(max(new_first, MINYEAR), min(new_last, MAXYEAR))

    def _bank_holidays(self, year: int) -> frozenset[date]:
        found = self._year_off.get(year)
        if found is None:
            days = holidays.country_holidays("GB", subdiv="ENG", years=year)
            found = self._year_off[year] = frozenset(days)
        return found

    def _build(self, first: int, last: int) -> None:
        off_days = {d for y in range(first, last + 1) for d in self._bank_holidays(y)}
        off_days |= {d for d in self.extra if first <= d.year <= last}
        base = date(first, 1, 1).toordinal()
        days = date(last, 12, 31).toordinal() - base + 1
        off = {d.toordinal() - base for d in off_days}
        before = array("i", [0])
        working = array("i")
        weekday = date(first, 1, 1).weekday()
        count = 0
        for index in range(days):
            if weekday < 5 and index not in off:
                working.append(index)
                count += 1
            before.append(count)
            weekday = 0 if weekday == 6 else weekday + 1
        self._first, self._last, self._base = first, last, base
        self._before, self._working = before, working
        self._off = sorted(d for d in off_days if d.weekday() < 5)

    def _index(self, day: date) -> int:
        self._cover(day.year, day.year)
        return day.toordinal() - self._base

    def cover(self, first: int, last: int) -> None:
        """Build the table for the years `first` to `last` now (a run does it before its
        workers fork, so that each inherits it instead of building its own)."""
        self._cover(first, last)

    # -- the questions -------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        index = self._index(day)
        return self._before[index + 1] != self._before[index]

    def add_working_days(self, start: date, count: int) -> date:
        """The `count`th working day after `start` (`start` itself is not counted)."""
        if count <= 0:
            return start
        self._cover(start.year, start.year)
        while True:
            # Working days up to and including `start`, then the count-th after them.
            target = self._before[start.toordinal() - self._base + 1] + count - 1
            if target < len(self._working):
                return date.fromordinal(self._base + self._working[target])
            if self._last >= MAXYEAR:
                raise OverflowError("date value out of range")
            self._cover(start.year, self._last + 1 + count // 250)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when `end` <= `start`)."""
        if end <= start:
            return 0
        self._cover(start.year, end.year)
        before, base = self._before, self._base
        return before[end.toordinal() - base + 1] - before[start.toordinal() - base + 1]

    def working_days_each(self, days: Sequence[date]) -> list[int]:
        """`working_days_between` each day of `days` and the next, in one pass: a rule
        measuring the stretches between a case's entries asks for twenty a case."""
        if len(days) < 2:
            return []
        self._cover(min(days).year, max(days).year)
        before, offset = self._before, 1 - self._base
        counts = [before[day.toordinal() + offset] for day in days]
        return [b - a if b > a else 0 for a, b in pairwise(counts)]

    def within_working_days(self, start: date, day: date, count: int) -> bool:
        """On or after `start` and on or before the `count`th working day after it."""
        return start <= day <= self.add_working_days(start, count)

    def holidays_between(self, start: date, end: date) -> list[date]:
        """Days off (not weekends) strictly after `start` up to `end`: for evidence."""
        if end <= start:
            return []
        self._cover(start.year, end.year)
        off = self._off
        return off[bisect.bisect_right(off, start):bisect.bisect_right(off, end)]


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
