"""A census return audited (issue "Records in from what councils hold", its "Done when"):
no worry about a part the census never held, and a census child with a GP's record."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cp_audit.inputs import census_codes
from cp_audit.standards.spec import load

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "cin-census"
pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason="shared/data/cin-census is absent")
STANDARDS = load()


def check_json(*args: str, cwd: Path | None = None) -> dict[str, object]:
    run = subprocess.run(
        [sys.executable, "-m", "cp_audit", "check", "--format", "json", "--exit-zero", *args],
        capture_output=True, text=True, encoding="utf-8", cwd=cwd, timeout=300, check=False,
    )
    assert run.returncode in (0, 2), run.stderr
    document: dict[str, object] = json.loads(run.stdout)
    return document


def test_the_fake_return_no_worry_rests_on_a_part_the_census_does_not_hold() -> None:
    document = check_json(str(DATA / "fake_CIN_data.xml"), "--as-of", "2022-07-21")
    cases = document["cases"]
    assert isinstance(cases, list) and len(cases) == 332
    covered = set(census_codes.COVERS)
    uncovered = {r.id for r in STANDARDS.rules if not STANDARDS.parts(r.id) <= covered}
    assert uncovered  # visits, participants, voice...: the census holds none of them
    outcomes: dict[str, set[str]] = {}
    for case in cases:
        for result in case["results"]:
            outcomes.setdefault(result["rule"], set()).add(result["outcome"])
    for rule in uncovered:
        assert "not_met" not in outcomes[rule], rule
    # ...and they are said to be not covered, not silently passed
    assert any("not_covered" in outcomes[rule] for rule in uncovered)


GP_RECORD = {
    "case_id": "DfEX0000001",
    "source": {"agency": "gp", "system": "emis", "covers": ["participants", "agency_records"]},
    "meetings": [{
        "type": "icpc", "date": "2022-06-17",
        "participants": [{"role": "gp", "agency": "gp", "status": "apologies", "report": True}],
    }],
    "agency_records": [{"agency": "gp", "shows_cp_plan": True}],
}


def test_a_census_child_and_a_gps_record_are_one_case(tmp_path: Path) -> None:
    (tmp_path / "census.xml").write_bytes((DATA / "CIN_Census_2024.xml").read_bytes())
    (tmp_path / "gp.json").write_text(json.dumps(GP_RECORD), encoding="utf-8")
    document = check_json(str(tmp_path), "--as-of", "2023-03-31", "--case", "DfEX0000001")
    (case,) = document["cases"]  # type: ignore[misc]
    assert sorted(Path(source).name for source in case["sources"]) == ["census.xml", "gp.json"]
    outcome = {result["rule"]: result for result in case["results"]}
    assert outcome["gp-report-to-conference"]["outcome"] == "met"
    assert any("gp" in line for line in outcome["gp-report-to-conference"]["evidence"])
    conferences = outcome["health-at-conferences"]
    assert conferences["outcome"] == "not_covered"
    assert "participants of conferences" in conferences["evidence"][0]
    for rule in ("visits-timely", "child-seen-alone"):
        assert outcome[rule]["outcome"] == "not_covered", rule
    # the plan, the ICPC, the review and the strategy discussion come from the census
    assert outcome["icpc-timely"]["outcome"] in ("met", "not_met")
    assert outcome["strategy-discussion-timely"]["outcome"] != "not_covered"
