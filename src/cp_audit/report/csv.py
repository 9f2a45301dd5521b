"""The CSV report: one row per case and rule, for spreadsheets and data analysts.

Columns: case_id, (name, only when names are shown), rule, theme, kind,
outcome, score, grade, evidence. The score is the case's, to one decimal
place (empty when the case has none); evidence items are joined with " | ".

- RFC 4180: the csv module quotes what needs quoting; rows end with CRLF.
- Safe to open in Excel: a cell starting (after any spaces) with `=`, `+`,
  `-`, `@`, a tab or a carriage return gets a leading apostrophe, so that it
  is read as text and never as a formula.
- Values are cleaned (`_text.clean`): one line each, no control characters.

Data problems are not rows: they are in every other format, and the CLI's
exit code says that there were some.

Data warnings are rows after the cases' rows, one each: the case id, outcome
`warning`, and in evidence where it is and what (`file: location: message`);
rule, theme, kind, score and grade empty.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence

from cp_audit.report import wording
from cp_audit.report._text import clean
from cp_audit.report.content import CaseSection, ReportContent
from cp_audit.report.interface import DEFAULT_OPTIONS, RenderOptions, Reporter

EVIDENCE_SEPARATOR = " | "
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: str) -> str:
    """A value as a spreadsheet cell that is never a formula."""
    text = clean(value)
    if value.lstrip(" ").startswith(_FORMULA_START) or text.lstrip(" ").startswith(_FORMULA_START):
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
                  "score", "grade", "evidence"]
        yield _row(header)
        if names:  # the name column: not in the rows prepared with the cases
            yield from (_rows(case, names=True) for case in content.cases)
        else:
            yield from self.case_chunks(content.cases, options)
        yield from _warning_rows(content, names=names)

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
        )
        for f in case.findings
    )


def _warning_rows(content: ReportContent, *, names: bool) -> Iterator[str]:
    """A row per data warning (outcome `warning`), so that a spreadsheet shows it."""
    for warning in content.data.warnings:
        where = wording.problem_where(warning, case=False)
        yield _row([
            warning.case_id or "", *([""] if names else []), "", "", "", "warning", "", "",
            f"{where}: {warning.message}",
        ])
