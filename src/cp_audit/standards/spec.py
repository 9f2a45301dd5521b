"""The standards file: a YAML rule set that audit leads edit themselves.

It is validated in full before any case is read; every error names the rule
and the option. Each rule names a check type (`checks.REGISTRY`) and gives
that type's options; the type's `Options` model validates them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    TypeAdapter,
    ValidationError,
    field_validator,
)
from pydantic_core import ErrorDetails

from cp_audit.case import errors
from cp_audit.case.values import Date, Token, did_you_mean, normalise_token
from cp_audit.checks import REGISTRY, CheckOptions, CheckType
from cp_audit.checks.base import GROUP_PREFIX
from cp_audit.inputs import settings_yaml
from cp_audit.inputs.interface import DEFAULT_LIMITS
from cp_audit.inputs.locate import yaml_mark
from cp_audit.inputs.reading import size_text
from cp_audit.inputs.yaml import SAFE_LOADER
from cp_audit.results import NOT_GRADED, Kind
from cp_audit.standards.calendar import Calendar
from cp_audit.standards.vocabulary import Vocabulary

DEFAULT_NAME = "default.yaml"
RULE_ID = r"^[a-z0-9][a-z0-9-]*$"
Loc = tuple[int | str, ...]  # where in the file: ("rules", 3, "options", "min_share")
_OPTION = re.compile(r'option "([^".]+)')


class StandardsError(Exception):
    """A standards file that cannot be used; `problems` lists every reason."""

    def __init__(self, path: str, problems: list[str]) -> None:
        super().__init__(f"{path}: " + "; ".join(problems))
        self.path = path
        self.problems = problems


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Resource(StrictModel):
    title: str
    url: str


class Theme(StrictModel):
    title: str
    what_we_found: str
    what_needs_to_happen: str
    resources: tuple[Resource, ...] = ()


class Band(StrictModel):
    grade: Token
    min_score: float = Field(ge=0, le=100)


class CalendarSpec(StrictModel):
    extra_non_working_days: tuple[Date, ...] = ()


class Example(StrictModel):
    """A small case that must give `outcome` for its rule on `as_of`."""

    name: str
    as_of: Date
    outcome: Literal["met", "not_met", "not_applicable", "not_covered"]
    case: dict[str, Any]


class RuleSpec(StrictModel):
    id: str = Field(pattern=RULE_ID)
    theme: Token
    kind: Literal["worry", "good_practice"]
    title: str
    worry: str | None = None  # the sentence under "What are we worried about?"
    good_practice: str | None = None  # the sentence under "What good practice did we see?"
    weight: float = Field(default=1.0, ge=0)
    # Met wherever the records present show it, whatever the case covers (one example
    # proves it: "some conference had a GP's report"); otherwise coverage applies.
    # Absent: as its check type says with its options (`CheckOptions.proved_by_example`).
    proved_by_example: StrictBool | None = None
    check: str
    options: dict[str, Any] = Field(default_factory=dict)
    examples: tuple[Example, ...] = ()

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> Any:
        return normalise_token(value) if isinstance(value, str) else value


class StandardsSpec(StrictModel):
    name: str
    version: str
    description: str = ""
    calendar: CalendarSpec = CalendarSpec()
    role_groups: dict[Token, tuple[Token, ...]] = Field(default_factory=dict)
    father_relationships: tuple[Token, ...] = ("father",)
    vocabulary: Vocabulary = Vocabulary()  # known tokens no rule names (`vocabulary`)
    grades: tuple[Band, ...]
    themes: dict[Token, Theme]
    rules: tuple[RuleSpec, ...] = Field(min_length=1)


_THEMES: TypeAdapter[dict[str, Theme]] = TypeAdapter(dict[Token, Theme])


@dataclass(frozen=True)
class Rule:
    """A rule ready to run: its spec, its check type and its validated options."""

    spec: RuleSpec
    check: CheckType
    options: CheckOptions

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def kind(self) -> Kind:
        return Kind(self.spec.kind)

    @property
    def proved_by_example(self) -> bool:
        """Met wherever the records present show it, whatever the case covers."""
        given = self.spec.proved_by_example
        return self.options.proved_by_example() if given is None else given


@dataclass(frozen=True)
class Standards:
    spec: StandardsSpec
    rules: tuple[Rule, ...]
    path: str
    sha256: str

    @cached_property
    def by_id(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.rules}

    @cached_property
    def calendar(self) -> Calendar:
        return Calendar(self.spec.calendar.extra_non_working_days)

    def parts(self, rule_id: str) -> frozenset[str]:
        """The parts of a case the rule reads (`case.coverage`): its check type's with its
        options, and those of the rules it is built from (`all-of`)."""
        found = self._parts.get(rule_id)
        if found is None:
            rule = self.rule(rule_id)
            found = rule.check.parts(rule.options)
            for other in rule.options.built_from():
                found |= self.parts(other)  # the standards reject a loop of all_of
            self._parts[rule_id] = found
        return found

    @cached_property
    def _parts(self) -> dict[str, frozenset[str]]:
        return {}

    def rule(self, rule_id: str) -> Rule:
        try:
            return self.by_id[rule_id]
        except KeyError:
            raise KeyError(no_such_rule(rule_id, self.by_id)) from None

    def grade(self, score: float | None) -> str:
        if score is None:
            return NOT_GRADED
        for band in sorted(self.spec.grades, key=lambda b: -b.min_score):
            if score >= band.min_score:
                return band.grade
        return NOT_GRADED

    @cached_property
    def grade_names(self) -> frozenset[str]:
        """Every grade a case can have: the bands' and "not graded"."""
        return frozenset({band.grade for band in self.spec.grades} | {NOT_GRADED})


def no_such_rule(rule_id: str, known: Any) -> str:
    return f'no such rule: "{rule_id}"' + did_you_mean(rule_id, known)


def default_path() -> Path:
    """The packaged default standards (in a source checkout, the repo's `standards/`)."""
    packaged = resources.files("cp_audit").joinpath("standards", DEFAULT_NAME)
    if packaged.is_file():
        return Path(str(packaged))
    # An editable install runs from the source tree, where the one copy lives.
    return Path(__file__).resolve().parents[3] / "standards" / DEFAULT_NAME


def load(path: str | Path | None = None) -> Standards:
    """Read, validate and build a standards file; raise StandardsError listing every problem."""
    file = Path(path) if path is not None else default_path()
    shown = str(path) if path is not None else "default standards"
    limit = DEFAULT_LIMITS.yaml_bytes
    try:
        if not file.is_file():  # a folder, a pipe, a device: never read
            raise StandardsError(shown, ["not a file" if file.exists() else "no such file"])
        with file.open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise StandardsError(shown, [f"cannot read the file ({exc.strerror})"]) from None
    if len(raw) > limit:
        raise StandardsError(shown, [f"the file is over the {size_text(limit)} limit for YAML"])
    data = _parse_yaml(shown, raw)
    return build(data, shown, hashlib.sha256(raw).hexdigest(), raw.decode("utf-8-sig"))


def _parse_yaml(shown: str, raw: bytes) -> Any:
    try:
        return settings_yaml.parse(raw)
    except settings_yaml.SettingsYamlError as exc:
        raise StandardsError(shown, [exc.message]) from None


def build(data: Any, shown: str, sha256: str, text: str | None = None) -> Standards:
    """The standards from parsed YAML; with the file's `text`, every problem gives its line."""
    if not isinstance(data, dict):
        raise StandardsError(shown, ["a standards file is a mapping with name, version and rules"])
    try:
        spec = StandardsSpec.model_validate(data)
    except ValidationError as exc:
        found = [_spec_error(data, err) for err in exc.errors()]
        found += _rules_on_their_own(data, exc)
        raise StandardsError(shown, placed(found, text)) from None
    problems: list[tuple[Loc, str]] = []
    rules = [
        r for r in (_build_rule(spec.themes, spec, i, rule, problems)
                    for i, rule in enumerate(spec.rules)) if r
    ]
    seen: set[str] = set()
    for i, rule in enumerate(spec.rules):
        if rule.id in seen:
            problems.append((("rules", i, "id"), f'rule "{rule.id}": the id is used twice'))
        seen.add(rule.id)
    for group, roles in spec.role_groups.items():
        for j, role in enumerate(roles):
            if role.startswith(GROUP_PREFIX):
                problems.append((
                    ("role_groups", group, j),
                    f'role group "{group}": "{role}": a role group lists roles, '
                    "not other role groups",
                ))
    if problems:
        raise StandardsError(shown, placed(problems, text))
    return Standards(spec, tuple(rules), shown, sha256)


def _rules_on_their_own(data: dict[str, Any], exc: ValidationError) -> list[tuple[Loc, str]]:
    """In a file that does not validate, the problems of each rule that does on its own (its
    theme, if the themes validate, its check type, its options), so that one run of
    `standards check` lists them all; a rule's own errors are already among `exc`'s."""
    rules = data.get("rules")
    if not isinstance(rules, list):
        return []
    failed = {err["loc"][1] for err in exc.errors() if err["loc"][:1] == ("rules",)
              and len(err["loc"]) > 1}
    themes: dict[str, Theme] | None
    try:
        themes = _THEMES.validate_python(data.get("themes"))
    except ValidationError:
        themes = None
    problems: list[tuple[Loc, str]] = []
    for index, raw in enumerate(rules):
        if index in failed:
            continue
        try:
            rule = RuleSpec.model_validate(raw)
        except ValidationError:
            continue
        _build_rule(themes, None, index, rule, problems)
    return problems


def _build_rule(
    themes: dict[str, Theme] | None, spec: StandardsSpec | None, index: int, rule: RuleSpec,
    problems: list[tuple[Loc, str]],
) -> Rule | None:
    """The rule ready to run, or None, its problems added to `problems`. Without the `spec`
    (the file did not validate) its references to the spec go unchecked, and without the
    `themes` its theme."""
    where = f'rule "{rule.id}"'
    at: Loc = ("rules", index)
    if themes is not None and rule.theme not in themes:
        problems.append(((*at, "theme"), f'{where}: unknown theme "{rule.theme}" (themes are: '
                         f'{", ".join(themes)})'))
    check = REGISTRY.get(rule.check)
    if check is None:
        problems.append(((*at, "check"), f'{where}: unknown check type "{rule.check}"'
                         + did_you_mean(rule.check, REGISTRY)))
        return None
    try:
        options = check.Options.model_validate(rule.options)
    except ValidationError as exc:
        for err in exc.errors():
            loc = (*at, "options", *err["loc"])
            problems.append((loc, f"{where}: {_option_error(err, check.Options)}"))
        return None
    if spec is None:
        return None
    for problem in options.references(spec):
        option = _OPTION.match(problem)
        loc = (*at, "options", option.group(1)) if option else (*at, "options")
        problems.append((loc, f"{where}: {problem}"))
    return Rule(rule, check, options)


def placed(problems: list[tuple[Loc, str]], text: str | None) -> list[str]:
    """Each problem with the line and column of its place in the file, where it can be found,
    in the order of the file (those without a place last)."""
    if text is None:
        return [message for _, message in problems]
    try:
        root = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        root = None
    marked = [(yaml_mark(root, loc), message) for loc, message in problems]
    marked.sort(key=lambda pair: (0, pair[0].line, pair[0].column) if pair[0] else (1, 0, 0))
    return [f"line {mark.line + 1}, column {mark.column + 1}: {message}" if mark else message
            for mark, message in marked]


def _option_error(err: ErrorDetails, options: type[CheckOptions]) -> str:
    if err["type"] == "missing" and len(err["loc"]) == 1:
        return f'option "{err["loc"][0]}" is required'
    found = errors.describe_error(err, options, noun="option", own_keys=False)
    return f'option "{found.path}": {found.message}' if found.loc else found.message


def _spec_error(data: dict[str, Any], err: ErrorDetails) -> tuple[Loc, str]:
    """The problem and its place (the key itself for an unknown key, for its line)."""
    found = errors.describe_error(err, StandardsSpec, own_keys=False)
    msg = found.message
    if found.loc == ("rules",) and err["type"] == "too_short":
        msg = "the rule set is empty: give at least one rule"
    elif found.loc[-1:] == ("id",) and err["type"] == "string_pattern_mismatch":
        msg = "a rule id is lower-case letters, digits and hyphens, such as child-seen-alone"
    return tuple(err["loc"]), f"{_where(data, found.loc)}{msg}"


def _where(data: dict[str, Any], loc: Loc) -> str:
    """`rule "child-seen-alone": kind: `: a rule named by its id where it has one."""
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        rules = data.get("rules") or []
        rule = rules[loc[1]] if loc[1] < len(rules) else None
        rule_id = rule.get("id") if isinstance(rule, dict) else None
        name = f'rule "{rule_id}"' if rule_id else f"rules[{loc[1]}]"
        rest = errors.format_path(loc[2:])
        return f"{name}: {rest + ': ' if rest else ''}"
    path = errors.format_path(loc)
    return f"{path}: " if path else ""
