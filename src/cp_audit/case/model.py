"""The case record format, version 1 (`shared/case-format.md`), as pydantic models.

`CaseRecord` is one record as an exporter writes it: each is validated on its own.
`Case` is the merged case (see `merging`): what the rules read. Both hold the
case's parts (`CaseParts`), listed once: each list field carries, as a `CaseList`
in its annotation, how the records' lists merge into one and which date orders
it, which merging (`combining`) and the rules' view (`checks.base.CaseView`) read.
The scalar types (dates, tokens, ids, closed sets) are in `values`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import chain
from operator import attrgetter
from typing import Annotated, Any, Literal, cast

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    SerializerFunctionWrapHandler,
    StrictBool,
    StrictInt,
    StringConstraints,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from cp_audit.case.coverage import (
    CaseCoverage,
    Part,
    case_coverage,
    no_repeats,
    uncovered_entries,
    validate_part,
)
from cp_audit.case.values import (
    CENSUS_CATEGORIES,
    EXTENSION_KEY,
    CaseId,
    Communication,
    Date,
    Gender,
    Id,
    MeetingType,
    PlanCategory,
    Relationship,
    Status,
    Text,
    Token,
    closed,
)

From = Annotated[Date | None, Field(alias="from")]  # `from` is a Python keyword

# ---------------------------------------------------------------------------
# The entries of a record


def _closed_schema(schema: dict[str, Any]) -> None:
    """An entry's JSON schema admits only its fields, as the format says: pydantic would
    let any key through, as the validator lets `x_` keys through."""
    schema["additionalProperties"] = False


# An `x_` value is never written (`_fields_only` drops its key): made None first, so that a
# value JSON cannot hold (YAML's `!!binary` of any bytes) does not stop `convert`.
_Unwritten = Annotated[Any, PlainSerializer(lambda _: None, return_type=None)]


class Entry(BaseModel):
    """Every object of the format: unknown fields are errors, `x_` fields are ignored.

    pydantic-core itself lets the `x_` keys through (extra keys allowed, each checked
    against `EXTENSION_KEY`; `errors` words any other as an unknown field): a Python
    validator on every object, to drop them, was a quarter of validating a record. They
    are kept aside, in `__pydantic_extra__`, and nothing reads them: an entry's equality,
    repr, dump (`convert`) and JSON schema are those of its fields alone. They can still
    be reached as attributes, by `dict(entry)` or `model_fields_set`, and are pickled with
    the entry: code that reads an entry reads its fields by name.
    """

    # populate_by_name: `from_` (for the key `from`) may be given by its name in code.
    model_config = ConfigDict(
        extra="allow", frozen=True, validate_default=False, populate_by_name=True,
        json_schema_extra=_closed_schema,
    )
    __pydantic_extra__: dict[Annotated[str, StringConstraints(pattern=EXTENSION_KEY)], _Unwritten]

    # pydantic's own would compare the `x_` keys too (merging keeps identical entries once)
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Entry):
            return NotImplemented
        return self.__class__ is other.__class__ and self.__dict__ == other.__dict__

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        fields = type(self).model_fields
        return (item for item in super().__repr_args__() if item[0] in fields)

    @model_serializer(mode="wrap")
    def _fields_only(self, handler: SerializerFunctionWrapHandler) -> Any:
        dumped = handler(self)
        extra = self.__pydantic_extra__
        if extra and isinstance(dumped, dict):
            return {key: value for key, value in dumped.items() if key not in extra}
        return dumped


class Source(Entry):
    agency: Token | None = None
    system: Token | None = None
    exported: Date | None = None
    # The parts of the case the source holds (`coverage`); None (absent): every part.
    covers: Annotated[
        tuple[Annotated[Part, BeforeValidator(validate_part)], ...] | None,
        AfterValidator(no_repeats),
    ] = None


class Child(Entry):
    name: Text | None = None
    date_of_birth: Date | None = None
    expected_date_of_birth: Date | None = None
    age_years: Annotated[StrictInt, Field(ge=0, le=25)] | None = None
    gender: closed(Gender) | None = None  # type: ignore[valid-type]
    communication: closed(Communication) | None = None  # type: ignore[valid-type]
    needs: tuple[Token, ...] = ()


class Person(Entry):
    id: Id
    name: Text | None = None
    relationship: closed(Relationship)  # type: ignore[valid-type]
    parental_responsibility: StrictBool | None = None
    lives_with_child: StrictBool | None = None

    @model_validator(mode="after")
    def _not_child(self) -> Person:
        if self.id == "child":
            raise PydanticCustomError(
                "cp_reserved", "'child' is reserved for the child; give this person another id"
            )
        return self


class Referral(Entry):
    date: Date
    source: Token | None = None
    outcome: Token | None = None


class StepDown(Entry):
    date: Date
    to: Token | None = None


class Action(Entry):
    id: Id
    action: Text
    owner: Id | None = None
    due: Date | None = None
    timescale: Text | None = None
    outcome: Text | None = None
    kind: Token | None = None
    involves: tuple[Id, ...] = ()


class Plan(Entry):
    start: Date
    end: Date | None = None
    category: closed(PlanCategory, CENSUS_CATEGORIES)  # type: ignore[valid-type]
    actions: tuple[Action, ...] = ()

    @model_validator(mode="after")
    def _end_after_start(self) -> Plan:
        if self.end is not None and self.end < self.start:
            raise PydanticCustomError(
                "cp_plan_end", "the plan ends ({end}) before it starts ({start})",
                {"end": self.end.isoformat(), "start": self.start.isoformat()},
            )
        return self


class Participant(Entry):
    role: Token | None = None
    agency: Token | None = None
    person: Id | None = None
    status: closed(Status) = Status.ATTENDED  # type: ignore[valid-type]
    report: StrictBool = False

    @model_validator(mode="after")
    def _role_or_person(self) -> Participant:
        if (self.role is None) == (self.person is None):
            raise PydanticCustomError(
                "cp_participant", "a participant has exactly one of 'role' or 'person'"
            )
        return self

    @property
    def took_part(self) -> bool:
        return self.status == Status.ATTENDED or self.report


class Meeting(Entry):
    type: closed(MeetingType)  # type: ignore[valid-type]
    date: Date
    participants: tuple[Participant, ...] = ()


class Visit(Entry):
    date: Date
    seen: StrictBool
    seen_alone: StrictBool | None = None


class ChildVoice(Entry):
    date: Date
    method: Token
    by: Token | None = None
    agency: Token | None = None


class Recording(Entry):
    date: Date
    agency: Token | None = None
    views_of: tuple[Id, ...] = ()


class Assessment(Entry):
    type: Token
    start: Date | None = None
    completed: Date | None = None
    contributors: tuple[Id, ...] = ()


class Tool(Entry):
    name: Token
    date: Date | None = None
    by: Token | None = None


class Professional(Entry):
    role: Token
    agency: Token | None = None
    from_: From = None
    to: Date | None = None


class Flag(Entry):
    flag: Token
    from_: From = None
    to: Date | None = None


class AgencyRecord(Entry):
    agency: Token
    system: Token | None = None
    shows_cp_plan: StrictBool | None = None
    plan_documents_available: StrictBool | None = None
    conference_minutes_on_file: StrictBool | None = None
    flags: tuple[Flag, ...] = ()


class Escalation(Entry):
    date: Date
    raised_by: Token | None = None
    resolved: Date | None = None


# ---------------------------------------------------------------------------
# A record and a case


@dataclass(frozen=True, slots=True)
class CaseList:
    """How one list of a case is merged from several records and read by the rules: the
    metadata of its field in `CaseParts` (`Annotated[tuple[Entry, ...], CaseList(...)]`).

    `dated_by`: the date field the merged list is sorted by (entries without it last),
    and by which the rules' view leaves out what is dated after the as-of date; none:
    the list is kept in the order given.
    `one_by`: the fields that make entries one entry, whichever records they come from
    (`combining` says how each type combines); none: the records' lists are
    concatenated, an entry identical to one from another record kept once.
    """

    dated_by: str | None = None
    one_by: tuple[str, ...] = ()


class CaseParts(BaseModel):
    """What a record holds about a child and a case merges: the people and the lists."""

    model_config = ConfigDict(frozen=True)

    people: Annotated[tuple[Person, ...], CaseList(one_by=("id",))] = ()
    involvement_start: Date | None = None  # the earliest of the records'
    referrals: Annotated[tuple[Referral, ...], CaseList("date")] = ()
    step_downs: Annotated[tuple[StepDown, ...], CaseList("date")] = ()
    plans: Annotated[tuple[Plan, ...], CaseList("start", one_by=("start",))] = ()
    meetings: Annotated[tuple[Meeting, ...], CaseList("date", one_by=("type", "date"))] = ()
    visits: Annotated[tuple[Visit, ...], CaseList("date", one_by=("date",))] = ()
    child_voice: Annotated[tuple[ChildVoice, ...], CaseList("date")] = ()
    recording: Annotated[tuple[Recording, ...], CaseList("date")] = ()
    assessments: Annotated[tuple[Assessment, ...], CaseList("start")] = ()
    tools: Annotated[tuple[Tool, ...], CaseList("date")] = ()
    professionals: Annotated[tuple[Professional, ...], CaseList("from_")] = ()
    agency_records: Annotated[tuple[AgencyRecord, ...], CaseList()] = ()
    escalations: Annotated[tuple[Escalation, ...], CaseList("date")] = ()


def _case_lists() -> dict[str, CaseList]:
    return {
        name: marker
        for name, info in CaseParts.model_fields.items()
        for marker in info.metadata
        if isinstance(marker, CaseList)
    }


CASE_LISTS: dict[str, CaseList] = _case_lists()  # in the field order


# A record's and a case's own fields come before their parts: pydantic orders the fields
# of a class with two bases from the last base's to the first's (the schema keeps it).


class _RecordHead(Entry):
    format: Literal[1] | None = None
    case_id: CaseId
    source: Source | None = None
    child: Child | None = None


def _record_schema(schema: dict[str, Any]) -> None:
    """A record's JSON schema: its fields, and the `x_` keys of the exporter's own."""
    _closed_schema(schema)
    schema["patternProperties"] = {EXTENSION_KEY: {}}


class CaseRecord(CaseParts, _RecordHead):
    """One case record: a child's record as one agency's system exported it."""

    model_config = ConfigDict(
        title="cp-audit case record, format 1",
        json_schema_extra=_record_schema,
    )

    @model_validator(mode="after")
    def _holds_what_it_covers(self) -> CaseRecord:
        covers = self.source.covers if self.source is not None else None
        if covers is not None:
            problems = uncovered_entries(self, covers)
            if problems:
                raise PydanticCustomError("cp_covers", "; ".join(problems))
        return self

    @property
    def covers(self) -> tuple[str, ...] | None:
        """The parts the record covers; None: every part."""
        return self.source.covers if self.source is not None else None


class _CaseHead(BaseModel):
    model_config = ConfigDict(frozen=True)

    case_id: str
    files: tuple[str, ...]
    sources: tuple[Source, ...] = ()
    child: Child
    # What the records cover, when every record lists it (`coverage`); None: every part.
    coverage: CaseCoverage | None = None


class Case(CaseParts, _CaseHead):
    """A merged case: every record of one child, checked as a whole (see `merging`).

    Built by `combining.merge`, never from user input directly; lists are sorted
    by date where order matters.
    """

    def age_on(self, day: date) -> int | None:
        """Completed years on `day` (negative before an expected birth); None if unknown."""
        born = self.child.date_of_birth or self.child.expected_date_of_birth
        if born is None:
            return self.child.age_years
        years = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        if day < born:
            return min(years, -1)
        return years

    @property
    def agencies(self) -> tuple[str, ...]:
        """The agencies whose records contributed (from each file's `source`)."""
        return tuple(sorted({s.agency for s in self.sources if s.agency}))


def references(record: CaseRecord) -> list[tuple[str, str]]:
    """Every person reference in a record: (its path, the person id)."""
    found: list[tuple[str, str]] = []
    for i, meeting in enumerate(record.meetings):
        for j, participant in enumerate(meeting.participants):
            if participant.person is not None:
                found.append((f"meetings[{i}].participants[{j}].person", participant.person))
    for i, entry in enumerate(record.recording):
        found += [(f"recording[{i}].views_of[{k}]", p) for k, p in enumerate(entry.views_of)]
    for i, plan in enumerate(record.plans):
        for j, action in enumerate(plan.actions):
            path = f"plans[{i}].actions[{j}].involves"
            found += [(f"{path}[{k}]", p) for k, p in enumerate(action.involves)]
    for i, assessment in enumerate(record.assessments):
        path = f"assessments[{i}].contributors"
        found += [(f"{path}[{k}]", p) for k, p in enumerate(assessment.contributors)]
    return found


def referenced(record: CaseRecord) -> set[str]:
    """The person ids `references` gives, without their paths (made only for an error):
    by `map` and `chain`, with no Python call an entry, as this runs for every record."""
    found: set[str | None] = set(map(_PERSON, _each(_PARTICIPANTS, record.meetings)))
    found.discard(None)  # a participant given by role
    found.update(_each(_VIEWS_OF, record.recording))
    found.update(_each(_INVOLVES, _each(_ACTIONS, record.plans)))
    found.update(_each(_CONTRIBUTORS, record.assessments))
    return cast(set[str], found)


def _each(lists: Callable[[Any], tuple[Any, ...]], entries: Iterable[Any]) -> Iterator[Any]:
    """Every item of the list `lists` gives of each entry, in order."""
    return chain.from_iterable(map(lists, entries))


_PERSON, _PARTICIPANTS, _VIEWS_OF = map(attrgetter, ("person", "participants", "views_of"))
_ACTIONS, _INVOLVES, _CONTRIBUTORS = map(attrgetter, ("actions", "involves", "contributors"))


def case_from_record(record: CaseRecord, file: str = "<example>") -> Case:
    """The case made of one record alone (examples and tests; `merging` handles several)."""
    parts = {name: getattr(record, name) for name in CaseParts.model_fields}
    sources = (record.source,) if record.source else ()
    return Case(
        case_id=record.case_id,
        files=(file,),
        sources=sources,
        child=record.child or Child(),
        coverage=case_coverage([record.covers], sources),
        **parts,
    )
