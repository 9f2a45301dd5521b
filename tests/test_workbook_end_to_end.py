"""From the README: a GP workbook from a census return (and from a social care YAML
record), three rows filled, the report; a social care workbook of conferences and who
attended; the round trip; LibreOffice.

The census steps are issue 15's "Done when", through a real subprocess, on a copy of
`shared/data/cin-census/CIN_Census_2024.xml` (skipped when the shared data is absent)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from workbook_helpers import fill, template

from cp_audit.cli import cli
from cp_audit.workbook.template import Prefill

SOCIAL_CARE = """\
case_id: NS-1
source: {agency: social_care, system: lcs}
child: {age_years: 8}
plans: [{start: 2022-01-10, category: neglect}]
meetings:
  - {type: icpc, date: 2022-01-10}
  - {type: rcpc, date: 2022-04-08}
  - {type: rcpc, date: 2022-07-08}
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cp_audit", *args], capture_output=True,
                          text=True, check=False)


def _outcomes(stdout: str) -> dict[str, str]:
    return {row["rule"]: row["outcome"] for row in csv.DictReader(io.StringIO(stdout))}


def test_a_gp_workbook_and_a_social_care_workbook_decide_the_health_rules(
    tmp_path: Path,
) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "ns-1.yaml").write_text(SOCIAL_CARE, encoding="utf-8")
    gp = tmp_path / "gp.xlsx"
    made = _run("template", str(gp), "--agency", "gp", "--from", str(cases))
    assert made.returncode == 0, made.stderr
    answer = {"role": "gp", "status": "apologies", "report": True}
    fill(gp, "Meetings", [answer, answer, answer])
    sc = tmp_path / "social-care.xlsx"
    assert _run("template", str(sc), "--agency", "social_care", "--from",
                str(cases)).returncode == 0
    fill(sc, "Meetings", [{"role": "social_worker", "agency": "social_care"}] * 3)
    rules = "gp-report-to-conference,health-at-conferences"
    result = _run("check", str(cases), str(gp), str(sc), "--as-of", "2022-09-30",
                  "--select", rules, "--format", "csv")
    assert result.returncode in (0, 1), result.stderr
    assert _outcomes(result.stdout) == {"gp-report-to-conference": "met",
                                        "health-at-conferences": "met"}


DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
CHILD = "DfEX0000001"  # CIN_Census_2024.xml's child on a plan: an ICPC, a second, a review
CONFERENCES = ("icpc", "rcpc")


def _answer_conferences(path: Path, answer: dict[str, object]) -> list[tuple[object, object]]:
    """`answer` written into the child's pre-filled conference rows of the Meetings sheet,
    as an auditor would; the (type, date) of the rows answered."""
    book = load_workbook(path)
    sheet = book["Meetings"]
    headings = [cell.value for cell in sheet[1]]
    answered = []
    for row in sheet.iter_rows(min_row=2):
        cells = dict(zip(headings, row, strict=False))
        if cells["case_id"].value == CHILD and cells["type"].value in CONFERENCES:
            for heading, value in answer.items():
                cells[heading].value = value
            answered.append((cells["type"].value, cells["date"].value))
    book.save(path)
    return answered


def _check_child(*paths: Path) -> dict[str, str]:
    rules = "gp-report-to-conference,health-at-conferences"
    result = _run("check", *map(str, paths), "--case", CHILD, "--as-of", "2023-03-31",
                  "--select", rules, "--format", "csv")
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    # the census's data warnings are rows of their own, without a rule
    return {rule: outcome for rule, outcome in _outcomes(result.stdout).items() if rule}


@pytest.mark.skipif(not DATA.is_dir(), reason="the shared synthetic data is absent")
def test_a_gp_workbook_from_a_census_return_then_a_social_care_workbook(
    tmp_path: Path,
) -> None:
    census = tmp_path / "CIN_Census_2024.xml"
    census.write_bytes((DATA / "cin-census" / "CIN_Census_2024.xml").read_bytes())
    gp = tmp_path / "gp.xlsx"
    made = _run("template", str(gp), "--agency", "gp", "--from", str(census))
    assert made.returncode == 0, made.stderr
    # The GP's auditor answers three rows: the child's three conferences.
    answered = _answer_conferences(gp, {"role": "gp", "status": "apologies", "report": True})
    assert len(answered) == 3
    assert _check_child(census, gp) == {"gp-report-to-conference": "met",
                                        "health-at-conferences": "not_covered"}
    # Social care's auditor: who attended each conference (the workbook covers them).
    sc = tmp_path / "sc.xlsx"
    made = _run("template", str(sc), "--agency", "social_care", "--from", str(census))
    assert made.returncode == 0, made.stderr
    assert _answer_conferences(sc, {"role": "social_worker", "agency": "social_care",
                                    "status": "attended"}) == answered
    book = load_workbook(sc)
    for kind, day in answered:
        book["Meetings"].append([CHILD, kind, day, "school_nurse", None, "community_health",
                                 "attended", None])
    book.save(sc)
    outcomes = _check_child(census, gp, sc)
    assert outcomes["gp-report-to-conference"] == "met"
    assert outcomes["health-at-conferences"] in ("met", "not_met")  # decided, now covered


_DAYS = st.dates(date(2020, 1, 1), date(2023, 12, 31))
_IDS = st.sampled_from(["C1", "C2", "0123"])
_ROWS = st.lists(st.fixed_dictionaries({
    "case_id": _IDS, "type": st.sampled_from(["icpc", "rcpc", "core_group"]), "date": _DAYS,
    "role": st.sampled_from(["gp", "practice_nurse"]),
    "status": st.sampled_from(["attended", "apologies", "did_not_attend"]),
    "report": st.booleans()}), min_size=1, max_size=6)
_FLAGS = st.lists(st.fixed_dictionaries({
    "case_id": _IDS, "agency": st.just("gp"), "flag": st.sampled_from(["cp", "dash"]),
    "from": st.none() | _DAYS}), max_size=3)


def _convert(path: Path) -> list[dict[str, object]]:
    result = CliRunner().invoke(cli, ["convert", str(path)])
    assert result.exit_code in (0, 2), result.output
    return list(yaml.safe_load_all(result.stdout))


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_ROWS, flags=_FLAGS)
def test_convert_then_template_and_fill_the_same_reads_the_same(
    tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, object]],
    flags: list[dict[str, object]],
) -> None:
    folder = tmp_path_factory.mktemp("trip")
    first = fill(fill(template(folder / "a.xlsx"), "Meetings", rows), "Flags", flags)
    records = _convert(first)
    # Written back: the template pre-filled from those records, answered the same.
    prefill = [Prefill(str(r["case_id"]), tuple(
        (str(m["type"]), date.fromisoformat(str(m["date"]))) for m in r.get("meetings", [])))
        for r in records]
    second = template(folder / "b.xlsx", cases=prefill)
    answers = [{"role": p["role"], "status": p.get("status", "attended"),
                "report": p.get("report", False)}
               for r in records for m in r.get("meetings", []) for p in m["participants"][:1]]
    fill(second, "Meetings", answers)
    extra = [dict(p, case_id=r["case_id"], type=m["type"], date=m["date"], agency=p["agency"])
             for r in records for m in r.get("meetings", []) for p in m["participants"][1:]]
    fill(second, "Meetings", extra, start=len(answers) + 2)
    fill(second, "Flags", [dict(f, case_id=r["case_id"], agency=a["agency"])
                           for r in records for a in r.get("agency_records", [])
                           for f in a["flags"]])
    assert _convert(second) == records


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_template(tmp_path: Path) -> None:
    path = template(tmp_path / "sc.xlsx", "social_care",
                    [Prefill("C1", (("icpc", date(2022, 1, 10)),))])
    done = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "sc.pdf").stat().st_size > 0
