"""A case's chronology made from its dated entries and its findings, where it is checked.

`of_case` is called by `prepare.Preparer` in the worker that checked the case; what
it marks, and why only where a finding is not met, is told in `chronology`. Kept
apart from the drawing so that the reports import no case model (`--help` stays fast).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from cp_audit.case.model import Case, Meeting
from cp_audit.case.values import CONFERENCES, MeetingType
from cp_audit.report.chronology import LANES, Chronology, Entry, Gap
from cp_audit.results import Outcome, RuleResult
from cp_audit.standards.calendar import add_months
from cp_audit.standards.spec import RuleSpec, StandardsSpec


def of_case(
    case: Case, spec: StandardsSpec, results: Sequence[RuleResult], as_of: date
) -> Chronology:
    """The case's dated entries up to `as_of` and the gaps its not-met findings speak of."""
    not_met = {r.rule for r in results if r.outcome == Outcome.NOT_MET}
    rules = [rule for rule in spec.rules if rule.id in not_met]
    health = frozenset(spec.role_groups.get("health", ()))
    no_health = _no_health_types(rules)
    entries: list[Entry] = [
        Entry("plan", p.start, p.end if p.end is None or p.end <= as_of else None, str(p.category))
        for p in case.plans if p.start <= as_of
    ]
    for meeting in case.meetings:
        if meeting.date > as_of or meeting.type not in _DRAWN:
            continue
        flag = ""
        if meeting.type in no_health and not _health_took_part(meeting, health):
            flag = "no health professional"
        lane = "core_group" if meeting.type == MeetingType.CORE_GROUP else "conference"
        entries.append(Entry(lane, meeting.date, None, str(meeting.type), flag))
    entries += [
        Entry("visit", v.date, None, "", "" if v.seen else "not seen")
        for v in case.visits if v.date <= as_of
    ]
    entries += [Entry("voice", v.date, None, "") for v in case.child_voice if v.date <= as_of]
    entries.sort(key=lambda e: (LANES.index(e.lane), e.day))
    chronology = Chronology(as_of, tuple(entries))
    gaps = [*_stretch_gaps(chronology, rules), *_late_reviews(chronology, rules)]
    return Chronology(as_of, chronology.entries, tuple(gaps))


_DRAWN = CONFERENCES | {MeetingType.CORE_GROUP}


def _types(options: Mapping[str, Any]) -> set[str]:
    return {str(t) for t in options.get("meeting_types", ())}


def _no_health_types(rules: Iterable[RuleSpec]) -> set[str]:
    types: set[str] = set()
    for rule in rules:
        if rule.check == "meeting-participation" and "@health" in rule.options.get("roles", ()):
            types |= _types(rule.options)
    return types


def _health_took_part(meeting: Meeting, health: frozenset[str]) -> bool:
    return any(p.role in health and p.took_part for p in meeting.participants)


def _periods(chronology: Chronology) -> list[tuple[date, date]]:
    return [(p.day, p.end or chronology.as_of) for p in chronology.lane("plan")]


def _stretch_gaps(chronology: Chronology, rules: Iterable[RuleSpec]) -> Iterable[Gap]:
    for rule in rules:
        options = rule.options
        if rule.check != "no-long-stretch" or _types(options) != {"core_group"}:
            continue
        longest = timedelta(weeks=float(options.get("max_gap_weeks", 6)))
        days = [e.day for e in chronology.lane("core_group")]
        for start, end in _periods(chronology):
            # from each core group to the next, or to the plan's end (none: from its start)
            points = [d for d in days if start <= d <= end] or [start]
            for a, b in itertools.pairwise([*points, end]):
                if b - a > longest:
                    weeks = (b - a).days // 7
                    yield Gap("core_group", a, b, f"no core group for {weeks} weeks")


def _late_reviews(chronology: Chronology, rules: Iterable[RuleSpec]) -> Iterable[Gap]:
    for rule in rules:
        options = rule.options
        if rule.check != "review-chain-timely":
            continue
        types = _types(options) or {"rcpc"}
        first, then = int(options.get("first_months", 3)), int(options.get("then_months", 6))
        reviews = [e.day for e in chronology.lane("conference") if e.label in types]
        for start, end in _periods(chronology):
            due = add_months(start, first)
            for held in [d for d in reviews if start < d <= end] + [None]:
                until = held if held is not None else end
                if until > due:
                    yield Gap("conference", due, until, "review late")
                if held is None:
                    break
                due = add_months(held, then)
