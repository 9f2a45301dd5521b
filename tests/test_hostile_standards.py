"""Broken standards files (issue 6): each problem named with its line and column, exit 2
from `cp-audit check` and `cp-audit standards check`, and not one case read before the
standards are known to be valid.

Each variant changes one thing in `tests/hostile/standards/minimal.yaml`, a small valid
standards file, so that the lines and columns below stay put.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cp_audit.cli import cli
from cp_audit.inputs import READERS, discovery

MINIMAL = Path(__file__).parent / "hostile" / "standards" / "minimal.yaml"
TEXT = MINIMAL.read_text()
RULES = TEXT[TEXT.index("rules:"):]
TAG = "could not determine a constructor for the tag"

# name: (the text replaced, its replacement, the problems users see after "std.yaml: ")
VARIANTS: dict[str, tuple[str, str, list[str]]] = {
    "a list never closed": (
        "      min_share: 0.5\n", "      min_share: [0.5\n",
        ["line 38, column 1: YAML syntax error: did not find expected ',' or ']'"],
    ),
    "a colon in a title": (
        "title: A health professional at core groups", "title: A health professional: at core",
        ["line 23, column 33: YAML syntax error: mapping values are not allowed in this context"],
    ),
    "a tab to indent": (
        "  health: [gp", "\thealth: [gp",
        ["line 6, column 1: YAML syntax error: found character that cannot start any token "
         "(a tab: YAML indents with spaces only)"],
    ),
    "a Python tag": (
        "name: Minimal standards", 'name: !!python/object/apply:os.system ["touch ran"]',
        [f"line 3, column 7: YAML syntax error: {TAG} "
         "'tag:yaml.org,2002:python/object/apply:os.system'"],
    ),
    "a value that does not fit its tag": (
        "      min_share: 0.5\n", '      min_share: !!float ""\n',
        ["line 37, column 18: YAML syntax error: a value tagged !!float that is not one"],
    ),
    "a key given twice": (
        "      min_share: 0.5\n", "      min_share: 0.5\n      min_share: 0.7\n",
        ['line 38, column 7: YAML syntax error: duplicate key "min_share"'],
    ),
    "not a mapping": (TEXT, "- name: x\n", [
        "a standards file is a mapping with name, version and rules"
    ]),
    "an unknown check type": (
        "check: seen-alone", "check: seen-alnoe",
        ['line 35, column 5: rule "child-seen-alone": unknown check type "seen-alnoe" '
         '(did you mean "seen-alone"?)'],
    ),
    "text for a number": (
        "min_share: 0.5", "min_share: half",
        ['line 37, column 7: rule "child-seen-alone": option "min_share": must be a number'],
    ),
    "a word for a list": (
        "meeting_types: [core_group]", "meeting_types: core_group",
        ['line 26, column 7: rule "health-at-core-groups": option "meeting_types": must be a '
         "list"],
    ),
    "a number out of range": (
        "min_share: 1.0", "min_share: 2",
        ['line 30, column 7: rule "health-at-core-groups": option "min_share": must be at most '
         "1.0"],
    ),
    "an unknown option": (
        "min_share: 0.5", "min_shares: 0.5",
        ['line 37, column 7: rule "child-seen-alone": unknown option "min_shares" (did you mean '
         '"min_share"?)'],
    ),
    "an unknown theme": (
        "    theme: voice\n", "    theme: vocie\n",
        ['line 32, column 5: rule "child-seen-alone": unknown theme "vocie" (themes are: health, '
         "voice)"],
    ),
    "an unknown role group": (
        'roles: ["@health"]', 'roles: ["@helth"]',
        ['line 27, column 7: rule "health-at-core-groups": option "roles": unknown role group '
         '"helth" (role groups are: health)'],
    ),
    "a role group in a role group": (
        "health: [gp, school_nurse]", 'health: [gp, "@nursing"]',
        ['line 6, column 16: role group "health": "@nursing": a role group lists roles, not '
         "other role groups"],
    ),
    "an unknown kind": (
        "kind: worry\n    title: The child", "kind: concern\n    title: The child",
        ['line 33, column 5: rule "child-seen-alone": kind: must be \'worry\' or '
         "'good_practice'"],
    ),
    "a rule id that is not an id": (
        "id: child-seen-alone", "id: Child Seen Alone",
        ['line 31, column 5: rule "Child Seen Alone": id: a rule id is lower-case letters, '
         "digits and hyphens, such as child-seen-alone"],
    ),
    "a duplicate id": (
        "id: child-seen-alone", "id: health-at-core-groups",
        ['line 31, column 5: rule "health-at-core-groups": the id is used twice'],
    ),
    "an empty rule set": (
        RULES, "rules: []\n",
        ["line 19, column 1: rules: the rule set is empty: give at least one rule"],
    ),
    "no rules at all": (RULES, "", ["rules: required field is missing"]),
    "an alias bomb": (
        "version: \"1\"\n",
        'version: "1"\nx_0: &a0 [a, b, c, d, e, f, g, h, i, j]\n' + "".join(
            f"x_{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]\n" for n in range(1, 8)),
        ["its aliases expand to more than 100,000 values"],
    ),
}


@pytest.fixture
def no_case_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any reading of cases fails the test."""

    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a case was read before the standards were known to be valid")

    monkeypatch.setattr(discovery, "discover", never)
    for reader in READERS:
        for name in ("read", "parts", "quick_case_ids"):
            monkeypatch.setattr(type(reader), name, never)


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), prog_name="cp-audit")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output + result.stderr
    return result


def rejected(path: Path, cases: Path) -> list[str]:
    """The problems both commands print (the same), after checking exit 2 and no report."""
    checked = invoke("check", "-j", "1", "--standards", str(path), str(cases))
    assert (checked.exit_code, checked.stdout) == (2, "")
    alone = invoke("standards", "check", str(path))
    assert (alone.exit_code, alone.stderr) == (2, checked.stderr)
    prefix = f"{path}: "
    lines = checked.stderr.splitlines()
    assert all(line.startswith(prefix) for line in lines), lines
    return [line[len(prefix):] for line in lines]


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "a.json").write_text('{"case_id": "A", "child": {"age_years": 7}}')
    return folder


def test_the_minimal_standards_are_valid(cases: Path) -> None:
    assert invoke("check", "-j", "1", "--standards", str(MINIMAL), str(cases)).exit_code == 0


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.usefixtures("no_case_read")
def test_a_broken_standards_file_stops_the_run_before_any_case_is_read(
    tmp_path: Path, cases: Path, variant: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    old, new, expected = VARIANTS[variant]
    assert old in TEXT
    path = tmp_path / "std.yaml"
    path.write_text(TEXT.replace(old, new, 1))
    assert rejected(path, cases) == expected
    assert not (tmp_path / "ran").exists()


@pytest.mark.usefixtures("no_case_read")
def test_a_standards_file_that_cannot_be_read(tmp_path: Path, cases: Path) -> None:
    big = tmp_path / "big.yaml"
    with open(big, "wb") as sparse:
        sparse.truncate(11 * 1024 * 1024)
    assert rejected(big, cases) == ["the file is over the 10 MB limit for YAML"]
    assert rejected(tmp_path / "missing.yaml", cases) == ["no such file"]
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)  # opening it would wait for a writer for ever
    assert rejected(fifo, cases) == ["not a file"]
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(TEXT.replace("Minimal", "Minimal\u00e9").encode("latin-1"))
    assert rejected(latin, cases) == ["not UTF-8 text"]
