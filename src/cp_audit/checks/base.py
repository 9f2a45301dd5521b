"""What every check type shares: its options base, the per-case view and the context.

A check type is a module with `ID`, an `Options` model (its parameters and
their defaults), `parts(options)`, the parts of a case (`case.coverage`) a rule
of the type reads with those options, and a pure `check(view, options, ctx) ->
CheckResult`. Its docstring is its user documentation (`cp-audit explain`
shows it). A rule whose parts the case does not cover is `not_covered` before
its check runs (`run.engine`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from operator import attrgetter
from types import ModuleType
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, get_args, overload

from pydantic import BaseModel, ConfigDict

from cp_audit.case.model import (
    CASE_LISTS,
    Assessment,
    Case,
    CaseParts,
    ChildVoice,
    Entry,
    Escalation,
    Meeting,
    Person,
    Plan,
    Professional,
    Recording,
    Referral,
    StepDown,
    Tool,
    Visit,
)
from cp_audit.case.values import CONFERENCES, Token
from cp_audit.results import CheckResult
from cp_audit.standards.calendar import Calendar

if TYPE_CHECKING:
    from cp_audit.standards.spec import StandardsSpec

GROUP_PREFIX = "@"


# A list of role tokens; an entry "@health" stands for the standards' role group `health`.
Roles = tuple[Token, ...]
Tokens = tuple[Token, ...]


class CheckOptions(BaseModel):
    """Base of every check type's options: unknown options are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def references(self, spec: StandardsSpec) -> list[str]:
        """Problems with names this rule uses that the standards must define (role groups)."""
        problems = []
        for name, value in self:
            if isinstance(value, tuple):
                for entry in value:
                    if isinstance(entry, str) and entry.startswith(GROUP_PREFIX):
                        group = entry[len(GROUP_PREFIX):]
                        if group not in spec.role_groups:
                            known = ", ".join(spec.role_groups) or "none"
                            problems.append(
                                f'option "{name}": unknown role group "{group}" '
                                f"(role groups are: {known})"
                            )
        return problems

    def proved_by_example(self) -> bool:
        """Whether one example in the records proves a rule of this type met, whatever else
        the case's records cover ("some conference had a GP's report"): then it is `met`
        wherever the records present show it, and `not_covered` applies only otherwise."""
        return False

    def built_from(self) -> tuple[str, ...]:
        """The rules a rule of this type is built from (`all-of`): it is `not_covered`
        when one of them is, and reads their parts."""
        return ()


class CheckType(Protocol):
    """A check type module, seen as a value."""

    ID: str
    Options: type[CheckOptions]
    __doc__: str | None

    def parts(self, options: Any) -> frozenset[str]: ...

    def check(self, view: CaseView, options: Any, ctx: Context) -> CheckResult: ...


def as_check_type(module: ModuleType) -> CheckType:
    return module


@dataclass(frozen=True)
class Period:
    """A plan period: from the plan's start to the earlier of its end and the as-of date."""

    plan: Plan
    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def overlaps(self, start: date | None, end: date | None) -> bool:
        return (start is None or start <= self.end) and (end is None or end >= self.start)


_K = TypeVar("_K")
_W = TypeVar("_W")


class PerObject(Generic[_K, _W]):
    """`make(key)`, worked out once per object (by identity: a rule's options, the
    standards, which a run reads for every case); at most `most` kept, since tests make
    many. Each entry holds its object, so that its id is not reused while it is kept."""

    def __init__(self, make: Callable[[_K], _W], most: int) -> None:
        self._make, self._most = make, most
        self._found: dict[int, tuple[_K, _W]] = {}

    def __call__(self, key: _K) -> _W:
        found = self._found.get(id(key))
        if found is None or found[0] is not key:
            if len(self._found) >= self._most:
                self._found.clear()
            found = self._found[id(key)] = (key, self._make(key))
        return found[1]


_T = TypeVar("_T", bound=Entry)
_D = TypeVar("_D", Recording, Visit)  # an entry with a date it always has


class DatedList(Generic[_T]):
    """A list of the case as the rules see it: what is dated after the as-of date left out,
    the rest by date (undated entries, which always count, first). The date is the one
    the model gives the list (`CaseList.dated_by`); worked out once per view."""

    def __set_name__(self, owner: type, name: str) -> None:
        part = CASE_LISTS[name]  # a name that is not a list of the case fails at import
        declared = get_args(getattr(self, "__orig_class__", None))
        entry = get_args(CaseParts.model_fields[name].annotation)[0]
        if part.dated_by is None or declared != (entry,):
            raise TypeError(f"CaseView.{name}: not a dated list of {entry.__name__}")
        self.name = name
        self.date = part.dated_by
        # A list whose entries always have their date (a meeting's, a visit's: most lists,
        # about sixty entries a case) is filtered and sorted by the getter itself, made
        # once here, with no Python call per entry.
        self.always_dated = entry.model_fields[part.dated_by].annotation is date
        self.day_of = attrgetter(part.dated_by)

    def __get__(self, view: CaseView, owner: type | None = None) -> tuple[_T, ...]:
        attr, as_of = self.date, view.as_of
        items: tuple[_T, ...] = getattr(view.case, self.name)
        if self.always_dated:
            day_of = self.day_of
            kept = [i for i in items if day_of(i) <= as_of]
            if len(kept) > 1:  # most lists of a case hold one entry or none: no sort then
                kept.sort(key=day_of)
        else:
            kept = [i for i in items if (day := getattr(i, attr)) is None or day <= as_of]
            kept.sort(key=lambda i: getattr(i, attr) or date.min)
        dated = tuple(kept)
        view.__dict__[self.name] = dated  # read from the view's own dict from now on
        return dated


_V = TypeVar("_V")


class _Once(Generic[_V]):
    """`functools.cached_property` without its lock (Python 3.11 takes one at each first
    read, and a view has six of them a case): made at the first read, then read from the
    view's own dict."""

    def __init__(self, make: Callable[[CaseView], _V]) -> None:
        self.make = make
        self.__doc__ = make.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, view: None, owner: type | None = None) -> _Once[_V]: ...

    @overload
    def __get__(self, view: CaseView, owner: type | None = None) -> _V: ...

    def __get__(self, view: CaseView | None, owner: type | None = None) -> _V | _Once[_V]:
        if view is None:  # read from the class (help(), autodoc): the descriptor itself
            return self
        value = view.__dict__[self.name] = self.make(view)
        return value


class CaseView:
    """A case as the rules see it on the as-of date: nothing dated after it, lists sorted.

    Built once per case and shared by every rule, so each index is computed once. Each
    list is the case's list of the same name, its entry type checked against the model.
    """

    plans = DatedList[Plan]()
    meetings = DatedList[Meeting]()
    visits = DatedList[Visit]()
    child_voice = DatedList[ChildVoice]()
    recording = DatedList[Recording]()
    referrals = DatedList[Referral]()
    step_downs = DatedList[StepDown]()
    escalations = DatedList[Escalation]()
    tools = DatedList[Tool]()
    assessments = DatedList[Assessment]()
    professionals = DatedList[Professional]()

    def __init__(self, case: Case, as_of: date) -> None:
        self.case = case
        self.as_of = as_of
        # What several rules work out of the same entries (a meeting's participants
        # classified, their descriptions), by a key naming the work and the entry's id():
        # the view holds the case, so no entry's id is reused while the view lives.
        self.memo: dict[tuple[Any, ...], Any] = {}

    @_Once
    def periods(self) -> tuple[Period, ...]:
        return tuple(
            Period(p, p.start, min(p.end, self.as_of) if p.end else self.as_of)
            for p in self.plans
        )

    def during_plan(self, day: date) -> bool:
        # A loop, not any() over a generator: called for every visit and entry.
        for period in self.periods:  # noqa: SIM110
            if period.start <= day <= period.end:
                return True
        return False

    def _in_plan(self, entries: tuple[_D, ...]) -> tuple[_D, ...]:
        periods = self.periods
        if len(periods) == 1:  # most cases have one plan: no call per entry then
            start, end = periods[0].start, periods[0].end
            return tuple([e for e in entries if start <= e.date <= end])
        return tuple([e for e in entries if self.during_plan(e.date)])

    @_Once
    def recording_in_plan(self) -> tuple[Recording, ...]:
        """Recording entries dated during a plan period, by date."""
        return self._in_plan(self.recording)

    @_Once
    def visits_in_plan(self) -> tuple[Visit, ...]:
        """Visits dated during a plan period, by date."""
        return self._in_plan(self.visits)

    def active_plans(self) -> tuple[Plan, ...]:
        """Plans active on the as-of date."""
        return tuple(p for p in self.plans if p.end is None or p.end >= self.as_of)

    @_Once
    def _meetings_by_type(self) -> Mapping[str, tuple[Meeting, ...]]:
        index: dict[str, list[Meeting]] = {}
        for meeting in self.meetings:
            index.setdefault(meeting.type, []).append(meeting)
        return {key: tuple(value) for key, value in index.items()}

    def meetings_of(self, *types: str) -> tuple[Meeting, ...]:
        """The meetings of any of `types`, by date; each list of types is gathered once."""
        if len(types) == 1:
            return self._meetings_by_type.get(types[0], ())
        found = self._meetings_of_types.get(types)
        if found is None:
            wanted = set(types)
            found = self._meetings_of_types[types] = tuple(
                m for m in self.meetings if m.type in wanted
            )
        return found

    @_Once
    def _meetings_of_types(self) -> dict[tuple[str, ...], tuple[Meeting, ...]]:
        return {}

    @_Once
    def conferences(self) -> tuple[Meeting, ...]:
        return tuple(m for m in self.meetings if m.type in CONFERENCES)

    def age_on(self, day: date) -> int | None:
        return self.case.age_on(day)


@dataclass(frozen=True)
class Context:
    """What a check may know besides the case: the date, the calendar, the standards' groups."""

    as_of: date
    calendar: Calendar
    role_groups: Mapping[str, frozenset[str]]
    father_relationships: frozenset[str]
    # Another rule's result for the same case (for rules built from other rules).
    evaluate: Callable[[str], CheckResult]
    # Lists of roles already expanded by `roles`: shared by every case of a run.
    expanded: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict)
    # The case's tokens that neither the rules nor the vocabulary know, as (vocabulary
    # category, token): "roles", "schol_nurse". Evidence marks them (a data warning).
    unknown: frozenset[tuple[str, str]] = frozenset()

    def roles(self, entries: Iterable[str]) -> frozenset[str]:
        """Role tokens, with each "@group" replaced by the group's roles."""
        key = tuple(entries)
        found = self.expanded.get(key)
        if found is None:
            roles: set[str] = set()
            for entry in key:
                if entry.startswith(GROUP_PREFIX):
                    roles |= self.role_groups.get(entry[len(GROUP_PREFIX):], frozenset())
                else:
                    roles.add(entry)
            found = self.expanded[key] = frozenset(roles)
        return found

    def fathers(self, view: CaseView) -> tuple[Person, ...]:
        """People with a father's relationship whose parental responsibility is not false."""
        return tuple(
            p
            for p in view.case.people
            if p.relationship in self.father_relationships
            and p.parental_responsibility is not False
        )


_RATIOS: dict[float, tuple[int, int]] = {}


def at_least(part: int, whole: int, threshold: float) -> bool:
    """`part / whole >= threshold`, exactly, with the threshold read as the decimal written
    in the standards (0.1 is one tenth, not the float nearest it); `whole` > 0."""
    ratio = _RATIOS.get(threshold)
    if ratio is None:
        ratio = _RATIOS[threshold] = Fraction(str(threshold)).as_integer_ratio()
    numerator, denominator = ratio
    return part * denominator >= numerator * whole


def met_unless(failures: Sequence[str], found: Sequence[str]) -> CheckResult:
    """Not met, with the failures, when there is any; else met, with what was found."""
    return CheckResult.not_met(*failures) if failures else CheckResult.met(*found)


def plural(count: int, one: str, many: str | None = None) -> str:
    """`1 action`, `3 actions`, `2 step-downs`."""
    return f"{count} {one if count == 1 else many or one + 's'}"


def roles_phrase(roles: Sequence[str]) -> str:
    """Who a roles option asks for, in words: "health professional", "advocate",
    "childminder, nursery worker or early years practitioner"; "*" is any professional."""
    if "*" in roles or not roles:
        return "professional"
    words = [
        f"{r[len(GROUP_PREFIX):]} professional" if r.startswith(GROUP_PREFIX) else r
        for r in roles
    ]
    words = [w.replace("_", " ") for w in words]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


# Dates in evidence: ISO, so they sort and match the records. The method itself, not a
# function calling it: evidence formats about 150 dates a case.
fmt: Callable[[date], str] = date.isoformat


MEETING_NAMES = {
    "strategy_discussion": "strategy discussion",
    "icpc": "ICPC",
    "rcpc": "review conference",
    "core_group": "core group",
    "transfer_in_conference": "transfer-in conference",
}


_LABELS: dict[tuple[str, date], str] = {}


def type_name(meeting_type: str) -> str:
    """A meeting type as evidence names it ("ICPC", "core group")."""
    return MEETING_NAMES.get(meeting_type, meeting_type)


def dated(words: str, day: date, after: str = "") -> str:
    """How evidence names a dated thing: `core group 2022-01-24`, `period end 2022-06-30
    (as-of date)`."""
    return f"{words} {fmt(day)}{after}"


def meeting_label(meeting: Meeting) -> str:
    """`core group 2022-01-24`: made once per type and day (bounded, as `values` caches)."""
    key = (meeting.type, meeting.date)
    label = _LABELS.get(key)
    if label is None:
        if len(_LABELS) >= 20_000:
            _LABELS.clear()
        label = _LABELS[key] = dated(type_name(meeting.type), meeting.date)
    return label
