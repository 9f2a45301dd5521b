"""The scalar values of the case format (`shared/case-format.md`): dates, tokens, ids and
the closed sets, each a type that validates and normalises what an exporter wrote.

Dates are ISO calendar dates (a date-time gives its date part; nothing is guessed),
tokens and closed-set values are compared case-insensitively with spaces and
hyphens read as underscores (`School Nurse` -> `school_nurse`), ids are strings
compared exactly. Error messages quote only these short typed values, never free
text (`Text`), which may be personal data.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, get_args, get_origin

from pydantic import BeforeValidator, Strict, StrictStr
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)?"
)
_SEPARATORS = re.compile(r"[\s\-]")
# A key of a record's object that is none of its fields must match this: an extension
# key of the exporter's own (`model.Entry`).
EXTENSION_KEY = r"^x_"


def short(value: Any) -> str:
    """A value short enough to quote in a message, at most 40 characters: a typed value,
    a key, a code (never free text). The one such cut, for every message."""
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
        "cp_date", "not an ISO date: '{value}' ({why})", {"value": short(text), "why": why}
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
    # Format characters (U+202E, which reverses what follows; zero-width ones) make an id
    # look like another in a report.
    if any(unicodedata.category(ch) == "Cf" for ch in text):
        raise PydanticCustomError(
            "cp_case_id", "a case id must not contain invisible format characters "
                          "(such as U+202E, which reverses the text after it)"
        )
    return text


Date = Annotated[date, BeforeValidator(parse_date)]
Token = Annotated[str, BeforeValidator(_token)]
Id = Annotated[str, BeforeValidator(_id)]
CaseId = Annotated[str, BeforeValidator(_case_id)]
Text = StrictStr  # free text: never quoted in an error or shown by default


def is_free_text(info: FieldInfo) -> bool:
    """A free text field (a name, an action's text...): its value is never quoted."""
    if info.annotation is str:
        return _strict(info.metadata)
    for arg in (info.annotation, *get_args(info.annotation)):
        if get_origin(arg) is Annotated and get_args(arg)[0] is str:
            return _strict(get_args(arg)[1:])
    return False


def _strict(metadata: Iterable[Any]) -> bool:
    return any(isinstance(item, Strict) and item.strict for item in metadata)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean "father"?)` for the choice closest to `word`; "" when none is close."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def closed(enum: type[StrEnum], aliases: dict[str, str] | None = None) -> Any:
    """The type of a closed set's value: a member of `enum`, written in any case and with
    spaces or hyphens, or one of `aliases` (the census's plan category codes)."""
    allowed = ", ".join(member.value for member in enum)
    values = {member.value for member in enum}
    extra = aliases or {}
    # What each text written gives, as for tokens: a few spellings of a few values.
    seen: dict[str, str] = {}

    def validate(value: Any) -> str:
        if value.__class__ is str and (known := seen.get(value)) is not None:
            return known
        if not isinstance(value, str):
            raise PydanticCustomError(
                "cp_choice_type", "must be one of: {allowed}", {"allowed": allowed}
            )
        token = normalise_token(value)
        token = extra.get(token, token)
        if token not in values:
            raise PydanticCustomError(
                "cp_choice", "'{value}' is not one of: {allowed}{hint}",
                {"value": short(value), "allowed": allowed, "hint": did_you_mean(token, values)},
            )
        if len(seen) < _CACHE_SIZE:
            seen[value] = token
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
