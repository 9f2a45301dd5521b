"""The page's "Worked date arithmetic (England and Wales)" table, and the words around it."""

from __future__ import annotations

import functools
from datetime import date, timedelta
from itertools import pairwise

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cp_audit.standards.calendar import Calendar, add_months, add_years, stretch_days

CALENDAR = Calendar()


# | question | answer |
@pytest.mark.parametrize(
    ("start", "count", "answer"),
    [
        # 15 working days after Monday 5 September 2022: Tuesday 27 September 2022
        # (19 September, the State Funeral, is not a working day).
        (date(2022, 9, 5), 15, date(2022, 9, 27)),
        # 10 working days after Friday 17 December 2021: Wednesday 5 January 2022
        # (27 and 28 December and 3 January are substitute bank holidays).
        (date(2021, 12, 17), 10, date(2022, 1, 5)),
        # 2 working days after Wednesday 1 June 2022: Tuesday 7 June 2022
        # (2 and 3 June 2022 were bank holidays).
        (date(2022, 6, 1), 2, date(2022, 6, 7)),
    ],
    ids=["state funeral", "christmas 2021", "jubilee 2022"],
)
def test_worked_working_days(start: date, count: int, answer: date) -> None:
    assert CALENDAR.add_working_days(start, count) == answer
    assert CALENDAR.working_days_between(start, answer) == count
    assert CALENDAR.within_working_days(start, answer, count)
    assert not CALENDAR.within_working_days(start, date.fromordinal(answer.toordinal() + 1), count)


@pytest.mark.parametrize(
    ("start", "months", "answer"),
    [
        (date(2022, 11, 30), 3, date(2023, 2, 28)),  # 3 months after 30 November 2022
        (date(2022, 5, 31), 3, date(2022, 8, 31)),  # 3 months after 31 May 2022
        (date(2020, 2, 29), 12, date(2021, 2, 28)),  # 12 months after 29 February 2020
    ],
    ids=["30 november", "31 may", "29 february"],
)
def test_worked_months(start: date, months: int, answer: date) -> None:
    assert add_months(start, months) == answer


def test_worked_stretch() -> None:
    # A stretch from 1 March 2022 to 12 April 2022: 42 days, not longer than 6 weeks.
    days = stretch_days(date(2022, 3, 1), date(2022, 4, 12))
    assert days == 42
    assert not days > 6 * 7
    assert stretch_days(date(2022, 3, 1), date(2022, 4, 13)) > 6 * 7


@pytest.mark.parametrize(
    ("start", "years", "answer"),
    [
        (date(2020, 2, 29), 1, date(2021, 2, 28)),  # the 12 months row, in years
        (date(2024, 2, 29), -3, date(2021, 2, 28)),  # "28 February for 29 February"
        (date(2022, 9, 30), -3, date(2019, 9, 30)),
        (date(2020, 2, 29), 4, date(2024, 2, 29)),
    ],
)
def test_add_years(start: date, years: int, answer: date) -> None:
    assert add_years(start, years) == answer


def test_within_zero_working_days_is_the_same_day() -> None:
    assert CALENDAR.add_working_days(date(2022, 5, 3), 0) == date(2022, 5, 3)
    assert CALENDAR.within_working_days(date(2022, 5, 3), date(2022, 5, 3), 0)
    assert not CALENDAR.within_working_days(date(2022, 5, 3), date(2022, 5, 2), 0)


def test_extra_non_working_days_are_not_working_days() -> None:
    calendar = Calendar([date(2022, 12, 23)])
    assert calendar.add_working_days(date(2022, 12, 22), 1) == date(2022, 12, 28)
    assert CALENDAR.add_working_days(date(2022, 12, 22), 1) == date(2022, 12, 23)


def test_holidays_between_covers_every_year_of_a_long_span() -> None:
    off = Calendar().holidays_between(date(2018, 1, 1), date(2023, 1, 1))
    assert date(2020, 5, 8) in off  # VE Day, moved, 2020
    assert date(2021, 12, 27) in off
    assert date(2022, 9, 19) in off
    assert all(day.weekday() < 5 for day in off)


@functools.cache
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def _reference_working_day(day: date, extra: frozenset[date]) -> bool:
    """Day by day, straight from the `holidays` package: what the table must agree with."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year) and day not in extra


@given(
    start=st.dates(date(2015, 1, 1), date(2026, 12, 31)),
    span=st.integers(-20, 800),
    count=st.integers(-2, 60),
    extra=st.frozensets(st.dates(date(2015, 1, 1), date(2027, 12, 31)), max_size=5),
)
@settings(max_examples=200, deadline=None)
def test_the_table_agrees_with_counting_day_by_day(
    start: date, span: int, count: int, extra: frozenset[date]
) -> None:
    calendar = Calendar(extra)
    end = start + timedelta(days=span)
    days = [start + timedelta(days=n) for n in range(1, span + 1)]
    assert calendar.working_days_between(start, end) == sum(
        _reference_working_day(d, extra) for d in days
    )
    assert calendar.holidays_between(start, end) == [
        d for d in days if d.weekday() < 5 and not _reference_working_day(d, extra)
    ]
    answer = calendar.add_working_days(start, count)
    if count <= 0:
        assert answer == start
    else:
        assert _reference_working_day(answer, extra)
        assert calendar.working_days_between(start, answer) == count


@given(
    days=st.lists(st.dates(date(2010, 1, 1), date(2030, 12, 31)), max_size=8),
    extra=st.frozensets(st.dates(date(2010, 1, 1), date(2030, 12, 31)), max_size=5),
)
@settings(max_examples=200, deadline=None)
def test_working_days_each_is_working_days_between_each_pair(
    days: list[date], extra: frozenset[date]
) -> None:
    # In date order, as the no-long-stretch rules ask, and in any order (0 backwards).
    calendar = Calendar(extra)
    for order in (sorted(days), days):
        assert calendar.working_days_each(order) == [
            calendar.working_days_between(a, b) for a, b in pairwise(order)
        ]


def test_far_dates_grow_the_table() -> None:
    calendar = Calendar()
    assert calendar.add_working_days(date(2022, 1, 1), 5000) == date(2041, 10, 14)
    assert calendar.working_days_between(date(1990, 1, 1), date(2030, 1, 1)) == 10109
    assert calendar.is_working_day(date(1950, 6, 1))
    with pytest.raises(OverflowError):
        calendar.add_working_days(date(9999, 12, 1), 100)
