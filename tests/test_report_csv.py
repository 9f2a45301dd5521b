"""The CSV report: a row per case and rule, RFC 4180, never a formula in Excel."""

from __future__ import annotations

import csv
import io

import pytest
from test_report_data import (
    REPORTED,
    SCRIPT,
    case_result,
    content,
    hostile_case,
    hostile_run,
    make_run,
)

from cp_audit.report import REPORTERS
from cp_audit.report.csv import cell

CSV = REPORTERS["csv"]
HEADER = [
    "case_id", "rule", "theme", "kind", "outcome", "score", "grade", "evidence",
    "as_of", "standards", "standards_version",
    "tool_outcome", "moderated", "stale", "moderation",
]
RUN = ["2022-09-30", "Test standards", "2022.1"]  # the run's columns, on every row
NOT_A_RULE = ["", "", "", ""]  # the meeting's columns on a row that is not a case's rule


def _unmoderated(outcome: str) -> list[str]:
    return [outcome, "false", "false", ""]


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_a_row_per_case_and_rule() -> None:
    text = CSV.render_string(content())
    rows = _rows(text)
    assert rows[0] == HEADER
    assert len(rows) == 1 + 3 * len(REPORTED) + 1  # and the rejected case's row, last
    assert rows[1] == [
        "NS-01", "health-at-core-groups", "health", "worry", "not_met", "25.0", "inadequate",
        "health-at-core-groups: evidence", *RUN, *_unmoderated("not_met"),
    ]
    assert all(row[8:11] == RUN for row in rows[1:])
    assert all(row[11:] == _unmoderated(row[4]) for row in rows[1:-1])
    assert rows[-1][11:] == NOT_A_RULE
    assert rows[7][:7] == [
        "NS-02", "health-at-core-groups", "health", "worry", "met", "66.7", "requires_improvement",
    ]
    na = [row for row in rows if row[4] == "not_applicable"]
    assert na and all(row[7] == "" for row in na)
    assert text.endswith("\r\n") and text.count("\r\n") == len(rows)


def test_no_score_is_an_empty_cell() -> None:
    run = make_run(cases=(case_result(0, score=None, grade="not_graded"),))
    rows = [row for row in _rows(CSV.render_string(content(run)))[1:] if row[4] != "rejected"]
    assert {row[5] for row in rows} == {""}
    assert {row[6] for row in rows} == {"not_graded"}


def test_evidence_items_are_joined_and_quoted() -> None:
    rows = _rows(CSV.render_string(content(hostile_run())))
    evidence = next(row[7] for row in rows if row[1] == "child-voice-regular")
    items = evidence.split(" | ")
    assert items[0] == SCRIPT
    assert "a | b c d" in evidence  # a line break in an item is a space: one line a row
    assert '=HYPERLINK("http://evil.example/","click")' in evidence  # quotes round-trip
    assert "\x1b" not in evidence and "\x00" not in evidence


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "' =1"),
        ("\rcmd", "' cmd"),
        ("  =1", "'  =1"),
        ("NS-01", "NS-01"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_injection_is_neutralised(value: str, expected: str) -> None:
    assert cell(value) == expected


def test_no_cell_starts_a_formula() -> None:
    case = hostile_case()
    results = tuple(
        r.__class__(r.rule, r.theme, r.kind, r.outcome, ("=cmd|' /C calc'!A0", "x"), r.weight)
        for r in case.results
    )
    case = case.__class__(
        case_id="=HYPERLINK(\"http://evil.example\")",
        files=case.files,
        agencies=case.agencies,
        age=case.age,
        needs=case.needs,
        score=case.score,
        grade="@grade",
        results=results,
        name="-Amy",
    )
    rows = _rows(CSV.render_string(content(make_run(cases=(case,)))))
    assert rows[0] == ["case_id", "name", *HEADER[1:]]
    for row in rows[1:]:
        for value in row:
            assert not value.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert rows[1][0] == "'=HYPERLINK(\"http://evil.example\")"
    assert rows[1][1] == "'-Amy"
    assert rows[1][8] == "'=cmd|' /C calc'!A0 | x"


def test_a_rejected_case_has_a_row_with_its_first_problem() -> None:
    from cp_audit.results import Problem

    more = Problem("visits[2].date: not an ISO date", file="cases/ns-09-gp.json", case_id="NS-09",
                   location="visits[2].date")
    run = make_run()
    rows = _rows(CSV.render_string(content(make_run(problems=(*run.problems, more)))))
    rejected = [row for row in rows if row[4] == "rejected"]
    assert rejected == [[
        "NS-09", "", "", "", "rejected", "", "",
        "cases/ns-09-social-care.yaml, cases/ns-09-gp.json: child.date_of_birth: the records"
        " disagree (and 1 other problem)", *RUN, *NOT_A_RULE,
    ]]
    assert rows[-1] == rejected[0]  # after the checked cases' rows


def test_input_that_names_no_case_has_a_row() -> None:
    from cp_audit.results import Unattributed

    entries = (
        Unattributed("cases/p.yaml", "police"), Unattributed("b.jsonl", None, "line 3", True)
    )
    rows = _rows(CSV.render_string(content(make_run(unattributed=entries, incomplete=True))))
    assert [row[:1] + row[4:] for row in rows if row[4] == "unattributed"] == [
        ["", "unattributed", "", "", "cases/p.yaml: a record of police that names no case", *RUN,
         *NOT_A_RULE],
        ["", "unattributed", "", "",
         "b.jsonl, line 3: could not be read at all, and may have held cases' records", *RUN,
         *NOT_A_RULE],
    ]
