"""The JSON report: the contract's shape, deterministic, and the same in chunks as whole."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from test_report_data import CASE_IDS, REPORTED, case_result, content, hostile_run, make_run

from cp_audit.report import REPORTERS
from cp_audit.report.json import _escape, _indented, document
from cp_audit.report.wording import CAVEAT

JSON = REPORTERS["json"]


def test_it_has_the_contracts_keys_in_order() -> None:
    doc = json.loads(JSON.render_string(content()))
    assert list(doc) == [
        "tool", "standards", "as_of", "audit", "summary", "cases", "errors", "warnings",
        "skipped", "counts", "incomplete",
    ]
    assert doc["tool"] == {"name": "cp-audit", "version": "9.9.9"}
    assert doc["standards"] == {"name": "Test standards", "version": "2022.1", "sha256": "ab" * 32}
    assert doc["as_of"] == "2022-09-30"
    assert doc["audit"] == {"name": None}  # no cp-audit.yaml, or one without a name
    assert list(doc["summary"]) == [
        "cases", "rejected", "worries", "good_practice", "caveat", "incomplete", "unattributed",
    ]
    assert doc["summary"]["caveat"] == CAVEAT
    assert (doc["summary"]["cases"], doc["summary"]["rejected"]) == (3, 1)
    assert doc["incomplete"] is False
    assert doc["summary"]["incomplete"] is False and doc["summary"]["unattributed"] == []


def test_summary_worries_and_good_practice() -> None:
    summary = json.loads(JSON.render_string(content()))["summary"]
    assert summary["worries"][0] == {
        "rule": "child-voice-regular", "cases": 3, "applicable": 3, "case_ids": list(CASE_IDS),
    }
    assert [(w["rule"], w["cases"], w["applicable"]) for w in summary["worries"]] == [
        ("child-voice-regular", 3, 3),
        ("father-in-assessments", 2, 2),
        ("health-at-core-groups", 1, 2),
        ("health-at-conferences", 1, 3),
    ]
    assert [g["rule"] for g in summary["good_practice"]] == [
        "gp-report-to-conference", "health-at-core-groups",
    ]


def test_cases_carry_every_rule_in_use() -> None:
    cases = json.loads(JSON.render_string(content()))["cases"]
    first = cases[1]
    assert list(first) == [
        "case_id", "sources", "score", "grade", "tool_grade", "age", "needs", "agencies",
        "results",
    ]
    assert first["score"] == 66.7
    assert first["grade"] == "requires_improvement"
    assert first["sources"] == ["cases/ns-02-social-care.yaml", "cases/ns-02-gp.json"]
    assert [r["rule"] for r in first["results"]] == list(REPORTED)
    assert first["results"][4] == {
        "rule": "father-in-assessments", "theme": "fathers", "kind": "worry",
        "outcome": "not_applicable", "tool_outcome": "not_applicable", "evidence": [],
    }
    assert first["tool_grade"] == first["grade"]  # no meeting: the tool's are the ones


def test_errors_skipped_and_counts() -> None:
    doc = json.loads(JSON.render_string(content()))
    assert doc["errors"][0] == {
        "file": "cases/bad.json", "files": ["cases/bad.json"], "case_id": None,
        "location": "line 3, column 7",
        "message": "not an ISO date: '03/04/2022' (use YYYY-MM-DD)",
    }
    assert doc["errors"][1]["files"] == ["cases/ns-09-social-care.yaml", "cases/ns-09-gp.json"]
    assert doc["errors"][1]["case_id"] == "NS-09"
    assert doc["skipped"] == [
        {"path": "cases/notes.docx", "reason": "not a .json, .jsonl, .yaml or .yml file"}
    ]
    assert doc["counts"] == {
        "files_found": 8, "files_read": 7, "files_skipped": 1, "files_rejected": 1,
        "cases_loaded": 3, "cases_rejected": 1, "cases_left_out": 0, "records_unattributed": 0,
        "inputs_unreadable": 0,
    }


def test_no_score_is_null_and_names_only_when_shown() -> None:
    run = make_run(cases=(case_result(0, score=None, grade="not_graded"),))
    case = json.loads(JSON.render_string(content(run)))["cases"][0]
    assert case["score"] is None and "name" not in case
    named = make_run(cases=(case_result(0, name="Amy Example"),))
    case = json.loads(JSON.render_string(content(named)))["cases"][0]
    assert list(case)[:2] == ["case_id", "name"] and case["name"] == "Amy Example"


def test_chunks_make_the_same_document_as_a_whole() -> None:
    for report in (content(), content(make_run(cases=())), content(hostile_run())):
        chunks = list(JSON.render(report))
        assert len(chunks) > 3
        assert json.loads("".join(chunks)) == document(report)
    text = JSON.render_string(content())
    case_lines = [line for line in text.splitlines() if line.startswith('    {"case_id": ')]
    assert [json.loads(line.rstrip(",")) for line in case_lines] == document(content())["cases"]


def test_deterministic_and_terminal_safe() -> None:
    assert JSON.render_string(content()) == JSON.render_string(content())
    text = JSON.render_string(content(hostile_run()))
    assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text
    evidence = json.loads(text)["cases"][0]["results"][3]["evidence"]
    assert evidence[1] == "\x1b[31mred\x1b[0m"  # the data itself is kept, escaped
    assert evidence[-2] == "bidi \u202eevil\u202c text"


_TEXT = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("\x7f\x85\u2028\u202e\n\""))
_SCALAR = st.none() | st.booleans() | st.integers() | st.floats() | _TEXT
_VALUES = st.recursive(
    _SCALAR,
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(_TEXT | st.integers(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_VALUES, st.integers(min_value=0, max_value=3))
def test_the_summary_writer_gives_what_json_dumps_gives(value: object, level: int) -> None:
    # The report's summary is written in pieces (a list of scalars as one), not joined by
    # json's Python encoder: the same text, with the report's escapes.
    expected = _escape(json.dumps(value, indent=2, ensure_ascii=False).replace(
        "\n", "\n" + "  " * level))
    assert "".join(_indented(value, level)) == expected
