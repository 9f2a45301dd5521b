"""`cp-audit convert`: the records every reader made, in each format, to stdout or one
file a case; what it writes reads back to the same case (samples and generated records)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import given, settings
from load_helpers import load
from test_properties import PROFILE, case_records

from cp_audit.case.model import Case
from cp_audit.cli import cli

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
OWN_FILES = frozenset({SAMPLES / "cp-audit.yaml", SAMPLES / "meeting.yaml"})  # not cases
GOOD = '{"case_id": "%s", "child": {"name": "Ann Example", "age_years": 7}}\n'


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, ["convert", *args], prog_name="cp-audit")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def same(case: Case) -> dict[str, Any]:
    """A case as the rules read it: everything but the files it was read from."""
    return case.model_dump(exclude={"files"})


def cases_of(*paths: Path) -> dict[str, dict[str, Any]]:
    loaded = load([str(p) for p in paths], exclude=[*OWN_FILES])
    assert not loaded.problems, loaded.problems
    return {case.case_id: same(case) for case in loaded.cases}


@pytest.mark.parametrize("to", ["yaml", "json", "jsonl"])
def test_the_samples_convert_and_read_back_to_the_same_cases(tmp_path: Path, to: str) -> None:
    out = tmp_path / "out"
    result = run(str(SAMPLES), "--to", to, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    written = sorted(p.name for p in out.iterdir())
    assert written == [f"NS-2022-{n:02}.{to}" for n in range(1, 11)]
    assert "10 written to" in result.stderr
    assert cases_of(out) == cases_of(SAMPLES)


def test_stdout_yaml_is_one_document_a_record_and_keeps_names(tmp_path: Path) -> None:
    result = run(str(SAMPLES / "ns-01.yaml"))
    assert result.exit_code == 0
    documents = list(yaml.safe_load_all(result.stdout))
    assert [d["case_id"] for d in documents] == ["NS-2022-01"]
    assert documents[0]["child"]["name"] == "Amy Example"  # a data tool: names as read
    assert list(documents[0])[:4] == ["format", "case_id", "source", "child"]


def test_stdout_json_is_a_list_and_jsonl_a_record_a_line(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(GOOD % "A" + GOOD % "B")
    listed = json.loads(run(str(tmp_path), "--to", "json").stdout)
    assert [r["case_id"] for r in listed] == ["A", "B"]
    lines = run(str(tmp_path), "--to", "jsonl").stdout.splitlines()
    assert [json.loads(line)["case_id"] for line in lines] == ["A", "B"]
    assert json.loads(run(str(tmp_path), "--to", "json", "--case", "Z").stdout) == []


def test_defaults_and_empty_lists_are_left_out_and_from_keeps_its_name(tmp_path: Path) -> None:
    record = {
        "case_id": "A", "child": {"age_years": 3, "needs": []},
        "professionals": [{"role": "social_worker", "from": "2022-01-05"}],
        "meetings": [{"type": "icpc", "date": "2022-01-10",
                      "participants": [{"role": "gp", "status": "attended", "report": False}]}],
    }
    (tmp_path / "a.json").write_text(json.dumps(record))
    (out,) = json.loads(run(str(tmp_path), "--to", "json").stdout)
    assert out == {
        "case_id": "A", "child": {"age_years": 3},
        "professionals": [{"role": "social_worker", "from": "2022-01-05"}],
        "meetings": [{"type": "icpc", "date": "2022-01-10", "participants": [{"role": "gp"}]}],
    }


def test_extension_fields_are_never_written_whatever_they_hold(tmp_path: Path) -> None:
    # YAML's !!binary gives bytes that are no UTF-8 text, which JSON cannot hold: as an
    # `x_` value (a key never written), it must not stop the conversion.
    (tmp_path / "a.yaml").write_text(
        "case_id: B-1\nx_scan: !!binary /9j/4AAQ\n"
        "child: {age_years: 3, x_k: {? !!binary /w== : 1}}\n"
    )
    for to in ("json", "yaml"):
        result = run(str(tmp_path), "--to", to)
        assert result.exit_code == 0, result.output
        (out,) = json.loads(result.stdout) if to == "json" else list(yaml.safe_load_all(
            result.stdout))
        assert out == {"case_id": "B-1", "child": {"age_years": 3}}


def test_a_rejected_case_is_not_written_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(GOOD % "A" + '{"case_id": "B", "child": {"age_years": -1}}\n')
    result = run(str(tmp_path), "--to", "jsonl")
    assert result.exit_code == 2
    assert [json.loads(line)["case_id"] for line in result.stdout.splitlines()] == ["A"]
    assert "case B" in result.stderr and "1 rejected" in result.stderr


def test_output_dir_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text(GOOD % "A" + GOOD % "B")
    out = tmp_path / "out"
    out.mkdir()
    (out / "A.yaml").write_text("mine\n")
    result = run(str(tmp_path / "in"), "-o", str(out))
    assert result.exit_code == 2
    assert "A.yaml: case A: not written: the file is already there" in result.stderr
    assert (out / "A.yaml").read_text() == "mine\n" and (out / "B.yaml").is_file()
    assert run(str(tmp_path / "in"), "-o", str(out), "--force").exit_code == 0
    assert yaml.safe_load((out / "A.yaml").read_text())["case_id"] == "A"


# ".hidden" would be written as a hidden file, which discovery skips: it would not read back.
@pytest.mark.parametrize("case_id", [".", "..", ".hidden", "-n"])
def test_a_case_id_that_is_no_safe_file_name_is_refused(tmp_path: Path, case_id: str) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text(GOOD % case_id + GOOD % "B")
    result = run(str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "not a safe file name" in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["B.yaml"]


def test_case_ids_that_differ_only_in_case_are_not_written_over_each_other(
    tmp_path: Path,
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text(GOOD % "a" + GOOD % "A")
    result = run(str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "upper and lower case" in result.stderr
    assert len(list((tmp_path / "out").iterdir())) == 1


def test_output_dir_under_an_input_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(GOOD % "A")
    result = run(str(tmp_path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "under the input folder" in result.stderr and not (tmp_path / "out").exists()


def test_case_option_chooses_and_a_missing_id_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(GOOD % "A" + GOOD % "B")
    result = run(str(tmp_path), "--to", "jsonl", "--case", "B", "--case", "C")
    assert result.exit_code == 2
    assert [json.loads(line)["case_id"] for line in result.stdout.splitlines()] == ["B"]
    assert "case C: was given with --case, but no file holds this case" in result.stderr
    assert "3 cases read" not in result.stderr and "2 cases read, 1 in this audit" in result.stderr


def test_help_says_names_are_written() -> None:
    assert "names included" in run("--help").stdout


@settings(PROFILE, max_examples=min(PROFILE.max_examples, 25))
@given(record=case_records())
def test_generated_records_read_back_to_the_same_case(
    record: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("generated")
    (folder / "in").mkdir()
    (folder / "in" / "r.json").write_text(json.dumps(record))
    for to in ("yaml", "jsonl"):
        out = folder / to
        assert run(str(folder / "in"), "--to", to, "-o", str(out)).exit_code == 0
        assert cases_of(out) == cases_of(folder / "in")


def test_convert_in_a_real_process(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(GOOD % "A")
    done = subprocess.run(
        [sys.executable, "-m", "cp_audit", "convert", str(tmp_path), "--to", "json"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [{"case_id": "A", "child": {"name": "Ann Example",
                                                                  "age_years": 7}}]
    assert "1 case loaded" in done.stderr
