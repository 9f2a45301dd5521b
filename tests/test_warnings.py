"""Data warnings (`case.warnings`): doubtful but valid input, listed and never scored.

Each kind of warning on a small case; the samples give none; `--strict` makes
them exit 2 (through click and through a real process); every format lists
them; a finding resting on an unknown token says so in its evidence.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from junitparser import JUnitXml

from cp_audit.case.merging import merge_records
from cp_audit.case.warnings import case_warnings
from cp_audit.cli import cli
from cp_audit.inputs.interface import RawRecord
from cp_audit.run.audit import run_audit
from cp_audit.run.engine import select_rules
from cp_audit.run.interface import AuditRequest
from cp_audit.standards.spec import Standards, load
from cp_audit.standards.vocabulary import Vocabulary, known_tokens

REPO = Path(__file__).parents[1]
AS_OF = date(2025, 3, 31)
STANDARDS = load()
KNOWN = known_tokens(STANDARDS)


def _record(**parts: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "case_id": "W-01",
        "source": {"agency": "social_care", "system": "mosaic"},
        "child": {"date_of_birth": "2016-05-01", "needs": ["neglect"]},
        "plans": [{"start": "2025-01-06", "category": "emotional_abuse"}],
    }
    record.update(parts)
    return record


CORE_GROUP = {
    "type": "core_group",
    "date": "2025-01-16",
    "participants": [
        {"role": "social_worker", "agency": "social_care"},
        {"role": "teacher", "agency": "school"},
        {"role": "schol_nurse", "agency": "sirona"},
    ],
}


def _messages(*records: tuple[str, dict[str, Any]]) -> list[str]:
    merged = merge_records(RawRecord(file, "", data) for file, data in records)
    assert not merged.problems, merged.problems
    (case,) = merged.cases
    found = case_warnings(case, merged.records[case.case_id], KNOWN, AS_OF)
    return [f"{p.location}: {p.message}" for p in found.problems]


def test_an_unknown_role_has_a_did_you_mean() -> None:
    assert _messages(("sc.yaml", _record(meetings=[CORE_GROUP]))) == [
        'meetings[0].participants[2].role: unknown role "schol_nurse" '
        '(did you mean "school_nurse"?)'
    ]


def test_an_unknown_token_of_each_category_is_named() -> None:
    messages = _messages(("sc.yaml", _record(
        child={"date_of_birth": "2016-05-01", "needs": ["neglekt"]},
        child_voice=[{"date": "2025-01-20", "method": "obsevation", "by": "social_worker"}],
        tools=[{"name": "dash", "by": "polise_officer"}],
    )))
    assert messages == [
        'child.needs[0]: unknown need "neglekt" (did you mean "neglect"?)',
        'child_voice[0].method: unknown method "obsevation" (did you mean "observation"?)',
        'tools[0].by: unknown role "polise_officer" (did you mean "police_officer"?)',
    ]


def test_an_unknown_token_is_quoted_at_most_40_characters() -> None:
    long_need = "n" * 5_000  # a token may be any length; a message quotes 40 characters
    messages = _messages(("sc.yaml", _record(
        child={"date_of_birth": "2016-05-01", "needs": [long_need]})))
    assert messages == [
        f'child.needs[0]: unknown need "{"n" * 37}..." '
        "(neither the standards' rules nor their vocabulary list it)"
    ]


def test_the_vocabulary_makes_a_token_known() -> None:
    vocabulary = Vocabulary(roles=("schol_nurse",))
    spec = STANDARDS.spec.model_copy(update={"vocabulary": vocabulary})
    known = known_tokens(Standards(spec=spec, rules=STANDARDS.rules, path="", sha256=""))
    assert known.knows("roles", "schol_nurse")
    assert not known.knows("agencies", "schol_nurse")


def test_a_date_after_the_as_of_date_says_what_and_where() -> None:
    visits = [{"date": "2025-01-20", "seen": True}, {"date": "2052-03-25", "seen": True}]
    assert _messages(("sc.yaml", _record(visits=visits))) == [
        "visits[1].date: a visit dated 2052-03-25 is after the as-of date 2025-03-31"
    ]


def test_a_booked_meeting_weeks_ahead_is_no_warning_a_year_ahead_is() -> None:
    meetings = [
        {"type": "rcpc", "date": "2025-04-10"},
        {"type": "rcpc", "date": "2052-04-10"},
    ]
    assert _messages(("sc.yaml", _record(meetings=meetings))) == [
        "meetings[1].date: a meeting dated 2052-04-10 is after the as-of date 2025-03-31"
    ]


def test_a_recording_before_birth_and_before_any_work_is_a_warning() -> None:
    recording = [{"date": "2012-02-01", "agency": "social_care"}]
    assert _messages(("sc.yaml", _record(recording=recording))) == [
        "recording[0].date: a recording entry dated 2012-02-01 is before the child's date of "
        "birth 2016-05-01 and before any referral or plan"
    ]


def test_a_repeated_export_with_a_moved_plan_gives_both_warnings() -> None:
    moved = _record(plans=[{"start": "2025-01-07", "category": "emotional_abuse"}])
    messages = _messages(("sc-1.yaml", _record()), ("sc-2.yaml", moved))
    assert messages == [
        "plans[0]: plans overlap: this plan from 2025-01-07 starts before the plan from "
        "2025-01-06 to open ends (sc-1.yaml, plans[0]; a repeated export?)",
        "source: two records of social_care's mosaic for this child (a repeated export?): "
        "sc-1.yaml and sc-2.yaml",
    ]


def test_the_samples_and_a_generated_batch_give_no_warning(tmp_path: Path) -> None:
    rules = select_rules(STANDARDS)
    samples = run_audit(AuditRequest((REPO / "samples",), STANDARDS, rules, date(2022, 9, 30)))
    assert samples.warnings == ()
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "generate.py"), "--cases", "300", "--out",
         str(tmp_path)], check=True, capture_output=True,
    )
    batch = run_audit(AuditRequest((tmp_path,), STANDARDS, rules, date(2024, 6, 30)))
    assert batch.counts.cases_loaded == 300
    assert batch.warnings == ()


# -- through the CLI


def _folder(tmp_path: Path) -> Path:
    visits = [{"date": "2025-01-20", "seen": True, "seen_alone": True},
              {"date": "2052-03-25", "seen": True, "seen_alone": True}]
    path = tmp_path / "cases" / "sc.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(_record(meetings=[CORE_GROUP], visits=visits)))
    return path.parent


def _check(*args: str) -> Any:
    return CliRunner().invoke(cli, ["check", "--as-of", "2025-03-31", *args])


def test_strict_makes_a_warning_exit_2(tmp_path: Path) -> None:
    cases = _folder(tmp_path)
    select = ("--select", "health-at-core-groups")
    assert _check(str(cases), *select).exit_code == 1
    assert _check(str(cases), *select, "--strict").exit_code == 2
    assert _check(str(cases), *select, "--strict", "--exit-zero").exit_code == 2
    plain = CliRunner().invoke(cli, ["validate", str(cases)])
    assert plain.exit_code == 0
    assert 'warning: ' in plain.output and '"schol_nurse"' in plain.output
    assert CliRunner().invoke(cli, ["validate", "--strict", str(cases)]).exit_code == 2


def test_strict_exits_2_in_a_real_process(tmp_path: Path) -> None:
    cases = _folder(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "cp_audit", "check", "--as-of", "2025-03-31", "--strict",
         "--quiet", str(cases)],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert done.returncode == 2, done.stderr
    assert 'warning: ' in done.stderr and "2052-03-25" in done.stderr


def test_the_evidence_notes_the_unknown_role(tmp_path: Path) -> None:
    result = _check(str(_folder(tmp_path)), "--select", "health-at-core-groups", "--format", "json")
    doc = json.loads(result.output)
    (finding,) = doc["cases"][0]["results"]
    assert finding["outcome"] == "not_met"
    # The cause in the meeting's own line: who took part, the doubtful role marked.
    assert finding["evidence"][1] == (
        "core group 2025-01-16: no health professional attended; attended: "
        "social_worker (social_care), teacher (school), schol_nurse (sirona) — unknown role"
    )
    assert finding["evidence"][-1] == (
        'note: the records read here hold an unknown role "schol_nurse" '
        "(meetings[0].participants[2].role): see Data problems"
    )


def test_every_format_lists_the_warnings(tmp_path: Path) -> None:
    cases = _folder(tmp_path)
    doc = json.loads(_check(str(cases), "--format", "json").output)
    assert [w["location"] for w in doc["warnings"]] == [
        "meetings[0].participants[2].role", "visits[1].date",
    ]
    assert list(doc["warnings"][0]) == ["file", "files", "case_id", "location", "message"]
    assert doc["warnings"][0]["case_id"] == "W-01"
    rows = list(csv.DictReader(io.StringIO(_check(str(cases), "--format", "csv").output)))
    assert [r["outcome"] for r in rows if r["outcome"] == "warning"] == ["warning", "warning"]
    for fmt, token in (("text", "schol_nurse"), ("markdown", "schol\\_nurse"),
                       ("html", "schol_nurse")):
        output = _check(str(cases), "--format", fmt).output
        assert output.count(token) >= 3, fmt  # the evidence, the case, data problems
    xml = tmp_path / "r.xml"
    _check(str(cases), "-o", str(xml), "--quiet")
    suites = {suite.name: suite for suite in JUnitXml.fromfile(str(xml))}
    assert suites["data warnings"].tests == 2 and suites["data warnings"].failures == 0
    _check(str(cases), "-o", str(xml), "--quiet", "--strict")
    suites = {suite.name: suite for suite in JUnitXml.fromfile(str(xml))}
    assert suites["data warnings"].failures == 2


def test_a_standards_file_lists_its_vocabulary_and_the_schema_has_it(tmp_path: Path) -> None:
    from cp_audit.schema import standards_schema
    from cp_audit.standards.spec import StandardsError

    text = (REPO / "standards" / "default.yaml").read_text()
    assert "\nvocabulary:\n  roles: [" in text
    mine = tmp_path / "mine.yaml"
    listed = "\nvocabulary:\n  roles: [schol_nurse, "
    mine.write_text(text.replace("\nvocabulary:\n  roles: [", listed))
    assert known_tokens(load(mine)).knows("roles", "schol_nurse")
    mine.write_text(text.replace("\nvocabulary:\n", "\nvocabulary:\n  role: [x]\n"))
    with pytest.raises(StandardsError, match="role"):
        load(mine)
    assert "vocabulary" in standards_schema()["properties"]


def test_warnings_never_change_an_outcome_and_cross_the_workers(tmp_path: Path) -> None:
    from cp_audit.run.engine import check_case

    record = _record(meetings=[CORE_GROUP], visits=[{"date": "2052-03-25", "seen": True}])
    merged = merge_records([RawRecord("sc.yaml", "", record)])
    (case,) = merged.cases
    found = case_warnings(case, merged.records[case.case_id], KNOWN, AS_OF)
    plain = check_case(case, STANDARDS, AS_OF)
    warned = check_case(case, STANDARDS, AS_OF, warnings=found)
    assert [r.outcome for r in warned.results] == [r.outcome for r in plain.results]
    assert warned.score == plain.score and warned.warnings == found.problems
    assert plain.warnings == ()
    for n in range(40):  # enough files for worker processes
        data = {**record, "case_id": f"W-{n:02d}"}
        (tmp_path / f"w-{n:02d}.yaml").write_text(yaml.safe_dump(data))
    rules = select_rules(STANDARDS)
    run = run_audit(AuditRequest((tmp_path,), STANDARDS, rules, AS_OF, jobs=2))
    assert len(run.warnings) == 80
    assert [w.case_id for w in run.warnings][::2] == [f"W-{n:02d}" for n in range(40)]


def test_every_token_the_census_reader_makes_is_known_to_the_default_standards() -> None:
    # A census return audited with the default standards warns only of what is doubtful
    # in it, never of the reader's own words.
    from cp_audit.inputs import census_codes

    needs = {*census_codes.FACTORS.values(), *census_codes.DISABILITIES.values()} - {""}
    for need in needs:
        assert KNOWN.knows("needs", need), need
    for code in ("mob", "hand", "pc", "inc", "comm", "hear", "vis", "con", "dda"):
        assert KNOWN.knows("needs", f"disability_{code}"), code
    for source in census_codes.REFERRAL_SOURCES.values():
        assert KNOWN.knows("referral_sources", source), source
    assert not KNOWN.knows("referral_sources", "social_kare")


def _sample_records() -> list[Any]:
    from pydantic import ValidationError

    from cp_audit.case.model import CaseRecord
    from cp_audit.inputs import reader_for

    records: list[Any] = []
    for path in sorted((REPO / "samples").rglob("*")):
        reader = reader_for(str(path)) if path.is_file() else None
        if reader is None:
            continue
        for raw in reader.read(str(path)).records:
            try:
                records.append(CaseRecord.model_validate(raw.data))
            except ValidationError:
                continue  # a sample of what is rejected
    records.append(CaseRecord.model_validate(
        _record(source={"agency": "gp"}, child={"age_years": 3, "needs": ["adhd", "asd"]},
                plans=[{"start": "2024-01-01", "category": "neglect",
                        "actions": [{"id": "a1", "action": "x", "kind": "referral"},
                                    {"id": "a2", "action": "y"}]}],
                agency_records=[{"agency": "police", "flags": [{"flag": "dv", "from": "2024-01-02"},
                                                               {"flag": "mh"}]}])))
    records.append(CaseRecord.model_validate({"case_id": "BARE"}))
    return records


def test_the_values_alone_are_those_found_with_their_places() -> None:
    """The fast path (`_GATHER`: the values of a field, at C speed) gives the values the
    slow one (`_values`, with their places) gives, in the same order, for every field."""
    from cp_audit.case.warnings import _GATHER, _SPLIT, _values

    records = _sample_records()
    assert len(records) > 10
    seen = 0
    for record in records:
        for (part, path), gather in _GATHER.items():
            value = getattr(record, part)
            slow = [v for _, v in _values(value, _SPLIT[path])]
            assert list(gather(value)) == slow, (record.case_id, part, path)
            seen += bool(slow)
    assert seen > 100
