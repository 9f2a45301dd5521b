"""The CSV report: one row per case and rule, for spreadsheets and data analysts.

Columns (docs/csv-report.md): case_id, (name, only when names are shown),
rule, theme, kind, outcome, score, grade, evidence, then as_of, standards and
standards_version, the run's, on every row (a sheet pasted into another still
says what it was checked against). The score is the case's, to one decimal
place (empty when the case has none); evidence items are joined with " | ".

After the checked cases' rows, so that a spreadsheet shows the gap:

- one row per rejected case: outcome `rejected`, rule, theme, kind, score and
  grade empty, the evidence its first problem (and how many others);
- one row per input that names no case (a record without a usable
  `case_id`, a file or line that could not be read): case_id empty, outcome
  `unattributed`, the evidence saying which file (and agency);
- one row per data warning: the case id, outcome `warning`, rule, theme,
  kind, score and grade empty, the evidence where it is and what
  (`file: location: message`).

- RFC 4180: the csv module quotes what needs quoting; rows end with CRLF.
- Safe to open in Excel: a cell starting (after any spaces) with `=`, `+`,
  `-`, `@`, a tab or a carriage return gets a leading apostrophe, so that it
  is read as text and never as a formula.
- Values are cleaned (`_text.clean`): one line each, no control characters.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from cp_audit.report import wording
from cp_audit.report._text import clean
from cp_audit.report.content import CaseSection, Finding, ReportContent
from cp_audit.report.interface import DEFAULT_OPTIONS, RenderOptions, Reporter
from cp_audit.results import Problem

REJECTED = "rejected"  # the outcome of a rejected case's row
UNATTRIBUTED = "unattributed"  # the outcome of the row of an input that names no case
RUN_COLUMNS = ("as_of", "standards", "standards_version")
# After the run's columns (columns are only ever added at the end): the audit meeting's.
MEETING_COLUMNS = ("tool_outcome", "moderated", "stale", "moderation")
_NO_MEETING = [""] * len(MEETING_COLUMNS)  # on a row that is not a case's rule
# Where a case's row, made where it was checked, gets the run's columns: a character that
# no cell holds (`_text.clean` takes control characters out of every cell).
_RUN_PLACE = "\x00"

EVIDENCE_SEPARATOR = " | "
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: str) -> str:
    """A value as a spreadsheet cell that is never a formula."""
    text = clean(value)
    if text.lstrip(" ").startswith(_FORMULA_START) or (
        text is not value and value.lstrip(" ").startswith(_FORMULA_START)
    ):  # `value` itself only where cleaning changed it (a tab or a line break at its start)
        return "'" + text
    return text


def _row(values: Sequence[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([cell(v) for v in values])
    return buffer.getvalue()


class CsvReporter(Reporter):
    name = "csv"
    extensions = (".csv",)
    description = "CSV, one row per case and rule (safe to open in Excel)"

    def render(
        self, content: ReportContent, options: RenderOptions = DEFAULT_OPTIONS
    ) -> Iterator[str]:
        names = content.show_names
        header = ["case_id", *(["name"] if names else []), "rule", "theme", "kind", "outcome",
                  "score", "grade", "evidence", *RUN_COLUMNS, *MEETING_COLUMNS]
        yield _row(header)
        # The run's columns are on every row. A case's rows are made where it was checked,
        # which knows no as-of date: they are put in here, in each row's `_RUN_PLACE`.
        run = _run_values(content)
        end = "," + _row(run)[:-2]
        if names:  # the name column: not in the rows prepared with the cases
            chunks: Iterable[str] = (_rows(case, names=True) for case in content.cases)
        else:
            chunks = self.case_chunks(content.cases, options)
        yield from (chunk.replace(_RUN_PLACE, end) for chunk in chunks)
        run = [*run, *_NO_MEETING]
        blank = [""] * (1 if names else 0)
        for case_id, problems in _rejected(content.data.problems):
            yield _row([case_id, *blank, "", "", "", REJECTED, "", "", _reason(problems), *run])
        for entry in content.heading.unattributed:
            evidence = wording.unattributed_text(entry)
            yield _row(["", *blank, "", "", "", UNATTRIBUTED, "", "", evidence, *run])
        yield from _warning_rows(content, names=names, run=run)

    def case_chunk(self, case: CaseSection, options: RenderOptions = DEFAULT_OPTIONS) -> str:
        return _rows(case, names=False)


def _rows(case: CaseSection, *, names: bool) -> str:
    """The case's rows, one per rule."""
    score = "" if case.score is None else case.score_text
    return "".join(
        _row(
            [
                case.case_id,
                *([case.name or ""] if names else []),
                f.rule,
                f.theme,
                str(f.kind),
                str(f.outcome),
                score,
                case.grade,
                EVIDENCE_SEPARATOR.join(clean(e) for e in f.evidence),
            ]
        )[:-2]
        + _RUN_PLACE
        + ","
        + _row(_meeting_values(f))
        for f in case.findings
    )


def _meeting_values(f: Finding) -> list[str]:
    """tool_outcome, moderated, stale, and the moderation's reason, by and date."""
    note = f.moderation
    if note is None:
        return [str(f.tool), "false", "false", ""]
    return [str(f.tool), "true", "true" if note.stale else "false",
            f"{note.reason}; {note.by}; {note.date}"]


def _run_values(content: ReportContent) -> list[str]:
    return [content.as_of.isoformat(), content.standards.name, content.standards.version]


def _rejected(problems: Iterable[Problem]) -> list[tuple[str, list[Problem]]]:
    """Each rejected case's problems, in the order listed (case id order)."""
    by_case: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.case_id is not None:
            by_case.setdefault(problem.case_id, []).append(problem)
    return list(by_case.items())


def _reason(problems: Sequence[Problem]) -> str:
    """ "cases/a.json: child.date_of_birth: not an ISO date ... (and 2 other problems)" """
    first = problems[0]
    where = [", ".join(wording.problem_files(first)), first.location or ""]
    text = ": ".join([*(part for part in where if part), first.message])
    others = len(problems) - 1
    return text + (f" (and {wording.plural(others, 'other problem')})" if others else "")


def _warning_rows(
    content: ReportContent, *, names: bool, run: Sequence[str]
) -> Iterator[str]:
    """A row per data warning (outcome `warning`), so that a spreadsheet shows it."""
    for warning in content.data.warnings:
        where = wording.problem_where(warning, case=False)
        yield _row([
            warning.case_id or "", *([""] if names else []), "", "", "", "warning", "", "",
            f"{where}: {warning.message}", *run,
        ])
