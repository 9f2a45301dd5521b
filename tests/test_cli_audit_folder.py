"""The audit folder, found once for every command (`folder.resolve`), as a new user tries it.

- `cp-audit init fresh && cp-audit check fresh`: the first check says plainly
  that `cases/` holds no record yet (exit 2), never a report of the example,
  which `init` writes to `examples/`, outside the audit's cases (`cp-audit
  check fresh/examples` shows it, as of its own date);
- with a case in `cases/` (the example moved in, as its README says), the
  folder checks clean: given the audit folder, `check` (and `validate`) read
  its `cases`, never its own files nor `examples/`;
- in an audit folder, `rules`, `explain` and `standards test` use its
  `standards.yaml` (`--standards` or FILE still win);
- in an audit folder, `validate` with no path reads its cases; outside one,
  no path is a usage error.

Through click, and once through a real process of the installed `cp-audit`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from cp_audit.cli import cli

REPO = Path(__file__).parents[1]
DEFAULT = REPO / "standards" / "default.yaml"
OURS = "smart-actions-ours"  # a rule the audit lead adds to the folder's standards
QUIET = '{"case_id": "%s", "child": {"age_years": 7}}'
VALIDATED_INIT = "1 file found: 1 read, 0 skipped; 1 case loaded, 0 rejected\n"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), prog_name="cp-audit")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def report(*args: str) -> dict[str, object]:
    result = invoke("check", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def init(folder: str = "fresh", *, example_in_cases: bool = True) -> Path:
    """A new audit folder; by default with the example moved into its cases, as its README
    says a user may do, so that the folder has a case to check."""
    assert invoke("init", folder).exit_code == 0
    if example_in_cases:
        Path(folder, "examples", "example-case.yaml").rename(
            Path(folder, "cases", "example-case.yaml"))
    return Path(folder)


def no_case_found(cases: str, examples: str) -> str:
    return (f"cp-audit check: no case record found in {cases} (0 files found).\n"
            "Put the exported case records there (.json, .jsonl, .yaml, .yml, .xml or .xlsx "
            "files), then run cp-audit check again.\n"
            f"To see a report of the example case: cp-audit check {examples}\n")


def yaml_as_of(config: str) -> str:
    as_of: object = yaml.safe_load(Path(config).read_text(encoding="utf-8"))["as_of"]
    return str(as_of)


def add_rule(standards: Path) -> None:
    """A copy of smart-actions under another id, after it, in the folder's standards."""
    text = standards.read_text(encoding="utf-8")
    start = text.index("  - id: smart-actions\n")
    end = text.index("\n  - id: ", start + 1) + 1
    copy = text[start:end].replace("id: smart-actions", f"id: {OURS}", 1)
    standards.write_text(text[:end] + copy + text[end:], encoding="utf-8")


def break_an_example(standards: Path) -> None:
    """smart-actions' first example expects not_applicable, and gives met."""
    text = standards.read_text(encoding="utf-8")
    at = text.index("        outcome: met\n", text.index("  - id: smart-actions\n"))
    standards.write_text(text[:at] + "        outcome: not_applicable\n"
                         + text[at + len("        outcome: met\n"):], encoding="utf-8")


# --------------------------------------------------------------------------- check FOLDER


def test_the_first_check_of_a_new_folder_says_its_cases_are_empty(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    init(example_in_cases=False)
    assert sorted(p.name for p in Path("fresh/cases").iterdir()) == []
    first = invoke("check", "fresh")
    assert (first.exit_code, first.stdout) == (2, "")
    assert first.stderr == no_case_found("fresh/cases", "fresh/examples")
    assert not Path("fresh/report.html").exists()  # no report of nothing, not even a file
    monkeypatch.chdir(here / "fresh")
    inside = invoke("check", "--format", "json", "--exit-zero")
    assert (inside.exit_code, inside.stdout) == (2, "")  # --exit-zero never turns 2 into 0
    assert inside.stderr == no_case_found("cases", "examples")


def test_the_example_is_checked_as_of_its_own_date_and_never_as_a_case_of_the_audit(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    init(example_in_cases=False)
    example = report("fresh/examples")  # its own cp-audit.yaml: the date it was written for
    assert (example["as_of"], example["errors"]) == ("2022-04-08", [])
    assert example["audit"] == {"name": "Example case (not part of the audit)"}
    assert [case["case_id"] for case in example["cases"]] == ["EXAMPLE-01"]  # type: ignore[attr-defined]
    # as the example's comment says: one worry (the first core group is late)
    assert [w["rule"] for w in example["summary"]["worries"]] == [  # type: ignore[index]
        "first-core-group-timely"]
    assert not Path("fresh/examples/report.html").exists()  # no outputs of its own
    # its file given from inside the audit folder: asked for, so read
    monkeypatch.chdir(here / "fresh")
    given = report("examples/example-case.yaml")
    assert [case["case_id"] for case in given["cases"]] == ["EXAMPLE-01"]  # type: ignore[attr-defined]
    assert given["as_of"] == yaml_as_of("cp-audit.yaml")


def test_check_the_init_folder_given_reads_its_cases_and_checks_clean(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    init()
    given = invoke("check", "fresh", "-q")
    assert given.exit_code in (0, 1)  # the example case is valid; its worries depend on today
    assert given.stderr == ""  # no rejected input
    data = report("fresh")
    assert data["errors"] == []
    assert [case["case_id"] for case in data["cases"]] == ["EXAMPLE-01"]  # type: ignore[attr-defined]
    assert data["cases"][0]["sources"] == ["fresh/cases/example-case.yaml"]  # type: ignore[index]
    # the same run as inside the folder (its cases named from there)
    monkeypatch.chdir(here / "fresh")
    inside = report()
    assert inside["cases"][0]["sources"] == ["cases/example-case.yaml"]  # type: ignore[index]
    assert {**inside, "cases": None} == {**data, "cases": None}


def test_the_folders_own_files_are_never_cases_even_when_its_cases_are_the_folder(
    here: Path,
) -> None:
    folder = init(example_in_cases=False)
    Path("fresh/cases/a.json").write_text(QUIET % "A", encoding="utf-8")
    config = folder / "cp-audit.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - cases\n", "  - .\n"),
                      encoding="utf-8")
    data = report("fresh", "-o", "fresh/report.html")
    assert data["errors"] == []
    assert [case["case_id"] for case in data["cases"]] == ["A"]  # type: ignore[attr-defined]
    skipped = {s["path"] for s in data["skipped"]}  # type: ignore[attr-defined]
    assert {"fresh/cp-audit.yaml", "fresh/standards.yaml", "fresh/schemas/case.schema.json",
            "fresh/schemas/standards.schema.json", "fresh/README.md",
            "fresh/examples/cp-audit.yaml", "fresh/examples/example-case.yaml",
            "fresh/meeting.yaml", "fresh/schemas/meeting.schema.json"} <= skipped
    # and the report.html just written (one of cp-audit.yaml's outputs), and the
    # history.sqlite the run recorded itself in (init's cp-audit.yaml says history: true)
    assert Path("fresh/history.sqlite").is_file()
    assert invoke("validate", "fresh").stdout == (
        "12 files found: 1 read, 11 skipped; 1 case loaded, 0 rejected\n")
    # `cases: [examples]` asks for the example by its path: then it is read
    config.write_text(config.read_text(encoding="utf-8").replace("  - .\n", "  - examples\n"),
                      encoding="utf-8")
    assert invoke("validate", "fresh").stdout == (
        "2 files found: 1 read, 1 skipped; 1 case loaded, 0 rejected\n")


@pytest.mark.parametrize("spelt", ["fresh/", "./fresh", "{here}/fresh", "fresh/cases/.."])
def test_the_folder_however_it_is_spelt(here: Path, spelt: str) -> None:
    init()
    data = report(spelt.format(here=here))
    assert data["errors"] == []
    assert [case["case_id"] for case in data["cases"]] == ["EXAMPLE-01"]  # type: ignore[attr-defined]


def test_check_the_folder_and_another_path(here: Path) -> None:
    init()
    Path("more.json").write_text(QUIET % "MORE-01", encoding="utf-8")
    data = report("fresh", "more.json")
    assert data["errors"] == []
    assert [case["case_id"] for case in data["cases"]] == [  # type: ignore[attr-defined]
        "EXAMPLE-01", "MORE-01"]


def test_a_folder_under_the_audit_folder_is_read_as_given(here: Path) -> None:
    init()
    Path("fresh/cases/extra").mkdir()
    Path("fresh/cases/extra/a.json").write_text(QUIET % "A", encoding="utf-8")
    data = report("fresh/cases/extra")
    assert [case["case_id"] for case in data["cases"]] == ["A"]  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- rules, explain


def test_rules_and_explain_show_the_folders_standards(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_rule(init() / "standards.yaml")
    outside = invoke("rules")
    assert OURS not in outside.stdout
    assert invoke("explain", OURS).exit_code == 2

    monkeypatch.chdir(here / "fresh")
    rules = invoke("rules")
    assert rules.exit_code == 0
    ids = [line.split()[0] for line in rules.stdout.splitlines()[1:]]
    assert ids[ids.index("smart-actions") + 1] == OURS
    assert len(ids) == len(outside.stdout.splitlines())  # one rule more (and no header)
    explained = invoke("explain", OURS)
    assert explained.exit_code == 0
    assert explained.stdout.startswith(f"{OURS}: ")

    # --standards still wins
    assert OURS not in invoke("rules", "--standards", str(DEFAULT)).stdout
    assert invoke("explain", OURS, "--standards", str(DEFAULT)).stderr == (
        f'no such rule: "{OURS}" (did you mean "smart-actions"?)\n')


def test_rules_in_a_folder_with_a_bad_config_exits_2(here: Path) -> None:
    Path("cp-audit.yaml").write_text("selec: [smart-actions]\n", encoding="utf-8")
    for name, command in [("rules", ["rules"]), ("explain", ["explain", "smart-actions"]),
                          ("standards test", ["standards", "test"])]:
        result = invoke(*command)
        assert result.exit_code == 2
        assert result.stderr == (
            f'cp-audit {name}: cp-audit.yaml: unknown setting "selec" (did you mean "select"?)\n'
        )
        assert result.stdout == ""
    assert invoke("rules", "--standards", str(DEFAULT)).exit_code == 0


# --------------------------------------------------------------------------- standards test


def test_standards_test_with_no_file_tests_the_folders_standards(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    break_an_example(init() / "standards.yaml")
    default = invoke("standards", "test")  # outside an audit folder: the packaged default
    assert default.exit_code == 0
    assert default.stdout.endswith(" passed, 0 failed\n")
    passed = int(default.stdout.split()[0])

    monkeypatch.chdir(here / "fresh")
    folders = invoke("standards", "test")
    assert folders.exit_code == 1
    assert folders.stdout.startswith('FAIL  rule "smart-actions" example ')
    assert folders.stdout.splitlines()[-1] == f"{passed - 1} passed, 1 failed"
    # a FILE given wins
    assert invoke("standards", "test", str(DEFAULT)).stdout == default.stdout


# --------------------------------------------------------------------------- validate


def test_validate_with_no_path_reads_the_folders_cases(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    init()
    assert invoke("validate", "fresh").stdout == VALIDATED_INIT  # the folder given
    monkeypatch.chdir(here / "fresh")
    result = invoke("validate")
    assert (result.exit_code, result.stdout) == (0, VALIDATED_INIT)


def test_validate_with_no_path_outside_an_audit_folder_is_a_usage_error(here: Path) -> None:
    result = invoke("validate")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Usage: cp-audit validate [OPTIONS] [PATHS]..." in result.stderr
    assert ("Error: Missing argument 'PATHS...'. Give the case files or folders to validate, "
            "or run it in an audit folder") in result.stderr


def test_validate_given_paths_beside_a_bad_config_still_reads_them(here: Path) -> None:
    Path("cp-audit.yaml").write_text("selec: [smart-actions]\n", encoding="utf-8")
    Path("a.json").write_text(QUIET % "A", encoding="utf-8")
    assert invoke("validate", "a.json").stdout == VALIDATED_INIT
    # the folder given, its config unreadable: the folder is read, the config is not a case
    assert invoke("validate", ".").stdout == (
        "2 files found: 1 read, 1 skipped; 1 case loaded, 0 rejected\n")
    nothing_given = invoke("validate")  # it needs the config's cases: the error is shown
    assert nothing_given.exit_code == 2
    assert nothing_given.stderr == (
        'cp-audit validate: cp-audit.yaml: unknown setting "selec" (did you mean "select"?)\n'
    )


# --------------------------------------------------------------------------- a real process


def test_the_three_runs_through_the_installed_command(here: Path) -> None:
    script = Path(sys.executable).parent / "cp-audit"
    if not script.is_file():
        pytest.skip("cp-audit is not installed beside this Python")

    def run(*args: str, cwd: Path = here) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(script), *args], cwd=cwd, capture_output=True, text=True,
                              timeout=120, check=False)

    assert run("init", "fresh").returncode == 0
    first = run("check", "fresh")
    assert (first.returncode, first.stdout) == (2, "")
    assert first.stderr == no_case_found("fresh/cases", "fresh/examples")
    example = run("check", "fresh/examples")
    assert example.returncode == 1  # its one worry
    assert "Audit as of 8 April 2022: 1 case checked." in example.stdout
    (here / "fresh/examples/example-case.yaml").rename(here / "fresh/cases/example-case.yaml")
    checked = run("check", "fresh")
    assert checked.returncode in (0, 1), checked.stdout
    assert checked.stderr == ""
    assert "Data problems" in checked.stdout and "fresh/schemas" not in checked.stdout

    add_rule(here / "fresh" / "standards.yaml")
    inside = here / "fresh"
    assert OURS in run("rules", cwd=inside).stdout
    assert run("explain", OURS, cwd=inside).returncode == 0
    assert run("standards", "test", cwd=inside).returncode == 0

    validated = run("validate", cwd=inside)
    assert (validated.returncode, validated.stdout) == (0, VALIDATED_INIT)
    outside = run("validate")
    assert outside.returncode == 2
    assert "Missing argument 'PATHS...'" in outside.stderr
