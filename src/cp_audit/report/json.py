"""The JSON report: the stable shape that scripts parse (docs/json-report.md).

Key order is fixed (the order of `document`, never sorted), indentation is two
spaces, and the document is produced a case at a time: joined, the chunks are
exactly `json.dumps(document(content), indent=2, ensure_ascii=False)` and a
newline, except that DEL, the C1 controls, the bidi controls, U+2028/U+2029
and lone surrogates are written as `\\uXXXX` escapes (JSON always escapes the
C0 controls), so that printing the report on a terminal can never run an
escape sequence from the data, and the text can always be encoded as UTF-8.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from cp_audit.report import wording
from cp_audit.report.content import (
    ActionLine,
    CaseSection,
    Finding,
    MeetingContent,
    ReportContent,
    RuleLine,
    SinceLastAudit,
)
from cp_audit.report.interface import DEFAULT_OPTIONS, RenderOptions, Reporter
from cp_audit.results import ModerationNote, Problem

# DEL, C1, bidi controls, line/paragraph separators, and lone surrogates (a file name
# read with surrogateescape), which could not even be encoded as UTF-8.
_UNSAFE = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)


def _escape(text: str) -> str:
    # These characters can only occur inside JSON strings, where \uXXXX means the same.
    if text.isascii() and "\x7f" not in text:  # the usual case: nothing to escape
        return text
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _indented(value: Any, level: int) -> Iterator[str]:
    """`json.dumps(value, indent=2, ensure_ascii=False)` with every line after the first
    indented `level` times more, in pieces, each escaped.

    With `indent`, json encodes in Python a piece at a time and joins the pieces: a
    national run's summary lists every case id under each rule it worries about or shows
    good practice in, millions of pieces held at once (about 40 MB at 50,000 cases). Here a
    list of scalars is one piece, its items encoded by json's own C functions.
    """
    if isinstance(value, dict) and value and all(isinstance(key, str) for key in value):
        inner = "\n" + "  " * (level + 1)
        yield "{"
        for index, (key, item) in enumerate(value.items()):
            yield ("," if index else "") + inner + _escape(_SCALAR(key)) + ": "
            yield from _indented(item, level + 1)
        yield "\n" + "  " * level + "}"
    elif isinstance(value, list | tuple) and value:
        inner = "\n" + "  " * (level + 1)
        if all(isinstance(item, _SCALARS) for item in value):
            joined = ("," + inner).join(map(_SCALAR, value))
            yield "[" + inner + _escape(joined) + "\n" + "  " * level + "]"
            return
        yield "["
        for index, item in enumerate(value):
            yield ("," if index else "") + inner
            yield from _indented(item, level + 1)
        yield "\n" + "  " * level + "]"
    else:  # a scalar, an empty list or mapping, or keys json would have to convert
        text = json.dumps(value, indent=2, ensure_ascii=False)
        yield _escape(text.replace("\n", "\n" + "  " * level))


_SCALARS = (str, int, float, bool, type(None))
# json's C encoder for one value: what its Python encoder writes for a scalar.
_SCALAR = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


# Without indent, json uses its C encoder: a national run's cases are written several
# times faster, and each case stays one line for grep and jq. One encoder for every
# case, and no check for circular references (a case's object is a tree made here):
# that check was a quarter of encoding a case.
_ONE_LINE = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "), check_circular=False)


def _one_line(value: Any) -> str:
    return _escape(_ONE_LINE.encode(value))


def _rule_line(line: RuleLine) -> dict[str, Any]:
    obj: dict[str, Any] = {"rule": line.rule, "cases": line.cases, "applicable": line.applicable}
    if line.not_covered:  # only where some case's records do not cover the rule
        obj["not_covered"] = line.not_covered
        obj["not_covered_text"] = wording.not_covered_text(line)
    obj["case_ids"] = list(line.case_ids)
    return obj


def case_object(case: CaseSection) -> dict[str, Any]:
    obj: dict[str, Any] = {"case_id": case.case_id}
    if case.name:
        obj["name"] = case.name
    obj.update(
        {
            "sources": list(case.files),
            "score": case.score_rounded,
            **_score_basis(case),
            "grade": case.grade,
            "tool_grade": case.tool_grade or case.grade,
            **({"grade_moderation": _note(case.grade_moderation)} if case.grade_moderation
               else {}),
            "age": case.age,
            "needs": list(case.needs),
            "agencies": list(case.agencies),
            "results": [_result(f) for f in case.findings],
        }
    )
    return obj


def _score_basis(case: CaseSection) -> dict[str, Any]:
    """Where some rule is not covered: the rules the score rests on, and the words."""
    basis = case.score_basis
    if basis is None:
        return {}
    return {"rules_scored": case.rules_scored, "rules_not_covered": case.rules_not_covered,
            "score_basis": basis}
def _result(f: Finding) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "rule": f.rule,
        "theme": f.theme,
        "kind": str(f.kind),
        "outcome": str(f.outcome),  # the one that counts: the agreed one when moderated
        "tool_outcome": str(f.tool),
    }
    if f.moderation is not None:
        obj["moderation"] = _note(f.moderation)
    obj["evidence"] = list(f.evidence)
    return obj


def _note(note: ModerationNote) -> dict[str, Any]:
    return {"reason": note.reason, "by": note.by, "date": note.date, "stale": note.stale,
            "fingerprinted": note.fingerprinted}


def _action(a: ActionLine) -> dict[str, Any]:
    return {"id": a.id, "action": a.action, "theme": a.theme, "rules": list(a.rules),
            "owner": a.owner, "due": a.due.isoformat(), "status": a.status, "overdue": a.overdue}


def _meeting(meeting: MeetingContent) -> dict[str, Any]:
    return {
        "moderations": len(meeting.moderations),
        "stale": meeting.stale,
        "unfingerprinted": meeting.unfingerprinted,
        "findings": [
            {"kind": str(f.kind), "text": f.text, "theme": f.theme, "case_ids": list(f.case_ids)}
            for f in (*meeting.worries, *meeting.good_practice)
        ],
        "actions": [_action(a) for a in meeting.actions],
    }


def since_object(since: SinceLastAudit) -> dict[str, Any]:
    """ "Since the last audit" (and `cp-audit compare --format json`)."""
    return {
        "previous": since.previous,
        "then_as_of": since.then_as_of.isoformat(),
        "now_as_of": since.now_as_of.isoformat(),
        "rules": [
            {"rule": r.rule, "kind": str(r.kind), "sentence": r.sentence,
             "then": None if r.then_cases is None else
             {"cases": r.then_cases, "applicable": r.then_applicable},
             "now": None if r.now_cases is None else
             {"cases": r.now_cases, "applicable": r.now_applicable}}
            for r in since.rules
        ],
        "grades": [{"grade": g, "then": then, "now": now} for g, then, now in since.grades],
        "actions": [_action(a) for a in since.actions],
    }


def _problem(p: Problem) -> dict[str, Any]:
    """An error's or a warning's object: the same keys for both."""
    return {
        "file": p.file,
        "files": list(wording.problem_files(p)),
        "case_id": p.case_id,
        "location": p.location,
        "message": p.message,
    }


def document(content: ReportContent, *, cases: bool = True) -> dict[str, Any]:
    """The whole report as one JSON value (the reporter writes the same thing in chunks).

    With `cases=False`, "cases" is an empty list that keeps its place in the key order.
    """
    data = content.data
    counts = data.counts
    return {
        "tool": {"name": content.tool_name, "version": content.tool_version},
        "standards": {
            "name": content.standards.name,
            "version": content.standards.version,
            "sha256": content.standards.sha256,
        },
        "as_of": content.as_of.isoformat(),
        "audit": {"name": content.heading.audit_name},
        "summary": {
            "cases": content.heading.cases,
            "rejected": content.heading.rejected,
            "worries": [_rule_line(line) for line in content.worries],
            "good_practice": [_rule_line(line) for line in content.good_practice],
            "caveat": content.caveat,
            "incomplete": data.incomplete,
            "unattributed": [
                {"file": u.file, "agency": u.agency, "location": u.location,
                 "unreadable": u.unreadable}
                for u in content.heading.unattributed
            ],
        },
        "cases": [case_object(case) for case in content.cases] if cases else [],
        "errors": [_problem(p) for p in data.problems],
        "warnings": [_problem(p) for p in data.warnings],
        "skipped": [{"path": s.path, "reason": s.reason} for s in data.skipped],
        "counts": {
            "files_found": counts.files_found,
            "files_read": counts.files_read,
            "files_skipped": counts.files_skipped,
            "files_rejected": counts.files_rejected,
            "cases_loaded": counts.cases_loaded,
            "cases_rejected": counts.cases_rejected,
            "cases_left_out": counts.cases_left_out,
            "records_unattributed": counts.records_unattributed,
            "inputs_unreadable": counts.inputs_unreadable,
        },
        "incomplete": data.incomplete,
        # The audit meeting's record and the re-audit: only when there is one.
        **({"meeting": _meeting(content.meeting)} if content.meeting else {}),
        **({"since_last_audit": since_object(content.since)} if content.since else {}),
    }


class JsonReporter(Reporter):
    name = "json"
    extensions = (".json",)
    description = "JSON for scripts (shape: docs/json-report.md)"

    def case_chunk(self, case: CaseSection, options: RenderOptions = DEFAULT_OPTIONS) -> str:
        """The case's line in the report's `cases`."""
        return _one_line(case_object(case))

    def render(
        self, content: ReportContent, options: RenderOptions = DEFAULT_OPTIONS
    ) -> Iterator[str]:
        doc = document(content, cases=False)
        yield "{"
        for index, key in enumerate(doc):
            yield "," if index else ""
            yield f"\n  {json.dumps(key)}: "
            if key != "cases":
                yield from _indented(doc[key], 1)
            elif not content.cases:
                yield "[]"
            else:
                yield "["
                for number, line in enumerate(self.case_chunks(content.cases, options)):
                    yield ("," if number else "") + "\n    " + line
                yield "\n  ]"
        yield "\n}\n"

