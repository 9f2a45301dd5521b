"""The audit meeting's record, `meeting.yaml` (shared/audit-meeting.md): its model and loading.

Three lists, each optional: `moderation` (the panel's agreed outcome of a
rule for a case, or an agreed grade for a case, each with a reason, who and
when, and, when `cp-audit moderate` wrote it, the tool's outcome and an
evidence fingerprint then), `findings` (what the auditors found that no rule
computes) and `actions` (what needs to happen, who, by when, and its status).

It is validated like the standards, before any case is checked: the file's
YAML and shape (`load`), then against the standards in use (`check_against`:
a rule, theme or grade they do not have; two moderations of one case and
rule; an action id used twice), and, once the run knows its cases, the case
ids (`check_cases`). Every problem names the entry and its line; messages
never quote the auditors' free text (reasons, findings, actions).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from cp_audit.case import errors
from cp_audit.case.values import CaseId, Date, Text, Token
from cp_audit.folder.resolve import MEETING
from cp_audit.inputs import settings_yaml
from cp_audit.inputs.interface import DEFAULT_LIMITS
from cp_audit.standards.spec import (
    RULE_ID,
    Loc,
    Standards,
    StandardsError,
    StrictModel,
    no_such_rule,
    placed,
)

MEETING_NAME = MEETING
SCHEMA_LINE = "# yaml-language-server: $schema=schemas/meeting.schema.json\n"
FINGERPRINT_CHARS = 16

AgreedOutcome = Literal["met", "not_met", "not_applicable"]


class MeetingError(StandardsError):
    """A `meeting.yaml` that cannot be used; `problems` lists every reason (with its line).
    A hand-written file of the audit, reported as the standards file is (`cli._common`)."""


class ToolThen(StrictModel):
    """What the tool gave when the moderation was recorded (`cp-audit moderate` writes it)."""

    outcome: AgreedOutcome | None = None
    grade: Token | None = None
    evidence: str | None = Field(default=None, pattern=r"^[0-9a-f]{8,64}$")


class Moderation(StrictModel):
    """The panel's agreed outcome of `rule` for `case`, or (no rule) an agreed grade."""

    case: CaseId
    rule: str | None = Field(default=None, pattern=RULE_ID)
    outcome: AgreedOutcome | None = None
    grade: Token | None = None
    reason: Text
    by: Text
    date: Date
    tool: ToolThen | None = None

    @model_validator(mode="after")
    def _one_decision(self) -> Moderation:
        if self.grade is not None and (self.rule is not None or self.outcome is not None):
            raise ValueError("give either a rule and its outcome, or a grade, not both")
        if self.grade is None and (self.rule is None or self.outcome is None):
            raise ValueError("give a rule and its agreed outcome, or a grade for the case")
        return self


class AuditorFinding(StrictModel):
    """What the auditors found that no rule computes, listed with the tool's findings."""

    kind: Literal["worry", "good_practice"]
    text: Text
    theme: Token
    cases: tuple[CaseId, ...] = ()


class Action(StrictModel):
    """What needs to happen, agreed at the meeting."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    action: Text
    theme: Token | None = None
    rules: tuple[str, ...] = ()
    owner: Text
    due: Date
    status: Literal["open", "done", "dropped"] = "open"


class Meeting(StrictModel):
    """The whole record; every list may be empty or absent."""

    moderation: tuple[Moderation, ...] = ()
    findings: tuple[AuditorFinding, ...] = ()
    actions: tuple[Action, ...] = ()


@dataclass(frozen=True)
class MeetingRecord:
    """A loaded, validated `meeting.yaml`, with its text for the lines of later problems."""

    meeting: Meeting
    path: str
    text: str

    def moderations_of(self, case_id: str) -> tuple[Moderation, ...]:
        return tuple(m for m in self.meeting.moderation if m.case == case_id)

    @property
    def case_ids(self) -> frozenset[str]:
        return frozenset(m.case for m in self.meeting.moderation)


def fingerprint(evidence: Iterable[str]) -> str:
    """A short sha256 of the evidence lines: equal for the same evidence, in the same order."""
    digest = hashlib.sha256("\n".join(evidence).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:FINGERPRINT_CHARS]


def load(path: Path) -> MeetingRecord:
    """Read and validate the file's shape; MeetingError listing every problem, with lines."""
    shown = str(path)
    limit = DEFAULT_LIMITS.yaml_bytes
    try:
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise MeetingError(shown, [f"cannot read the file ({exc.strerror})"]) from None
    if len(raw) > limit:
        raise MeetingError(shown, ["the file is too big for a meeting's record"])
    try:
        data: Any = settings_yaml.parse(raw)
    except settings_yaml.SettingsYamlError as exc:
        raise MeetingError(shown, [exc.message]) from None
    text = raw.decode("utf-8-sig")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise MeetingError(shown, ["a meeting's record is a mapping: moderation, findings, "
                                   "actions"])
    try:
        meeting = Meeting.model_validate(data)
    except ValidationError as exc:
        found = [
            (err.loc, f"{_where(data, err.loc)}{err.message}")
            for err in errors.describe(exc, Meeting, noun="field", own_keys=False)
        ]
        raise MeetingError(shown, placed(found, text)) from None
    return MeetingRecord(meeting, shown, text)


def check_against(record: MeetingRecord, standards: Standards) -> None:
    """What can be checked before the run: rules, themes and grades of the standards in use,
    one moderation per case and rule, one action per id."""
    meeting, spec = record.meeting, standards.spec
    grades = standards.grade_names
    problems: list[tuple[Loc, str]] = []
    seen: set[tuple[str, str | None]] = set()
    for i, entry in enumerate(meeting.moderation):
        at = ("moderation", i)
        if entry.rule is not None and entry.rule not in standards.by_id:
            problems.append(((*at, "rule"), no_such_rule(entry.rule, standards.by_id)))
        if entry.grade is not None and entry.grade not in grades:
            problems.append(((*at, "grade"), _unknown("grade", entry.grade, grades)))
        key = (entry.case, entry.rule)
        if key in seen:
            what = f"rule {entry.rule}" if entry.rule else "its grade"
            problems.append((at, f"case {entry.case} and {what} are moderated twice"))
        seen.add(key)
    for i, finding in enumerate(meeting.findings):
        if finding.theme not in spec.themes:
            unknown = _unknown("theme", finding.theme, spec.themes)
            problems.append((("findings", i, "theme"), unknown))
    ids: set[str] = set()
    for i, action in enumerate(meeting.actions):
        at = ("actions", i)
        if action.theme is not None and action.theme not in spec.themes:
            problems.append(((*at, "theme"), _unknown("theme", action.theme, spec.themes)))
        for j, rule in enumerate(action.rules):
            if rule not in standards.by_id:
                problems.append(((*at, "rules", j), no_such_rule(rule, standards.by_id)))
        if action.id in ids:
            problems.append(((*at, "id"), f'the action id "{action.id}" is used twice'))
        ids.add(action.id)
    _raise(record, problems)


def check_cases(record: MeetingRecord, in_audit: Iterable[str]) -> None:
    """After the run: every case a moderation or finding names is one of the audit's."""
    known = set(in_audit)
    problems: list[tuple[Loc, str]] = []
    for i, entry in enumerate(record.meeting.moderation):
        if entry.case not in known:
            problems.append((("moderation", i, "case"), _not_in_audit(entry.case)))
    for i, finding in enumerate(record.meeting.findings):
        for j, case_id in enumerate(finding.cases):
            if case_id not in known:
                problems.append((("findings", i, "cases", j), _not_in_audit(case_id)))
    _raise(record, problems)


def _not_in_audit(case_id: str) -> str:
    return f"case {case_id} is not in this audit"


def _unknown(what: str, token: str, known: Iterable[str]) -> str:
    return f'unknown {what} "{token}" ({what}s are: {", ".join(sorted(known))})'


def _raise(record: MeetingRecord, problems: list[tuple[Loc, str]]) -> None:
    if problems:
        data = settings_yaml.parse(record.text.encode("utf-8"))
        named = [(loc, f"{_where(data, loc)}{message}") for loc, message in problems]
        raise MeetingError(record.path, placed(named, record.text))


def _where(data: Any, loc: Sequence[int | str]) -> str:
    """`moderation[1] (case NS-2022-04, rule health-at-core-groups): `, naming the entry."""
    if len(loc) < 2 or not isinstance(loc[1], int) or not isinstance(data, dict):
        path = errors.format_path(loc)
        return f"{path}: " if path else ""
    entries = data.get(str(loc[0]))
    entry = entries[loc[1]] if isinstance(entries, list) and loc[1] < len(entries) else None
    names = []
    if isinstance(entry, dict):
        for key in ("id", "case", "rule", "kind"):
            value = entry.get(key)
            if isinstance(value, str) and len(value) <= 64 and value.isprintable():
                names.append(f"{key} {value}")
    name = errors.format_path(loc[:2]) + (f" ({', '.join(names)})" if names else "")
    rest = errors.format_path(loc[2:])
    return f"{name}: {rest + ': ' if rest else ''}"
