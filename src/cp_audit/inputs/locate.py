"""Where in a file a record's error is: the line and column of a path such as `visits[5].date`.

Only the error path pays: a reader keeps nothing for this but what it already
knows (a record's file and place, and for JSON Lines the byte offset of its
line), and when a record has errors, `position` reads the file again and walks
to each error's path:

- JSON: the text is scanned (strings, escapes and nested containers skipped
  with a regular expression) to the value at the path; a member of an object
  is placed at its key.
- YAML: the document's node tree is composed (the C safe loader, nothing
  constructed) and walked as the standards file's errors are (`yaml_mark`).
- JSON Lines: the line is known; the column is found in the line as for JSON.

A path that goes further than the file (a required field missing) is placed at
the deepest part that is there. A file changed since it was read, or one that
no longer parses, gives no place: the error is still reported, without it.
The last file read is kept, so that a file of many bad records is read once.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import yaml

from cp_audit.inputs.reading import decode
from cp_audit.inputs.yaml import SAFE_LOADER

Loc = Sequence[int | str]
_PLACE = re.compile(r"(?:document (\d+))?(?:, )?(?:\[(\d+)\])?")
_SPACE = re.compile(r"[ \t\r\n]+")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_SCALAR = re.compile(r"[^,\]}\s]*")


def placed(file: str, place: str, loc: Loc, offset: int | None = None) -> str:
    """The record's place and, where the file shows it, the line and column of `loc` in it:
    `document 2, [3], line 48, column 9`; for JSON Lines, `line 3, column 7`."""
    found = position(file, place, loc, offset)
    if found is None or offset is not None:
        return found or place
    return ", ".join(part for part in (place, found) if part)


def position(file: str, place: str, loc: Loc, offset: int | None = None) -> str | None:
    """`line 48, column 9`: where the value at `loc` in the record at `place` of `file`
    starts; None when it cannot be found. `offset`: a JSON Lines record's line's byte offset."""
    try:
        if offset is not None:
            return _in_line(file, place, offset, loc)
        if file.lower().endswith((".yaml", ".yml")):
            return _in_yaml(file, place, loc)
        if file.lower().endswith(".json"):
            return _in_json(file, place, loc)
    except (OSError, ValueError, IndexError, AttributeError, RecursionError, yaml.YAMLError):
        pass  # the file changed or went since it was read: no place, the error still shown
    return None


def _in_json(file: str, place: str, loc: Loc) -> str | None:
    text = _text(*_stamp(file))
    start = json_offset(text, _ws(text, 0), [*_record_index(place), *loc])
    return None if start is None else _line_column(text, start)


def _in_line(file: str, place: str, offset: int, loc: Loc) -> str | None:
    with open(file, "rb") as handle:
        handle.seek(offset)
        text = decode(handle.readline())
    start = json_offset(text, _ws(text, 0), loc)
    return None if start is None else f"{place}, column {start + 1}"


def _in_yaml(file: str, place: str, loc: Loc) -> str | None:
    documents = _yaml_nodes(*_stamp(file))
    match = _PLACE.fullmatch(place)
    if match is None:
        return None
    number, index = match.groups()
    record = documents[int(number) - 1 if number else 0]
    if index is not None:
        record = record.value[int(index)]
    mark = yaml_mark(record, loc) or record.start_mark
    return f"line {mark.line + 1}, column {mark.column + 1}"


def _stamp(file: str) -> tuple[str, int, int]:
    """The file and what tells a changed file from the one read (its size and time)."""
    stat = os.stat(file)
    return file, stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=1)
def _text(file: str, mtime: int, size: int) -> str:
    with open(file, "rb") as handle:
        return decode(handle.read())


@lru_cache(maxsize=1)
def _yaml_nodes(file: str, mtime: int, size: int) -> list[Any]:
    return list(yaml.compose_all(_text(file, mtime, size), Loader=SAFE_LOADER))


def _ws(text: str, at: int) -> int:
    """The offset of the first character at or after `at` that is not JSON white space."""
    space = _SPACE.match(text, at)
    return space.end() if space else at


def _end(pattern: re.Pattern[str], text: str, at: int) -> int:
    found = pattern.match(text, at)
    if found is None:  # a string never closed: not the text that was read
        raise ValueError("not the JSON that was read")
    return found.end()


def _record_index(place: str) -> list[int]:
    """`[3]` -> [3]: a record in a list; `` -> []: the file's one record."""
    return [int(place[1:-1])] if place.startswith("[") else []


def _line_column(text: str, offset: int) -> str:
    line_start = text.rfind("\n", 0, offset) + 1
    return f"line {text.count(chr(10), 0, offset) + 1}, column {offset - line_start + 1}"


def json_offset(text: str, start: int, loc: Loc) -> int | None:
    """Where in JSON `text` the value at `loc` begins, walking from the value at `start`;
    a member of an object is placed at its key. The deepest part found, if not all."""
    found, at = start, start
    for part in loc:
        step = _member(text, at, part) if isinstance(part, str) else _item(text, at, part)
        if step is None:
            break
        found, at = step
    return found


def _member(text: str, at: int, key: str) -> tuple[int, int] | None:
    """(the key's offset, its value's) of the member `key` of the object at `at`."""
    if not text.startswith("{", at):
        return None
    at = _ws(text, at + 1)
    while text.startswith('"', at):
        key_end = _end(_STRING, text, at)
        value = _ws(text, _ws(text, key_end) + 1)  # past the ':'
        if json.loads(text[at:key_end]) == key:
            return at, value
        at = _after(text, value)
    return None


def _item(text: str, at: int, index: int) -> tuple[int, int] | None:
    """The offset of item `index` of the array at `at`, twice (an item is its own place)."""
    if not text.startswith("[", at):
        return None
    at = _ws(text, at + 1)
    for _ in range(index):
        if text.startswith("]", at):
            return None
        at = _after(text, at)
    return None if text.startswith("]", at) else (at, at)


def _after(text: str, at: int) -> int:
    """The start of what follows the value at `at` and its comma (or the closing bracket)."""
    end = _skip(text, at)
    end = _ws(text, end)
    if text.startswith(",", end):
        end = _ws(text, end + 1)
    return end


def _skip(text: str, at: int) -> int:
    """The end of the JSON value at `at`: a string, a container (its strings skipped whole,
    so a bracket in a string is not counted) or a number or literal."""
    if text.startswith('"', at):
        return _end(_STRING, text, at)
    if not text.startswith(("{", "["), at):
        return _end(_SCALAR, text, at)
    depth = 0
    for token in _TOKEN.finditer(text, at):
        mark = token.group()
        if mark in "[{":
            depth += 1
        elif mark in "]}":
            depth -= 1
            if depth == 0:
                return token.end()
    raise ValueError("a container that is never closed")


def yaml_mark(node: Any, loc: Loc) -> Any:
    """The start of the deepest node on the path `loc` (a key's own node for a mapping key)."""
    mark = None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            pair = next((p for p in node.value if p[0].value == str(part)), None)
            if pair is None:
                break
            mark, node = pair[0].start_mark, pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
            mark = node.start_mark
        else:
            break
    return mark
