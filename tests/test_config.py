"""`cp-audit.yaml`: read safely, every problem named with its place, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cp_audit.cli import cli
from cp_audit.folder.config import ConfigError, load

CASE = {"case_id": "A-1", "child": {"age_years": 7}}


def write(folder: Path, text: str) -> Path:
    path = folder / "cp-audit.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "as_of: 2022-09-30\nas_of: 2022-10-01\n",
            'line 2, column 1: YAML syntax error: duplicate key "as_of"',
        ),
        ("name: !!bool maybe\n", "line 1, column 7"),
        ("as_of: !!timestamp nope\n", "as_of: not an ISO date"),
        ("cases: [a\n", "line 2, column 1: YAML syntax error"),
        ("!!python/object:os.system {}\n", "line 1, column 1"),
        ("- a\n- b\n", "must be a mapping of settings"),
        ("as_of: 03/04/2022\n", "as_of"),
        ("outptus: [r.html]\n", 'unknown setting "outptus"'),
    ],
)
def test_a_bad_config_is_named_with_its_place(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_check_with_a_bad_config_exits_2_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.json").write_text(json.dumps(CASE))
    write(tmp_path, "name: !!bool maybe\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "cp-audit.yaml: line 1, column 7" in result.stderr
    assert result.stdout == ""


def test_a_file_name_cannot_drive_the_terminal(tmp_path: Path) -> None:
    bad = tmp_path / "evil\x1b[2Jname.json"
    bad.write_text("{")
    result = CliRunner().invoke(cli, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert "\x1b" not in result.output
    assert "evil[2Jname.json" in result.output
    quiet = CliRunner().invoke(cli, ["check", "-q", str(tmp_path)])
    assert quiet.exit_code == 2 and "\x1b" not in quiet.stderr


def test_a_misspelt_setting_gets_the_closest_and_no_x_hint(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load(write(tmp_path, "outptus: [r.html]\n"))
    assert str(caught.value).endswith('unknown setting "outptus" (did you mean "outputs"?)')
    with pytest.raises(ConfigError) as caught:
        load(write(tmp_path, "cases: [1]\n"))
    assert str(caught.value).endswith(": cases[0]: must be a string")
