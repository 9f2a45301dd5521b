"""The Word meeting paper written with python-docx (`docx.DocxReporter.render_bytes`):
its sections, the grid's table, each child's page. Imported only when a .docx is written,
so that the report registry (and `--help`) loads no python-docx."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document as new_document
from docx.document import Document
from docx.enum.text import WD_BREAK
from docx.shared import Length, Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from cp_audit.report import chronology, grid, wording
from cp_audit.report._docx_parts import (
    a4,
    bookmark,
    cell_text,
    internal_link,
    narrow_cells,
    repeat_header,
    shade,
    web_link,
    x,
)
from cp_audit.report.content import AuditorLine, CaseSection, ReportContent, RuleLine

MEETING_TITLE = "The meeting: moderation and agreed actions"
NOTES = "Notes for the meeting"
_FILL = {  # the grid's cells: a colour as well as the symbol, pale enough to print in grey
    grid.Mark.MET: "E3F1E7",
    grid.Mark.WORRY: "F6D5D6",
    grid.Mark.NOT_SEEN: "F1F2F4",
    grid.Mark.NOT_APPLICABLE: "FFFFFF",
    grid.Mark.NOT_COVERED: "FFF4D6",
}
_WORRY = RGBColor(0xA4, 0x16, 0x1A)


def paper(content: ReportContent) -> bytes:
    """The Word document of the report, as the bytes of its .docx file."""
    document = new_document()
    a4(document)
    _styles(document)
    _Paper(document, content).write()
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def _styles(document: Document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    properties = document.core_properties
    properties.author = "cp-audit"
    properties.title = "Audit meeting paper"


class _Paper:
    """One document being written, section by section."""

    def __init__(self, document: Document, content: ReportContent) -> None:
        self.doc = document
        self.content = content
        # A case's bookmark: its place in case id order (a Word bookmark is a short name).
        self.marks = {case_id: f"case_{n}" for n, case_id in enumerate(content.cases.case_ids, 1)}

    def write(self) -> None:
        self.heading()
        meeting = self.content.meeting
        self.rule_lines(
            wording.WORRIES_TITLE, self.content.worries, wording.NO_WORRIES,
            meeting.worries if meeting else (),
        )
        self.rule_lines(
            wording.GOOD_PRACTICE_TITLE, self.content.good_practice, wording.NO_GOOD_PRACTICE,
            meeting.good_practice if meeting else (),
        )
        self.themes()
        self.grid()
        self.meeting()
        self.cases()
        self.data()

    def para(self, text: str = "", style: str | None = None) -> None:
        self.doc.add_paragraph(x(text), style=style)

    def heading(self) -> None:
        h = self.content.heading
        title, standards = wording.title_lines(h)
        self.doc.add_heading(x(title), level=0)
        checked = f"{wording.as_of_text(h)}: {wording.checked_text(h)}"
        self.para(f"{standards} {checked}" if standards else checked)
        for notice in (wording.incomplete_notice(h), wording.problems_notice(h)):
            if notice:
                self.doc.add_paragraph().add_run(x(notice)).bold = True
        for sentence in (
            wording.children_sentence(h), wording.needs_sentence(h), wording.agencies_sentence(h)
        ):
            self.para(sentence)
        self.para(self.content.caveat, style="Intense Quote")

    def links(
        self, paragraph: Paragraph, case_ids: Sequence[str], size: float | None = None
    ) -> None:
        for index, case_id in enumerate(case_ids):
            if index:
                paragraph.add_run(", ")
            if case_id in self.marks:
                internal_link(paragraph, case_id, self.marks[case_id], size)
            else:
                paragraph.add_run(x(case_id))

    def rule_lines(
        self, title: str, lines: Sequence[RuleLine], none: str,
        auditors: Sequence[AuditorLine] = (),
    ) -> None:
        self.doc.add_heading(title, level=1)
        if not lines and not auditors:
            self.para(none)
        for finding in auditors:  # the auditors' own, marked as theirs
            item = self.doc.add_paragraph(style="List Bullet")
            item.add_run(x(wording.auditor_text(finding))).italic = True
            item.add_run(": ")
            self.links(item, finding.case_ids)
        for line in lines:
            item = self.doc.add_paragraph(style="List Bullet")
            item.add_run(x(line.sentence) + ": ")
            item.add_run(wording.n_of_a(line)).bold = True
            item.add_run(" (")
            self.links(item, line.case_ids)
            item.add_run(")")

    def themes(self) -> None:
        self.doc.add_heading(wording.THEMES_TITLE, level=1)
        if not self.content.themes:
            self.para(wording.NO_THEMES)
        for theme in self.content.themes:
            self.doc.add_heading(x(theme.title), level=2)
            found = self.doc.add_paragraph()
            found.add_run("What we found: ").bold = True
            found.add_run(x(theme.what_we_found))
            for worry in theme.worries:
                self.para(f"{worry.sentence}: {wording.n_of_a(worry)}", style="List Bullet")
            needs = self.doc.add_paragraph()
            needs.add_run("What needs to happen: ").bold = True
            needs.add_run(x(theme.what_needs_to_happen))
            for resource in theme.resources:
                item = self.doc.add_paragraph(style="List Bullet 2")
                if resource.is_web:
                    web_link(item, resource.title, resource.url)
                else:
                    item.add_run(x(f"{resource.title} ({resource.url})"))

    def grid(self) -> None:
        self.doc.add_heading(grid.TITLE, level=1)
        table = grid.grid(self.content)
        if table.left_out:
            self.para(grid.left_out_sentence(table))
            return
        if not table.rows:
            self.para(wording.NO_CASES)
            return
        self.para(f"{grid.legend(table)}. The columns are the rules, numbered as in the key "
                  f"below the grid, by theme: {grid.theme_spans(table)}.")
        _grid_table(self.doc, table, self)
        for column in table.columns:  # the key, small and close, under the grid
            key = self.doc.add_paragraph(style="List")
            key.add_run(x(f"{column.number}. {column.rule}: {column.title}")).font.size = Pt(8)
            key.paragraph_format.space_after = Pt(0)

    def meeting(self) -> None:
        """The panel's moderated outcomes and agreed actions (`audit-meeting.md`) from the
        audit folder's meeting.yaml, then rows for the actions this meeting agrees, and
        "Since the last audit" where the folder names the previous audit."""
        self.doc.add_heading(MEETING_TITLE, level=1)
        meeting = self.content.meeting
        if meeting is not None and meeting.moderations:
            self.para(wording.moderation_summary(meeting))
            for m in meeting.moderations:
                item = self.doc.add_paragraph(style="List Bullet")
                item.add_run(x(wording.moderation_subject(m.case_id, m.rule)) + ": ")
                item.add_run(x(wording.moderated_text(m.agreed, m.tool, m.note)))
                flag = wording.moderation_flag(m.note)
                if flag:
                    item.add_run(f" ({x(flag)})").bold = True
        actions = meeting.actions if meeting is not None else ()
        self.para("Agreed actions (to be completed at the meeting):")
        table = self.doc.add_table(rows=1 + len(actions) + 4, cols=4)
        table.style = "Table Grid"
        heads = ("Action", "Owner", "By when", "Status")
        for cell, words in zip(table.rows[0].cells, heads, strict=True):
            cell_text(cell, words, size=9, bold=True)
        for row, action in zip(table.rows[1:], actions, strict=False):
            status = action.status + (", OVERDUE" if action.overdue else "")
            values = (f"{action.id}: {action.action}", action.owner,
                      wording.long_date(action.due), status)
            for cell, value in zip(row.cells, values, strict=True):
                cell_text(cell, x(value), size=9, bold=action.overdue)
        since = self.content.since
        if since is not None:
            self.doc.add_heading(wording.SINCE_TITLE, level=2)
            self.para(wording.since_lead(since.previous, since.then_as_of, since.now_as_of))
            for line in since.rules:
                self.para(f"{line.sentence} [{line.rule}]: {wording.share_text(line)}",
                          style="List Bullet")
        self.notes(NOTES)

    def notes(self, title: str) -> None:
        box = self.doc.add_table(rows=1, cols=1)
        box.style = "Table Grid"
        cell = box.rows[0].cells[0]
        cell_text(cell, f"{title}:", size=9, bold=True)
        for _ in range(4):
            cell.add_paragraph("")

    def cases(self) -> None:
        self.doc.add_heading(wording.CASES_TITLE, level=1)
        self.para(self.content.caveat)
        if not self.content.cases:
            self.para(wording.NO_CASES)
        for number, case in enumerate(self.content.cases, 1):
            self.case(case, number)

    def case(self, case: CaseSection, number: int) -> None:
        title = case.case_id + (f" ({case.name})" if case.name else "")
        heading = self.doc.add_heading(x(title), level=2)
        heading.paragraph_format.page_break_before = True
        bookmark(heading, self.marks.get(case.case_id, f"case_{number}"), number)
        facts = [
            ("Score", case.score_line),
            ("Grade", wording.label(case.grade)),
            ("Age", wording.age_text(case.age)),
            ("Needs", wording.labels(case.needs) or "none recorded"),
            ("Agencies", wording.labels(case.agencies) or "none named"),
            ("Sources", ", ".join(case.files) or "none"),
        ]
        if case.moderated:  # as the other formats show it: the tool's own beside the agreed
            facts.append(("Tool's own", wording.moderated_case_text(case)))
        table = self.doc.add_table(rows=0, cols=2)
        for name, value in facts:
            cells = table.add_row().cells
            cell_text(cells[0], name, size=9, bold=True)
            cell_text(cells[1], value, size=9)
        _widths(table, (Mm(25), Mm(155)))
        self.chronology(case)
        _findings_table(self.doc, case)
        moderated = wording.case_moderation_lines(case)
        if moderated:
            self.para("Moderated findings:")
            for line in moderated:
                self.para(line, style="List Bullet")
        for warning in case.warnings:
            self.para(
                f"{wording.WARNINGS_TITLE}: {wording.problem_where(warning, case=False)}: "
                f"{warning.message}"
            )
        self.notes(NOTES)

    def chronology(self, case: CaseSection) -> None:
        drawn = case.chronology
        if drawn is None:
            return
        picture = chronology.png(chronology.svg(drawn, f"Chronology of {case.case_id}"))
        if picture is not None:
            self.doc.add_picture(io.BytesIO(picture), width=Mm(175))
            self.doc.paragraphs[-1].runs[-1].add_break(WD_BREAK.LINE)
            return
        rows = chronology.rows(drawn)  # no Cairo library: the same entries as a table
        table = self.doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, words in zip(table.rows[0].cells, ("Date", "What", "Note"), strict=True):
            cell_text(cell, words, bold=True)
        for row in rows:
            for cell, words in zip(table.add_row().cells, row, strict=True):
                cell_text(cell, words)

    def data(self) -> None:
        data = self.content.data
        self.doc.add_heading(wording.DATA_TITLE, level=1)
        if not data.problems:
            self.para("No file or case was rejected.")
        for p in data.problems:
            self.para(f"{wording.problem_where(p)}: {p.message}", style="List Bullet")
        if data.warnings:
            self.para(wording.warnings_line(len(data.warnings)))
            for w in data.warnings:
                self.para(f"{wording.problem_where(w)}: {w.message}", style="List Bullet")
        if data.skipped:
            self.para(f"Skipped: {wording.plural(len(data.skipped), 'file')}.")
            for s in data.skipped:
                self.para(f"{s.path} ({s.reason})", style="List Bullet")
        for line in wording.books_lines(data):
            self.para(line)
        c = self.content
        self.para(f"{c.tool_name} {c.tool_version}; standards sha256 {c.standards.sha256}")


def _widths(table: Table, widths: Sequence[Length]) -> None:
    """Fixed column widths: on the grid's columns (LibreOffice reads those) and each cell
    (Word reads those)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _grid_table(document: Document, table: grid.Grid, paper: _Paper) -> None:
    columns = table.columns
    word = document.add_table(rows=2, cols=len(columns) + 2)
    word.style = "Table Grid"
    top, numbers = word.rows[0].cells, word.rows[1].cells
    cell_text(top[0], "Case", size=7, bold=True)
    top[0].merge(numbers[0])
    cell_text(top[-1], "Worries", size=7, bold=True)
    top[-1].merge(numbers[-1])
    start = 1
    for theme in table.themes:
        end = start + len(theme.columns) - 1
        merged = top[start].merge(top[end]) if end > start else top[start]
        if len(theme.title) <= 3 * len(theme.columns):  # else named in the line above only
            cell_text(merged, theme.title, size=6.5, bold=True)
        start = end + 1
    for cell, column in zip(numbers[1:-1], columns, strict=True):
        cell_text(cell, str(column.number), size=6.5, bold=True)
    for row_element in word.rows[:2]:
        repeat_header(row_element._tr)
    for row in table.rows:
        cells = word.add_row().cells
        paper.links(cells[0].paragraphs[0], [row.case_id], size=7)
        for cell, mark, symbol in zip(cells[1:-1], row.marks, row.symbols(), strict=True):
            cell_text(cell, symbol, size=8, bold=mark == grid.Mark.WORRY)
            shade(cell, _FILL[mark])
        cell_text(cells[-1], str(row.worries), size=7)
    narrow_cells(word)
    _widths(word, (Mm(22), *([Mm(4.8)] * len(columns)), Mm(12)))


def _findings_table(document: Document, case: CaseSection) -> None:
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, words in zip(table.rows[0].cells, ("Finding", "Outcome", "Evidence"), strict=True):
        cell_text(cell, words, bold=True)
    repeat_header(table.rows[0]._tr)
    for finding in case.findings:
        cells = table.add_row().cells
        cell_text(cells[0], finding.sentence or finding.title)
        words = "good practice" if finding.is_good_practice else grid.mark(finding).value
        outcome = cell_text(cells[1], words)
        if finding.is_worry:
            outcome.runs[0].bold = True
            outcome.runs[0].font.color.rgb = _WORRY
        cell_text(cells[2], "; ".join(finding.evidence))
    _widths(table, (Mm(52), Mm(24), Mm(104)))
