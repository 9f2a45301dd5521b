"""The audit meeting's record (shared/audit-meeting.md): meeting.yaml, moderate, stale
moderation, history, compare and "Since the last audit", through the CLI.

Each test works on a copy of `samples/` (with its meeting.yaml) in a temporary folder.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cp_audit.cli import cli
from cp_audit.meeting import history

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
HOSTILE_TEXT = '<script>alert(1)</script> | =cmd() **bold** [x](http://e.vil) & \x1b[31m'


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="cp-audit")


@pytest.fixture
def audit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "audit"
    shutil.copytree(SAMPLES, folder)
    monkeypatch.chdir(tmp_path)
    return folder


def report(folder: Path, *args: str) -> dict:  # type: ignore[type-arg]
    result = invoke("check", str(folder), "--format", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def result_of(doc: dict, case_id: str, rule: str) -> dict:  # type: ignore[type-arg]
    case = next(c for c in doc["cases"] if c["case_id"] == case_id)
    return next(r for r in case["results"] if r["rule"] == rule)  # type: ignore[no-any-return]


def worry_cases(doc: dict, rule: str) -> int:  # type: ignore[type-arg]
    return next((w["cases"] for w in doc["summary"]["worries"] if w["rule"] == rule), 0)


def test_the_samples_meeting_is_applied_in_json(audit: Path) -> None:
    doc = report(audit)
    moderated = result_of(doc, "NS-2022-04", "health-at-core-groups")
    assert (moderated["outcome"], moderated["tool_outcome"]) == ("met", "not_met")
    assert moderated["moderation"]["by"] == "audit panel"
    assert moderated["moderation"]["stale"] is False
    assert moderated["moderation"]["fingerprinted"] is True
    assert worry_cases(doc, "health-at-core-groups") == 3  # 4 by the tool, one agreed met
    plain = result_of(doc, "NS-2022-01", "health-at-core-groups")
    assert plain["tool_outcome"] == plain["outcome"] and "moderation" not in plain
    case = next(c for c in doc["cases"] if c["case_id"] == "NS-2022-04")
    assert case["score"] == 50.0 and case["tool_grade"] == "inadequate"
    meeting = doc["meeting"]
    assert meeting["moderations"] == 2 and meeting["stale"] == 0
    assert [a["overdue"] for a in meeting["actions"]] == [False, True]
    assert meeting["findings"][0]["case_ids"] == ["NS-2022-06"]


def test_without_a_meeting_there_is_no_meeting_in_the_report(audit: Path) -> None:
    (audit / "meeting.yaml").unlink()
    doc = report(audit)
    assert "meeting" not in doc
    assert worry_cases(doc, "health-at-core-groups") == 4


def test_text_and_csv_show_the_tool_beside_the_agreed_outcome(audit: Path) -> None:
    text = " ".join(invoke("check", str(audit)).stdout.split())  # as read, not as wrapped
    assert "met, moderated: the tool found not met; The school nurse" in text
    assert "Agreed actions" in text and "OVERDUE" in text
    assert "the auditors' own finding" in text
    rows = invoke("check", str(audit), "--format", "csv").stdout.splitlines()
    header = rows[0].split(",")
    assert header[-4:] == ["tool_outcome", "moderated", "stale", "moderation"]
    row = next(r for r in rows if r.startswith("NS-2022-04,health-at-core-groups,"))
    assert row.startswith("NS-2022-04,health-at-core-groups,health,worry,met,50.0,")
    assert ",not_met,true,false,The school nurse" in row


BAD = {
    "case not in the audit": (
        "moderation:\n  - {case: NS-2099-01, rule: smart-actions, outcome: met, reason: r,"
        " by: p, date: 2022-10-06}\n", "line 2", "case NS-2099-01 is not in this audit"),
    "rule not in the standards": (
        "moderation:\n  - case: NS-2022-04\n    rule: smart-action\n    outcome: met\n"
        "    reason: r\n    by: p\n    date: 2022-10-06\n", "line 3",
        'no such rule: "smart-action"'),
    "unknown outcome": (
        "moderation:\n  - case: NS-2022-04\n    rule: smart-actions\n    outcome: agreed\n"
        "    reason: r\n    by: p\n    date: 2022-10-06\n", "line 4", "outcome: must be"),
    "unknown grade": (
        "moderation:\n  - {case: NS-2022-04, grade: great, reason: r, by: p, date: 2022-10-06}\n",
        "line 2", 'unknown grade "great"'),
    "unknown theme": (
        "findings:\n  - kind: worry\n    text: t\n    theme: helth\n", "line 4",
        'unknown theme "helth"'),
    "unknown status": (
        "actions:\n  - id: A\n    action: a\n    owner: o\n    due: 2023-01-01\n"
        "    status: started\n", "line 6", "status: must be"),
    "duplicate action id": (
        "actions:\n  - {id: A, action: a, owner: o, due: 2023-01-01}\n"
        "  - {id: A, action: b, owner: o, due: 2023-01-01}\n", "line 3", "used twice"),
    "two moderations of one case and rule": (
        "moderation:\n"
        "  - {case: NS-2022-04, rule: smart-actions, outcome: met, reason: r, by: p,"
        " date: 2022-10-06}\n"
        "  - {case: NS-2022-04, rule: smart-actions, outcome: not_met, reason: r, by: p,"
        " date: 2022-10-06}\n", "line 3", "moderated twice"),
    "YAML error": ("moderation:\n  - case: [NS-2022-04\n", "line 3", "YAML syntax error"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_meeting_yaml_stops_the_run_with_its_line(audit: Path, name: str) -> None:
    text, line, message = BAD[name]
    (audit / "meeting.yaml").write_text(text, encoding="utf-8")
    result = invoke("check", str(audit), "-o", str(audit.parent / "r.json"))
    assert result.exit_code == 2
    assert result.stdout == ""  # no report claims what was not applied
    assert not (audit.parent / "r.json").exists()
    assert f"meeting.yaml: {line}" in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr


def test_moderate_edits_the_file_keeping_comments_and_checks_the_input(audit: Path) -> None:
    before = (audit / "meeting.yaml").read_text(encoding="utf-8")
    done = invoke("moderate", "NS-2022-10", "child-seen-alone", "--outcome", "met",
                  "--reason", "Seen alone at school", "--by", "panel", "--date", "2022-10-06",
                  "--audit", str(audit))
    assert done.exit_code == 0, done.stderr
    after = (audit / "meeting.yaml").read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n").split("\nfindings:")[0])
    assert "# The audit meeting's record for the samples" in after
    assert "# written by cp-audit moderate" in after
    assert "case: NS-2022-10" in after and "outcome: not_met" in after
    assert after.index("NS-2022-07") < after.index("NS-2022-10") < after.index("findings:")
    unknown = invoke("moderate", "NS-2099-01", "child-seen-alone", "--outcome", "met",
                     "--reason", "r", "--by", "p", "--audit", str(audit))
    assert unknown.exit_code == 2 and "NS-2099-01 is not in this audit" in unknown.stderr
    bad_rule = invoke("moderate", "NS-2022-10", "child-seen", "--outcome", "met",
                      "--reason", "r", "--by", "p", "--audit", str(audit))
    assert bad_rule.exit_code == 2 and "no such rule" in bad_rule.stderr
    grade = invoke("moderate", "NS-2022-10", "--grade", "good", "--reason", "r", "--by", "p",
                   "--audit", str(audit))
    assert grade.exit_code == 0, grade.stderr
    doc = report(audit)
    case = next(c for c in doc["cases"] if c["case_id"] == "NS-2022-10")
    assert case["grade"] == "good" and case["tool_grade"] == "inadequate"


def test_the_free_text_is_escaped_in_every_format(audit: Path) -> None:
    (audit / "meeting.yaml").write_text(
        "moderation:\n  - case: NS-2022-04\n    rule: smart-actions\n    outcome: met\n"
        f"    reason: {json.dumps(HOSTILE_TEXT)}\n    by: {json.dumps(HOSTILE_TEXT)}\n"
        "    date: 2022-10-06\n"
        f"findings:\n  - {{kind: worry, text: {json.dumps(HOSTILE_TEXT)}, theme: health}}\n"
        f"actions:\n  - {{id: A, action: {json.dumps(HOSTILE_TEXT)}, owner: o, due: 2023-01-01}}\n",
        encoding="utf-8",
    )
    out = {fmt: invoke("check", str(audit), "--format", fmt).stdout
           for fmt in ("html", "markdown", "csv", "junit", "text")}
    assert "<script>" not in out["html"] and "&lt;script&gt;" in out["html"]
    assert "<script>" not in out["markdown"] and "\\*\\*bold\\*\\*" in out["markdown"]
    assert "[x](http" not in out["markdown"]
    assert ",=cmd" not in out["csv"] and "<script>" in out["csv"]  # CSV: text, no formula
    assert "<script>" not in out["junit"] and "&lt;script&gt;" in out["junit"]
    assert all("\x1b" not in text for text in out.values())
    assert "not fingerprinted" in out["text"]  # written by hand, without tool:


def test_history_records_a_run_and_refuses_what_it_cannot_use(audit: Path) -> None:
    config = audit / "cp-audit.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "history: true\n", encoding="utf-8")
    assert invoke("check", str(audit), "--no-history", "-q").exit_code == 1
    assert not (audit / "history.sqlite").exists()
    assert invoke("check", str(audit), "-q").exit_code == 1
    run = history.latest(audit / "history.sqlite")
    assert run is not None and run.as_of == "2022-09-30"
    assert ("NS-2022-04", "health-at-core-groups", "worry", "not_met", "met") in run.results
    raw = (audit / "history.sqlite").read_bytes()
    assert b"audit panel" not in raw and b"school nurse" not in raw.lower()  # no free text
    (audit / "history.sqlite").write_bytes(b"not a database at all" * 100)
    broken = invoke("check", str(audit), "-q")
    assert broken.exit_code == 2 and "cannot use it as the audit's history" in broken.stderr
    assert (audit / "history.sqlite").read_bytes() == b"not a database at all" * 100
    (audit / "history.sqlite").unlink()
    with sqlite3.connect(audit / "history.sqlite") as db:
        db.execute("PRAGMA user_version = 99")
    newer = invoke("check", str(audit), "-q")
    assert newer.exit_code == 2 and "newer cp-audit" in newer.stderr


def test_two_runs_at_once_both_land_whole(audit: Path) -> None:
    config = audit / "cp-audit.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "history: true\n", encoding="utf-8")
    command = [sys.executable, "-m", "cp_audit", "check", str(audit), "-q", "-j", "1"]
    runs = [subprocess.Popen(command, stderr=subprocess.PIPE) for _ in range(2)]
    assert [run.wait(timeout=300) for run in runs] == [1, 1]
    with sqlite3.connect(audit / "history.sqlite") as db:
        assert db.execute("SELECT count(*) FROM runs").fetchone()[0] == 2
        per_run = db.execute("SELECT run, count(*) FROM results GROUP BY run").fetchall()
    assert len(per_run) == 2 and per_run[0][1] == per_run[1][1] > 0


def test_compare_without_a_recorded_run_says_to_run_check(audit: Path) -> None:
    result = invoke("compare", str(audit), str(audit))
    assert result.exit_code == 2 and "run cp-audit check in it" in result.stderr


def cp_audit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cp_audit", *args], cwd=cwd, text=True,
                          capture_output=True, timeout=300, check=False)


def test_the_whole_loop_through_a_real_process(tmp_path: Path) -> None:
    """check -> moderate two findings -> check (moderated, the score changes) -> a new record
    changes one moderated rule's evidence -> check (stale) -> a re-audit folder with
    previous: -> compare (the shares then and now)."""
    first = tmp_path / "first"
    shutil.copytree(SAMPLES, first)
    (first / "meeting.yaml").unlink()
    config = first / "cp-audit.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "history: true\n", encoding="utf-8")
    before = json.loads(cp_audit("check", "--format", "json", cwd=first).stdout)
    assert worry_cases(before, "health-at-core-groups") == 4
    for case_id, rule in (("NS-2022-04", "health-at-core-groups"),
                          ("NS-2022-10", "health-at-core-groups")):
        done = cp_audit("moderate", case_id, rule, "--outcome", "met", "--reason",
                        "Seen in the health records", "--by", "audit panel", "--date",
                        "2022-10-06", cwd=first)
        assert done.returncode == 0, done.stderr
    after = json.loads(cp_audit("check", "--format", "json", cwd=first).stdout)
    assert worry_cases(after, "health-at-core-groups") == 2
    moderated = result_of(after, "NS-2022-10", "health-at-core-groups")
    assert (moderated["outcome"], moderated["tool_outcome"]) == ("met", "not_met")
    assert moderated["moderation"]["stale"] is False
    score = {c["case_id"]: c["score"] for c in after["cases"]}
    was = {c["case_id"]: c["score"] for c in before["cases"]}
    assert score["NS-2022-04"] > was["NS-2022-04"] and score["NS-2022-01"] == was["NS-2022-01"]
    # a new record: a core group for NS-2022-10 with no health professional changes the evidence
    (first / "ns-10-late.yaml").write_text(
        "case_id: NS-2022-10\nsource: {agency: social_care, system: lcs, exported: 2022-09-30}\n"
        "meetings:\n  - type: core_group\n    date: 2022-09-28\n    participants:\n"
        "      - {role: social_worker, agency: social_care}\n", encoding="utf-8")
    stale = cp_audit("check", "--format", "text", cwd=first)
    assert "STALE" in stale.stdout, stale.stderr
    doc = json.loads(cp_audit("check", "--format", "json", cwd=first).stdout)
    assert result_of(doc, "NS-2022-10", "health-at-core-groups")["moderation"]["stale"] is True
    assert result_of(doc, "NS-2022-04", "health-at-core-groups")["moderation"]["stale"] is False
    # the re-audit: the original samples, with previous: the first audit
    second = tmp_path / "second"
    shutil.copytree(SAMPLES, second)
    (second / "meeting.yaml").unlink()
    config = second / "cp-audit.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "history: true\nprevious: ../first\n",
                      encoding="utf-8")
    since = cp_audit("check", "--format", "text", cwd=second)
    assert "Since the last audit" in since.stdout, since.stderr
    compared = cp_audit("compare", str(first), str(second), cwd=tmp_path)
    assert compared.returncode == 0, compared.stderr
    assert "No health professional at core groups [health-at-core-groups]: 2 of 10 → 4 of" \
        in compared.stdout.replace("\n", " ").replace("  ", " ")
    print(compared.stdout)
