"""CIN census returns (`.xml`): the DfE Children in Need census, one record per `Child`.

What is read, field by field, is `shared/importers.md` ("Children in Need
census"); the code tables are in `census_codes`, one child's mapping in
`census_child`.

- Safe XML: `defusedxml`'s parser, with DTDs forbidden (so no entity can be
  declared, expanded or fetched); a DTD, an entity or an external reference
  rejects the file, and so does XML that is not well-formed or a file that is
  not a census return (root `Message`, `Header/CollectionDetails/Collection`
  `CIN`).
- Streamed: the file is fed to the parser in blocks, and a parser target
  builds the elements of one `Child` at a time, maps it and drops it, so the
  memory a child takes does not add up. A big return (over the run's part
  size) is cut into parts at `Child` boundaries, found by a first parse that
  keeps nothing: each part is read as the file's head, its children and the
  closing tags, so a run holds one part's records at a time.
- Places: each record's place is its `Child` element's line; an error or a
  warning names the element path and its line, both taken from expat
  (`CurrentLineNumber` when the target sees an element start; in a part, moved
  by the part's first line).
- Bounded: an element's text comes in pieces, joined once at its end; at most
  1,000 characters are kept (a code or a date is a few bytes), and a longer text
  rejects its child ("the element's text is over 1,000 characters"; in the head,
  the file). Unknown elements and containers keep no text.
- Warnings: an unknown element, text where the schema has none, an unknown
  code. They go in `FileResult.warnings`; they never reject anything.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from cp_audit.case.values import short
from cp_audit.inputs import census_codes as codes
from cp_audit.inputs.census_child import Node, child_record, exported_date, where
from cp_audit.inputs.interface import (
    DEFAULT_LIMITS,
    NO_RECORD,
    FileResult,
    Limits,
    Part,
    RawRecord,
    Reader,
    Unreadable,
)
from cp_audit.inputs.reading import file_reason, unreadable
from cp_audit.results import Problem

BLOCK = 64 * 1024
NOT_CENSUS = "not a CIN census return"
TEXT_LIMIT = 1_000  # characters of an element's text
TOO_LONG = f"the element's text is over {TEXT_LIMIT:,} characters"
# An `LAchildID` as the reader reads it: any prefix, attributes, space before `>`.
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_LACHILDID = re.compile(
    rb"<" + _PREFIX + rb"LAchildID(?:\s[^<>]*)?>([^<&]*)</" + _PREFIX + rb"LAchildID\s*>"
)
_OPENED = re.compile(rb"<" + _PREFIX + rb"LAchildID[\s/>]")  # every start tag
_ENCODING = re.compile(rb"""<\?xml[^>]*\sencoding\s*=\s*["']([^"']*)["']""")


class CinCensusReader(Reader):
    suffixes: ClassVar[tuple[str, ...]] = (".xml",)

    def read(
        self, path: str, limits: Limits = DEFAULT_LIMITS, part: Part | None = None
    ) -> FileResult:
        reading = _Reading(path)
        try:
            if part is None:
                reading.parse(_blocks(path, 0, None))
            else:
                reading.parse_part(part)
        except Unreadable as exc:
            return unreadable(path, exc.message, exc.location)
        except OSError as exc:
            return unreadable(path, file_reason(path, exc))
        if not reading.records and not reading.problems and part is None:
            return unreadable(path, NO_RECORD)
        return FileResult(
            path, tuple(reading.records), tuple(reading.problems),
            unreadable=not reading.records and part is None,
            warnings=tuple(reading.warnings),
        )

    def parts(self, path: str, part_bytes: int) -> list[Part] | None:
        """Cut at `Child` boundaries into runs of about `part_bytes`; None: read it whole
        (small, or anything odd, which the whole read then reports)."""
        try:
            scan = _scan(path, part_bytes)
        except (Unreadable, OSError):
            return None
        if scan is None or len(scan) < 2:
            return None
        return scan

    def quick_case_ids(
        self, path: str, part: Part | None, limits: Limits = DEFAULT_LIMITS
    ) -> list[str] | None:
        """Every `LAchildID` in the bytes of the file or part, stripped as the reader
        strips it; None (then the careful read) whenever the bytes could say otherwise:
        not UTF-8, an entity, a CDATA section or a comment, a start tag not matched."""
        start, end = (part.start, part.end) if part else (0, None)
        if not _plain_utf8(b"".join(_blocks(path, 0, 256))):
            return None
        data = b"".join(_blocks(path, start, end))
        if any(sign in data for sign in (b"&", b"<![CDATA[", b"<!--", b"\0")):
            return None
        values = _LACHILDID.findall(data)
        if len(values) != len(_OPENED.findall(data)):
            return None
        try:
            return [value.decode("utf-8").strip() for value in values]
        except UnicodeDecodeError:
            return None


def _plain_utf8(head: bytes) -> bool:
    """The file's head says UTF-8 (or ASCII, a part of it): no BOM but UTF-8's, no NUL
    (UTF-16 or UTF-32 without one), no other encoding declared."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\0" in head:
        return False
    declared = _ENCODING.search(head)
    return declared is None or declared.group(1).lower() in (b"utf-8", b"utf8", b"us-ascii",
                                                             b"ascii")


def _blocks(path: str, start: int, end: int | None) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        handle.seek(start)
        left = end - start if end is not None else None
        while left is None or left > 0:
            block = handle.read(BLOCK if left is None else min(BLOCK, left))
            if not block:
                return
            if left is not None:
                left -= len(block)
            yield block


class _Stop(Exception):
    """The head scan has what it needs: the parse stops."""


def _feed(target: Any, blocks: Iterator[bytes]) -> None:
    """Feed `blocks` to a defused parser for `target`; every refusal made a `Unreadable`."""
    parser = DefusedXMLParser(target=target, forbid_dtd=True)
    target.expat = parser.parser
    # Text unbuffered: each piece comes as it is read, with its own line number.
    parser.parser.buffer_text = False
    try:
        for block in blocks:
            parser.feed(block)
        parser.close()
    except DTDForbidden:
        raise Unreadable(
            "the XML declares a document type (a DTD): not read (a census return has none, "
            "and a DTD can declare entities that expand or fetch content)",
            _line(target),
        ) from None
    except EntitiesForbidden:
        raise Unreadable("the XML declares an entity: not read", _line(target)) from None
    except ExternalReferenceForbidden:
        raise Unreadable(
            "the XML refers to an external entity: not fetched, not read", _line(target)
        ) from None
    except ParseError as exc:
        line, column = exc.position
        reason = expat.ErrorString(exc.code) if exc.code else str(exc).split(":")[0]
        raise Unreadable(f"not well-formed XML: {reason}", f"line {target.line_of(line)}, "
                                                          f"column {column + 1}") from None


def _line(target: Any) -> str:
    return f"line {target.line_of(target.expat.CurrentLineNumber)}"


@dataclass
class _Head:
    """What the head of the file (up to its first `Child`) gives every part."""

    first_child: int = -1  # its byte offset
    first_line: int = 0
    closing: bytes = b""  # the end tags of `Children` and `Message`, as the file names them


class _Reading:
    """The target of the parser for one file or part: the records as they are made."""

    def __init__(self, path: str, head: _Head | None = None) -> None:
        self.path = path
        self.expat: Any = None
        self.records: list[RawRecord] = []
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.stack: list[Node] = []
        self.counts: list[dict[str, int]] = []
        self.unknown_depth = 0  # inside an unknown element: its insides are not named
        self.collection = ""
        self.exported: str | None = None
        self.header_seen = False
        self.child_warnings: list[tuple[str, str]] = []
        self.child_errors: list[tuple[str, str]] = []  # the reader's own: a value too long
        self.offset = 0  # lines to add to the parser's, in a part
        self.quiet_head = False  # a later part: the head's warnings were given by the first
        self.head = head
        self.on_first_child: Callable[[], None] | None = None

    def line_of(self, line: int) -> int:
        if self.offset and self.head is not None and line >= self.head.first_line:
            return line + self.offset
        return line

    def parse(self, blocks: Iterator[bytes]) -> None:
        _feed(self, blocks)

    def parse_part(self, part: Part) -> None:
        head = _head(self.path)
        self.head = head
        self.offset = part.first_line - head.first_line
        self.quiet_head = part.start != head.first_child
        self.parse(_chain(
            _blocks(self.path, 0, head.first_child), _blocks(self.path, part.start, part.end),
            iter([head.closing]),
        ))

    # -- the parser's target

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        name = tag.rpartition("}")[2]
        depth = len(self.stack)
        line = self.line_of(self.expat.CurrentLineNumber)
        if depth == 0 and name != "Message":
            raise Unreadable(f"{NOT_CENSUS}: its root element is <{short(name)}>, not <Message>")
        if depth == 1 and name == "Children":
            self._check_census()
        count = 1
        if self.counts:
            count = self.counts[-1][name] = self.counts[-1].get(name, 0) + 1
        parent = self.stack[-1] if self.stack else None
        in_child = depth >= 3 and self.stack[2].tag == "Child"
        step = f"{name}[{count}]" if name in codes.REPEATED else name
        path = f"{parent.path}/{step}" if parent is not None and parent.path else step
        if depth == 0:
            path = ""  # the root: paths name what is in it, `Header/Source[1]/DateTime`
        if depth == 2 and name == "Child":
            path = ""  # the paths in a child are its own: `CINdetails[2]/Section47[1]`
        node = Node(name, line, path)
        if name not in codes.KNOWN and not self.unknown_depth:
            self._warn(node, f"unknown element <{short(name)}> (in none of the CIN census "
                             "schemas): not read", in_child)
        if name not in codes.KNOWN or self.unknown_depth:
            self.unknown_depth += 1
        if parent is not None and not (depth == 2 and name == "Child"):
            parent.children.append(node)
        self.stack.append(node)
        self.counts.append({})

    def end(self, tag: str) -> None:
        node = self.stack.pop()
        if node.pieces:
            node.text, node.pieces = "".join(node.pieces), []
        if node.size > TEXT_LIMIT:
            self._too_long(node)
        self.counts.pop()
        if self.unknown_depth:
            self.unknown_depth -= 1
        depth = len(self.stack)
        if depth == 2 and node.tag == "Child" and self.stack[1].tag == "Children":
            self._child(node)
        elif depth == 1 and node.tag == "Header":
            self._header(node)

    def data(self, text: str) -> None:
        if not self.stack:
            return
        node = self.stack[-1]
        if node.tag in codes.CONTAINERS and not self.unknown_depth:
            if text.strip() and not node.stray:
                node.stray = True
                line = self.line_of(self.expat.CurrentLineNumber)
                spot = Node(node.tag, line, node.path or "Child")
                in_child = len(self.stack) >= 3 and self.stack[2].tag == "Child"
                self._warn(spot, "text where the census schema has none: not read", in_child)
            return
        if self.unknown_depth:  # not read
            return
        room = TEXT_LIMIT - node.size  # a code or a date is a few bytes: the rest is not kept
        node.size += len(text)
        if room > 0:
            node.pieces.append(text[:room])

    def close(self) -> None:
        if not self.header_seen and not self.collection:
            self._check_census()

    # -- what the elements give

    def _check_census(self) -> None:
        if self.collection.upper() != "CIN":
            found = f" (it is {short(self.collection)!r})" if self.collection else ""
            raise Unreadable(f"{NOT_CENSUS}: no Header/CollectionDetails/Collection CIN{found}")

    def _header(self, header: Node) -> None:
        self.header_seen = True
        details = header.first("CollectionDetails")
        collection = details.first("Collection") if details else None
        self.collection = collection.value() if collection else ""
        source = header.first("Source")
        stamp = source.first("DateTime") if source else None
        if stamp is not None and stamp.value():
            self.exported = exported_date(stamp.value())
            if self.exported is None:
                self._warn(stamp, "not an ISO date-time: the export date is not read", False)

    def _child(self, node: Node) -> None:
        found = child_record(node, self.exported)
        case_id = found.data.get("case_id")
        for location, message in [*self.child_warnings, *found.warnings]:
            self.warnings.append(self._problem(message, location, case_id))
        errors = (*self.child_errors, *found.errors)
        self.child_warnings, self.child_errors = [], []
        self.records.append(RawRecord(self.path, f"line {node.line}", found.data, errors=errors))

    def _too_long(self, node: Node) -> None:
        """A value over the limit rejects its child (or, in the head, the file)."""
        if len(self.stack) >= 3 and self.stack[2].tag == "Child":
            self.child_errors.append((where(node), TOO_LONG))
            return
        raise Unreadable(TOO_LONG, where(node))

    def _warn(self, node: Node, message: str, in_child: bool) -> None:
        if in_child:
            self.child_warnings.append((where(node), message))
        elif not self.quiet_head or len(self.stack) >= 2:
            self.warnings.append(self._problem(message, where(node), None))

    def _problem(self, message: str, location: str, case_id: Any) -> Problem:
        return Problem(message, file=self.path, files=(self.path,),
                       case_id=case_id if isinstance(case_id, str) else None,
                       location=location)


def _chain(*parts: Iterator[bytes]) -> Iterator[bytes]:
    for blocks in parts:
        yield from blocks


# ---------------------------------------------------------------------------
# Cutting a big return into parts


class _Scan:
    """A target that keeps nothing but where a part starts: at a `Child` of `Children`
    at least `part_bytes` after the last (0: only the first child)."""

    def __init__(self, part_bytes: int = 0) -> None:
        self.part_bytes = part_bytes
        self.expat: Any = None
        self.depth = 0
        self.names: list[str] = []
        self.starts: list[tuple[int, int]] = []  # (byte offset, line) of each part
        self.children_end = -1

    def line_of(self, line: int) -> int:
        return line

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        name = tag.rpartition("}")[2]
        if self.depth == 0 and name != "Message":
            raise Unreadable(NOT_CENSUS)
        if self.depth == 2 and self.names[1] == "Children" and name == "Child":
            offset = self.expat.CurrentByteIndex
            if not self.starts or offset - self.starts[-1][0] >= self.part_bytes > 0:
                self.starts.append((offset, self.expat.CurrentLineNumber))
            if not self.part_bytes:
                raise _Stop
        self.names.append(name)
        self.depth += 1

    def end(self, tag: str) -> None:
        self.depth -= 1
        self.names.pop()
        if self.depth == 1 and tag.rpartition("}")[2] == "Children":
            self.children_end = self.expat.CurrentByteIndex


def _scan(path: str, part_bytes: int) -> list[Part] | None:
    size = sum(len(block) for block in _blocks(path, 0, part_bytes + 1))
    if size <= part_bytes:
        return None
    scan = _Scan(part_bytes)
    _feed(scan, _blocks(path, 0, None))
    if not scan.starts or scan.children_end < 0:
        return None
    ends = [offset for offset, _ in scan.starts[1:]] + [scan.children_end]
    return [Part(start, end, line) for (start, line), end in zip(scan.starts, ends, strict=True)]


def _head(path: str) -> _Head:
    """The head of the file: up to its first `Child`, and the end tags that close it."""
    scan = _Scan()
    with contextlib.suppress(_Stop):
        _feed(scan, _blocks(path, 0, None))
    offset, line = scan.starts[0]
    with open(path, "rb") as handle:
        head = handle.read(offset)
    closing = b"".join(b"</" + _raw_name(head, name) + b">" for name in ("Children", "Message"))
    return _Head(offset, line, closing)


def _raw_name(head: bytes, name: str) -> bytes:
    """The name as the file writes its start tag (with its prefix, if any)."""
    match = re.search(rb"<([A-Za-z_][\w.-]*:)?" + name.encode() + rb"[\s>]", head)
    if match is None:
        raise Unreadable(NOT_CENSUS)
    return (match.group(1) or b"") + name.encode()
