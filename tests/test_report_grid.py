"""The case × rule grid: built once from the report's content, drawn in HTML, Markdown (and
Word: test_report_docx), each cell a symbol as well as a colour, left out past its cap."""

from __future__ import annotations

from dataclasses import replace

from test_report_data import (
    NA,
    NOT_MET,
    case_result,
    content,
    make_run,
    rule_result,
)

from cp_audit.report import REPORTERS, grid
from cp_audit.results import Kind, Outcome

TABLE = {  # test_report_data's cases: (case, rule) -> the mark
    ("NS-01", "health-at-core-groups"): grid.Mark.WORRY,
    ("NS-02", "health-at-core-groups"): grid.Mark.MET,
    ("NS-03", "health-at-core-groups"): grid.Mark.NOT_APPLICABLE,
    ("NS-01", "gp-report-to-conference"): grid.Mark.MET,
}


def test_a_row_per_case_a_column_per_rule_grouped_by_theme() -> None:
    report = content()
    table = grid.grid(report)
    assert [row.case_id for row in table.rows] == report.cases.case_ids
    assert sorted(c.rule for c in table.columns) == sorted(report.rules)
    assert [c.number for c in table.columns] == list(range(1, len(report.rules) + 1))
    themes = [t.theme for t in table.themes]
    assert len(themes) == len(set(themes))  # each theme's rules side by side
    column = {c.rule: i for i, c in enumerate(table.columns)}
    rows = {row.case_id: row for row in table.rows}
    for (case_id, rule), mark in TABLE.items():
        assert rows[case_id].marks[column[rule]] == mark
    assert all(row.worries == row.marks.count(grid.Mark.WORRY) for row in table.rows)


def test_each_outcome_has_its_own_mark_and_symbol() -> None:
    report = content()
    finding = report.cases[0].findings[0]
    assert finding.kind == Kind.WORRY
    marks = {
        grid.mark(replace(finding, outcome=Outcome.MET)),
        grid.mark(replace(finding, outcome=Outcome.NOT_MET)),
        grid.mark(replace(finding, kind=Kind.GOOD_PRACTICE, outcome=Outcome.NOT_MET)),
        grid.mark(replace(finding, outcome=Outcome.NOT_APPLICABLE)),
        grid.mark(replace(finding, outcome=Outcome.NOT_COVERED)),
    }
    assert marks == set(grid.Mark)
    assert len({m.symbol for m in grid.Mark}) == len(grid.Mark)


def test_the_legend_names_only_the_marks_shown() -> None:
    table = grid.grid(content())
    legend = grid.legend(table)
    assert "✗ worry" in legend and "? not covered" not in legend


def test_past_its_cap_the_grid_is_left_out_and_the_report_says_so() -> None:
    report = content()
    table = grid.grid(report, max_cases=2)
    assert table.rows == () and table.left_out == 3
    assert "drawn for up to 200 cases, and this run has 3" in grid.left_out_sentence(table)


def test_a_not_covered_rule_is_shown_as_such() -> None:
    cases = [case_result(0, results=(rule_result("health-at-core-groups", Outcome.NOT_COVERED),
                                      rule_result("health-at-conferences", NOT_MET)))]
    run = make_run(cases, rules=("health-at-core-groups", "health-at-conferences"))
    table = grid.grid(content(run))
    assert table.rows[0].marks == (grid.Mark.NOT_COVERED, grid.Mark.WORRY)
    assert "? not covered" in grid.legend(table)


def test_the_anchor_is_safe_and_unique_to_the_case_id() -> None:
    assert grid.anchor("NS-2022-07") == "case-NS-2022-07"
    hostile = grid.anchor('<script>"x y"</script>')
    assert all(c.isascii() and (c.isalnum() or c in "-_") for c in hostile)
    assert grid.anchor("a b") != grid.anchor("a_20_b") != grid.anchor("a-b")


def test_html_draws_the_grid_with_symbols_links_and_a_key() -> None:
    report = content()
    page = REPORTERS["html"].render_string(report)
    section = page[page.index('<section id="grid">') : page.index('<section id="cases">')]
    assert section.count('<td class="case-id"><a class="case-link" href="#case-') == 3
    assert '<td class="worry" title="worry">✗</td>' in section
    assert '<td class="not-applicable" title="not applicable">–</td>' in section
    assert section.count("<li>") == len(report.rules)  # the key


def test_markdown_draws_the_grid_as_a_table() -> None:
    report = content()
    text = REPORTERS["markdown"].render_string(report)
    section = text[text.index(f"## {grid.TITLE}") :]
    header = next(line for line in section.splitlines() if line.startswith("| Case |"))
    assert header.count("|") == len(report.rules) + 3
    assert any(line.startswith("| NS-01 | ✗ |") for line in section.splitlines())


def test_the_grids_cells_never_count_a_not_applicable_rule_as_met() -> None:
    cases = [case_result(0, results=(rule_result("health-at-core-groups", NA),))]
    run = make_run(cases, rules=("health-at-core-groups",))
    assert grid.grid(content(run)).rows[0].marks == (grid.Mark.NOT_APPLICABLE,)


def test_a_moderated_cell_shows_the_agreed_mark_and_says_so() -> None:
    row = grid.Row("C1", (grid.Mark.MET, grid.Mark.WORRY), 1, frozenset({0}))
    assert row.symbols() == ("✓*", "✗")
    assert grid.Row("C2", (grid.Mark.MET,), 0).symbols() == ("✓",)
    table = grid.Grid((), (row,))
    assert grid.legend(table).endswith("* as the audit meeting agreed (moderated)")
    assert "moderated" not in grid.legend(grid.Grid((), (grid.Row("C2", (grid.Mark.MET,), 0),)))
