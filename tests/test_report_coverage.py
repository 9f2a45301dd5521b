"""`not_covered` in every report: N of A never counts it, "not covered by the records of N
cases", the score's basis, JSON, CSV and JUnit; and a real run of a census-like record
with a GP's record (through CliRunner and a subprocess)."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from junitparser import JUnitXml, Skipped
from test_report_data import case_results, content, make_run

from cp_audit.cli import cli
from cp_audit.report import REPORTERS, RenderOptions
from cp_audit.report.content import ReportContent
from cp_audit.results import CaseResult, Outcome

NC = Outcome.NOT_COVERED
EVIDENCE = "not covered by this case's records: child_voice; sources: social_care (cin_census)"
HUMAN = ("text", "markdown", "html")


def _covered_cases() -> tuple[CaseResult, ...]:
    """The sample run with NS-03's child-voice-regular and father-in-assessments (both
    worries elsewhere) not covered by its records."""
    cases = list(case_results())
    third = cases[2]
    results = tuple(
        replace(r, outcome=NC, evidence=(EVIDENCE,))
        if r.rule in ("child-voice-regular", "father-in-assessments") else r
        for r in third.results
    )
    cases[2] = replace(third, results=results)
    return tuple(cases)


def _content() -> ReportContent:
    return content(make_run(cases=_covered_cases()))


def _plain(name: str, text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text)) if name == "html" else text


def test_n_of_a_never_counts_not_covered() -> None:
    lines = {line.rule: line for line in _content().worries}
    voice = lines["child-voice-regular"]
    assert (voice.cases, voice.applicable, voice.not_covered) == (2, 2, 1)
    assert voice.case_ids == ("NS-01", "NS-02")
    fathers = lines["father-in-assessments"]  # NS-02 not applicable, NS-03 not covered
    assert (fathers.cases, fathers.applicable, fathers.not_covered) == (1, 1, 1)
    assert lines["health-at-core-groups"].not_covered == 0


@pytest.mark.parametrize("name", HUMAN)
def test_the_worry_line_says_not_covered_by_the_records_of_n_cases(name: str) -> None:
    text = _plain(name, REPORTERS[name].render_string(_content(), RenderOptions(width=200)))
    assert "2 of 2 cases; not covered by the records of 1 case" in text
    # A rule not covered nowhere keeps its words as they were.
    assert "1 of 2 cases; not covered" not in text
    assert "scored on 1 of 6 rules; 2 not covered by its records" in text


@pytest.mark.parametrize("name", HUMAN)
def test_without_not_covered_no_report_mentions_it(name: str) -> None:
    text = _plain(name, REPORTERS[name].render_string(content(), RenderOptions(width=200)))
    assert "not covered" not in text.lower() and "scored on" not in text


def test_the_case_shows_its_not_covered_rules_and_their_evidence() -> None:
    text = REPORTERS["text"].render_string(_content(), RenderOptions(width=200))
    assert "Not covered by the records: child-voice-regular, father-in-assessments" in text
    markdown = REPORTERS["markdown"].render_string(_content())
    assert "| child-voice-regular | The child's voice heard regularly during the plan | " \
        "not covered | not covered by this case's records: child\\_voice;" in markdown
    page = REPORTERS["html"].render_string(_content())
    assert '<td class="muted">not covered</td>' in page
    assert html.escape(EVIDENCE) in page


def test_json_carries_the_outcome_the_count_and_the_basis() -> None:
    doc = json.loads(REPORTERS["json"].render_string(_content()))
    voice = next(w for w in doc["summary"]["worries"] if w["rule"] == "child-voice-regular")
    assert voice["applicable"] == 2 and voice["not_covered"] == 1
    assert voice["not_covered_text"] == "not covered by the records of 1 case"
    core = next(w for w in doc["summary"]["worries"] if w["rule"] == "health-at-core-groups")
    assert "not_covered" not in core
    ns03 = doc["cases"][2]
    outcomes = {r["rule"]: r["outcome"] for r in ns03["results"]}
    assert outcomes["child-voice-regular"] == "not_covered"
    assert (ns03["rules_scored"], ns03["rules_not_covered"]) == (1, 2)
    assert ns03["score_basis"] == "scored on 1 of 6 rules; 2 not covered by its records"
    assert "score_basis" not in doc["cases"][0]


def test_csv_carries_the_outcome_value() -> None:
    rows = list(csv.DictReader(io.StringIO(REPORTERS["csv"].render_string(_content()))))
    found = [r for r in rows if r["case_id"] == "NS-03" and r["rule"] == "child-voice-regular"]
    assert [r["outcome"] for r in found] == ["not_covered"]
    assert found[0]["evidence"] == EVIDENCE


def test_junit_skips_not_covered_with_the_evidence_as_message() -> None:
    xml = REPORTERS["junit"].render_string(_content()).encode()
    suites = {s.name: s for s in JUnitXml.fromstring(xml)}
    ns03 = suites["NS-03"]
    voice = next(case for case in ns03 if case.name == "child-voice-regular")
    (skipped,) = voice.result
    assert isinstance(skipped, Skipped) and skipped.message == EVIDENCE
    assert ns03.skipped == 3  # not_covered twice, and health-at-core-groups not applicable
    assert ns03.failures == 0
    assert next(case for case in ns03 if case.name == "health-at-conferences").is_passed


# ------------------------------------------------------------------ a real run

CENSUS = """\
case_id: C1
source: {agency: social_care, system: cin_census,
         covers: [needs, referrals, step_downs, plans, strategy_discussions, conferences]}
child: {date_of_birth: 2015-06-14, needs: [neglect]}
referrals: [{date: 2021-11-01, source: police, outcome: s47}]
plans: [{start: 2021-11-26, category: emotional_abuse}]
meetings:
  - {type: strategy_discussion, date: 2021-11-03}
  - {type: icpc, date: 2021-11-26}
  - {type: rcpc, date: 2022-02-20}
"""
GP = {
    "case_id": "C1",
    "source": {"agency": "gp", "covers": ["participants", "agency_records"]},
    "meetings": [{"type": "icpc", "date": "2021-11-26", "participants": [
        {"role": "gp", "agency": "gp", "status": "apologies", "report": True}]}],
    "agency_records": [{"agency": "gp", "shows_cp_plan": True}],
}
BAD = "case_id: C2\nsource: {agency: gp, covers: [visit]}\nchild: {age_years: 3}\n"


def _folder(tmp_path: Path) -> Path:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "census.yaml").write_text(CENSUS, encoding="utf-8")
    (cases / "gp.json").write_text(json.dumps(GP), encoding="utf-8")
    (cases / "bad.yaml").write_text(BAD, encoding="utf-8")
    return cases


def _outcomes(doc: dict[str, Any]) -> dict[str, str]:
    (case,) = doc["cases"]
    return {r["rule"]: r["outcome"] for r in case["results"]}


def test_check_reports_not_covered_and_the_bad_covers(tmp_path: Path) -> None:
    cases = _folder(tmp_path)
    result = CliRunner().invoke(
        cli, ["check", str(cases), "--as-of", "2022-06-30", "--format", "json"],
        prog_name="cp-audit",
    )
    assert result.exit_code == 2, result.output  # the rejected record
    doc = json.loads(result.stdout)
    outcomes = _outcomes(doc)
    assert outcomes["gp-report-to-conference"] == "met"
    assert outcomes["health-at-conferences"] == "not_covered"
    assert outcomes["visits-timely"] == "not_covered"
    assert outcomes["strategy-discussion-timely"] == "met"
    assert not any(o == "not_met" for r, o in outcomes.items() if r != "icpc-timely")
    (error,) = doc["errors"]
    assert "'visit' is not a part (did you mean 'visits'?)" in error["message"]


def test_check_through_a_real_process(tmp_path: Path) -> None:
    cases = _folder(tmp_path)
    (cases / "bad.yaml").unlink()
    done = subprocess.run(
        [sys.executable, "-m", "cp_audit", "check", str(cases), "--as-of", "2022-06-30",
         "--format", "json"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 1, done.stderr  # the ICPC was late: a worry
    (case,) = json.loads(done.stdout)["cases"]
    assert case["score_basis"].endswith("not covered by its records")
    health = next(r for r in case["results"] if r["rule"] == "health-at-conferences")
    assert health["evidence"] == [
        "not covered by this case's records: participants of conferences; "
        "sources: social_care (cin_census), gp"
    ]
