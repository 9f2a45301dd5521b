"""Wording shared by the timeliness check types (not a check type itself)."""

from __future__ import annotations

from datetime import date

from cp_audit.case.values import MeetingType
from cp_audit.checks.base import fmt, type_name
from cp_audit.standards.calendar import Calendar

MEETING_TYPES = frozenset(member.value for member in MeetingType)


def known_meeting_types(types: tuple[str, ...]) -> tuple[str, ...]:
    """An option's meeting types, each one of the format's closed set (a typo is an error)."""
    unknown = [t for t in types if t not in MEETING_TYPES]
    if unknown:
        raise ValueError(
            f'unknown meeting type "{unknown[0]}" (meeting types are: '
            + ", ".join(member.value for member in MeetingType) + ")"
        )
    return types


_TYPE_NAMES: dict[tuple[str, ...], str] = {}


def type_names(types: tuple[str, ...]) -> str:
    """`ICPC or review conference`: made once per list of types (a rule's option)."""
    found = _TYPE_NAMES.get(types)
    if found is None:
        if len(_TYPE_NAMES) >= 1024:  # a run uses a few; bounded for tests that make many
            _TYPE_NAMES.clear()
        found = _TYPE_NAMES[types] = " or ".join(type_name(t) for t in types)
    return found


def working_days(count: int) -> str:
    return f"{count} working day" + ("" if count == 1 else "s")


def days_off_note(calendar: Calendar, start: date, end: date) -> str:
    """Weekdays that were not working days after `start` up to `end`, for evidence."""
    off = calendar.holidays_between(start, end)
    if not off:
        return ""
    return "; not working days: " + ", ".join(fmt(day) for day in off)
