"""Finding case files and reading them into raw records (`shared/case-format.md`, "Files").

`load(paths)` runs the whole pipeline: discovery, reading, then `merging`.
Its first two steps are kept apart so that reading can later run per file
in parallel:

- `discover(paths, exclude)`: the files to read, the files skipped (with a
  reason), and the paths that do not exist.
- `parse_file(path, limits)`: one file's raw records (plain mappings, each
  with its place in the file) and its problems. Nothing here validates a
  record: that is `merging`'s work.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

import yaml

from cp_audit.case.errors import TOO_DEEP
from cp_audit.case.merging import merge_records
from cp_audit.case.model import Case
from cp_audit.case.values import kind_of
from cp_audit.results import Counts, Problem, SkippedFile

CASE_EXTENSIONS = (".json", ".jsonl", ".yaml", ".yml")
MB = 1024 * 1024
PathLike = str | os.PathLike[str]
NO_RECORD = "no case record in the file (a failed export often looks like this)"
SAVE_AS_UTF8 = "save it as UTF-8"
LOOP = "a loop of symbolic links: not followed"


@dataclass(frozen=True, slots=True)
class Limits:
    """Size limits, in bytes, and the YAML alias expansion limit, in values."""

    json_bytes: int = 50 * MB  # a .json file, or one line of a .jsonl file
    yaml_bytes: int = 10 * MB  # a .yaml or .yml file
    alias_values: int = 100_000  # values that a YAML document's aliases may add


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One case record as read: not validated yet."""

    file: str
    place: str  # "line 3", "document 2, [3]", "[0]"; "" for a file holding one record
    data: dict[Any, Any]


@dataclass(frozen=True, slots=True)
class FileResult:
    path: str
    records: tuple[RawRecord, ...]
    problems: tuple[Problem, ...]
    unreadable: bool  # nothing could be read from the file at all


class Discovered(NamedTuple):
    files: list[str]
    skipped: list[SkippedFile]
    problems: list[Problem]


@dataclass(frozen=True, slots=True)
class LoadResult:
    cases: list[Case]  # sorted by case_id
    problems: list[Problem]
    skipped: list[SkippedFile]
    counts: Counts
    incomplete: bool  # something that could not be read at all may have held cases


class AliasLoopError(ValueError):
    """A YAML document that contains itself through an alias: it expands without end."""


class _Unreadable(Exception):
    """The file, or one line of it, cannot be read: the message and where."""

    def __init__(self, message: str, location: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location


# ---------------------------------------------------------------------------
# The pipeline


def load(
    paths: Iterable[str], *, exclude: Iterable[PathLike] = (), limits: Limits = DEFAULT_LIMITS
) -> LoadResult:
    """Read every case file under `paths` and merge the records into cases."""
    found = discover(paths, exclude)
    results = [parse_file(path, limits) for path in found.files]
    merged = merge_records(record for result in results for record in result.records)
    problems = [*found.problems]
    for result in results:
        problems += result.problems
    problems += merged.problems
    counts = Counts(
        files_found=len(found.files) + len(found.skipped),
        files_read=len(found.files),
        files_skipped=len(found.skipped),
        files_rejected=sum(result.unreadable for result in results),
        cases_loaded=len(merged.cases),
        cases_rejected=len(merged.rejected),
    )
    incomplete = any(problem.case_id is None for problem in problems)
    return LoadResult(merged.cases, problems, found.skipped, counts, incomplete)


# ---------------------------------------------------------------------------
# Discovery


def discover(paths: Iterable[str], exclude: Iterable[PathLike] = ()) -> Discovered:
    """The files under `paths` to read as cases, in a stable order.

    Folders are walked recursively in sorted order; hidden entries (a name
    starting with '.') are left out; links to folders met while walking are
    not followed. `exclude` names files never read as cases (the audit's
    `cp-audit.yaml`, the standards file, output files).
    """
    excluded = {os.path.realpath(path) for path in exclude}
    found = Discovered([], [], [])
    seen: set[str] = set()
    for path in paths:
        try:
            info = os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                found.skipped.append(SkippedFile(path, LOOP))
            else:
                found.problems.append(Problem(_os_reason(exc, "path"), file=path, files=(path,)))
            continue
        if stat.S_ISDIR(info.st_mode):
            _walk(os.path.normpath(path), found, excluded, seen)
        else:
            _consider(os.path.normpath(path), info, found, excluded, seen)
    return found


def _walk(folder: str, found: Discovered, excluded: set[str], seen: set[str]) -> None:
    real = os.path.realpath(folder)
    if real in seen:  # given twice, or given inside another path given
        return
    seen.add(real)
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        found.problems.append(
            Problem(_os_reason(exc, "folder"), file=folder, files=(folder,))
        )
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = entry.name if folder == "." else os.path.join(folder, entry.name)
        try:
            if entry.is_dir(follow_symlinks=False):
                _walk(path, found, excluded, seen)
                continue
            if entry.is_symlink() and entry.is_dir():
                found.skipped.append(SkippedFile(path, "a link to a folder: not followed"))
                continue
            info = entry.stat()
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # a link that leads back to itself: holds nothing
                found.skipped.append(SkippedFile(path, LOOP))
            elif _is_case_file(path):  # found: reading it says why it cannot be read
                found.files.append(path)
            else:
                found.skipped.append(SkippedFile(path, f"cannot be read: {exc.strerror}"))
            continue
        _consider(path, info, found, excluded, seen)


def _consider(
    path: str, info: os.stat_result, found: Discovered, excluded: set[str], seen: set[str]
) -> None:
    real = os.path.realpath(path)
    if real in seen:
        return
    seen.add(real)
    if real in excluded:
        found.skipped.append(SkippedFile(path, "the run's own configuration, standards or output"))
    elif not stat.S_ISREG(info.st_mode):
        found.skipped.append(SkippedFile(path, "not a regular file"))
    elif not _is_case_file(path):
        found.skipped.append(SkippedFile(path, _skip_reason(path)))
    else:
        found.files.append(path)


def _is_case_file(path: str) -> bool:
    return path.lower().endswith(CASE_EXTENSIONS)


def _skip_reason(path: str) -> str:
    extension = os.path.splitext(path)[1]
    kind = f"a {extension} file" if extension else "a file without an extension"
    return f"{kind}: only .json, .jsonl, .yaml and .yml files are read"


def _file_reason(path: str, exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError) and os.path.islink(path):
        return "cannot read the file: a link to nothing (its target does not exist)"
    return _os_reason(exc, "file")


def _os_reason(exc: OSError, what: str) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or folder" if what == "path" else f"cannot read the {what}: not found"
    if isinstance(exc, PermissionError):
        return f"cannot read the {what}: permission denied"
    return f"cannot read the {what}: {exc.strerror or type(exc).__name__}"


# ---------------------------------------------------------------------------
# Reading one file


@dataclass(frozen=True, slots=True)
class Part:
    """A run of whole lines of a JSON Lines file: bytes [start, end), from line `first_line`."""

    start: int
    end: int
    first_line: int


def split_json_lines(path: str, part_bytes: int) -> list[Part] | None:
    """Cut a big JSON Lines file at line ends into parts of about `part_bytes`, so that
    several processes can read it; None when it is small or cannot be read (the
    reader then reports it whole)."""
    try:
        size = os.stat(path).st_size
        if size <= part_bytes:
            return None
        parts: list[Part] = []
        start, line = 0, 1
        with open(path, "rb") as handle:
            while start < size:
                end = _line_end_after(handle, start + part_bytes, size)
                handle.seek(start)
                # Counted so that every part's problems give the file's own line numbers.
                lines = _count_newlines(handle, end - start)
                parts.append(Part(start, end, line))
                start, line = end, line + lines
    except OSError:
        return None
    return parts


def _line_end_after(handle: Any, position: int, size: int) -> int:
    """The offset just after the first line end at or after `position` (or the file's end)."""
    if position >= size:
        return size
    handle.seek(position)
    while block := handle.readline(MB):  # by the megabyte: a line may be huge
        if block.endswith(b"\n"):
            break
    end: int = handle.tell()
    return min(end, size)


def _count_newlines(handle: Any, length: int) -> int:
    count = 0
    while length > 0:
        block = handle.read(min(length, 16 * MB))
        if not block:
            break
        count += block.count(b"\n")
        length -= len(block)
    return count


# A "case_id" key and its string value, in JSON text without a backslash: there a string
# cannot hold a quote, and a string followed by ':' is always a key.
_CASE_ID_PAIR = re.compile(rb'"case_id"\s*:\s*"([^"]*)"')


def quick_case_ids(path: str, limits: Limits = DEFAULT_LIMITS) -> list[str] | None:
    """Every string given to a "case_id" key anywhere in a .json file, found in its bytes
    without parsing them (a superset of its records' case ids, which is all that grouping
    files needs); None when that cannot be trusted (an escape in the text)."""
    data = _read(path, limits.json_bytes, "JSON")
    if b"\\" in data:  # an escape could hide a key or a quote: parse instead
        return None
    return [value.decode("utf-8") for value in _CASE_ID_PAIR.findall(data)]


def quick_values(path: str, part: Part | None, limits: Limits = DEFAULT_LIMITS) -> list[Any]:
    """The JSON values of a .json file or of a JSON Lines part, parsed the quick way
    (no duplicate-key check): to index which files name which case ids, nothing more.
    Raises on anything unusual; `parse_part` then reads the file with every check."""
    lower = path.lower()
    if lower.endswith(".json") and part is None:
        return [json.loads(_decode(_read(path, limits.json_bytes, "JSON")))]
    if lower.endswith(".jsonl"):
        with open(path, "rb") as handle:
            start, end, first = (part.start, part.end, part.first_line) if part else (0, None, 1)
            handle.seek(start)
            return [
                json.loads(line)
                for _, line in _lines(handle, limits.json_bytes, end, first)
                if line is not None and line.strip()
            ]
    raise ValueError("not JSON")


def parse_part(path: str, part: Part | None, limits: Limits = DEFAULT_LIMITS) -> FileResult:
    """One file, or one part of a big JSON Lines file (None: the whole file)."""
    if part is None:
        return parse_file(path, limits)
    try:
        return _parse_json_lines(path, limits, part)
    except OSError as exc:
        return _unreadable(path, _file_reason(path, exc))


def parse_file(path: str, limits: Limits = DEFAULT_LIMITS) -> FileResult:
    """Read one case file into raw records; never raises for bad input."""
    lower = path.lower()
    try:
        if lower.endswith(".jsonl"):
            return _parse_json_lines(path, limits)
        if lower.endswith(".json"):
            records, problems = _split(_parse_json_file(path, limits), path, "")
        else:
            records, problems = _parse_yaml_file(path, limits)
    except _Unreadable as exc:
        return _unreadable(path, exc.message, exc.location)
    except OSError as exc:
        return _unreadable(path, _file_reason(path, exc))
    if not records and not problems:
        return _unreadable(path, NO_RECORD)
    return FileResult(path, tuple(records), tuple(problems), unreadable=not records)


def _unreadable(path: str, message: str, location: str | None = None) -> FileResult:
    problem = Problem(message, file=path, files=(path,), location=location)
    return FileResult(path, (), (problem,), unreadable=True)


def _check_size(path: str, limit: int, kind: str) -> None:
    size = os.stat(path).st_size
    if size > limit:
        hint = " (large batches belong in JSON Lines)" if kind != "JSON Lines" else ""
        shown, over = sizes(size, limit)
        raise _Unreadable(
            f"the file is {shown}, over the {over} limit for a {kind} file: not read{hint}"
        )


def size_text(size: int) -> str:
    """`52428800` -> `50 MB`, `2048` -> `2 KB`, `12` -> `12 bytes`."""
    for unit, scale in (("MB", MB), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}".replace(f".0 {unit}", f" {unit}")
    return "1 byte" if size == 1 else f"{size} bytes"


def sizes(size: int, limit: int) -> tuple[str, str]:
    """A size and the limit it is over, in bytes where rounding would show them equal."""
    shown, over = size_text(size), size_text(limit)
    if shown == over:
        return f"{size:,} bytes", f"{limit:,} bytes"
    return shown, over


def _read(path: str, limit: int, kind: str) -> bytes:
    """The file's bytes, its size checked before it is opened and again as it is read (a
    file that grows, or reports no size, is never read past the limit)."""
    _check_size(path, limit, kind)
    with open(path, "rb") as handle:
        data: bytes = handle.read(limit + 1)
    if len(data) > limit:
        raise _Unreadable(f"the file is over the {size_text(limit)} limit for a {kind} file: "
                          "not read")
    return data


def _decode(data: bytes, line: int | None = None) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Unreadable(f"not UTF-8 text: it is UTF-16 ({SAVE_AS_UTF8})", f"line {line or 1}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        number = line or data.count(b"\n", 0, exc.start) + 1
        raise _Unreadable("not UTF-8 text", f"line {number}") from None
    if "\0" in text:  # valid UTF-8, but no text file holds NUL: UTF-16, or binary data
        number = line or data.count(b"\n", 0, data.index(b"\0")) + 1
        raise _Unreadable(
            f"not UTF-8 text: it holds NUL bytes (UTF-16, or not text at all; {SAVE_AS_UTF8})",
            f"line {number}",
        )
    return text


def _split(document: Any, path: str, place: str) -> tuple[list[RawRecord], list[Problem]]:
    """One document: a case record (a mapping) or a list of them."""
    if document is None:
        return [], []
    if isinstance(document, dict):
        return [RawRecord(path, place, document)], []
    if not isinstance(document, list):
        return [], [_not_a_record(path, place, document)]
    records: list[RawRecord] = []
    problems: list[Problem] = []
    for index, item in enumerate(document):
        where = _join(place, f"[{index}]")
        if isinstance(item, dict):
            records.append(RawRecord(path, where, item))
        else:
            problems.append(_not_a_record(path, where, item))
    return records, problems


def _not_a_record(path: str, place: str, value: Any) -> Problem:
    return Problem(
        f"a case record must be a mapping (an object), not {_a(kind_of(value))}",
        file=path, files=(path,), location=place or None,
    )


def _a(kind: str) -> str:
    return kind if kind == "null" else f"a {kind}"


def _join(*parts: str) -> str:
    return ", ".join(part for part in parts if part)


# JSON ----------------------------------------------------------------------


def _parse_json_file(path: str, limits: Limits) -> Any:
    text = _decode(_read(path, limits.json_bytes, "JSON"))
    if not text.strip():
        return None
    return _json_loads(text)


def _json_loads(text: str) -> Any:
    try:
        value = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
        if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(value):
            raise _Unreadable(
                "not valid JSON: a \\u escape of half a character (a lone UTF-16 surrogate)"
            )
        return value
    except json.JSONDecodeError as exc:
        raise _Unreadable(
            f"not valid JSON: {_json_reason(exc)}", f"line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise _Unreadable(TOO_DEEP) from None
    except ValueError as exc:  # e.g. an integer with too many digits
        raise _Unreadable(f"not valid JSON: {exc}") from None


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
                raise _Unreadable(f'duplicate key "{_short(key)}"')
            seen.add(key)
    return result


def _no_constant(name: str) -> Any:
    raise _Unreadable(f"not valid JSON: {name} is not a JSON value")


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


# JSON Lines ----------------------------------------------------------------


def _parse_json_lines(path: str, limits: Limits, part: Part | None = None) -> FileResult:
    records: list[RawRecord] = []
    problems: list[Problem] = []
    with open(path, "rb") as handle:
        lines = _lines(handle, limits.json_bytes)
        if part is not None:
            handle.seek(part.start)
            lines = _lines(handle, limits.json_bytes, part.end, part.first_line)
        for number, line in lines:
            place = f"line {number}"
            try:
                if line is None:
                    raise _Unreadable(
                        f"the line is over the {size_text(limits.json_bytes)} limit: not read"
                    )
                text = _decode(line, number).rstrip("\r\n")
                if not text.strip():
                    continue
                value = _json_loads(text)
            except _Unreadable as exc:
                where = _line_location(place, exc.location)
                problems.append(Problem(exc.message, file=path, files=(path,), location=where))
                continue
            if isinstance(value, dict):
                records.append(RawRecord(path, place, value))
            else:
                problems.append(_not_a_record(path, place, value))
    if not records and not problems and part is None:
        return _unreadable(path, NO_RECORD)
    return FileResult(path, tuple(records), tuple(problems), unreadable=not records)


def _line_location(place: str, location: str | None) -> str:
    """`line 3` and a JSON error's `line 1, column 7` -> `line 3, column 7`."""
    if location and ", column " in location:
        return f"{place}, column {location.split(', column ')[1]}"
    return place


def _lines(
    handle: Any, limit: int, end: int | None = None, first: int = 1
) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines up to byte `end`; None for a line over `limit` bytes (its line end
    not counted). A long line is measured a megabyte at a time before it is read, so a
    line over the limit is never held in memory."""
    number = first - 1
    while end is None or handle.tell() < end:
        start = handle.tell()
        line: bytes = handle.readline(MB)
        if not line:
            return
        number += 1
        length, last = len(line), line
        while not last.endswith(b"\n") and (last := handle.readline(MB)):
            length += len(last)
        if length - last.endswith(b"\n") > limit:
            yield number, None
            continue
        if length != len(line):  # measured in pieces: now read it whole
            handle.seek(start)
            line = handle.read(length)
        yield number, line


# YAML ----------------------------------------------------------------------

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"


class CaseLoader(_BaseLoader):  # type: ignore[misc]
    """Safe YAML 1.1 (yes/no/on/off stay booleans), with dates left as strings for the
    model to parse, and a mapping with the same key twice rejected."""

    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, Any]]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if key_node.tag == _MERGE or not isinstance(key_node, yaml.ScalarNode):
                    continue
                key = self.construct_object(key_node, deep=True)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f'duplicate key "{_short(str(key))}"', key_node.start_mark
                    )
                seen.add(key)
        result: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return result


def _checked_scalar(constructor: Any) -> Any:
    """PyYAML's constructor for an explicitly tagged scalar (`!!bool maybe`, `!!int ''`)
    raises KeyError, IndexError or ValueError on a value that does not fit the tag: made a
    YAML error at the value's place, which never quotes the value."""

    def construct(loader: Any, node: yaml.Node) -> Any:
        try:
            return constructor(loader, node)
        except (KeyError, IndexError, AttributeError, TypeError, ValueError):
            tag = "!!" + str(node.tag).rsplit(":", 1)[-1]
            raise yaml.constructor.ConstructorError(
                None, None, f"a value tagged {tag} that is not one", node.start_mark
            ) from None

    return construct


for _tag in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
    CaseLoader.add_constructor(_tag, _checked_scalar(CaseLoader.yaml_constructors[_tag]))
# An explicit !!timestamp stays a string, like any date: the model reads it.
CaseLoader.add_constructor(_TIMESTAMP, _checked_scalar(CaseLoader.construct_scalar))


def _parse_yaml_file(path: str, limits: Limits) -> tuple[list[RawRecord], list[Problem]]:
    text = _decode(_read(path, limits.yaml_bytes, "YAML"))
    if not text.strip():  # blank: no case (a tab alone would be a YAML syntax error)
        return [], []
    documents = _yaml_documents(text, limits)
    several = len(documents) > 1
    records: list[RawRecord] = []
    problems: list[Problem] = []
    for number, document in enumerate(documents, start=1):
        found, bad = _split(document, path, f"document {number}" if several else "")
        records += found
        problems += bad
    return records, problems


def _yaml_documents(text: str, limits: Limits) -> list[Any]:
    try:
        documents = list(yaml.load_all(text, Loader=CaseLoader))
    except yaml.MarkedYAMLError as exc:
        raise _Unreadable(_yaml_reason(exc) + tab_hint(text, exc), _mark(exc)) from None
    except yaml.YAMLError as exc:
        raise _Unreadable(f"not valid YAML: {exc}") from None
    except RecursionError:
        raise _Unreadable(TOO_DEEP) from None
    except ValueError as exc:  # e.g. an explicit !!timestamp that is not a date
        raise _Unreadable(f"not valid YAML: {exc}") from None
    if "*" in text:  # no alias without a '*': skip the count
        for number, document in enumerate(documents, start=1):
            try:
                added = alias_expansion(document)
            except AliasLoopError as exc:
                raise _Unreadable(str(exc)) from None
            if added > limits.alias_values:
                where = f"document {number}" if len(documents) > 1 else None
                raise _Unreadable(
                    f"its aliases expand to more than {limits.alias_values:,} values", where
                )
    return documents


def _yaml_reason(exc: yaml.MarkedYAMLError) -> str:
    reason = exc.problem or exc.context or "syntax error"
    if "nesting depth" in reason:
        return TOO_DEEP
    if reason.startswith("duplicate key"):
        return reason
    return f"not valid YAML: {reason}"


_YAML_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # how YAML counts lines


def tab_hint(text: str, exc: yaml.MarkedYAMLError) -> str:
    """A hint when a YAML error is at a tab used to indent (YAML indents with spaces only)."""
    mark = exc.problem_mark
    lines = _YAML_LINE_BREAK.split(text, mark.line + 1) if mark else []
    line = lines[mark.line] if mark and mark.line < len(lines) else ""
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    if mark is None or "\t" not in indent or mark.column > len(indent):
        return ""
    return " (a tab: YAML indents with spaces only)"


def _mark(exc: yaml.MarkedYAMLError) -> str | None:
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return None
    return f"line {mark.line + 1}, column {mark.column + 1}"


def alias_expansion(document: Any) -> int:
    """How many values the aliases of a constructed YAML document add when expanded.

    The expanded size of every list and mapping is computed once (memoised by
    id), so a "billion laughs" document costs no more than its own size. A
    document that contains itself expands without end.
    """
    expanded: dict[int, int] = {}
    distinct = 0
    active: set[int] = set()
    stack: list[tuple[Any, bool]] = [(document, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            children = _children(node)
            expanded[key] = 1 + sum(expanded.get(id(c), 1) for c in children)
            distinct += len(children)
            active.discard(key)
            continue
        if key in expanded or not isinstance(node, list | dict):
            continue
        if key in active:
            raise AliasLoopError("an alias refers to a mapping or list that contains it")
        active.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node))
    return expanded.get(id(document), 1) - 1 - distinct


def _children(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return list(node.values())
    if isinstance(node, list):
        return node
    return []
