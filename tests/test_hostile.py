"""Hostile and broken input: nothing lost, nothing executed, nothing leaked (issue 6).

Every item of the corpus in `tests/hostile/` (the big and binary ones are made here, at
run time) is put in a folder beside a valid case and run through `cp-audit validate`
and `cp-audit check`: the exact message users see, exit code 2, no traceback, and the
valid case beside it still checked. Then: what must be accepted is, the reports never
carry case data unescaped, no message quotes a name or free text, and the books balance.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import random
import shutil
import tracemalloc
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import html5lib
import pytest
from click.testing import CliRunner, Result
from load_helpers import read_file

from cp_audit.cli import cli
from cp_audit.inputs import jsonl, reading
from cp_audit.inputs.discovery import LOOP
from cp_audit.inputs.interface import NO_RECORD, Limits
from cp_audit.run import audit

HOSTILE = Path(__file__).parent / "hostile"
SAMPLES = Path(__file__).parents[1] / "samples"
AS_OF = "2022-09-30"
BESIDE = "HOST-VALID-BESIDE"
MB = 1024 * 1024
SMALL = Limits(json_bytes=400, yaml_bytes=400)
OPENERS = (reading, jsonl)  # the modules of `inputs` that open case files
NAME = "Zebedee Quux-Hostile"  # a recognisable name: never in any output
FORMATS = ("text", "markdown", "html", "csv", "junit", "json")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def record(case_id: str, **fields: Any) -> str:
    return json.dumps({"case_id": case_id, "child": {"age_years": 7}, **fields})


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), prog_name="cp-audit")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output + result.stderr
    return result


def check(*paths: str, output_format: str = "json", jobs: str = "1") -> Result:
    return invoke("check", "-j", jobs, "--as-of", AS_OF, "--format", output_format, *paths)


def error_lines(report: dict[str, Any]) -> list[str]:
    """The JSON report's errors, written as `validate` writes each problem."""
    lines = []
    for error in report["errors"]:
        parts = [error["file"] or ", ".join(error["files"])]
        if error["case_id"] is not None:
            parts.append(f"case {error['case_id']}")
        if error["location"]:
            parts.append(error["location"])
        lines.append(": ".join([*parts, error["message"]]))
    return lines


def case_ids(report: dict[str, Any]) -> list[str]:
    return [case["case_id"] for case in report["cases"]]


# ---------------------------------------------------------------------------
# The corpus: each item writes its files into the cases folder


Setup = Callable[[Path, pytest.MonkeyPatch], list[str]]  # extra paths to give the commands


def corpus(name: str) -> Setup:
    """A file or folder of `tests/hostile/rejected/`, copied into the cases folder."""

    def setup(cases: Path, _: pytest.MonkeyPatch) -> list[str]:
        source = HOSTILE / "rejected" / name
        if source.is_dir():
            shutil.copytree(source, cases / name)
        else:
            shutil.copyfile(source, cases / name)
        return []

    return setup


def made(name: str, content: bytes) -> Setup:
    def setup(cases: Path, _: pytest.MonkeyPatch) -> list[str]:
        (cases / name).write_bytes(content)
        return []

    return setup


def alias_bomb() -> bytes:
    """"Billion laughs": nine levels of ten aliases each, 10**9 values once expanded."""
    lines = ["case_id: HOST-BOMB", "child: {age_years: 7}", "x_0: &a0 [lol, lol, lol, lol]"]
    lines += [f"x_{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 10)]
    return "\n".join(lines).encode() + b"\n"


DEEP = b"[" * 10_000 + b"]" * 10_000
GARBAGE = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(6).randbytes(4096)
UTF16 = record("HOST-UTF16")


def unreadable_file(cases: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Tests run as root, who may read anything: the permission error is simulated."""
    (cases / "locked.json").write_text(record("HOST-LOCKED"))
    real_open = open

    def deny(path: Any, *args: Any, **kwargs: Any) -> Any:
        if str(path).endswith("locked.json"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    for module in OPENERS:
        monkeypatch.setattr(module, "open", deny, raising=False)
    return []


def unreadable_folder(cases: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    (cases / "locked").mkdir()
    (cases / "locked" / "a.json").write_text(record("HOST-LOCKED"))
    real_scandir = os.scandir

    def deny(path: Any) -> Any:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", deny)
    return []


def missing_path(cases: Path, _: pytest.MonkeyPatch) -> list[str]:
    return ["cases/missing.json"]


def small_limits(files: dict[str, bytes]) -> Setup:
    """Files over a small configured limit (`inputs.interface.Limits`) given to the run."""

    def setup(cases: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
        for name, content in files.items():
            (cases / name).write_bytes(content)
        real = audit.run_audit

        def run(request: audit.AuditRequest, progress: Any = None) -> Any:
            return real(dataclasses.replace(request, limits=SMALL), progress)

        monkeypatch.setattr(audit, "run_audit", run)
        return []

    return setup


PAD = "x" * 500
YAML_TAG = "not valid YAML: could not determine a constructor for the tag"
NOT_READ = "over the 400 bytes limit for a {} file: not read (large batches belong in JSON Lines)"
BAD_ID = "case_id: a case id must not contain '/', '\\' or control characters"

# name: (what to write, the problem lines users see, other case ids still checked)
REJECTED: dict[str, tuple[Setup, list[str], list[str]]] = {
    "empty file": (corpus("empty.json"), [f"cases/empty.json: {NO_RECORD}"], []),
    "whitespace only": (corpus("whitespace.yaml"), [f"cases/whitespace.yaml: {NO_RECORD}"], []),
    "empty list": (corpus("empty-list.json"), [f"cases/empty-list.json: {NO_RECORD}"], []),
    "truncated JSON": (
        corpus("truncated.json"),
        ["cases/truncated.json: line 1, column 88: not valid JSON: a string that is never "
         "closed (is the text cut short?)"],
        [],
    ),
    "a bad line among good ones": (
        corpus("bad-line.jsonl"),
        ["cases/bad-line.jsonl: line 2, column 53: not valid JSON: Expecting ',' delimiter"],
        ["HOST-LINE-1", "HOST-LINE-3"],
    ),
    "binary garbage": (
        made("garbage.json", GARBAGE), ["cases/garbage.json: line 1: not UTF-8 text"], []
    ),
    "UTF-16 without a byte-order mark": (
        made("utf16.json", UTF16.encode("utf-16-le")),
        ["cases/utf16.json: line 1: not UTF-8 text: it holds NUL bytes (UTF-16, or not text "
         "at all; save it as UTF-8)"],
        [],
    ),
    "UTF-16 with a byte-order mark": (
        made("utf16.yaml", UTF16.encode("utf-16")),
        ["cases/utf16.yaml: line 1: not UTF-8 text: it is UTF-16 (save it as UTF-8)"],
        [],
    ),
    "invalid UTF-8": (
        made("latin1.yaml", f"case_id: HOST-LATIN1\nchild:\n  name: {NAME}\u00eb\n"
             .encode("latin-1")),
        ["cases/latin1.yaml: line 3: not UTF-8 text"],
        [],
    ),
    "YAML python/object/apply": (
        corpus("python-object.yaml"),
        [f"cases/python-object.yaml: line 3, column 8: {YAML_TAG} "
         "'tag:yaml.org,2002:python/object/apply:os.system'"],
        [],
    ),
    "YAML python/name": (
        corpus("python-name.yaml"),
        [f"cases/python-name.yaml: line 3, column 9: {YAML_TAG} "
         "'tag:yaml.org,2002:python/name:os.system'"],
        [],
    ),
    "YAML python/object/new": (
        corpus("python-new.yaml"),
        [f"cases/python-new.yaml: line 2, column 8: {YAML_TAG} "
         "'tag:yaml.org,2002:python/object/new:subprocess.Popen'"],
        [],
    ),
    "YAML local tag": (
        corpus("local-tag.yaml"),
        [f"cases/local-tag.yaml: line 2, column 8: {YAML_TAG} '!include'"],
        [],
    ),
    "YAML alias bomb": (
        made("alias-bomb.yaml", alias_bomb()),
        ["cases/alias-bomb.yaml: its aliases expand to more than 100,000 values"],
        [],
    ),
    "JSON arrays 10,000 deep": (
        made("deep.json", b'{"case_id": "HOST-DEEP", "x_deep": ' + DEEP + b"}"),
        ["cases/deep.json: nested too deeply"],
        [],
    ),
    "YAML arrays 10,000 deep": (
        made("deep.yaml", b"case_id: HOST-DEEP\nchild: {age_years: 7}\nx_deep: " + DEEP),
        ["cases/deep.yaml: line 3, column 1008: nested too deeply"],
        [],
    ),
    "a JSON Lines line 10,000 deep": (
        made("deep.jsonl", record("HOST-DEEP-1").encode() + b"\n" + DEEP + b"\n"
             + record("HOST-DEEP-3").encode()),
        ["cases/deep.jsonl: line 2: nested too deeply"],
        ["HOST-DEEP-1", "HOST-DEEP-3"],
    ),
    "JSON duplicate key": (
        corpus("duplicate-key.json"), ['cases/duplicate-key.json: duplicate key "age_years"'], []
    ),
    "YAML duplicate key": (
        corpus("duplicate-key.yaml"),
        ['cases/duplicate-key.yaml: line 7, column 5: duplicate key "seen"'],
        [],
    ),
    "files over the size limit": (
        small_limits({
            "over.json": record("HOST-OVER-1", x_pad=PAD).encode(),
            "over.yaml": f"case_id: HOST-OVER-2\nx_pad: {PAD}\n".encode(),
            "over-line.jsonl": "\n".join(
                [record("HOST-LINE-A"), record("HOST-OVER-3", x_pad=PAD), record("HOST-LINE-C")]
            ).encode(),
        }),
        ["cases/over-line.jsonl: line 2: the line is over the 400 bytes limit: not read",
         "cases/over.json: the file is 566 bytes, " + NOT_READ.format("JSON"),
         "cases/over.yaml: the file is 529 bytes, " + NOT_READ.format("YAML")],
        ["HOST-LINE-A", "HOST-LINE-C"],
    ),
    "a YAML tag that does not fit its value": (
        corpus("tag-mismatch.yaml"),
        ["cases/tag-mismatch.yaml: line 4, column 30: not valid YAML: a value tagged !!bool "
         "that is not one"],
        [],
    ),
    "a tab to indent YAML, with old Mac line ends": (
        made("mac.yaml", b"case_id: HOST-MAC\rchild:\r\tage_years: 7\r"),
        ["cases/mac.yaml: line 3, column 1: not valid YAML: found character that cannot start "
         "any token (a tab: YAML indents with spaces only)"],
        [],
    ),
    "a lone UTF-16 surrogate escaped in JSON": (
        corpus("lone-surrogate.json"),
        ["cases/lone-surrogate.json: not valid JSON: a \\u escape of half a character (a lone "
         "UTF-16 surrogate)"],
        [],
    ),
    "a number where a date belongs": (
        corpus("date-number.json"),
        ["cases/date-number.json: case HOST-DATE-NUMBER: line 2, column 14: visits[0].date: "
         "must be a date written YYYY-MM-DD, not a number"],
        [],
    ),
    "03/04/2022": (
        corpus("date-us.yaml"),
        ["cases/date-us.yaml: case HOST-DATE-US: line 5, column 6: visits[1].date: "
         "not an ISO date: '03/04/2022' (use YYYY-MM-DD)"],
        [],
    ),
    "2022-02-30": (
        corpus("date-feb-30.json"),
        ["cases/date-feb-30.json: case HOST-DATE-FEB-30: line 1, column 43: child.date_of_birth: "
         "not an ISO date: '2022-02-30' (day is out of range for month)"],
        [],
    ),
    "a plan ending before it starts": (
        corpus("plan-ends-before-start.yaml"),
        ["cases/plan-ends-before-start.yaml: case HOST-PLAN-END: line 4, column 5: plans[0]: "
         "the plan ends (2022-02-01) before it starts (2022-03-01)"],
        [],
    ),
    "an unknown person": (
        corpus("unknown-person.yaml"),
        ["cases/unknown-person.yaml: case HOST-UNKNOWN-PERSON: line 11, column 10: "
         "meetings[0].participants[1].person: unknown person 'dad2' (people are: mum, dad)"],
        [],
    ),
    "a case id with a path separator": (
        corpus("case-id-slash.json"), [f"cases/case-id-slash.json: line 1, column 2: {BAD_ID}"], []
    ),
    "a case id with an escape character": (
        corpus("case-id-control.json"),
        [f"cases/case-id-control.json: line 1, column 2: {BAD_ID}"], []
    ),
    "a case id with a C1 control character": (
        corpus("case-id-c1-control.json"),
        [f"cases/case-id-c1-control.json: line 1, column 2: {BAD_ID}"], []
    ),
    "two agency files in conflict": (
        corpus("conflict"),
        ["cases/conflict/social-care.yaml: case HOST-CONFLICT: line 3, column 9: "
         "child.date_of_birth: conflict: 2015-06-14 here, 2015-06-15 in cases/conflict/gp.json "
         "(line 2, column 12: child.date_of_birth)",
         "cases/conflict/gp.json, cases/conflict/social-care.yaml: case HOST-CONFLICT: "
         "rejected whole: none of its records in these files is used"],
        [],
    ),
    "a path that does not exist": (missing_path, ["cases/missing.json: no such file or folder"],
                                   []),
    "an unreadable file": (
        unreadable_file, ["cases/locked.json: cannot read the file: permission denied"], []
    ),
    "an unreadable folder": (
        unreadable_folder, ["cases/locked: cannot read the folder: permission denied"], []
    ),
}


@pytest.mark.parametrize("item", list(REJECTED))
def test_a_rejected_input_is_named_and_the_valid_case_beside_it_is_checked(
    here: Path, monkeypatch: pytest.MonkeyPatch, item: str
) -> None:
    setup, expected, also_checked = REJECTED[item]
    cases = here / "cases"
    cases.mkdir()
    (cases / "valid.json").write_text(record(BESIDE))
    paths = ["cases", *setup(cases, monkeypatch)]

    validated = invoke("validate", "-j", "1", *paths)
    assert validated.exit_code == 2
    assert validated.stdout.splitlines()[:-1] == expected
    assert f"{1 + len(also_checked)} case" in validated.stdout.splitlines()[-1]
    assert validated.stderr == ""

    checked = check(*paths)
    assert checked.exit_code == 2
    assert checked.stderr == ""
    report = json.loads(checked.stdout)
    assert error_lines(report) == expected
    assert case_ids(report) == sorted([BESIDE, *also_checked])
    assert not (here / "hostile-yaml-ran").exists()  # nothing in a YAML tag was run


# ---------------------------------------------------------------------------
# The default limits: a big file is rejected by its size, never opened


def test_default_limits_reject_a_big_file_by_its_size_without_reading_it(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Limits() == Limits(json_bytes=50 * MB, yaml_bytes=10 * MB, alias_values=100_000)
    cases = here / "cases"
    cases.mkdir()
    (cases / "valid.json").write_text(record(BESIDE))
    for name, size in [("big.json", 60 * MB), ("big.yaml", 11 * MB)]:
        with open(cases / name, "wb") as sparse:  # no data: a hole, as `truncate -s` makes
            sparse.truncate(size)
    opened: list[str] = []
    real_open = open

    def spy(path: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(path))
        return real_open(path, *args, **kwargs)

    for module in OPENERS:
        monkeypatch.setattr(module, "open", spy, raising=False)
    expected = [
        "cases/big.json: the file is 60 MB, over the 50 MB limit for a JSON file: not read "
        "(large batches belong in JSON Lines)",
        "cases/big.yaml: the file is 11 MB, over the 10 MB limit for a YAML file: not read "
        "(large batches belong in JSON Lines)",
    ]
    validated = invoke("validate", "-j", "1", "cases")
    assert (validated.exit_code, validated.stdout.splitlines()[:-1]) == (2, expected)
    checked = check("cases")
    report = json.loads(checked.stdout)
    assert (checked.exit_code, error_lines(report), case_ids(report)) == (2, expected, [BESIDE])
    assert not [path for path in opened if "big." in path]


def test_a_json_lines_line_over_the_default_limit_is_measured_not_held(here: Path) -> None:
    with open("batch.jsonl", "wb") as handle:
        handle.write(record("HOST-LINE-A").encode() + b"\n")
        handle.write(b'{"x_pad": "')
        handle.seek(handle.tell() + 50 * MB)  # a hole: 50 MB of NULs, never written
        handle.write(b'"}\n' + record("HOST-LINE-C").encode() + b"\n")
    tracemalloc.start()
    try:
        result = read_file("batch.jsonl")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [str(problem) for problem in result.problems] == [
        "batch.jsonl: line 2: the line is over the 50 MB limit: not read"
    ]
    assert [r.data["case_id"] for r in result.records] == ["HOST-LINE-A", "HOST-LINE-C"]
    assert peak < 8 * MB  # read a megabyte at a time


# ---------------------------------------------------------------------------
# Accepted as the format says


def test_what_the_format_allows_is_accepted(here: Path) -> None:
    cases = here / "cases"
    shutil.copytree(HOSTILE / "accepted", cases)
    (cases / "valid.json").write_text(record(BESIDE))
    os.symlink("loop-b.json", cases / "loop-a.json")  # a loop of links: skipped, no hang
    os.symlink("loop-a.json", cases / "loop-b.json")
    os.symlink("..", cases / "up")  # a link back to a folder above: not followed

    validated = invoke("validate", "-j", "1", "cases")
    assert (validated.exit_code, validated.stdout) == (
        0, "11 files found: 8 read, 3 skipped; 8 cases loaded, 0 rejected\n"
    )
    checked = check("cases")
    assert checked.exit_code == 1  # worries, nothing rejected
    report = json.loads(checked.stdout)
    assert report["errors"] == []
    assert [(s["path"], s["reason"]) for s in report["skipped"]] == [
        ("cases/loop-a.json", LOOP),
        ("cases/loop-b.json", LOOP),
        ("cases/up", "a link to a folder: not followed"),
    ]
    cases_by_id = {case["case_id"]: case for case in report["cases"]}
    assert sorted(cases_by_id) == [
        "HOST-ANCHORS", "HOST-BOM-JSON", "HOST-BOM-YAML", "HOST-EXPLICIT-TAGS",
        "HOST-IN-FOLDER-JSON", "HOST-TWICE", BESIDE, "HOST-YES-NO",
    ]

    def outcome(case_id: str, rule: str) -> str:
        results = cases_by_id[case_id]["results"]
        return str(next(r["outcome"] for r in results if r["rule"] == rule))

    # The same case twice in one file: one case, the ICPC's participants merged (the GP's
    # record gives the health professional).
    assert cases_by_id["HOST-TWICE"]["agencies"] == ["gp", "social_care"]
    assert outcome("HOST-TWICE", "health-at-conferences") == "met"
    # Anchors: both core groups have the school nurse, through the alias.
    assert outcome("HOST-ANCHORS", "health-at-core-groups") == "met"
    # yes/on/no read as booleans: seen alone on one visit of two.
    assert outcome("HOST-YES-NO", "child-seen-alone") == "met"
    assert cases_by_id["HOST-IN-FOLDER-JSON"]["sources"] == ["cases/folder.json/inside.yaml"]
    # An explicit !!timestamp is a date like any other: the child is 7 on the as-of date.
    assert cases_by_id["HOST-EXPLICIT-TAGS"]["age"] == 7


# ---------------------------------------------------------------------------
# Output safety: case data never reaches a report unescaped

HOSTILE_IDS = [
    "=HYPERLINK(\"x\")", "+1+1", "-1+1", "@SUM(A1)", "<script>alert(1)<x>|=1+1&]]>",
]  # (a bidi control such as U+202E is refused in a case id: `case.values`)
CONTROL = "\x1b[31m"  # an escape sequence: colours the terminal


def hostile_case(case_id: str) -> dict[str, Any]:
    """A valid case whose ids and tokens are built to break every output format."""
    dad = f"dad{CONTROL}|<b>"
    return {
        "case_id": case_id,
        "source": {"agency": "<b>bold</b>", "system": "=cmd"},
        "child": {"age_years": 7, "needs": [f"{CONTROL}red", "+cmd", "x|y", "\x9b2J",
                                             "a\u202eb", "<img src=x onerror=alert(1)>"]},
        "people": [{"id": "=mum<&>|", "relationship": "mother"},
                   {"id": dad, "relationship": "father"}],
        "plans": [{"start": "2022-01-01", "category": "neglect",
                   "actions": [{"id": "=A1|<i>", "action": "a", "owner": "+owner"}]}],
        "meetings": [
            {"type": "icpc", "date": "2022-01-01", "participants": [
                {"role": "@role|<x>", "agency": "\x1b]0;title\x07"},
                {"person": "=mum<&>|"}, {"person": dad, "status": "not_invited"}]},
            {"type": "core_group", "date": "2022-01-15",
             "participants": [{"role": "=x", "agency": "-y"}]},
        ],
        "visits": [{"date": "2022-01-05", "seen": True}],
        "recording": [{"date": "2022-01-05", "views_of": ["=mum<&>|"]}],
        "tools": [{"name": "=tool", "by": CONTROL}],
        "agency_records": [{"agency": "gp", "flags": [{"flag": "=no_concerns"}]}],
    }


BIDI = {"\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)),
        *map(chr, range(0x2066, 0x206A))}


def assert_no_control_characters(text: str, allowed: str = "\n") -> None:
    bad = {ch for ch in text if ch not in allowed
           and (unicodedata.category(ch) == "Cc" or ch in BIDI)}
    assert not bad, sorted(map(hex, map(ord, bad)))


@pytest.fixture
def hostile_reports(here: Path) -> dict[str, str]:
    cases = here / "cases"
    cases.mkdir()
    for n, case_id in enumerate(HOSTILE_IDS):
        (cases / f"c{n}.json").write_text(json.dumps(hostile_case(case_id)))
    reports = {}
    for output_format in FORMATS:
        result = check("cases", output_format=output_format)
        assert (result.exit_code, result.stderr) == (1, ""), result.output
        reports[output_format] = result.stdout
    return reports


def test_text_output_carries_no_terminal_control_sequence(hostile_reports: dict[str, str]
                                                          ) -> None:
    assert_no_control_characters(hostile_reports["text"])
    assert "=HYPERLINK" in hostile_reports["text"]  # the case is there, only made harmless


def test_json_output_escapes_every_control_character(hostile_reports: dict[str, str]) -> None:
    assert_no_control_characters(hostile_reports["json"])
    assert sorted(case_ids(json.loads(hostile_reports["json"]))) == sorted(HOSTILE_IDS)


def test_html_output_escapes_case_data(hostile_reports: dict[str, str]) -> None:
    text = hostile_reports["html"]
    assert_no_control_characters(text)
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    tree = parser.parse(text)
    assert not tree.findall(".//script[@src]") and not tree.findall(".//img")
    assert not [el for el in tree.iter() if el.tag in ("b", "i", "x") or any(
        name.startswith("on") for name in el.attrib)]
    assert "<script>alert(1)<x>" in "".join(tree.itertext())  # shown as text


def test_markdown_output_escapes_html_and_table_pipes(hostile_reports: dict[str, str]) -> None:
    text = hostile_reports["markdown"]
    assert_no_control_characters(text)
    for tag in ("<script", "<img", "<b>", "<x>", "<i>"):
        assert tag not in text
    table: list[int] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            table.append(line.replace("\\|", "").count("|"))
        elif table:
            assert len(set(table)) == 1, table  # every row has the header's columns
            table = []


def test_csv_output_has_no_formula(hostile_reports: dict[str, str]) -> None:
    text = hostile_reports["csv"]
    assert_no_control_characters(text, allowed="\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert {row[0].lstrip("'") for row in rows[1:]} == set(HOSTILE_IDS)


def test_junit_output_is_well_formed_xml_with_case_data_as_text(
    hostile_reports: dict[str, str]
) -> None:
    text = hostile_reports["junit"]
    assert_no_control_characters(text)
    root = ET.fromstring(text.encode())
    tags = {element.tag for element in root.iter()}
    assert tags <= {"testsuites", "testsuite", "testcase", "properties", "property", "failure",
                    "skipped", "system-out", "error"}
    names = {suite.get("name") for suite in root.iter("testsuite")}
    assert "<script>alert(1)<x>|=1+1&]]>" in names


# ---------------------------------------------------------------------------
# No message quotes a name or free text


def test_no_output_quotes_a_name_or_free_text(here: Path) -> None:
    cases = here / "cases"
    cases.mkdir()
    free = {"action": f"{NAME} to attend", "outcome": f"{NAME} is safe",
            "timescale": f"when {NAME} agrees"}
    named = {"child": {"name": NAME, "age_years": 7, "nmae": 1},
             "people": [{"id": "mum", "name": NAME, "relationship": "mother"}],
             "plans": [{"start": "2022-01-01", "category": "neglect",
                        "actions": [{"id": "A1", **free, "due": "03/04/2022"}]}]}
    (cases / "bad.json").write_text(json.dumps({"case_id": "HOST-NAMES-1", **named}))
    # Two agencies disagree about the name, an action and a free-text type error.
    (cases / "a.yaml").write_text(json.dumps({
        "case_id": "HOST-NAMES-2", "child": {"name": NAME, "age_years": 7},
        "plans": [{"start": "2022-01-01", "category": "neglect",
                   "actions": [{"id": "A1", **free}]}]}))
    (cases / "b.json").write_text(json.dumps({
        "case_id": "HOST-NAMES-2", "child": {"name": f"{NAME} Jr", "age_years": 7},
        "plans": [{"start": "2022-01-01", "category": "neglect",
                   "actions": [{"id": "A1", "action": f"{NAME} to leave"}]}]}))
    (cases / "h.json").write_text(json.dumps({"case_id": "HOST-NAMES-9", "child": {
        "age_years": 7}, "people": [{"id": "dad", "name": [NAME], "relationship": "father"}]}))
    (cases / "c.json").write_text(json.dumps({
        "case_id": "HOST-NAMES-3", "child": {"name": NAME, "age_years": 7},
        "plans": [{"start": "2022-01-01", "category": "neglect",
                   "actions": [{"id": "A1", **free}]}]}))
    (cases / "d.jsonl").write_text(json.dumps({"case_id": "HOST-NAMES-4", "child": {
        "name": NAME}})[:-3] + "\n" + json.dumps({"case_id": "HOST-NAMES-5", "people": [
            {"id": "mum", "name": NAME, "relationship": "mother"}]}) + "\n")
    (cases / "e.yaml").write_text(f"case_id: HOST-NAMES-6\nchild: {{name: {NAME}: x}}\n")
    (cases / "f.yaml").write_text(f"case_id: HOST-NAMES-7\nchild:\n  name: {NAME}\n"
                                  f"  name: {NAME}\n")
    (cases / "g.json").write_text(json.dumps({"case_id": "HOST-NAMES-8", "people": [
        {"id": "mum", "name": NAME, "relationship": "mother"},
        {"id": "mum", "name": NAME, "relationship": "mother"}]}))
    runs = [invoke("validate", "-j", "1", "cases")] + [
        check("cases", output_format=output_format) for output_format in FORMATS
    ] + [invoke("check", "-j", "1", "--quiet", "cases")]
    assert {run.exit_code for run in runs} == {2}
    problems = runs[0].stdout
    for case_id in ("HOST-NAMES-1", "HOST-NAMES-2", "HOST-NAMES-5", "HOST-NAMES-8",
                    "HOST-NAMES-9"):
        assert f"case {case_id}" in problems  # the problems are reported...
    assert "conflict: a different value in" in problems
    for run in runs:  # ...and no output names anyone
        for part in NAME.split():
            assert part not in run.stdout + run.stderr
    assert case_ids(json.loads(runs[FORMATS.index("json") + 1].stdout)) == ["HOST-NAMES-3"]


# ---------------------------------------------------------------------------
# Nothing lost: the books balance on the corpus mixed with the samples


def mixed_folder(here: Path) -> tuple[Path, set[str], set[str]]:
    """The samples (with their cp-audit.yaml), the corpus and the made items in one folder;
    the case ids that must be checked and those that must be rejected."""
    mixed = here / "mixed"
    shutil.copytree(SAMPLES, mixed)
    shutil.copytree(HOSTILE / "accepted", mixed / "accepted")
    shutil.copytree(HOSTILE / "rejected", mixed / "rejected")
    made_dir = mixed / "made"
    made_dir.mkdir()
    for name, content in [("garbage.json", GARBAGE), ("utf16.json", UTF16.encode("utf-16-le")),
                          ("alias-bomb.yaml", alias_bomb()), ("deep.json", DEEP),
                          ("notes.txt", b"skipped"), ("export.csv", b"a,b\n")]:
        (made_dir / name).write_bytes(content)
    os.symlink("loop-b.json", made_dir / "loop-a.json")
    os.symlink("loop-a.json", made_dir / "loop-b.json")
    os.symlink("nowhere.json", made_dir / "dangling.json")  # found, and rejected when read
    checked = {f"NS-2022-{n:02}" for n in range(1, 11)} | {
        "HOST-ANCHORS", "HOST-BOM-JSON", "HOST-BOM-YAML", "HOST-IN-FOLDER-JSON", "HOST-TWICE",
        "HOST-YES-NO", "HOST-LINE-1", "HOST-LINE-3", "HOST-EXPLICIT-TAGS"}
    rejected = {"HOST-DATE-NUMBER", "HOST-DATE-US", "HOST-DATE-FEB-30", "HOST-PLAN-END",
                "HOST-UNKNOWN-PERSON", "HOST-CONFLICT"}
    return mixed, checked, rejected


def test_the_books_balance_on_the_corpus_mixed_with_the_samples(here: Path) -> None:
    mixed, checked_ids, rejected_ids = mixed_folder(here)
    on_disk = [
        path for path in mixed.rglob("*")
        if not path.is_dir() or path.is_symlink()
    ]
    result = check("mixed")
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    counts = report["counts"]
    assert counts["files_found"] == len(on_disk)
    assert counts["files_found"] == counts["files_read"] + counts["files_skipped"]
    assert counts["files_skipped"] == len(report["skipped"]) == 8
    assert {Path(s["path"]).name: s["reason"] for s in report["skipped"]}.keys() == {
        "README.md", "expected-outcomes.csv", "cp-audit.yaml", "meeting.yaml", "notes.txt",
        "export.csv", "loop-a.json", "loop-b.json"}
    assert set(case_ids(report)) == checked_ids
    assert {e["case_id"] for e in report["errors"] if e["case_id"]} == rejected_ids
    assert (counts["cases_loaded"], counts["cases_rejected"]) == (
        len(checked_ids), len(rejected_ids))
    assert report["summary"]["cases"] == len(checked_ids)
    assert report["summary"]["rejected"] == len(rejected_ids)
    # every file read that gave no case is named in the errors
    files_with_cases = {source for case in report["cases"] for source in case["sources"]}
    named = {f for e in report["errors"] for f in e["files"]}
    read = [str(p.relative_to(here)) for p in on_disk
            if p.suffix in (".json", ".jsonl", ".yaml", ".yml")
            and (not p.is_symlink() or p.name == "dangling.json")
            and p.name not in ("cp-audit.yaml", "meeting.yaml")]
    assert "mixed/made/dangling.json" in read and "mixed/made/dangling.json" in named
    assert [path for path in read if path not in files_with_cases | named] == []
    validated = invoke("validate", "-j", "1", "mixed")
    assert validated.stdout.splitlines()[-1] == (
        f"{counts['files_found']} files found: {counts['files_read']} read, 8 skipped; "
        f"{len(checked_ids)} cases loaded, {len(rejected_ids)} rejected; some input could not "
        "be read, so cases may be incomplete"
    )


def test_several_processes_give_the_same_report_on_the_mixed_corpus(here: Path) -> None:
    mixed_folder(here)
    assert check("mixed", jobs="3").stdout == check("mixed").stdout
