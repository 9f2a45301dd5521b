"""Data warnings: input that is valid but doubtful, so that a finding built on it may be false.

Worked out per case, after merging, from the case's validated records (with
their file and place) and the merged case:

- a token that neither the standards' rules nor their `vocabulary` know, for
  its category (`standards.vocabulary`), with a did-you-mean;
- a date after the as-of date: of what can only have been done (a visit, the
  child's voice, a recording, a referral, a step-down, an escalation,
  a birth) as soon as it is later; of anything else, which may be booked or
  planned ahead (a meeting, a plan, an allocation, an assessment, a tool, a flag),
  only when it is more than a year later: a typo (2052) rather than a booking;
  an action's `due`, an expected date of birth and an export date never;
- a visit, a voice or a recording entry dated before the child's date of
  birth and before any pre-birth work began (the case's first referral, plan
  or `involvement_start`): visits to an expectant mother on a pre-birth plan
  are ordinary. Before an expected date of birth nothing is doubtful: work
  with an expectant mother may begin before any record of the child;
- plans of the child that overlap in time;
- two records of the same agency and system (a repeated export).

A warning rejects nothing and never changes an outcome by itself; the run lists
it under its case and in the report's data problems, and `--strict` makes it an
error. The unknown tokens are also given by case part (`Unknown`), so that a
rule reading that part can say, in its evidence, that it rests on them.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import chain, pairwise
from operator import attrgetter
from typing import TYPE_CHECKING, Any, get_origin

from cp_audit.case.combining import location
from cp_audit.case.errors import model_in
from cp_audit.case.model import CaseRecord
from cp_audit.case.values import short
from cp_audit.results import Problem

if TYPE_CHECKING:
    from cp_audit.case.combining import Checked
    from cp_audit.case.model import Case, Plan
    from cp_audit.standards.vocabulary import KnownTokens

# (part, the field path below an entry, the category, the word in a message)
_TOKEN_FIELDS: tuple[tuple[str, str, str, str], ...] = (
    ("source", "agency", "agencies", "agency"),
    ("child", "needs", "needs", "need"),
    ("referrals", "source", "referral_sources", "referral source"),
    ("referrals", "outcome", "outcomes", "referral outcome"),
    ("plans", "actions.kind", "kinds", "action kind"),
    ("meetings", "participants.role", "roles", "role"),
    ("meetings", "participants.agency", "agencies", "agency"),
    ("child_voice", "method", "methods", "method"),
    ("child_voice", "by", "roles", "role"),
    ("child_voice", "agency", "agencies", "agency"),
    ("recording", "agency", "agencies", "agency"),
    ("tools", "name", "tools", "tool"),
    ("tools", "by", "roles", "role"),
    ("professionals", "role", "roles", "role"),
    ("professionals", "agency", "agencies", "agency"),
    ("agency_records", "agency", "agencies", "agency"),
    ("agency_records", "flags.flag", "flags", "flag"),
)
# (part, the field below an entry): every date a record holds but an action's `due`,
# an expected date of birth and the export date, which may well be later.
_DATE_FIELDS: tuple[tuple[str, str], ...] = (
    ("child", "date_of_birth"), ("involvement_start", ""), ("referrals", "date"),
    ("step_downs", "date"), ("plans", "start"), ("plans", "end"), ("meetings", "date"),
    ("visits", "date"), ("child_voice", "date"), ("recording", "date"),
    ("assessments", "start"), ("assessments", "completed"), ("tools", "date"),
    ("professionals", "from_"), ("professionals", "to"), ("agency_records", "flags.from_"),
    ("agency_records", "flags.to"), ("escalations", "date"), ("escalations", "resolved"),
)
_DONE = frozenset({
    "visits", "child_voice", "recording", "referrals", "step_downs", "escalations",
    "child.date_of_birth",
})
_BOOKING_DAYS = 366  # how far ahead a booked entry may be before it is taken for a typo
_NOT_BEFORE_BIRTH = ("visits", "child_voice", "recording")


@dataclass(frozen=True, slots=True)
class Unknown:
    """An unknown token, where it is: what a rule's evidence note says of it."""

    part: str  # the top-level case part: "meetings"
    category: str  # the vocabulary's: "roles"
    word: str  # "role"
    token: str
    path: str  # "meetings[2].participants[3].role"

    @property
    def covered_part(self) -> str | None:
        """The part (`coverage`) the token is in: a rule reading it rests on the token."""
        return _COVERED_PART.get(self.part, self.part)


# The part of the tokens of a case part, where the two differ (a source's agency is in none).
_COVERED_PART: dict[str, str | None] = {
    "meetings": "participants", "child": "needs", "plans": "actions", "source": None,
}


@dataclass(frozen=True, slots=True)
class CaseWarnings:
    problems: tuple[Problem, ...] = ()
    unknown: tuple[Unknown, ...] = ()


def case_warnings(
    case: Case, records: Sequence[Checked], known: KnownTokens | None, as_of: date
) -> CaseWarnings:
    """Every warning of one case (no token warning without `known`: no standards)."""
    problems: list[Problem] = []
    unknown: list[Unknown] = []
    for rec in records:
        if known is not None:
            for item in _unknown_tokens(rec, known):
                unknown.append(item)
                problems.append(_token_problem(case, rec, item, known))
        problems += _date_problems(case, rec, as_of)
    problems += _overlapping_plans(case, records)
    problems += _repeated_exports(case, records)
    return CaseWarnings(tuple(problems), tuple(unknown))


# -- tokens


def _unknown_tokens(rec: Checked, known: KnownTokens) -> Iterator[Unknown]:
    record = rec.record
    for part, path, category, word in _TOKEN_FIELDS:
        value = getattr(record, part)
        # The tokens alone first, at C speed: almost always every one is known, and only
        # then is each one's place worked out.
        tokens = set(_GATHER[part, path](value))
        if not tokens or not tokens - known.rules - known.by_category.get(category, _NONE):
            continue
        for at, token in _values(value, _SPLIT[path]):
            if isinstance(token, str) and not known.knows(category, token):
                yield Unknown(part, category, word, token, _named(part, at))


_NONE: frozenset[str] = frozenset()


def _values(value: Any, names: list[str]) -> list[tuple[Any, Any]]:
    """(where, value) of every value at `names` below `value`, lists indexed; `_named`
    makes `where` a path. A loop, not a recursion, and a path made only for a value
    warned of: this runs over every entry of every record."""
    level: list[tuple[Any, Any]] = [(value, None)]  # (value, how to name it: see _named)
    for name in (None, *names):
        if name is not None:
            level = [(getattr(v, name, None), (at, name)) for v, at in level if v is not None]
        flat: list[tuple[Any, Any]] = []
        for v, at in level:
            if isinstance(v, tuple):
                flat.extend((item, (at, index)) for index, item in enumerate(v))
            elif v is not None:
                flat.append((v, at))
        level = flat
    return [(at, v) for v, at in level]


def _named(where: str, at: Any) -> str:
    """`((None, 2), "participants"), 3), "role")` under `meetings` -> its path."""
    steps: list[str | int] = []
    while at is not None:
        at, step = at
        steps.append(step)
    return where + "".join(
        f"[{step}]" if isinstance(step, int) else f".{step}" for step in reversed(steps)
    )


def _token_problem(case: Case, rec: Checked, item: Unknown, known: KnownTokens) -> Problem:
    message = f'unknown {item.word} "{short(item.token)}"'
    own, rules = known.choices(item.category)
    close = difflib.get_close_matches(item.token, own, n=1) or difflib.get_close_matches(
        item.token, rules, n=1, cutoff=0.8
    )
    if close:
        message += f' (did you mean "{close[0]}"?)'
    else:
        message += " (neither the standards' rules nor their vocabulary list it)"
    return _problem(message, case, rec, item.path)


# -- dates


def _date_problems(case: Case, rec: Checked, as_of: date) -> Iterator[Problem]:
    born = case.child.date_of_birth
    earliest = min((born, *_work_began(case)), default=None) if born else None
    for part, field, at, day in _dates(rec.record, as_of, earliest):
        if day > as_of and (day - as_of).days > _ahead_allowed(part, field):
            path = _path(part, at)
            yield _problem(
                f"{_what(path)} {day.isoformat()} is after the as-of date {as_of.isoformat()}",
                case, rec, path,
            )
        elif earliest and day < earliest and part in _NOT_BEFORE_BIRTH:
            path = _path(part, at)
            yield _problem(
                f"{_what(path)} {day.isoformat()} is before the child's date of birth "
                f"{born.isoformat() if born else ''} and before any referral or plan",
                case, rec, path,
            )


def _path(part: str, at: Any) -> str:
    return _named(part, at).replace(".from_", ".from")  # `from_` is `from` in the file


def _work_began(case: Case) -> Iterator[date]:
    yield from (plan.start for plan in case.plans)
    yield from (referral.date for referral in case.referrals)
    if case.involvement_start is not None:
        yield case.involvement_start


def _ahead_allowed(part: str, field: str) -> int:
    """How many days after the as-of date a date may be without a warning."""
    return 0 if part in _DONE or f"{part}.{field}" in _DONE else _BOOKING_DAYS


def _dates(
    record: CaseRecord, as_of: date, earliest: date | None
) -> Iterator[tuple[str, str, Any, date]]:
    """(part, field, where, date) of every date of `_DATE_FIELDS` in the record, but of a
    field whose every date is between `earliest` (if any) and `as_of`, so none to warn of:
    those are told from the dates alone, and only the others' places worked out."""
    for part, field in _DATE_FIELDS:
        value, names = getattr(record, part), _SPLIT[field]
        days = list(_GATHER[part, field](value))
        if not days:
            continue
        if max(days) <= as_of and (earliest is None or min(days) >= earliest):
            continue
        for at, day in _values(value, names):
            if isinstance(day, date):
                yield part, field, at, day


# Each field path of the tables, split once.
_SPLIT: dict[str, list[str]] = {
    path: path.split(".") if path else []
    for path in (*(f[1] for f in _TOKEN_FIELDS), *(f[1] for f in _DATE_FIELDS))
}


def _gatherer(part: str, names: list[str]) -> Callable[[Any], Iterable[Any]]:
    """What `_values` finds at `names` below a record's `part`, without the places: the
    values alone, by `map` and `chain` at C speed, with no Python call an entry. Nearly
    every field of nearly every record has nothing to warn of, and is told so by these
    alone; `_values` works out the places only then (`tests/test_warnings.py` holds both
    to the same values)."""
    steps: list[tuple[Callable[[Any], Any], bool]] = []
    model = model_in(CaseRecord.model_fields[part].annotation)
    for name in names:
        assert model is not None, (part, names)
        annotation = model.model_fields[name].annotation
        steps.append((attrgetter(name), get_origin(annotation) is tuple))
        model = model_in(annotation)

    def gather(value: Any) -> Iterable[Any]:
        items: Iterable[Any] = (
            value if isinstance(value, tuple) else () if value is None else (value,)
        )
        for get, many in steps:  # a list is a tuple, never None; other fields may be None
            # (None, as no token is empty and every date and entry is true)
            items = chain.from_iterable(map(get, items)) if many else filter(None, map(get, items))
        return items

    return gather


_GATHER: dict[tuple[str, str], Callable[[Any], Iterable[Any]]] = {
    (part, path): _gatherer(part, _SPLIT[path])
    for part, path in (*((f[0], f[1]) for f in _TOKEN_FIELDS), *_DATE_FIELDS)
}


_NOUNS = {
    "visits": "a visit", "meetings": "a meeting", "child_voice": "an entry of the child's voice",
    "recording": "a recording entry", "plans": "a plan", "referrals": "a referral",
    "step_downs": "a step-down", "escalations": "an escalation", "assessments": "an assessment",
    "tools": "a tool", "professionals": "an allocation", "agency_records": "an agency record",
    "child": "the child", "actions": "an action", "flags": "a flag",
}


def _what(path: str) -> str:
    """`meetings[3].date` -> `a meeting dated`; `plans[0].end` -> `a plan's end`."""
    entry, _, name = path.rpartition(".")
    if not entry:
        return name.replace("_", " ")
    noun = _NOUNS.get(entry.rsplit(".", 1)[-1].split("[", 1)[0], "an entry")
    return f"{noun} dated" if name == "date" else f"{noun}'s {name.replace('_', ' ')}"


# -- the case as a whole


def _overlapping_plans(case: Case, records: Sequence[Checked]) -> Iterator[Problem]:
    """Each plan that starts before the plan before it ends, placed in its own record and
    naming the other's (plans with the same start are one plan: merged, not doubtful)."""
    plans: dict[date, tuple[Checked, int, Plan]] = {}
    for rec in records:
        for index, plan in enumerate(rec.record.plans):
            plans.setdefault(plan.start, (rec, index, plan))
    ordered = [plans[start] for start in sorted(plans)]
    for (rec0, i0, before), (rec, index, plan) in pairwise(ordered):
        if before.end is None or plan.start < before.end:
            ends = before.end.isoformat() if before.end else "open"
            other = location(rec0.place, f"plans[{i0}]")
            yield Problem(
                f"plans overlap: this plan from {plan.start.isoformat()} starts before the "
                f"plan from {before.start.isoformat()} to {ends} ends ({rec0.file}, {other}; "
                "a repeated export?)",
                file=rec.file, files=tuple(dict.fromkeys((rec0.file, rec.file))),
                case_id=case.case_id, location=location(rec.place, f"plans[{index}]"),
            )


def _repeated_exports(case: Case, records: Sequence[Checked]) -> Iterator[Problem]:
    first: dict[tuple[str, str], Checked] = {}
    for rec in records:
        source = rec.record.source
        if source is None or source.agency is None or source.system is None:
            continue
        key = (source.agency, source.system)
        earlier = first.setdefault(key, rec)
        if earlier is not rec:
            files = tuple(dict.fromkeys((earlier.file, rec.file)))
            yield Problem(
                f"two records of {key[0]}'s {key[1]} for this child (a repeated export?): "
                f"{_place(earlier)} and {_place(rec)}",
                file=rec.file, files=files, case_id=case.case_id,
                location=location(rec.place, "source"),
            )


def _place(rec: Checked) -> str:
    return f"{rec.file}, {rec.place}" if rec.place else rec.file


def _problem(message: str, case: Case, rec: Checked, path: str) -> Problem:
    return Problem(
        message, file=rec.file, files=case.files, case_id=case.case_id,
        location=location(rec.place, path),
    )
