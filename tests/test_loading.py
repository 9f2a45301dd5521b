"""Finding and reading case files: formats, places, limits, and the errors users see."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from load_helpers import load
from load_helpers import read_file as parse_file

from cp_audit.inputs.discovery import discover
from cp_audit.inputs.interface import Limits, RawRecord
from cp_audit.inputs.reading import size_text, sizes
from cp_audit.inputs.yaml import CaseLoader, alias_expansion

HERE = Path(__file__).parent
EXAMPLE = HERE / "data" / "format-example.yaml"
FORMAT_PAGE = HERE.resolve().parents[1] / "shared" / "case-format.md"
RECORD = '{"case_id": "%s", "child": {"age_years": 7}}'


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: str, content: str | bytes) -> str:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    return path


def lines(paths: list[str], **kwargs: Any) -> list[str]:
    return [str(problem) for problem in load(paths, **kwargs).problems]


def places(path: str) -> list[tuple[str, Any]]:
    return [(r.place, r.data.get("case_id")) for r in parse_file(path).records]


# -- the format page's example ------------------------------------------------


def test_the_complete_example_is_accepted() -> None:
    result = load([str(EXAMPLE)])
    assert result.problems == []
    assert [case.case_id for case in result.cases] == ["NS-2022-07"]
    case = result.cases[0]
    assert len(case.meetings) == 3
    assert case.plans[0].actions[0].due.isoformat() == "2022-03-31"
    assert case.agency_records[0].flags[0].flag == "no_safeguarding_concerns"


@pytest.mark.skipif(not FORMAT_PAGE.exists(), reason="shared/case-format.md is not beside the repo")
def test_the_example_is_the_one_on_the_format_page() -> None:
    page = FORMAT_PAGE.read_text(encoding="utf-8")
    block = re.search(r"## A complete example\n\n```yaml\n(.*?)```", page, re.S)
    assert block is not None
    assert EXAMPLE.read_text(encoding="utf-8") == block.group(1)


# -- discovery ----------------------------------------------------------------


def test_discovery_is_sorted_recursive_and_skips_hidden(here: Path) -> None:
    for name in ["b/z.yaml", "b/a.JSON", "a.yml", "c.jsonl", ".hidden.yaml", ".git/x.json",
                 "b/.cache/y.json", "notes.txt", "b/README"]:
        write(name, "x")
    found = discover(["."])
    assert found.files == ["a.yml", "b/a.JSON", "b/z.yaml", "c.jsonl"]
    assert [(s.path, s.reason) for s in found.skipped] == [
        ("b/README", "a file without an extension: only .json, .jsonl, .yaml, .yml, .xml and .xlsx "
                     "files are read"),
        ("notes.txt", "a .txt file: only .json, .jsonl, .yaml, .yml, .xml and .xlsx files "
                      "are read"),
    ]
    assert found.problems == []


def test_a_folder_named_like_a_case_file_is_walked(here: Path) -> None:
    write("cases.json/one.yaml", "x")
    assert discover(["cases.json"]).files == ["cases.json/one.yaml"]


def test_an_explicit_file_with_another_extension_is_skipped_and_counted(here: Path) -> None:
    write("notes.txt", "x")
    result = load(["notes.txt"])
    assert [s.path for s in result.skipped] == ["notes.txt"]
    assert (result.counts.files_found, result.counts.files_skipped) == (1, 1)
    assert result.problems == []


def test_a_missing_path_is_a_problem(here: Path) -> None:
    assert lines(["nowhere"]) == ["nowhere: no such file or folder"]
    assert load(["nowhere"]).incomplete


def test_links_to_folders_are_not_followed(here: Path) -> None:
    write("cases/a.yaml", RECORD % "A")
    os.symlink("..", "cases/loop")
    os.symlink("a.yaml", "cases/link.yaml")
    os.symlink("missing.yaml", "cases/broken.yaml")
    found = discover(["cases"])
    # The link to a.yaml is the same file; the link to nothing is found, and rejected
    # when read, so that files found = read + skipped.
    assert found.files == ["cases/a.yaml", "cases/broken.yaml"]
    assert [(s.path, s.reason) for s in found.skipped] == [
        ("cases/loop", "a link to a folder: not followed")
    ]
    assert found.problems == []
    result = load(["cases"])
    assert [str(p) for p in result.problems] == [
        "cases/broken.yaml: cannot read the file: a link to nothing (its target does not exist)"
    ]
    counts = result.counts
    assert (counts.files_found, counts.files_read, counts.files_skipped) == (3, 2, 1)
    assert counts.files_rejected == 1 and result.incomplete


def test_a_path_given_twice_is_read_once(here: Path) -> None:
    write("cases/a.yaml", RECORD % "A")
    assert discover(["cases", "cases/a.yaml", "./cases"]).files == ["cases/a.yaml"]


def test_a_file_is_known_by_its_real_path_through_a_link_to_its_folder(here: Path) -> None:
    write("cases/a.yaml", RECORD % "A")
    os.symlink("cases", "via")
    assert discover(["via", "cases/a.yaml"]).files == ["via/a.yaml"]
    assert discover(["cases/a.yaml", "via"]).files == ["cases/a.yaml"]
    assert discover(["via"], exclude=["cases/a.yaml"]).skipped[0].path == "via/a.yaml"


def test_exclusions_are_never_read_as_cases(here: Path) -> None:
    write("audit/cp-audit.yaml", "name: my audit\n")
    write("audit/standards.yaml", "rules: {}\n")
    write("audit/cases/a.yaml", RECORD % "A")
    result = load(["audit"], exclude=["audit/cp-audit.yaml", str(here / "audit/standards.yaml")])
    assert result.problems == []
    assert [s.path for s in result.skipped] == ["audit/cp-audit.yaml", "audit/standards.yaml"]
    assert result.skipped[0].reason == "the run's own configuration, standards or output"


# -- JSON ---------------------------------------------------------------------


def test_json_one_record_or_a_list(here: Path) -> None:
    write("one.json", RECORD % "A")
    write("many.json", "[" + RECORD % "B" + ", " + RECORD % "C" + "]")
    assert places("one.json") == [("", "A")]
    assert places("many.json") == [("[0]", "B"), ("[1]", "C")]


def test_json_duplicate_key(here: Path) -> None:
    write("dup.json", '{"case_id": "A", "plans": [{"start": "2022-01-01", '
                      '"start": "2022-02-01", "category": "neglect"}]}')
    result = load(["dup.json"])
    assert lines(["dup.json"]) == ['dup.json: duplicate key "start"']
    assert result.incomplete and result.counts.files_rejected == 1


def test_json_syntax_error_gives_line_and_column(here: Path) -> None:
    write("bad.json", '{"case_id": "A",\n  "child": {"age_years": 7,}\n}')
    assert lines(["bad.json"]) == [
        "bad.json: line 2, column 28: not valid JSON: Expecting property name enclosed in "
        "double quotes"
    ]


def test_json_rejects_nan(here: Path) -> None:
    write("nan.json", '{"case_id": "A", "child": {"age_years": NaN}}')
    assert lines(["nan.json"]) == ["nan.json: not valid JSON: NaN is not a JSON value"]


def test_a_list_element_that_is_not_a_mapping(here: Path) -> None:
    write("mixed.json", "[" + RECORD % "A" + ', "B", null]')
    assert lines(["mixed.json"]) == [
        "mixed.json: [1]: a case record must be a mapping (an object), not a string",
        "mixed.json: [2]: a case record must be a mapping (an object), not null",
    ]
    assert [case.case_id for case in load(["mixed.json"]).cases] == ["A"]


@pytest.mark.parametrize(
    ("name", "content"),
    [("empty.json", ""), ("blank.json", " \n\t\n"), ("list.json", "[]"), ("null.json", "null"),
     ("empty.yaml", ""), ("docs.yaml", "---\n---\n# nothing\n...\n"), ("list.yml", "[]\n"),
     ("empty.jsonl", "\n\n")],
)
def test_a_file_without_any_case_record(here: Path, name: str, content: str) -> None:
    write(name, content)
    result = load([name])
    assert lines([name]) == [
        f"{name}: no case record in the file (a failed export often looks like this)"
    ]
    assert result.incomplete and result.counts.files_rejected == 1


def test_a_file_of_three_cases_one_invalid(here: Path) -> None:
    records = [json.loads(RECORD % case_id) for case_id in ("A", "B", "C")]
    records[1]["visits"] = [{"date": "03/04/2022", "seen": True}]
    write("three.json", json.dumps(records))
    result = load(["three.json"])
    assert [case.case_id for case in result.cases] == ["A", "C"]
    assert [str(p) for p in result.problems] == [
        "three.json: case B: [1], line 1, column 103: visits[0].date: not an ISO date: "
        "'03/04/2022' (use YYYY-MM-DD)"
    ]
    assert result.problems[0].case_id == "B"
    assert (result.counts.cases_loaded, result.counts.cases_rejected) == (2, 1)
    assert not result.incomplete  # the invalid record names its case


# -- JSON Lines ---------------------------------------------------------------


def test_json_lines_bad_line_among_good_ones(here: Path) -> None:
    content = "\n".join([RECORD % "A", "", '{"case_id": "B",', "[1, 2]", RECORD % "C", "  "])
    write("batch.jsonl", content + "\n")
    result = load(["batch.jsonl"])
    assert [case.case_id for case in result.cases] == ["A", "C"]
    assert lines(["batch.jsonl"]) == [
        "batch.jsonl: line 3, column 17: not valid JSON: Expecting property name enclosed in "
        "double quotes",
        "batch.jsonl: line 4: a case record must be a mapping (an object), not a list",
    ]
    assert result.incomplete  # line 3 may have held part of a case
    assert places("batch.jsonl") == [("line 1", "A"), ("line 5", "C")]


def test_json_lines_invalid_record_names_its_line(here: Path) -> None:
    write("batch.jsonl", RECORD % "A" + "\n" + '{"case_id": "B", "child": {"age_years": "7"}}\n')
    assert lines(["batch.jsonl"]) == [
        "batch.jsonl: case B: line 2, column 28: child.age_years: must be a whole number, "
        'not the text "7" (remove the quotes)'
    ]


def test_json_lines_line_over_the_limit_is_skipped(here: Path) -> None:
    long = '{"case_id": "B", "x_pad": "' + "x" * 300 + '"}'
    write("batch.jsonl", RECORD % "A" + "\n" + long + "\n" + RECORD % "C")
    result = load(["batch.jsonl"], limits=Limits(json_bytes=200))
    assert [case.case_id for case in result.cases] == ["A", "C"]
    assert lines(["batch.jsonl"], limits=Limits(json_bytes=200)) == [
        "batch.jsonl: line 2: the line is over the 200 bytes limit: not read"
    ]


def test_json_lines_not_utf8_line(here: Path) -> None:
    write("batch.jsonl", (RECORD % "A").encode() + b'\n{"case_id": "\xff"}\n')
    assert lines(["batch.jsonl"]) == ["batch.jsonl: line 2: not UTF-8 text"]


# -- YAML ---------------------------------------------------------------------


def test_yaml_dates_stay_strings_and_a_bad_date_is_a_clean_error(here: Path) -> None:
    write("c.yaml", "case_id: A\nchild: {date_of_birth: 2022-02-30}\n")
    assert places("c.yaml") == [("", "A")]
    assert parse_file("c.yaml").records[0].data["child"]["date_of_birth"] == "2022-02-30"
    assert lines(["c.yaml"]) == [
        "c.yaml: case A: line 2, column 9: child.date_of_birth: not an ISO date: '2022-02-30' "
        "(day is out of range for month)"
    ]


def test_yaml_keeps_yes_no_on_off_booleans() -> None:
    import yaml

    data = yaml.load("a: yes\nb: No\nc: on\nd: OFF\ne: 2022-01-01\n", Loader=CaseLoader)
    assert data == {"a": True, "b": False, "c": True, "d": False, "e": "2022-01-01"}


def test_yaml_duplicate_key(here: Path) -> None:
    write("dup.yaml", "case_id: A\nchild:\n  age_years: 7\n  age_years: 8\n")
    assert lines(["dup.yaml"]) == ['dup.yaml: line 4, column 3: duplicate key "age_years"']


def test_yaml_merge_keys_are_not_duplicates(here: Path) -> None:
    write("merge.yaml", "case_id: A\nchild: {age_years: 7}\nx_p: &p {role: gp, agency: gp}\n"
          "meetings: [{type: icpc, date: 2022-01-01, participants: [{<<: *p, agency: nhs}]}]\n")
    result = load(["merge.yaml"])
    assert result.problems == []
    assert result.cases[0].meetings[0].participants[0].agency == "nhs"


def test_yaml_syntax_error(here: Path) -> None:
    write("bad.yaml", "case_id: A\nchild: {age_years: 7\n")
    assert lines(["bad.yaml"]) == [
        "bad.yaml: line 3, column 1: not valid YAML: did not find expected ',' or '}'"
    ]


def test_yaml_several_documents_and_lists(here: Path) -> None:
    write("many.yaml", f"{RECORD % 'A'}\n---\n---\n- {RECORD % 'B'}\n- 5\n- {RECORD % 'C'}\n")
    assert places("many.yaml") == [
        ("document 1", "A"), ("document 3, [0]", "B"), ("document 3, [2]", "C")]
    assert lines(["many.yaml"]) == [
        "many.yaml: document 3, [1]: a case record must be a mapping (an object), not a number"
    ]


def test_yaml_document_and_field_path_are_combined(here: Path) -> None:
    write("many.yaml", f"{RECORD % 'A'}\n---\n- {RECORD % 'B'}\n"
          "- {case_id: C, child: {age_years: 7}, visits: [{date: 2022-01-01, seen: 'no'}]}\n")
    assert lines(["many.yaml"]) == [
        "many.yaml: case C: document 2, [1], line 4, column 67: visits[0].seen: "
        'must be true or false, not the text "no" (remove the quotes)'
    ]


def test_yaml_alias_bomb_is_rejected(here: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for name, prev in zip("bcdef", "abcde", strict=True):
        bomb += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
    write("bomb.yaml", bomb)
    result = load(["bomb.yaml"])
    assert lines(["bomb.yaml"]) == ["bomb.yaml: its aliases expand to more than 100,000 values"]
    assert result.incomplete


def test_yaml_moderate_aliases_are_fine(here: Path) -> None:
    write("ok.yaml", "case_id: A\nchild: {age_years: 7}\n"
          "x_p: &p {role: gp, agency: gp}\n"
          "meetings: [{type: icpc, date: 2022-01-01, participants: [*p]},\n"
          "           {type: rcpc, date: 2022-04-01, participants: [*p]}]\n")
    assert lines(["ok.yaml"]) == []


def test_alias_expansion_counts_shared_values_once_per_use() -> None:
    leaf = [1, 2, 3]
    assert alias_expansion({"a": [1, 2], "b": {"c": 3}}) == 0
    assert alias_expansion({"a": leaf, "b": leaf}) == 3  # the second use adds its 3 values
    nested: list[Any] = [leaf] * 10
    assert alias_expansion([nested] * 10) > 300


def test_yaml_recursive_alias_is_rejected(here: Path) -> None:
    write("loop.yaml", "case_id: A\nx_a: &a [1, *a]\n")
    assert lines(["loop.yaml"]) == [
        "loop.yaml: an alias refers to a mapping or list that contains it"]


@pytest.mark.parametrize("name", ["deep.json", "deep.yaml"])
def test_deep_nesting(here: Path, name: str) -> None:
    write(name, '{"case_id": "A", "x_a": ' + "[" * 100_000 + "]" * 100_000 + "}")
    problems = lines([name])
    assert len(problems) == 1
    assert problems[0].endswith("nested too deeply")


# -- text, size ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [("c.json", RECORD % "A"), ("c.yaml", RECORD % "A"), ("c.jsonl", RECORD % "A" + "\n")],
)
def test_a_byte_order_mark_is_tolerated(here: Path, name: str, content: str) -> None:
    write(name, b"\xef\xbb\xbf" + content.encode())
    result = load([name])
    assert result.problems == []
    assert [case.case_id for case in result.cases] == ["A"]


@pytest.mark.parametrize("name", ["c.json", "c.yaml"])
def test_not_utf8(here: Path, name: str) -> None:
    write(name, b'{"case_id": "A",\n "child": {"name": "\xe9"}}')
    assert lines([name]) == [f"{name}: line 2: not UTF-8 text"]


@pytest.mark.parametrize(
    ("size", "text"),
    [(1, "1 byte"), (200, "200 bytes"), (1023, "1023 bytes"), (1024, "1 KB"), (1536, "1.5 KB"),
     (10 * 1024 * 1024, "10 MB"), (int(10.44 * 1024 * 1024), "10.4 MB")],
)
def test_sizes_read_in_their_unit(size: int, text: str) -> None:
    assert size_text(size) == text


def test_a_size_just_over_its_limit_is_not_shown_equal_to_it() -> None:
    limit = 10 * 1024 * 1024
    assert sizes(limit + 10, limit) == ("10,485,770 bytes", "10,485,760 bytes")
    assert sizes(11 * 1024 * 1024, limit) == ("11 MB", "10 MB")


def test_size_limits_are_checked_without_reading(here: Path, monkeypatch: pytest.MonkeyPatch
                                                 ) -> None:
    write("big.json", RECORD % "A")
    write("big.yaml", RECORD % "B")
    opened: list[str] = []
    real_open = open

    def spy(path: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", spy)
    result = load(["big.json", "big.yaml"], limits=Limits(json_bytes=10, yaml_bytes=10))
    assert [str(p) for p in result.problems] == [
        "big.json: the file is 43 bytes, over the 10 bytes limit for a JSON file: not read "
        "(large batches belong in JSON Lines)",
        "big.yaml: the file is 43 bytes, over the 10 bytes limit for a YAML file: not read "
        "(large batches belong in JSON Lines)",
    ]
    assert opened == []
    assert result.incomplete and result.counts.files_rejected == 2


def test_a_file_bigger_than_its_size_said_is_read_whole_and_never_past_the_limit(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bytes are asked for by the size the file gave (a file that grew since, or that
    gives no size, is read on), and no further than the limit."""
    write("grew.json", RECORD % "A")
    write("big.json", RECORD % "B")
    real_stat = os.stat

    def says_nothing(path: Any, *args: Any, **kwargs: Any) -> Any:
        real = real_stat(path, *args, **kwargs)
        return os.stat_result((*real[:6], 0, *real[7:])) if str(path).endswith("json") else real

    monkeypatch.setattr("cp_audit.inputs.reading.os.stat", says_nothing)
    assert parse_file("grew.json").records == (
        RawRecord("grew.json", "", {"case_id": "A", "child": {"age_years": 7}}),)
    result = load(["big.json"], limits=Limits(json_bytes=10))
    assert [str(p) for p in result.problems] == [
        "big.json: the file is over the 10 bytes limit for a JSON file: not read"
    ]


def test_default_limits() -> None:
    limits = Limits()
    assert (limits.json_bytes, limits.yaml_bytes, limits.alias_values) == (
        50 * 1024 * 1024, 10 * 1024 * 1024, 100_000)


def test_raw_records_carry_their_file(here: Path) -> None:
    write("a.json", RECORD % "A")
    assert parse_file("a.json").records == (
        RawRecord("a.json", "", {"case_id": "A", "child": {"age_years": 7}}),)
