"""A case-file error gives the line and column of its place (`inputs.locate`), in every format.

The column is counted in characters from 1, on the line the error's path starts
(a member of a mapping at its key, a list item at its start); a path that goes
further than the file (a required field missing) is placed at its deepest part there.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from load_helpers import load, read_file

from cp_audit.case.merging import merge_records
from cp_audit.cli import cli
from cp_audit.inputs import locate
from cp_audit.inputs.interface import Part
from cp_audit.inputs.jsonl import JsonLinesReader


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def problems(name: str, text: str) -> list[str]:
    Path(name).write_text(text, encoding="utf-8")
    return [str(problem) for problem in load([name]).problems]


def test_a_yaml_error_gives_the_line_and_column_of_its_key(here: Path) -> None:
    text = "\n".join([
        "# a comment line",
        "case_id: NS-01",
        "child: {age_years: 7}",
        "visits:",
        *[f"  - {{date: 2022-01-0{day}, seen: true}}" for day in range(1, 6)],
        "  - seen: true",
        "    date: 2022-13-01",
    ]) + "\n"
    assert problems("ns-01.yaml", text) == [
        "ns-01.yaml: case NS-01: line 11, column 5: visits[5].date: not an ISO date: "
        "'2022-13-01' (month must be in 1..12)"
    ]


def test_yaml_documents_and_lists_give_the_line_in_the_file(here: Path) -> None:
    text = (
        "case_id: A\nchild: {age_years: 7}\n---\n"
        "- {case_id: B, child: {age_years: 7}}\n"
        "- case_id: C\n  child: {age_years: 7}\n  atendees: []\n"
    )
    # an unknown field is placed at its own key, not at the mapping that holds it
    assert problems("many.yaml", text) == [
        'many.yaml: case C: document 2, [1], line 7, column 3: unknown field "atendees" '
        '(a field of your own must begin with "x_")'
    ]


def test_a_missing_field_is_placed_at_the_record(here: Path) -> None:
    text = "# a police record\n\nsource: {agency: police}\nchild: {age_years: 7}\n"
    assert problems("police.yaml", text) == [
        "police.yaml: line 3, column 1: case_id: required field is missing"
    ]


def test_a_json_error_skips_strings_escapes_and_nested_values_before_it(here: Path) -> None:
    before = {"x_note": 'a "quoted" } ] text, with \\ and \u00e9', "x_nested": [[{"a": [1, {}]}]],
              "x_tricky": "\\\"[{"}
    record = {"case_id": "J1", **before, "child": {"age_years": 7},
              "visits": [{"date": "2022-01-01", "seen": True},
                         {"seen": True, "date": "2022/01/02"}]}
    text = json.dumps(record, indent=2, ensure_ascii=False)
    lines = text.splitlines()
    line = next(n for n, t in enumerate(lines, 1) if '"2022/01/02"' in t)
    column = lines[line - 1].index('"date"') + 1
    assert problems("j1.json", text) == [
        f"j1.json: case J1: line {line}, column {column}: visits[1].date: not an ISO date: "
        "'2022/01/02' (use YYYY-MM-DD)"
    ]


def test_a_json_key_written_with_an_escape_is_found(here: Path) -> None:
    text = '{"case_id": "J2",\n "child": {"age_\\u0079ears": "7"}}'
    assert problems("j2.json", text) == [
        'j2.json: case J2: line 2, column 12: child.age_years: must be a whole number, '
        'not the text "7" (remove the quotes)'
    ]


def test_a_record_in_a_json_list_gives_its_index_and_line(here: Path) -> None:
    good = {"case_id": "A", "child": {"age_years": 7}}
    bad = {"case_id": "B", "child": {"age_years": 7, "gender": "girl"}}
    text = "[\n" + json.dumps(good) + ",\n" + json.dumps(bad) + "\n]\n"
    column = json.dumps(bad).index('"gender"') + 1
    assert problems("list.json", text) == [
        f"list.json: case B: [1], line 3, column {column}: child.gender: 'girl' is not one of: "
        "female, male, other, unknown"
    ]


def test_json_lines_keep_the_line_and_add_the_column(here: Path) -> None:
    good = json.dumps({"case_id": "A", "child": {"age_years": 7}})
    bad = json.dumps({"case_id": "B", "child": {"age_years": 7}, "visits": [{"seen": "yes"}]})
    item, seen = bad.index('{"seen"') + 1, bad.index('"seen"') + 1
    assert problems("batch.jsonl", f"{good}\n\n{bad}\n") == [
        f"batch.jsonl: case B: line 3, column {item}: visits[0].date: required field is missing",
        f"batch.jsonl: case B: line 3, column {seen}: visits[0].seen: "
        'must be true or false, not the text "yes" (remove the quotes)',
    ]


def test_json_lines_read_in_parts_give_the_files_own_lines_and_columns(here: Path) -> None:
    good = json.dumps({"case_id": "A", "child": {"age_years": 7}})
    bad = json.dumps({"case_id": "B", "child": {"age_years": "7"}})
    Path("big.jsonl").write_text(f"{good}\n" * 50 + f"{bad}\n" + f"{good}\n" * 50,
                                 encoding="utf-8")
    reader = JsonLinesReader()
    parts = reader.parts("big.jsonl", 1000)
    assert parts is not None
    holding: Part = next(p for p in reversed(parts) if p.first_line <= 51)
    assert holding.start > 0  # the bad line is not in the first part
    (problem,) = merge_records(reader.read("big.jsonl", part=holding).records).problems
    column = bad.index('"age_years"') + 1
    assert problem.location == f"line 51, column {column}: child.age_years"


def test_a_file_changed_since_it_was_read_gives_no_place_and_no_traceback(here: Path) -> None:
    Path("c.yaml").write_text("case_id: C\nchild: {age_years: seven}\n", encoding="utf-8")
    read = read_file("c.yaml")
    Path("c.yaml").write_text("- not: [the same", encoding="utf-8")
    os.utime("c.yaml", ns=(1, 1))
    (problem,) = merge_records(read.records).problems
    assert str(problem) == "c.yaml: case C: child.age_years: must be a whole number"
    Path("c.yaml").unlink()
    (problem,) = merge_records(read.records).problems
    assert str(problem) == "c.yaml: case C: child.age_years: must be a whole number"


@pytest.mark.parametrize(
    ("text", "loc", "offset"),
    [
        ('{"a": 1, "b": [10, 20, {"c": 3}]}', ("b", 2, "c"), 24),
        ('{"a": 1, "b": [10, 20, {"c": 3}]}', ("b", 1), 19),
        ('{"a": "]}\\"", "b": 2}', ("b",), 14),
        ('{"a": {"b": 1}}', ("a", "missing"), 1),
        ('{"a": [1]}', ("a", 5), 1),
        ("[ {} , {\"k\" : true} ]", (1, "k"), 8),
        ('{"a": 1', ("zz",), 0),
    ],
)
def test_json_offset(text: str, loc: tuple[int | str, ...], offset: int) -> None:
    assert locate.json_offset(text, 0, loc) == offset


def test_the_line_appears_in_check_output_through_the_cli(here: Path) -> None:
    Path("cases").mkdir()
    Path("cases/ns-01.yaml").write_text(
        "case_id: NS-01\nchild: {age_years: 7}\nvisits:\n  - date: 2022-13-01\n    seen: true\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["check", "cases", "--as-of", "2022-09-30", "-q"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "cases/ns-01.yaml: case NS-01: line 4, column 5: visits[0].date: not an ISO date: "
        "'2022-13-01' (month must be in 1..12)")


def test_a_conflict_between_json_lines_records_gives_both_lines_and_columns(here: Path) -> None:
    first = json.dumps({"case_id": "C", "child": {"date_of_birth": "2015-06-15"}})
    second = json.dumps({"case_id": "C", "x_note": "{[", "child": {"date_of_birth": "2015-06-14"}})
    column_1, column_2 = (line.index('"date_of_birth"') + 1 for line in (first, second))
    assert problems("batch.jsonl", f"{first}\n{second}\n")[0] == (
        f"batch.jsonl: case C: line 2, column {column_2}: child.date_of_birth: conflict: "
        f"2015-06-14 here, 2015-06-15 in batch.jsonl (line 1, column {column_1}: "
        "child.date_of_birth)"
    )


def test_an_unknown_person_is_placed_at_its_reference(here: Path) -> None:
    text = (
        "case_id: C\nchild: {age_years: 7}\npeople:\n  - {id: mum, relationship: mother}\n"
        "meetings:\n  - type: icpc\n    date: 2022-01-05\n    participants:\n"
        "      - {person: mum}\n      - {person: dad}\n"
    )
    assert problems("c.yaml", text) == [
        "c.yaml: case C: line 10, column 10: meetings[0].participants[1].person: "
        "unknown person 'dad' (people are: mum)"
    ]


def test_valid_records_are_never_located(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    monkeypatch.setattr(locate, "position", lambda *args: calls.append(args))
    Path("a.json").write_text(json.dumps({"case_id": "A", "child": {"age_years": 7}}),
                              encoding="utf-8")
    Path("b.jsonl").write_text(json.dumps({"case_id": "B", "child": {"age_years": 7}}) + "\n",
                               encoding="utf-8")
    assert load(["."]).problems == [] and calls == []
    Path("c.yaml").write_text("case_id: C\nchild: {age_years: seven}\n", encoding="utf-8")
    assert len(load(["."]).problems) == 1 and len(calls) == 1  # only the bad record's error
