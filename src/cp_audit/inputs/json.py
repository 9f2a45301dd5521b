"""JSON files (`.json`): one case record (an object) or a list of them.

- The file is read whole, up to `Limits.json_bytes` (50 MB by default); a
  bigger batch belongs in JSON Lines.
- An object with the same key twice is an error: one of the two values would
  otherwise be lost silently.
- `NaN`, `Infinity` and `-Infinity` are not JSON values, and a `\\u` escape
  of half a character (a lone UTF-16 surrogate) is not text: both errors.
- An empty file, or one of whitespace only, holds no case record.

`json_loads` is shared with JSON Lines, whose every line follows these rules.

The bytes are parsed first with `jiter` (pydantic's own JSON parser), told to
reject duplicate keys, `NaN` and the infinities; it also refuses lone
surrogates and nesting deeper than about 200. Whatever it refuses is parsed
again with the standard library, with the checks above, which gives the
message (or, for a document only jiter refuses, the value): so a file is
accepted, and any error worded, exactly as the standard library alone does,
at half the cost for the valid files a run is made of.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, ClassVar

import jiter

from cp_audit.case.errors import TOO_DEEP
from cp_audit.inputs.interface import DEFAULT_LIMITS, FileResult, Limits, Part, Reader, Unreadable
from cp_audit.inputs.reading import decode, read_bytes, read_whole, short, split

# A "case_id" key and its string value, in JSON text without a backslash: there a string
# cannot hold a quote, and a string followed by ':' is always a key.
_CASE_ID_PAIR = re.compile(rb'"case_id"\s*:\s*"([^"]*)"')


class JsonReader(Reader):
    suffixes: ClassVar[tuple[str, ...]] = (".json",)

    def read(
        self, path: str, limits: Limits = DEFAULT_LIMITS, part: Part | None = None
    ) -> FileResult:
        return read_whole(path, lambda: split(_parse(path, limits), path, ""))

    def quick_case_ids(
        self, path: str, part: Part | None, limits: Limits = DEFAULT_LIMITS
    ) -> list[Any]:
        """Every string given to a "case_id" key anywhere in the file, found in its bytes
        without parsing them (a tenth of the cost of parsing); where an escape makes that
        untrustworthy, the values parsed the quick way (no duplicate-key check)."""
        data = read_bytes(path, limits.json_bytes, "JSON")
        if b"\\" not in data:  # an escape could hide a key or a quote: parse instead
            return [value.decode("utf-8") for value in _CASE_ID_PAIR.findall(data)]
        return case_id_values([json.loads(decode(data))])


def case_id_values(values: Iterable[Any]) -> list[Any]:
    """The `case_id` of every mapping among `values`, and among the lists there."""
    return [
        record.get("case_id")
        for value in values
        for record in (value if isinstance(value, list) else [value])
        if isinstance(record, dict)
    ]


def _parse(path: str, limits: Limits) -> Any:
    data = read_bytes(path, limits.json_bytes, "JSON")
    text = decode(data)
    if not text.strip():
        return None
    return json_loads(text, data)


def json_loads(text: str, data: bytes | None = None) -> Any:
    """One JSON value, checked as the format page says; Unreadable when it is not one.
    `data`: the bytes `text` was decoded from, if at hand (then parsed by jiter first)."""
    if data is not None:
        try:
            return jiter.from_json(data, allow_inf_nan=False, catch_duplicate_keys=True)
        except ValueError:
            pass  # refused: the standard library's parse decides, and says why
    try:
        value = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
        if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(value):
            raise Unreadable(
                "not valid JSON: a \\u escape of half a character (a lone UTF-16 surrogate)"
            )
        return value
    except json.JSONDecodeError as exc:
        raise Unreadable(
            f"not valid JSON: {_json_reason(exc)}", f"line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise Unreadable(TOO_DEEP) from None
    except ValueError as exc:  # e.g. an integer with too many digits
        raise Unreadable(f"not valid JSON: {exc}") from None


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _has_lone_surrogate(value: Any) -> bool:
    """A string holding half a UTF-16 pair: not a character, and it cannot be written out."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack += item.keys()
            stack += item.values()
        elif isinstance(item, list):
            stack += item
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False


def _json_reason(exc: json.JSONDecodeError) -> str:
    if exc.msg.startswith("Unterminated string"):  # "... starting at": then the position
        return "a string that is never closed (is the text cut short?)"
    return exc.msg


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise Unreadable(f'duplicate key "{short(key)}"')
            seen.add(key)
    return result


def _no_constant(name: str) -> Any:
    raise Unreadable(f"not valid JSON: {name} is not a JSON value")
