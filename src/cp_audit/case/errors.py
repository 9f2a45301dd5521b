"""User-facing messages for a pydantic `ValidationError`: the one formatter of the project.

Each error becomes a `FieldError`: where (pydantic's `loc`, shown as a path such
as `meetings[3].participants[1].status`, 0-based indexes) and a short message.
Messages never quote the input value (a name or a free text field could be
personal data); our own `cp_*` errors quote only the short typed values they
were written to quote (a bad date, a token), and pydantic's documentation links
are never shown. A case record's errors, the standards file's (`standards.spec`,
which names rules by id and adds the line), a rule's options, the examples' cases
and `cp-audit.yaml`'s all go through `describe_error`; what a key is called
("field", "option", "setting") and whether `x_` keys are allowed are its arguments.
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from cp_audit.case.values import EXTENSION_KEY, normalise_token, short

_MAPPING_TYPES = frozenset(
    {"dict_type", "model_type", "model_attributes_type", "dataclass_type", "mapping_type"}
)
_LIST_TYPES = frozenset(
    {"list_type", "tuple_type", "set_type", "frozen_set_type", "iterable_type", "sequence_str"}
)
_FIXED = {
    "missing": "required field is missing",
    "string_type": "must be a string",
    "string_unicode": "must be a string",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "recursion_loop": "nested too deeply",
}
_BOOL_KINDS = frozenset({"bool_type", "bool_parsing"})
_BOOL_WORDS = frozenset({"true", "false", "yes", "no", "on", "off"})
_INT_KINDS = frozenset({"int_type", "int_parsing"})
_WHOLE = re.compile(r"[+-]?\d{1,6}")
_PREFIXES = ("Value error, ", "Assertion failed, ")
TOO_DEEP = "nested too deeply"


Loc = tuple[int | str, ...]


@dataclass(frozen=True, slots=True)
class FieldError:
    """One validation error: where (may be empty: the whole input) and what."""

    loc: Loc  # for an unknown key, the mapping that holds it
    message: str
    key: str | None = None  # an unknown key: in the input, the error is at `loc` + key

    @property
    def at(self) -> Loc:
        """Where in the input the error is: `loc`, or an unknown key's own place."""
        return self.loc if self.key is None else (*self.loc, self.key)

    @property
    def path(self) -> str:
        return format_path(self.loc)

    def __str__(self) -> str:
        """`meetings[0].date: not an ISO date: ...`, or the message alone at the top."""
        return f"{self.path}: {self.message}" if self.loc else self.message


def describe(
    exc: ValidationError, model: type[BaseModel], noun: str = "field", own_keys: bool = True
) -> list[FieldError]:
    """Every error of `exc` (raised validating `model`), in pydantic's order."""
    return [describe_error(error, model, noun, own_keys) for error in exc.errors(include_url=False)]


def describe_error(
    error: ErrorDetails, model: type[BaseModel], noun: str = "field", own_keys: bool = True
) -> FieldError:
    """One error of validating `model`. An unknown key is an unknown `noun` (with the closest
    known one); `own_keys`: keys beginning with `x_` are allowed, and the message says so."""
    loc = tuple(error["loc"])
    kind = error["type"]
    if _not_an_extension_key(error, loc):
        kind = "extra_forbidden"  # how pydantic-core tells of a case record's unknown key
    if kind in ("extra_forbidden", "invalid_key") and loc:
        *parent, key = loc
        text = _key_message(kind, key, model, parent, noun, own_keys)
        return FieldError(tuple(parent), text, key if isinstance(key, str) else None)
    return FieldError(loc, message(error))


def _not_an_extension_key(error: ErrorDetails, loc: Loc) -> bool:
    """A record's object lets through only the extra keys that match `EXTENSION_KEY`
    (`model.Entry`): a key that does not is an unknown field."""
    return (
        error["type"] == "string_pattern_mismatch"
        and bool(loc)
        and error.get("input") == loc[-1]
        and (error.get("ctx") or {}).get("pattern") == EXTENSION_KEY
    )


def format_path(loc: Sequence[int | str]) -> str:
    """`("meetings", 3, "participants", 1, "status")` -> `meetings[3].participants[1].status`."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


_PATH_PART = re.compile(r"\[(\d+)\]|\.?([^.\[]+)")


def parse_path(path: str) -> Loc:
    """`meetings[3].participants[1]` -> `("meetings", 3, "participants", 1)`: `format_path`
    undone (a key holding `.` or `[` does not come back whole; no field name does)."""
    return tuple(int(index) if index else name for index, name in _PATH_PART.findall(path))


def message(error: ErrorDetails) -> str:
    """The message for one error, without its place."""
    kind = error["type"]
    if kind in _FIXED:
        return _FIXED[kind] + _quoted(kind, error.get("input"))
    if kind in _MAPPING_TYPES:
        return "must be a mapping (an object)"
    if kind in _LIST_TYPES:
        return "must be a list"
    ctx = error.get("ctx") or {}
    if kind == "literal_error" and "expected" in ctx:
        return f"must be {ctx['expected']}"
    if kind == "too_short" and "min_length" in ctx:
        least = ctx["min_length"]
        return "must not be empty" if least == 1 else f"must have at least {least} items"
    if kind in ("greater_than_equal", "greater_than") and ("ge" in ctx or "gt" in ctx):
        return f"must be at least {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than") and ("le" in ctx or "lt" in ctx):
        return f"must be at most {ctx.get('le', ctx.get('lt'))}"
    text = error["msg"]
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text


def _quoted(kind: str, value: Any) -> str:
    """For a boolean or a whole number written as text (`"true"`, `"12"`: quoted in YAML, a
    string in JSON), that the quotes are the problem. Only such short words and digits are
    quoted back: any other text is left out, as it could be personal data."""
    if not isinstance(value, str):
        return ""
    text = value.strip()
    if kind in _BOOL_KINDS and text.lower() in _BOOL_WORDS:
        return f', not the text "{text}" (remove the quotes)'
    if kind in _INT_KINDS and _WHOLE.fullmatch(text):
        return f', not the text "{text}" (remove the quotes)'
    return ""


def _key_message(
    kind: str, key: int | str, model: type[BaseModel], parent: Sequence[Any], noun: str,
    own_keys: bool,
) -> str:
    if kind == "invalid_key" or not isinstance(key, str):
        return (
            f"the key {short(str(key))} is not a string "
            '(in YAML, quote a key such as "on", "no" or "12")'
        )
    text = f'unknown {noun} "{short(key)}"'
    allowed = allowed_fields(model, parent)
    if allowed:
        # `As-Of` is `as_of` in another case or with a hyphen: said even where difflib is unsure
        same = [name for name in allowed if normalise_token(name) == normalise_token(key)]
        close = same or difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        if close:
            return f'{text} (did you mean "{close[0]}"?)'
    return f'{text} (a {noun} of your own must begin with "x_")' if own_keys else text


def allowed_fields(model: type[BaseModel], loc: Sequence[Any]) -> list[str]:
    """The field names (aliases where set) of the model reached by walking `loc` from `model`."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return []
        if isinstance(part, int):
            continue
        current = _field_model(current, part)
    if current is None:
        return []
    return [info.alias or name for name, info in current.model_fields.items()]


def _field_model(model: type[BaseModel], key: str) -> type[BaseModel] | None:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return model_in(info.annotation)
    return None


def model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class inside an annotation such as `tuple[Plan, ...]` or `Source | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = get_origin(annotation)
    if origin is None:
        return None
    if origin in (Union, types.UnionType, tuple, list, Annotated):
        for arg in get_args(annotation):
            found = model_in(arg)
            if found is not None:
                return found
    return None
