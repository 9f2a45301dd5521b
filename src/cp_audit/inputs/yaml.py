"""YAML files (`.yaml`, `.yml`): one case record or a list of them, in one or more documents.

- Read whole, up to `Limits.yaml_bytes` (10 MB by default), with the safe
  loader (no tag runs code). YAML 1.1: `yes`/`no` and `on`/`off` are
  booleans. Dates stay text, for the model to read (as in JSON).
- Several documents separated by `---` are allowed; each problem then names
  its document ("document 2, [3]").
- A mapping with the same key twice is an error; so is a value that does not
  fit its explicit tag (`!!int ''`).
- Anchors and aliases are allowed, but a document whose aliases expand to more
  than `Limits.alias_values` values (100,000 by default) is rejected, and so is
  one that contains itself.
- A tab used to indent gets a hint: YAML indents with spaces only.

`CaseLoader`, `tab_hint` and `alias_expansion` also read the YAML users write
by hand (`inputs.settings_yaml`).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import yaml

from cp_audit.case.errors import TOO_DEEP
from cp_audit.inputs.interface import DEFAULT_LIMITS, FileResult, Limits, Part, Reader, Unreadable
from cp_audit.inputs.reading import Found, decode, read_bytes, read_whole, short, split

# The one safe loader every YAML read starts from (cases, standards, places): libyaml's,
# which PyYAML's wheels carry; the pure-Python one is some ten times slower.
SAFE_LOADER = yaml.CSafeLoader
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"


class YamlReader(Reader):
    suffixes: ClassVar[tuple[str, ...]] = (".yaml", ".yml")

    def read(
        self, path: str, limits: Limits = DEFAULT_LIMITS, part: Part | None = None
    ) -> FileResult:
        return read_whole(path, lambda: _records(path, limits))


class AliasLoopError(ValueError):
    """A YAML document that contains itself through an alias: it expands without end."""


class CaseLoader(SAFE_LOADER):
    """Safe YAML 1.1 (yes/no/on/off stay booleans), with dates left as strings for the
    model to parse, and a mapping with the same key twice rejected."""

    yaml_implicit_resolvers = {  # noqa: RUF012 (PyYAML reads it as a class attribute)
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
        for first, resolvers in SAFE_LOADER.yaml_implicit_resolvers.items()
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
                        None, None, f'duplicate key "{short(str(key))}"', key_node.start_mark
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


def _records(path: str, limits: Limits) -> Found:
    text = decode(read_bytes(path, limits.yaml_bytes, "YAML"))
    if not text.strip():  # blank: no case (a tab alone would be a YAML syntax error)
        return [], []
    documents = _yaml_documents(text, limits)
    several = len(documents) > 1
    each = [
        split(document, path, f"document {number}" if several else "")
        for number, document in enumerate(documents, start=1)
    ]
    return [r for records, _ in each for r in records], [p for _, bad in each for p in bad]


def _yaml_documents(text: str, limits: Limits) -> list[Any]:
    try:
        documents = list(yaml.load_all(text, Loader=CaseLoader))
    except yaml.MarkedYAMLError as exc:
        raise Unreadable(_yaml_reason(exc) + tab_hint(text, exc), _mark(exc)) from None
    except yaml.YAMLError as exc:
        raise Unreadable(f"not valid YAML: {exc}") from None
    except RecursionError:
        raise Unreadable(TOO_DEEP) from None
    except ValueError as exc:  # e.g. an explicit !!timestamp that is not a date
        raise Unreadable(f"not valid YAML: {exc}") from None
    if "*" in text:  # no alias without a '*': skip the count
        for number, document in enumerate(documents, start=1):
            try:
                added = alias_expansion(document)
            except AliasLoopError as exc:
                raise Unreadable(str(exc)) from None
            if added > limits.alias_values:
                where = f"document {number}" if len(documents) > 1 else None
                raise Unreadable(
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
