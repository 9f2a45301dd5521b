"""The case record format, version 1 (`shared/case-format.md`), as pydantic models.

`CaseRecord` is one record as an exporter writes it: each is validated on its own.
`Case` is the merged case (see `merging`): what the rules read. Tokens and the
values of closed sets are normalised on the way in (`School Nurse` ->
`school_nurse`), so the rules compare plain lower-case strings.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    model_validator,
)
from pydantic_core import PydanticCustomError

# ---------------------------------------------------------------------------
# Scalars

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)?"
)
_SEPARATORS = re.compile(r"[\s\-]")


def _short(value: Any) -> str:
    """A typed value short enough to quote in an error (never free text)."""
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


# Tokens and dates repeat across records (roles, agencies, the days of a few years), so
# what each text gives is remembered; bounded, so a long run's memory stays flat.
_CACHE_SIZE = 20_000
_DATES: dict[str, date] = {}
_TOKENS: dict[str, str] = {}


def parse_date(value: Any) -> date:
    """An ISO 8601 calendar date; a date-time gives its date part. Nothing is guessed."""
    if value.__class__ is str:
        known = _DATES.get(value)
        if known is None:
            known = _parse_date(value)
            if len(_DATES) >= _CACHE_SIZE:
                _DATES.clear()
            _DATES[value] = known
        return known
    return _parse_date(value)


def _parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool) or not isinstance(value, str):
        raise PydanticCustomError(
            "cp_date_type", "must be a date written YYYY-MM-DD, not a {kind}",
            {"kind": kind_of(value)},
        )
    text = value.strip()
    if _DATE.fullmatch(text):
        part = text
    elif match := _DATETIME.fullmatch(text):
        part = match.group(1)
        try:
            datetime.fromisoformat(text.replace(" ", "T", 1).replace("Z", "+00:00"))
        except ValueError as exc:
            raise _bad_date(text, str(exc)) from None
    else:
        raise _bad_date(text, "use YYYY-MM-DD")
    try:
        return date.fromisoformat(part)
    except ValueError as exc:
        raise _bad_date(text, str(exc)) from None


def _bad_date(text: str, why: str) -> PydanticCustomError:
    return PydanticCustomError(
        "cp_date", "not an ISO date: '{value}' ({why})", {"value": _short(text), "why": why}
    )


def kind_of(value: Any) -> str:
    """What a value from JSON or YAML is, in words: `null`, `number`, `list`, `mapping`..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__  # what only a YAML tag makes (a set, binary data)


def normalise_token(text: str) -> str:
    """`School Nurse`, `school-nurse` and `school_nurse` are one token."""
    token = _TOKENS.get(text)
    if token is None:
        token = _SEPARATORS.sub("_", text.strip().lower())
        if len(_TOKENS) >= _CACHE_SIZE:
            _TOKENS.clear()
        _TOKENS[text] = token
    return token


def _token(value: Any) -> str:
    if value.__class__ is str:
        known = _TOKENS.get(value)
        if known:  # seen before, and not empty
            return known
    if not isinstance(value, str):
        raise PydanticCustomError(
            "cp_token_type", "must be a word such as a role or agency, not a {kind}",
            {"kind": kind_of(value)},
        )
    token = normalise_token(value)
    if not token:
        raise PydanticCustomError("cp_token_empty", "must not be empty")
    return token


def _id(value: Any) -> str:
    if not isinstance(value, str):
        hint = " (quote an id that looks like a number)" if isinstance(value, int | float) else ""
        raise PydanticCustomError(
            "cp_id_type", "an id must be a string, not a {kind}{hint}",
            {"kind": kind_of(value), "hint": hint},
        )
    if not value:
        raise PydanticCustomError("cp_id_empty", "an id must not be empty")
    return value


def _case_id(value: Any) -> str:
    text = _id(value)
    if len(text) > 64:
        raise PydanticCustomError("cp_case_id", "a case id is at most 64 characters")
    if any(ch in "/\\" or unicodedata.category(ch) == "Cc" for ch in text):  # C0, DEL, C1
        raise PydanticCustomError(
            "cp_case_id", "a case id must not contain '/', '\\' or control characters"
        )
    return text


Date = Annotated[date, BeforeValidator(parse_date)]
Token = Annotated[str, BeforeValidator(_token)]
Id = Annotated[str, BeforeValidator(_id)]
CaseId = Annotated[str, BeforeValidator(_case_id)]
Text = StrictStr  # free text: never quoted in an error or shown by default


def _closed(enum: type[StrEnum], aliases: dict[str, str] | None = None) -> Any:
    allowed = ", ".join(member.value for member in enum)
    values = {member.value for member in enum}
    extra = aliases or {}

    def validate(value: Any) -> str:
        if not isinstance(value, str):
            raise PydanticCustomError(
                "cp_choice_type", "must be one of: {allowed}", {"allowed": allowed}
            )
        token = normalise_token(value)
        token = extra.get(token, token)
        if token not in values:
            raise PydanticCustomError(
                "cp_choice", "'{value}' is not one of: {allowed}",
                {"value": _short(value), "allowed": allowed},
            )
        return token

    return Annotated[enum, BeforeValidator(validate)]


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class Communication(StrEnum):
    VERBAL = "verbal"
    PRE_VERBAL = "pre_verbal"
    NON_VERBAL = "non_verbal"


class Relationship(StrEnum):
    MOTHER = "mother"
    FATHER = "father"
    STEPMOTHER = "stepmother"
    STEPFATHER = "stepfather"
    PARTNER_OF_PARENT = "partner_of_parent"
    GRANDPARENT = "grandparent"
    CARER = "carer"
    SIBLING = "sibling"
    OTHER = "other"


class PlanCategory(StrEnum):
    EMOTIONAL_ABUSE = "emotional_abuse"
    NEGLECT = "neglect"
    PHYSICAL_ABUSE = "physical_abuse"
    SEXUAL_ABUSE = "sexual_abuse"
    MULTIPLE = "multiple"


CENSUS_CATEGORIES = {
    "emo": "emotional_abuse",
    "neg": "neglect",
    "phy": "physical_abuse",
    "sab": "sexual_abuse",
    "mul": "multiple",
}


class MeetingType(StrEnum):
    STRATEGY_DISCUSSION = "strategy_discussion"
    ICPC = "icpc"
    RCPC = "rcpc"
    CORE_GROUP = "core_group"
    TRANSFER_IN_CONFERENCE = "transfer_in_conference"


CONFERENCES = frozenset({MeetingType.ICPC, MeetingType.RCPC, MeetingType.TRANSFER_IN_CONFERENCE})


class Status(StrEnum):
    """Participant status, from the strongest to the weakest (the merge keeps the strongest)."""

    ATTENDED = "attended"
    APOLOGIES = "apologies"
    DECLINED = "declined"
    DID_NOT_ATTEND = "did_not_attend"
    NOT_INVITED = "not_invited"


STATUS_RANK = {status: rank for rank, status in enumerate(reversed(list(Status)))}

# ---------------------------------------------------------------------------
# Records


class Entry(BaseModel):
    """Every object of the format: unknown fields are errors, `x_` fields are ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=False)

    @model_validator(mode="before")
    @classmethod
    def _drop_extension_keys(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        known = _FIELD_KEYS.get(cls)
        if known is None:
            known = _FIELD_KEYS[cls] = _field_keys(cls)
        if data.keys() <= known:  # the usual case, at C speed: no field to drop
            return data
        if any(isinstance(key, str) and key.startswith("x_") for key in data):
            return {
                key: value
                for key, value in data.items()
                if not (isinstance(key, str) and key.startswith("x_"))
            }
        return data


_FIELD_KEYS: dict[type[BaseModel], frozenset[str]] = {}


def _field_keys(model: type[BaseModel]) -> frozenset[str]:
    """The keys a model reads: its field names and their aliases (none begins with `x_`)."""
    keys = set(model.model_fields)
    keys.update(f.alias for f in model.model_fields.values() if f.alias is not None)
    return frozenset(keys)


class Source(Entry):
    agency: Token | None = None
    system: Token | None = None
    exported: Date | None = None


class Child(Entry):
    name: Text | None = None
    date_of_birth: Date | None = None
    expected_date_of_birth: Date | None = None
    age_years: Annotated[StrictInt, Field(ge=0, le=25)] | None = None
    gender: _closed(Gender) | None = None  # type: ignore[valid-type]
    communication: _closed(Communication) | None = None  # type: ignore[valid-type]
    needs: tuple[Token, ...] = ()


class Person(Entry):
    id: Id
    name: Text | None = None
    relationship: _closed(Relationship)  # type: ignore[valid-type]
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
    category: _closed(PlanCategory, CENSUS_CATEGORIES)  # type: ignore[valid-type]
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
    status: _closed(Status) = Status.ATTENDED  # type: ignore[valid-type]
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
    type: _closed(MeetingType)  # type: ignore[valid-type]
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
    from_: Date | None = Field(default=None, alias="from")
    to: Date | None = None

    model_config = ConfigDict(populate_by_name=True)


class Flag(Entry):
    flag: Token
    from_: Date | None = Field(default=None, alias="from")
    to: Date | None = None

    model_config = ConfigDict(populate_by_name=True)


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


class CaseRecord(Entry):
    """One case record: a child's record as one agency's system exported it."""

    model_config = ConfigDict(
        title="cp-audit case record, format 1",
        json_schema_extra={"patternProperties": {"^x_": {}}},
    )

    format: Literal[1] | None = None
    case_id: CaseId
    source: Source | None = None
    child: Child | None = None
    people: tuple[Person, ...] = ()
    involvement_start: Date | None = None
    referrals: tuple[Referral, ...] = ()
    step_downs: tuple[StepDown, ...] = ()
    plans: tuple[Plan, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    visits: tuple[Visit, ...] = ()
    child_voice: tuple[ChildVoice, ...] = ()
    recording: tuple[Recording, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    tools: tuple[Tool, ...] = ()
    professionals: tuple[Professional, ...] = ()
    agency_records: tuple[AgencyRecord, ...] = ()
    escalations: tuple[Escalation, ...] = ()


class Case(BaseModel):
    """A merged case: every record of one child, checked as a whole (see `merging`).

    Built by `merging.merge`, never from user input directly; lists are sorted
    by date where order matters.
    """

    model_config = ConfigDict(frozen=True)

    case_id: str
    files: tuple[str, ...]
    sources: tuple[Source, ...] = ()
    child: Child
    people: tuple[Person, ...] = ()
    involvement_start: date | None = None
    referrals: tuple[Referral, ...] = ()
    step_downs: tuple[StepDown, ...] = ()
    plans: tuple[Plan, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    visits: tuple[Visit, ...] = ()
    child_voice: tuple[ChildVoice, ...] = ()
    recording: tuple[Recording, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    tools: tuple[Tool, ...] = ()
    professionals: tuple[Professional, ...] = ()
    agency_records: tuple[AgencyRecord, ...] = ()
    escalations: tuple[Escalation, ...] = ()

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


def case_from_record(record: CaseRecord, file: str = "<example>") -> Case:
    """The case made of one record alone (examples and tests; `merging` handles several)."""
    data = {name: getattr(record, name) for name in Case.model_fields if hasattr(record, name)}
    data.update(
        files=(file,),
        sources=(record.source,) if record.source else (),
        child=record.child or Child(),
    )
    return Case(**data)
