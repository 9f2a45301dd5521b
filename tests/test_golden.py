"""Golden reports: what `cp-audit check` prints, byte for byte, in every format.

- `tests/golden/samples.{txt,md,html,json,csv,xml}`: `cp-audit check samples/
  --format text|markdown|html|json|csv|junit` (the samples' `cp-audit.yaml`
  fixes the as-of date at 2022-09-30; exit 1: the samples show worries).
- `tests/golden/mixed.{txt,json,csv}`: `cp-audit check tests/data/mixed/` in
  text, JSON and CSV: two small valid cases, one rejected file and a police
  file that names no case, so cases may be incomplete (exit 2).

Each command runs through click's CliRunner from the repository root, so paths
read `samples/...`; stdout is not a terminal, so the text has no colour and is
80 columns wide. A golden that differs fails with the start of a unified diff.

When a report changes on purpose (a reporter, the standards' words, the
samples, the version number), rewrite the goldens, then read the diff as an
audit lead would before committing it:

    CP_AUDIT_UPDATE_GOLDENS=1 pytest tests/test_golden.py
    git diff tests/golden/
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cp_audit.cli import cli

REPO = Path(__file__).parents[1]
GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("CP_AUDIT_UPDATE_GOLDENS") == "1"
DIFF_LINES = 60

FORMATS = {
    "txt": "text",
    "md": "markdown",
    "html": "html",
    "json": "json",
    "csv": "csv",
    "xml": "junit",
}
# golden file -> (the folder checked, --format, the exit code)
RUNS = {
    **{f"samples.{ext}": ("samples/", fmt, 1) for ext, fmt in FORMATS.items()},
    "mixed.txt": ("tests/data/mixed/", "text", 2),
    "mixed.json": ("tests/data/mixed/", "json", 2),
    "mixed.csv": ("tests/data/mixed/", "csv", 2),
}


def check_output(
    folder: str, format_name: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, bytes]:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(
        cli,
        ["check", folder, "--format", format_name],
        prog_name="cp-audit",
        env={"NO_COLOR": None, "COLUMNS": None},
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout_bytes


def diff(expected: bytes, got: bytes, name: str) -> str:
    lines = list(
        difflib.unified_diff(
            expected.decode("utf-8", "replace").splitlines(keepends=True),
            got.decode("utf-8", "replace").splitlines(keepends=True),
            fromfile=f"tests/golden/{name}",
            tofile="cp-audit check (now)",
        )
    )
    shown = "".join(lines[:DIFF_LINES])
    more = f"\n... {len(lines) - DIFF_LINES} more diff lines" if len(lines) > DIFF_LINES else ""
    return shown + more


@pytest.mark.parametrize("name", sorted(RUNS))
def test_report_matches_its_golden_file(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, format_name, exit_code = RUNS[name]
    code, got = check_output(folder, format_name, monkeypatch)
    assert code == exit_code, f"cp-audit check {folder} --format {format_name} exited {code}"
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(got)
    if not path.exists():
        pytest.fail(f"no golden file {path}: run CP_AUDIT_UPDATE_GOLDENS=1 pytest {__file__}")
    expected = path.read_bytes()
    if got != expected:
        pytest.fail(
            f"cp-audit check {folder} --format {format_name} differs from tests/golden/{name}"
            " (if the change is meant, CP_AUDIT_UPDATE_GOLDENS=1 pytest tests/test_golden.py):\n"
            + diff(expected, got, name),
            pytrace=False,
        )


def test_every_golden_file_has_a_run() -> None:
    """A golden left behind by a removed run would never be checked."""
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(RUNS)


def test_the_text_goldens_have_no_colour() -> None:
    for name in RUNS:
        if name.endswith(".txt"):
            assert b"\x1b" not in (GOLDEN / name).read_bytes(), name
