"""The run as a stream: parts of big JSON Lines files, several processes, cases over files.

Whatever the number of jobs and however the files are cut, the run must give
what reading everything at once gives (`load_helpers.load`, the reference).
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from load_helpers import load

from cp_audit.inputs.interface import NO_RECORD
from cp_audit.inputs.json import JsonReader
from cp_audit.inputs.jsonl import JsonLinesReader
from cp_audit.report import DEFAULT_OPTIONS, REPORTERS, RenderOptions
from cp_audit.report.build import build
from cp_audit.report.interface import Output
from cp_audit.report.prepare import Preparer, survey_row
from cp_audit.results import RunResult
from cp_audit.run import audit
from cp_audit.run.audit import run_audit
from cp_audit.run.interface import AuditRequest
from cp_audit.standards.spec import load as load_standards

STANDARDS = load_standards()
SPEC = STANDARDS.spec
AS_OF = date(2022, 9, 30)
SAMPLES = Path(__file__).parents[1] / "samples"
OWN_FILES = frozenset({SAMPLES / "cp-audit.yaml", SAMPLES / "meeting.yaml"})  # not cases


@pytest.fixture(autouse=True)
def workers_even_for_small_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small runs are read in-process; these tests must go through the worker pool."""
    monkeypatch.setattr(audit, "SMALL_RUN", 2)


def case(case_id: str, **fields: Any) -> dict[str, Any]:
    return {"case_id": case_id, "child": {"age_years": 7}, **fields}


def run(*paths: Path, jobs: int = 1, standards: bool = True) -> RunResult:
    return run_audit(
        AuditRequest(
            paths=paths,
            standards=STANDARDS if standards else None,
            rules=STANDARDS.rules if standards else (),
            as_of=AS_OF,
            jobs=jobs,
        )
    )


def outline(result: RunResult) -> tuple[Any, ...]:
    """Everything a report shows, in comparable form."""
    return (
        [(c.case_id, c.files, c.score, c.grade, c.findings) for c in result.cases],
        [str(p) for p in result.problems],
        result.counts,
        result.skipped,
        result.incomplete,
    )


def test_two_jobs_give_what_one_gives_on_the_samples() -> None:
    assert outline(run(SAMPLES, jobs=2)) == outline(run(SAMPLES, jobs=1))


def test_cases_come_out_in_case_id_order_whatever_the_file_order(tmp_path: Path) -> None:
    for name, case_id in [("a.json", "Z-9"), ("b.json", "A-1"), ("c.json", "M-5")]:
        (tmp_path / name).write_text(json.dumps(case(case_id)))
    assert [c.case_id for c in run(tmp_path, jobs=2).cases] == ["A-1", "M-5", "Z-9"]


@pytest.fixture
def big_jsonl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A JSON Lines file cut into many small parts, with bad lines in several of them."""
    monkeypatch.setattr(audit, "PART_BYTES", 200)
    lines = []
    for n in range(40):
        lines.append(json.dumps(case(f"C-{n:02}")))
        if n % 9 == 4:
            lines.append("{not json")
        if n % 13 == 0:
            lines.append("")
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_json_lines_file_read_in_parts_gives_the_files_line_numbers(big_jsonl: Path) -> None:
    parts = JsonLinesReader().parts(str(big_jsonl), audit.PART_BYTES)
    assert parts is not None and len(parts) > 5
    whole = load([str(big_jsonl)])
    for jobs in (1, 2):
        result = run(big_jsonl, jobs=jobs)
        assert [str(p) for p in result.problems] == [str(p) for p in whole.problems]
        assert [c.case_id for c in result.cases] == [c.case_id for c in whole.cases]
        assert result.counts == whole.counts


def test_parts_cover_the_file_exactly_once(big_jsonl: Path) -> None:
    parts = JsonLinesReader().parts(str(big_jsonl), 200)
    assert parts is not None
    assert parts[0].start == 0 and parts[-1].end == big_jsonl.stat().st_size
    assert all(a.end == b.start for a, b in itertools.pairwise(parts))
    data = big_jsonl.read_bytes()
    for part in parts:
        assert part.end == len(data) or data[part.end - 1 : part.end] == b"\n"
        assert part.first_line == data[: part.start].count(b"\n") + 1


def test_a_small_json_lines_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "small.jsonl"
    path.write_text(json.dumps(case("A")) + "\n")
    assert JsonLinesReader().parts(str(path), 1000) is None


def test_a_case_over_several_files_is_merged_whatever_the_jobs(tmp_path: Path) -> None:
    (tmp_path / "a-social-care.json").write_text(
        json.dumps(case("X-1", people=[{"id": "mum", "relationship": "mother"}]))
    )
    (tmp_path / "b-other.json").write_text(json.dumps(case("Y-2")))
    (tmp_path / "c-gp.json").write_text(
        json.dumps({"case_id": "X-1", "people": [{"id": "dad", "relationship": "father"}]})
    )
    whole = load([str(tmp_path)])
    for jobs in (1, 2):
        result = run(tmp_path, jobs=jobs)
        assert [(c.case_id, c.files) for c in result.cases] == [
            (c.case_id, c.files) for c in whole.cases
        ]
        assert result.counts == whole.counts and not result.problems


def test_a_conflict_across_files_rejects_the_case_as_validate_does(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps(case("X-1")))
    (tmp_path / "b.json").write_text(json.dumps(case("X-1", child={"age_years": 9})))
    (tmp_path / "c.json").write_text(json.dumps(case("Y-2")))
    whole = load([str(tmp_path)])
    result = run(tmp_path, jobs=2)
    assert [str(p) for p in result.problems] == [str(p) for p in whole.problems]
    assert result.problems and result.problems[0].case_id == "X-1"
    assert [c.case_id for c in result.cases] == ["Y-2"]
    assert result.counts.cases_rejected == 1


def test_validate_only_counts_cases_and_checks_none(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps(case("A")))
    (tmp_path / "b.json").write_text("[]")
    result = run(tmp_path, standards=False)
    assert result.counts.cases_loaded == 1 and len(result.cases) == 0
    assert [p.file for p in result.problems] == [str(tmp_path / "b.json")]


def test_a_json_lines_file_of_blank_lines_in_parts_has_no_case(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit, "PART_BYTES", 10)
    path = tmp_path / "blank.jsonl"
    path.write_text("\n" * 50)
    result = run(path, jobs=2)
    assert [p.message for p in result.problems] == [NO_RECORD]
    assert result.counts.files_rejected == 1


def test_results_pickle_with_every_field() -> None:
    import dataclasses
    import pickle

    from cp_audit.results import CaseResult, Kind, Outcome, RuleResult

    rule = RuleResult("r", "t", Kind.WORRY, Outcome.NOT_MET, ("e",), 2.0)
    result = CaseResult("X", ("f",), ("a",), 3, ("n",), 50.0, "good", (rule,), "name")
    for value in (rule, result):
        assert len(value.__reduce__()[1]) == len(dataclasses.fields(value))
        assert pickle.loads(pickle.dumps(value)) == value


def test_a_child_over_several_agencies_files_is_checked_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        (tmp_path / f"c{n}-social-care.json").write_text(json.dumps(case(f"C-{n}")))
        (tmp_path / f"c{n}-gp.json").write_text(json.dumps({"case_id": f"C-{n}"}))
    checked: list[str] = []
    real = audit.check_case

    def counting(case: Any, *args: Any, **kwargs: Any) -> Any:
        checked.append(case.case_id)
        return real(case, *args, **kwargs)

    monkeypatch.setattr(audit, "check_case", counting)
    result = run(tmp_path, jobs=1)
    assert sorted(checked) == ["C-0", "C-1", "C-2"]
    assert [len(c.files) for c in result.cases] == [2, 2, 2]


def _unit_names(folder: Path) -> list[list[str]]:
    """The first pass's units of work over a folder's files, as file names."""
    work = list(audit._work_items(sorted(str(p) for p in folder.iterdir())))
    audit._REQUEST = AuditRequest((folder,), None, (), AS_OF)
    try:
        units = audit._units(work, lambda function, units: map(function, units))
    finally:
        audit._REQUEST = None
    return [[Path(w.path).name for w in unit] for unit in units]


def test_files_sharing_children_transitively_are_one_unit(tmp_path: Path) -> None:
    # a holds X; b holds X and Y; c holds Y: all three are read together.
    (tmp_path / "a.json").write_text(json.dumps(case("X")))
    (tmp_path / "b.json").write_text(json.dumps([{"case_id": "X"}, case("Y")]))
    (tmp_path / "c.json").write_text(json.dumps({"case_id": "Y"}))
    (tmp_path / "d.json").write_text(json.dumps(case("Z")))
    assert _unit_names(tmp_path) == [
        ["a.json", "b.json", "c.json"],
        ["d.json"],
    ]


def test_yaml_and_json_lines_records_of_one_child_are_one_unit(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("case_id: X\nchild: {age_years: 7}\n")
    (tmp_path / "b.jsonl").write_text('\ufeff{"case_id": "Y"}\n{"case_id": "X"}\n')
    (tmp_path / "c.json").write_text('\ufeff{"case_id": "Y", "child": {"age_years": 3}}')
    (tmp_path / "d.json").write_text('{"case_id": "Z", "case_id": "Z"}')
    assert _unit_names(tmp_path) == [
        ["a.yaml", "b.jsonl", "c.json"],
        ["d.json"],
    ]


# --------------------------------------------------------------------------- the cases prepared


def _sample_run(jobs: int, outputs: Iterable[Output] = (), **changes: Any) -> RunResult:
    """The samples checked, each case's chunk of the documents `outputs` made with it."""
    return run_audit(
        AuditRequest(
            paths=(SAMPLES,), standards=STANDARDS, rules=STANDARDS.rules, as_of=AS_OF,
            jobs=jobs, exclude=OWN_FILES, outputs=tuple(outputs),
            **changes,
        )
    )


# The text formats: each case's chunk of them is prepared (Word is made whole, from the sections).
TEXT_REPORTERS = {name: r for name, r in REPORTERS.items() if not r.binary}
EVERY_FORMAT = tuple((name, DEFAULT_OPTIONS) for name in TEXT_REPORTERS)


@pytest.mark.parametrize("jobs", [1, 2])
def test_cases_prepared_by_the_workers_or_in_process_give_the_same_report(jobs: int) -> None:
    # In-process at --jobs 1, in the workers at 2: the same Preparer; the chunks of
    # every format made with the cases, or made by the reporters from the sections.
    plain = build(_sample_run(1), SPEC)
    made = build(_sample_run(jobs, EVERY_FORMAT), SPEC)
    assert made.cases.outputs == EVERY_FORMAT and not plain.cases.outputs
    assert list(made.cases) == list(plain.cases) and len(made.cases) == 10
    assert made.cases[3] == plain.cases[3] and made.cases[1:3] == plain.cases[1:3]
    for name, reporter in TEXT_REPORTERS.items():
        assert reporter.render_string(made) == reporter.render_string(plain), name
    assert list(made.cases.rows()) == [survey_row(section) for section in plain.cases]


def test_the_report_lists_read_the_survey_rows_not_every_section(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A national run's report reads 50,000 small rows, and a section only for the words
    # of each worry and good practice (from the first case that has it).
    from cp_audit.run.spool import CaseSpool

    reads: list[str] = []

    def counted(part: str) -> Any:
        read = getattr(CaseSpool, part)
        return lambda self, case_id: reads.append(part) or read(self, case_id)

    monkeypatch.setattr(CaseSpool, "section", counted("section"))
    monkeypatch.setattr(CaseSpool, "row", counted("row"))
    run = _sample_run(1)
    content = build(run, SPEC)
    assert reads.count("row") == len(run.cases) == 10
    assert reads.count("section") == len(content.worries) + len(content.good_practice)


def test_the_cases_are_prepared_for_the_runs_own_rules() -> None:
    # The run makes its Preparer from its own rules: no section is made for other rules.
    one = STANDARDS.rules[:1]
    request = AuditRequest(
        (SAMPLES,), STANDARDS, one, AS_OF, exclude=OWN_FILES,
        outputs=(("json", DEFAULT_OPTIONS),),
    )
    assert request.preparer is not None and request.preparer.rules == (one[0].id,)
    content = build(run_audit(request), SPEC)
    assert content.rules == (one[0].id,)
    assert {tuple(f.rule for f in case.findings) for case in content.cases} == {(one[0].id,)}
    content = build(_sample_run(1, [("json", DEFAULT_OPTIONS)]), SPEC)
    assert len(content.cases[0].findings) == len(STANDARDS.rules)


def test_formats_not_prepared_make_their_own_chunks() -> None:
    rules = tuple(rule.id for rule in STANDARDS.rules)
    preparer = Preparer(rules, SPEC, [("csv", DEFAULT_OPTIONS), ("csv", DEFAULT_OPTIONS)])
    assert preparer.outputs == (("csv", DEFAULT_OPTIONS),)
    made = build(_sample_run(1, preparer.outputs), SPEC)
    assert made.cases.chunks(("json", DEFAULT_OPTIONS)) is None
    assert made.cases.chunks(("csv", DEFAULT_OPTIONS)) is not None
    plain = build(_sample_run(1), SPEC)
    for name, reporter in TEXT_REPORTERS.items():
        assert reporter.render_string(made) == reporter.render_string(plain), name


@pytest.mark.parametrize("jobs", [1, 2])
def test_text_cases_laid_out_ahead_for_each_way_the_report_is_printed(jobs: int) -> None:
    # A terminal (colour, its width) and a file (plain, 80 columns) in one run: each
    # gets the cases laid out for it, and any other options lay them out afresh.
    terminal, plain_file = RenderOptions(color=True, width=100), RenderOptions()
    made = build(_sample_run(jobs, [("text", terminal), ("text", plain_file)]), SPEC)
    plain = build(_sample_run(jobs), SPEC)
    assert made.cases.chunks(("text", terminal)) is not None
    assert made.cases.chunks(("text", RenderOptions(width=60))) is None
    text = REPORTERS["text"]
    for options in (terminal, plain_file, RenderOptions(width=60)):
        assert text.render_string(made, options) == text.render_string(plain, options)
    assert "\x1b[" in text.render_string(made, terminal)


def test_csv_with_names_does_not_use_rows_made_without_them() -> None:
    made = build(_sample_run(1, [("csv", DEFAULT_OPTIONS)], show_names=True), SPEC)
    plain = build(_sample_run(1, show_names=True), SPEC)
    assert made.show_names
    assert REPORTERS["csv"].render_string(made) == REPORTERS["csv"].render_string(plain)
    assert REPORTERS["csv"].render_string(made).startswith("case_id,name,rule,")


def test_report_sections_pickle_with_every_field() -> None:
    import dataclasses
    import pickle

    from cp_audit.report.content import CaseSection, Finding
    from cp_audit.results import Kind, Outcome

    findings = (
        Finding("r", "T", "t", Kind.WORRY, Outcome.NOT_MET, ("e",), 2.0, "worry"),
        Finding("g", "G", "t", Kind.GOOD_PRACTICE, Outcome.NOT_APPLICABLE, (), 1.0, None),
    )
    section = CaseSection("X", "name", ("f",), 3, ("n",), ("a",), 50.0, "good", findings)
    for value in (*findings, section):
        assert len(value.__reduce__()[1]) == len(dataclasses.fields(value))
        back = pickle.loads(pickle.dumps(value))
        assert back == value
    assert pickle.loads(pickle.dumps(findings[0])).kind is Kind.WORRY


def test_the_index_finds_case_ids_in_the_bytes_and_parses_when_it_cannot_trust_them(
    tmp_path: Path,
) -> None:
    plain = tmp_path / "plain.json"
    plain.write_text('[{"case_id" :\n "A", "x_note": {"case_id": "B"}}, {"case_id": 7}]')
    # In the bytes: a superset (B is not a record's), which a parse would not give.
    assert JsonReader().quick_case_ids(str(plain), None) == ["A", "B"]
    escaped = tmp_path / "escaped.json"
    escaped.write_text('{"case\\u005fid": "C", "child": {"name": "a \\"quoted\\" word"}}')
    assert JsonReader().quick_case_ids(str(escaped), None) == ["C"]  # parsed: the bytes hide it


def test_an_agency_file_whose_case_id_key_is_escaped_still_joins_its_child(
    tmp_path: Path,
) -> None:
    (tmp_path / "a-social-care.json").write_text(json.dumps(case("ESC-1")))
    (tmp_path / "b-gp.json").write_text('{"case\\u005fid": "ESC-1", "x_agency": "gp"}')
    for jobs in (1, 2):
        result = run(tmp_path, jobs=jobs)
        assert [(c.case_id, len(c.files)) for c in result.cases] == [("ESC-1", 2)]


def test_an_invalid_case_id_in_the_bytes_groups_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps(case("OK-1")))
    (tmp_path / "b.json").write_text(json.dumps({"case_id": "a/b", "child": {"age_years": 3}}))
    result = run(tmp_path, jobs=2)
    assert [c.case_id for c in result.cases] == ["OK-1"]
    assert any("case_id" in str(p) for p in result.problems)


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("standards", [True, False])
def test_a_case_the_first_pass_did_not_group_is_rejected_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int, standards: bool
) -> None:
    """If the quick scan misses an id, the case's files are read in two units: neither
    half is the case (nor silently replaces the other); the run says so, and exits 2."""
    monkeypatch.setattr(JsonReader, "quick_case_ids", lambda *_args: [])
    (tmp_path / "a.json").write_text(json.dumps(case("A", source={"agency": "police"})))
    (tmp_path / "b.json").write_text(json.dumps(case("A", source={"agency": "health"})))
    (tmp_path / "c.json").write_text(json.dumps(case("B")))
    result = run(tmp_path, jobs=jobs, standards=standards)
    assert [c.case_id for c in result.cases] == (["B"] if standards else [])
    assert (result.counts.cases_loaded, result.counts.cases_rejected) == (1, 1)
    assert [str(p) for p in result.problems] == [
        f"{tmp_path / 'a.json'}, {tmp_path / 'b.json'}: case A: its records were read in two "
        "parts of the run and could not be merged: the case is rejected rather than checked "
        "on part of its records (a fault of cp-audit: please report it)"
    ]


def test_a_case_read_in_two_units_makes_the_run_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from cp_audit.cli import cli

    monkeypatch.setattr(JsonReader, "quick_case_ids", lambda *_args: [])
    for name in ("a.json", "b.json"):
        (tmp_path / name).write_text(json.dumps(case("A")))
    result = CliRunner().invoke(cli, ["check", "--quiet", "--as-of", "2022-09-30", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "case A: its records were read in two parts of the run" in result.output


def test_the_spool_reads_back_each_case_as_added_whether_written_yet_or_not() -> None:
    # The spool writes the cases a megabyte at a time: a case read before its bytes are
    # written, or after, or discarded, is the case as added.
    import pickle

    from cp_audit.run import spool as spool_module
    from cp_audit.run.spool import CaseSpool, PreparedCase

    def prepared(n: int) -> PreparedCase:
        return PreparedCase(pickle.dumps(f"section {n}"), pickle.dumps((f"chunk {n}",)),
                            pickle.dumps(f"row {n}" + "x" * 200_000))

    cases = CaseSpool([("json", DEFAULT_OPTIONS)])
    for n in range(12):  # 2.4 MB: written twice on the way, the rest when first read
        cases.add(f"C{n:02d}", prepared(n))
        if n == 3:
            assert cases.section("C01") == "section 1"
    written = os.fstat(cases._file.fileno()).st_size  # the rest still in the write buffer
    assert sum(len(part) for n in range(12) for part in prepared(n)) - written < (
        spool_module._WRITE_BYTES
    )
    cases.discard("C05")
    assert [row.rstrip("x") for row in cases.rows()] == [f"row {n}" for n in range(12) if n != 5]
    assert list(cases.chunks(("json", DEFAULT_OPTIONS)) or ()) == [
        f"chunk {n}" for n in range(12) if n != 5
    ]
    cases.close()
