"""The messages of issue 13, point 6: each says what is wrong and how to put it right.

A closed-set value or a setting gets a did-you-mean; a quoted boolean or number says the
quotes are the problem; a bad `--as-of` says why it is no date. (The standards file's
errors in one run: tests/test_cli_standards.py; case-file lines: tests/test_error_lines.py.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import invoke

REPO = Path(__file__).parents[1]
CASE = {"case_id": "C1", "child": {"age_years": 7}}


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def validate_yaml(text: str) -> list[str]:
    """`cp-audit validate case.yaml`: the problem lines (the case rejected, exit 2)."""
    Path("case.yaml").write_text(text, encoding="utf-8")
    result = invoke("validate", "case.yaml")
    assert result.exit_code == 2
    return [line for line in result.stdout.splitlines() if line.startswith("case.yaml")]


def test_a_misspelt_closed_set_value_gets_did_you_mean(here: Path) -> None:
    found = validate_yaml(
        "case_id: C1\nchild: {age_years: 7, gender: fmale}\n"
        "people:\n  - {id: dad, relationship: farther}\n  - {id: gran, relationship: granny}\n"
    )
    assert [line.split(": ", 2)[2] for line in found] == [
        "line 2, column 23: child.gender: 'fmale' is not one of: female, male, other, unknown "
        '(did you mean "female"?)',
        "line 4, column 15: people[0].relationship: 'farther' is not one of: mother, father, "
        "stepmother, stepfather, partner_of_parent, grandparent, carer, sibling, other "
        '(did you mean "father"?)',
        # nothing close enough: the list alone, as before
        "line 5, column 16: people[1].relationship: 'granny' is not one of: mother, father, "
        "stepmother, stepfather, partner_of_parent, grandparent, carer, sibling, other",
    ]


@pytest.mark.parametrize("word", ['"true"', "'false'", '"yes"', '"No"'])
def test_a_quoted_yaml_boolean_says_the_quotes_are_the_problem(here: Path, word: str) -> None:
    found = validate_yaml(
        f"case_id: C1\nchild: {{age_years: 7}}\nvisits:\n"
        f"  - {{date: 2022-01-01, seen: true, seen_alone: {word}}}\n"
    )
    assert found == [
        f"case.yaml: case C1: line 4, column 36: visits[0].seen_alone: must be true or false, "
        f'not the text "{word[1:-1]}" (remove the quotes)'
    ]


def test_a_json_string_boolean_or_number_says_the_quotes_are_the_problem(here: Path) -> None:
    record = {**CASE, "child": {"age_years": "7"},
              "visits": [{"date": "2022-01-01", "seen": "false"}]}
    Path("case.json").write_text(json.dumps(record), encoding="utf-8")
    result = invoke("validate", "case.json")
    assert result.exit_code == 2
    assert 'child.age_years: must be a whole number, not the text "7" (remove the quotes)' in (
        result.stdout)
    assert 'visits[0].seen: must be true or false, not the text "false" (remove the quotes)' in (
        result.stdout)


def test_other_text_for_a_boolean_is_never_quoted(here: Path) -> None:
    found = validate_yaml(
        "case_id: C1\nchild: {age_years: 7}\nvisits:\n"
        "  - {date: 2022-01-01, seen: true, seen_alone: seen with Zebedee}\n"
    )
    assert found == [
        "case.yaml: case C1: line 4, column 36: visits[0].seen_alone: must be true or false"
    ]


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("2025-02-30", "February 2025 has 28 days"),
        ("2024-02-30", "February 2024 has 29 days"),
        ("2025-04-31", "April 2025 has 30 days"),
        ("2025-01-00", "January 2025 has 31 days"),
        ("2025-13-01", "there is no month 13 (months are 01 to 12)"),
        ("0000-01-01", "there is no year 0"),
        ("30/02/2025", "use YYYY-MM-DD"),
        ("2025-2-3", "use YYYY-MM-DD"),
        ("today", "use YYYY-MM-DD"),
    ],
)
def test_a_bad_as_of_says_what_is_wrong(here: Path, value: str, why: str) -> None:
    Path("case.json").write_text(json.dumps(CASE), encoding="utf-8")
    result = invoke("check", "case.json", "--as-of", value)
    assert result.exit_code == 2
    assert f"Invalid value for '--as-of': {value} is not a date: {why}\n" in result.stderr
    assert "%Y" not in result.stderr
    assert result.stdout == ""


def test_a_good_as_of_is_the_date_of_the_run(here: Path) -> None:
    Path("case.json").write_text(json.dumps(CASE), encoding="utf-8")
    result = invoke("check", "case.json", "--as-of", "2024-02-29", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "2024-02-29" in result.stdout


@pytest.mark.parametrize("key", ["as-of", "asof", "As_Of", "AS-OF"])
def test_a_misspelt_setting_gets_did_you_mean(here: Path, key: str) -> None:
    Path("cp-audit.yaml").write_text(f"{key}: 2022-09-30\ncases: [case.json]\n",
                                     encoding="utf-8")
    Path("case.json").write_text(json.dumps(CASE), encoding="utf-8")
    result = invoke("check")
    assert result.exit_code == 2
    assert result.stderr == (
        f'cp-audit check: cp-audit.yaml: unknown setting "{key}" (did you mean "as_of"?)\n'
    )


def test_the_messages_through_a_real_process(here: Path) -> None:
    Path("cp-audit.yaml").write_text("as-of: 2022-09-30\n", encoding="utf-8")
    Path("case.yaml").write_text(
        "case_id: C1\nchild: {age_years: 7}\npeople:\n  - {id: dad, relationship: farther}\n"
        "visits:\n  - {date: 2022-01-01, seen: true, seen_alone: \"true\"}\n",
        encoding="utf-8",
    )
    env_path = str(REPO / "src")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "cp_audit", *args], capture_output=True, text=True,
            env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"}, check=False,
        )

    checked = run("check")
    assert checked.returncode == 2
    assert 'unknown setting "as-of" (did you mean "as_of"?)' in checked.stderr
    dated = run("check", "case.yaml", "--as-of", "2025-02-30")
    assert dated.returncode == 2
    assert "2025-02-30 is not a date: February 2025 has 28 days" in dated.stderr
    validated = run("validate", "case.yaml")
    assert validated.returncode == 2
    assert '(did you mean "father"?)' in validated.stdout
    assert 'not the text "true" (remove the quotes)' in validated.stdout
