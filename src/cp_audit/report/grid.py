"""The case × rule grid: every case a row, every rule a column, grouped by theme.

Built once from the report's content (`grid(content)`) and drawn by the HTML,
Markdown and Word reporters. Each cell is one `Mark`, shown with a symbol as
well as a colour so that the grid reads the same printed in grey:

    ✓ met   ✗ worry (a worry rule not met)   ○ good practice not seen
    – not applicable   ? not covered by the case's records

A moderated outcome (`audit-meeting.md`) shows the agreed mark with the
`MODERATED` symbol beside it (`✓*`: met, as the audit meeting agreed), and the
legend says so.

The grid is for meeting-sized runs: up to `MAX_CASES` cases (200) it is drawn;
beyond that it is left out and the report says so (`left_out_sentence`): a
national run's 50,000 rows would be a book, not a paper, and would read every
case's section once more.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cp_audit.report import wording
from cp_audit.report.content import Finding, ReportContent
from cp_audit.results import Kind, Outcome

MAX_CASES = 200
TITLE = "Cases and rules at a glance"
MODERATED = "*"  # the mark beside a moderated cell (the meeting's record, issue 16)


class Mark(StrEnum):
    MET = "met"
    WORRY = "worry"
    NOT_SEEN = "good practice not seen"
    NOT_APPLICABLE = "not applicable"
    NOT_COVERED = "not covered"

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]


_SYMBOLS = {
    Mark.MET: "✓",
    Mark.WORRY: "✗",
    Mark.NOT_SEEN: "○",
    Mark.NOT_APPLICABLE: "–",
    Mark.NOT_COVERED: "?",
}


def mark(finding: Finding) -> Mark:
    if finding.outcome == Outcome.NOT_APPLICABLE:
        return Mark.NOT_APPLICABLE
    if finding.outcome == Outcome.NOT_COVERED:
        return Mark.NOT_COVERED
    if finding.outcome == Outcome.MET:
        return Mark.MET
    return Mark.WORRY if finding.kind == Kind.WORRY else Mark.NOT_SEEN


def outcome_words(finding: Finding) -> str:
    """A finding's outcome as a case's table shows it: "worry", "good practice", or its
    mark's words ("met", "good practice not seen", "not applicable", "not covered")."""
    return "good practice" if finding.is_good_practice else mark(finding).value


@dataclass(frozen=True, slots=True)
class Column:
    number: int  # 1, 2, ...: the key's number, where a format has no room for the rule id
    rule: str
    title: str
    kind: Kind


@dataclass(frozen=True, slots=True)
class ThemeColumns:
    theme: str
    title: str
    columns: tuple[Column, ...]


@dataclass(frozen=True, slots=True)
class Row:
    case_id: str
    marks: tuple[Mark, ...]  # in the columns' order (theme by theme)
    worries: int
    moderated: frozenset[int] = frozenset()  # the columns whose outcome the meeting agreed

    def symbols(self) -> tuple[str, ...]:
        """Each cell's text: the mark's symbol, and `MODERATED` beside an agreed outcome."""
        return tuple(
            m.symbol + (MODERATED if i in self.moderated else "") for i, m in enumerate(self.marks)
        )


@dataclass(frozen=True, slots=True)
class Grid:
    themes: tuple[ThemeColumns, ...]
    rows: tuple[Row, ...]
    left_out: int = 0  # cases, when there are more than MAX_CASES (then `rows` is empty)

    @property
    def columns(self) -> tuple[Column, ...]:
        return tuple(c for theme in self.themes for c in theme.columns)


def grid(content: ReportContent, max_cases: int = MAX_CASES) -> Grid:
    """The grid of the report's cases (none past `max_cases`: then `left_out` says how many)."""
    cases = content.cases
    if len(cases) > max_cases:
        return Grid((), (), left_out=len(cases))
    if not cases:
        return Grid((), ())
    first = {f.rule: f for f in cases[0].findings}
    by_theme: dict[str, list[Finding]] = {}
    for rule in content.rules:
        if rule in first:
            by_theme.setdefault(first[rule].theme, []).append(first[rule])
    themes: list[ThemeColumns] = []
    number = 0
    for theme, findings in by_theme.items():
        columns = []
        for f in findings:
            number += 1
            columns.append(Column(number, f.rule, f.title, f.kind))
        label = wording.label(theme)
        themes.append(ThemeColumns(theme, label[:1].upper() + label[1:], tuple(columns)))
    order = [c.rule for t in themes for c in t.columns]
    rows = []
    for case in cases:
        found = {f.rule: f for f in case.findings}
        marks = tuple(
            mark(found[rule]) if rule in found else Mark.NOT_APPLICABLE for rule in order
        )
        moderated = frozenset(
            i for i, rule in enumerate(order)
            if rule in found and found[rule].moderation is not None
        )
        rows.append(
            Row(case.case_id, marks, sum(1 for m in marks if m == Mark.WORRY), moderated)
        )
    return Grid(tuple(themes), tuple(rows))


def legend(grid: Grid) -> str:
    """What each symbol means, for the marks the grid shows."""
    shown = {m for row in grid.rows for m in row.marks}
    marks = [f"{m.symbol} {m.value}" for m in Mark if m in shown]
    if any(row.moderated for row in grid.rows):
        marks.append(f"{MODERATED} as the audit meeting agreed (moderated)")
    return "   ".join(marks)


def theme_spans(grid: Grid) -> str:
    """Which columns each theme holds: "Health 1–3; Voice 4–6; Tools 21"."""
    return "; ".join(
        f"{t.title} {t.columns[0].number}–{t.columns[-1].number}"
        if len(t.columns) > 1 else f"{t.title} {t.columns[0].number}"
        for t in grid.themes
    )


def left_out_sentence(grid: Grid) -> str:
    return (
        f"The grid is left out: it is drawn for up to {MAX_CASES} cases, and this run has "
        f"{grid.left_out}."
    )


def anchor(case_id: str) -> str:
    """A case section's anchor (an HTML id, a link's target): `case-` and the id with every
    character but ASCII letters, digits and hyphens written as `_` and its code point in hex,
    so that it is unique to the case id and holds nothing from the data but those."""
    safe = "".join(
        c if (c.isascii() and c.isalnum()) or c == "-" else f"_{ord(c):x}_" for c in case_id
    )
    return f"case-{safe}"
