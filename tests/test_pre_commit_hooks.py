"""`.pre-commit-hooks.yaml`: it parses, and its hooks run real commands on the files they match."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from cp_audit.cli import cli

REPO = Path(__file__).parents[1]
HOOKS: list[dict[str, Any]] = yaml.safe_load(
    (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
BY_ID = {hook["id"]: hook for hook in HOOKS}


def run_hook(hook_id: str, files: list[str]) -> tuple[int, str]:
    """Run the hook's entry as pre-commit would: entry, args, then the file names."""
    hook = BY_ID[hook_id]
    program, *command = shlex.split(hook["entry"])
    assert program == "cp-audit"
    args = [*command, *hook.get("args", []), *files]
    result = CliRunner().invoke(cli, args, prog_name="cp-audit")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def matched(hook_id: str, folder: Path) -> list[str]:
    """The files under `folder` that pre-commit would pass to the hook (paths as in git)."""
    pattern = re.compile(BY_ID[hook_id]["files"])
    exclude = BY_ID[hook_id].get("exclude")
    return sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file()
        and pattern.search(path.relative_to(folder).as_posix())
        and not (exclude and re.search(exclude, path.relative_to(folder).as_posix()))
    )


def test_the_hooks_file_declares_the_two_hooks() -> None:
    assert list(BY_ID) == ["cp-audit-validate", "cp-audit-standards"]
    for hook in HOOKS:
        assert hook["language"] == "python"
        assert hook["name"] and hook["entry"].startswith("cp-audit ")
        re.compile(hook["files"])
    assert BY_ID["cp-audit-validate"]["entry"] == "cp-audit validate"
    assert BY_ID["cp-audit-standards"]["entry"] == "cp-audit standards check"


@pytest.mark.parametrize(
    ("path", "validate", "standards"),
    [
        ("cases/ns-07.yaml", True, False),
        ("audit-2022/cases/gp-extract.jsonl", True, False),
        ("audit/cases/police/ns-01.json", True, False),
        ("audit/cases/notes.txt", False, False),
        ("audit/cp-audit.yaml", False, False),
        ("audit/standards.yaml", False, True),
        ("standards/default.yaml", False, True),
        ("my-standards.yml", False, True),
        ("audit/schemas/standards.schema.json", False, False),
        (".pre-commit-config.yaml", False, False),
        (".github/workflows/ci.yml", False, False),
    ],
)
def test_which_files_each_hook_reads(path: str, validate: bool, standards: bool) -> None:
    assert bool(re.search(BY_ID["cp-audit-validate"]["files"], path)) is validate
    assert bool(re.search(BY_ID["cp-audit-standards"]["files"], path)) is standards


def test_the_hooks_pass_on_a_new_audit_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["init", "audit"]).exit_code == 0
    # A new folder's cases/ is empty, and its example (in examples/) is no case record
    assert matched("cp-audit-validate", tmp_path) == []
    Path("audit/examples/example-case.yaml").rename("audit/cases/example-case.yaml")
    cases = matched("cp-audit-validate", tmp_path)
    assert cases == ["audit/cases/example-case.yaml"]
    assert run_hook("cp-audit-validate", cases) == (
        0, "1 file found: 1 read, 0 skipped; 1 case loaded, 0 rejected\n")
    standards = matched("cp-audit-standards", tmp_path)
    assert standards == ["audit/standards.yaml"]
    code, output = run_hook("cp-audit-standards", standards)
    assert (code, output.startswith("audit/standards.yaml: valid: 29 rules")) == (0, True)


def test_the_hooks_fail_on_bad_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("cases").mkdir()
    Path("cases/a.json").write_text('{"case_id": "A", "child": {"age_years": 7}, "atendees": []}',
                                    encoding="utf-8")
    Path("standards.yaml").write_text("name: Ours\n", encoding="utf-8")
    code, output = run_hook("cp-audit-validate", matched("cp-audit-validate", tmp_path))
    assert code == 2
    assert 'cases/a.json: case A: line 1, column 45: unknown field "atendees"' in output
    code, output = run_hook("cp-audit-standards", matched("cp-audit-standards", tmp_path))
    assert code == 2
    assert output.startswith("standards.yaml: ")


def test_the_hooks_on_the_repository_samples_and_standards() -> None:
    own = ("cp-audit.yaml", "meeting.yaml")  # the audit folder's own files: not cases
    samples = sorted(str(p) for p in (REPO / "samples").glob("*.yaml") if p.name not in own)
    code, output = run_hook("cp-audit-validate", samples)
    assert code == 0, output
    assert run_hook("cp-audit-standards", [str(REPO / "standards" / "default.yaml")])[0] == 0
