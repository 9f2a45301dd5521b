"""The CIN census reader (`shared/importers.md`): the synthetic returns, one child's mapping,
bad input (unsafe or not a census), values that reject a child, warnings, and merging."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cp_audit.case.merging import merge_records
from cp_audit.case.model import CaseRecord
from cp_audit.cli import cli
from cp_audit.inputs import reader_for
from cp_audit.inputs.cin_census import CinCensusReader

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "cin-census"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="shared/data/cin-census is absent")
READER = CinCensusReader()
STRAY = "line 23: ChildIdentifiers: text where the census schema has none: not read"
RB = ("line 46: CINdetails[1]/Assessments[1]/FactorsIdentifiedAtAssessment/AssessmentFactors[2]"
      ": unknown assessment factor code 'RB': not read as a need")

# file: (children read, the warnings' locations and messages)
EXPECTED = {
    "CIN2rows.xml": (1, [STRAY]),
    "CIN_Census_2021.xml": (1, [STRAY]),
    "CIN_Census_2021_copy.xml": (1, [STRAY]),
    "CIN_Census_2021_no_assessment_factors.xml": (1, [STRAY]),
    "CIN_Census_2024.xml": (2, [STRAY, RB]),
    "CIN_Census_2026.xml": (2, [STRAY, RB]),
    "CIN_header_issues_100.xml": (1, [STRAY]),
    "CIN_la_issues_2887Q.xml": (1, [STRAY]),
    "fake_CIN_data.xml": (332, []),
}


def _warnings(path: Path) -> list[str]:
    read = READER.read(str(path))
    return [f"{w.location}: {w.message}" for w in read.warnings]


@needs_data
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_synthetic_return_is_read_with_its_warnings(name: str) -> None:
    path = DATA / name
    read = READER.read(str(path))
    children, warnings = EXPECTED[name]
    merged = merge_records(read.records)
    assert (len(read.records), len(merged.cases), read.problems, merged.problems) == (
        children, children, (), [])
    assert _warnings(path) == warnings


@needs_data
def test_the_folder_holds_no_return_without_an_expectation() -> None:
    assert {p.name for p in DATA.glob("*.xml")} == set(EXPECTED)


@needs_data
def test_one_child_of_the_2024_return_field_by_field() -> None:
    (record, _) = READER.read(str(DATA / "CIN_Census_2024.xml")).records
    assert record.place == "line 18"
    case = CaseRecord.model_validate(record.data)
    assert case.case_id == "DfEX0000001"
    assert case.source is not None
    assert (case.source.agency, case.source.system, str(case.source.exported)) == (
        "social_care", "cin_census", "2023-05-23")
    assert case.source.covers == (
        "needs", "referrals", "step_downs", "plans", "strategy_discussions", "conferences")
    assert case.child is not None
    assert (str(case.child.date_of_birth), case.child.gender) == ("2015-03-27", "male")
    assert case.child.needs == (  # HAND, HEAR; 1C, 6B (RB is a warning)
        "disability_hand", "disability_hear", "household_substance_misuse",
        "parental_physical_illness")
    assert [(str(r.date), r.source, r.outcome) for r in case.referrals] == [
        ("2022-10-06", "individual", None)]
    assert case.step_downs == ()  # RC1 is not a step-down
    assert [(str(p.start), str(p.end), p.category) for p in case.plans] == [
        ("2022-02-17", "2023-03-14", "physical_abuse")]
    assert [(m.type, str(m.date)) for m in case.meetings] == [
        ("icpc", "2022-12-06"), ("strategy_discussion", "2022-06-02"), ("icpc", "2022-06-17"),
        ("rcpc", "2023-02-15")]
    assert case.visits == case.assessments == case.people == ()


@needs_data
def test_the_second_child_closes_to_early_help() -> None:
    (_, record) = READER.read(str(DATA / "CIN_Census_2024.xml")).records
    assert record.data["step_downs"] == [{"date": "2024-10-29", "to": "early_help"}]
    assert record.data["child"] == {"date_of_birth": "2023-09-25", "gender": "male"}


# ---------------------------------------------------------------------------
# Small returns

HEAD = """<Message><Header><CollectionDetails><Collection>CIN</Collection></CollectionDetails>
<Source><DateTime>2022-07-21T10:12:28Z</DateTime></Source></Header>
<Children>
"""


REFERRAL = "<CINreferralDate>2022-01-04</CINreferralDate>"
BORN = "<PersonBirthDate>2015-03-27</PersonBirthDate>"


def _child(case_id: str, details: str = REFERRAL, identifiers: str = BORN) -> str:
    return (f"<Child><ChildIdentifiers><LAchildID>{case_id}</LAchildID>{identifiers}"
            f"</ChildIdentifiers>\n<CINdetails>\n{details}\n</CINdetails></Child>\n")


PLAN = ("<ChildProtectionPlans><CPPstartDate>{start}</CPPstartDate><CPPendDate>{end}</CPPendDate>"
        "<InitialCategoryOfAbuse>{category}</InitialCategoryOfAbuse></ChildProtectionPlans>")


def _return(tmp_path: Path, *children: str, name: str = "census.xml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + "".join(children) + "</Children></Message>\n", encoding="utf-8")
    return path


def _line(path: Path, text: str) -> int:
    """The line of the file that holds `text` (the first)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def _problems(path: Path) -> list[str]:
    read = READER.read(str(path))
    merged = merge_records(read.records)
    return [str(p) for p in (*read.problems, *merged.problems)]


def test_a_date_that_is_not_iso_rejects_the_child_at_its_element_and_line(
    tmp_path: Path,
) -> None:
    enquiry = "<Section47><S47ActualStartDate>02/06/2022</S47ActualStartDate></Section47>"
    second = "<CINreferralDate>2022-01-05</CINreferralDate>\n" + enquiry
    a = _child("A").replace("</Child>", f"<CINdetails>\n{second}\n</CINdetails></Child>")
    path = _return(tmp_path, _child("B"), a)
    line = _line(path, "02/06")
    assert _problems(path) == [
        f"{path}: case A: line {line}: CINdetails[2]/Section47[1]/S47ActualStartDate: "
        "not an ISO date: '02/06/2022'"]
    assert [c.case_id for c in merge_records(READER.read(str(path)).records).cases] == ["B"]


@pytest.mark.parametrize(("plan", "message"), [
    (PLAN.format(start="2022-02-01", end="2022-03-01", category="XYZ"),
     "CINdetails[1]/ChildProtectionPlans[1]/InitialCategoryOfAbuse: unknown category "
     "of abuse 'XYZ' (the census codes are EMO, NEG, PHY, SAB, MUL)"),
    (PLAN.format(start="2022-02-01", end="2022-01-01", category="NEG"),
     "CINdetails[1]/ChildProtectionPlans[1]/CPPendDate: the plan ends (2022-01-01) "
     "before it starts (2022-02-01)"),
])
def test_an_impossible_plan_rejects_the_child(tmp_path: Path, plan: str, message: str) -> None:
    details = f"<CINreferralDate>2022-01-04</CINreferralDate>\n{plan}"
    path = _return(tmp_path, _child("A", details))
    assert _problems(path) == [f"{path}: case A: line {_line(path, 'CPPstartDate')}: {message}"]


def test_a_date_in_the_future_is_a_date(tmp_path: Path) -> None:
    details = ("<CINreferralDate>2028-04-28</CINreferralDate>\n"
               + PLAN.format(start="2028-04-28", end="2028-04-29", category="MUL"))
    path = _return(tmp_path, _child("A", details))
    assert _problems(path) == []


def test_unknown_codes_and_elements_are_warnings_not_rejections(tmp_path: Path) -> None:
    details = ("<CINreferralDate>2022-01-04</CINreferralDate><ReferralSource>99</ReferralSource>\n"
               "<CINclosureDate>2022-02-01</CINclosureDate><ReasonForClosure>RC0</ReasonForClosure>\n"
               "<Assessments><FactorsIdentifiedAtAssessment><AssessmentFactors>RB</AssessmentFactors>"
               "</FactorsIdentifiedAtAssessment></Assessments>\n<Favourite>x</Favourite>")
    path = _return(tmp_path, _child("A", details))
    read = READER.read(str(path))
    at = {text: f"A: line {_line(path, text)}: " for text in ("Favourite", "RB", "99", "RC0")}
    assert [f"{w.case_id}: {w.location}: {w.message}" for w in read.warnings] == [
        at["Favourite"] + "CINdetails[1]/Favourite: unknown element <Favourite> (in none of "
        "the CIN census schemas): not read",
        at["RB"] + "CINdetails[1]/Assessments[1]/FactorsIdentifiedAtAssessment/"
        "AssessmentFactors[1]: unknown assessment factor code 'RB': not read as a need",
        at["99"] + "CINdetails[1]/ReferralSource: unknown referral source '99': the referral "
        "is kept without a source",
        at["RC0"] + "CINdetails[1]/ReasonForClosure: unknown reason for closure 'RC0': "
        "no step-down",
    ]
    assert read.records[0].data["referrals"] == [{"date": "2022-01-04"}]
    assert "step_downs" not in read.records[0].data
    assert _problems(path) == []


def test_a_plan_listed_twice_in_one_return_is_one(tmp_path: Path) -> None:
    plan = PLAN.format(start="2022-02-01", end="2022-03-01", category="NEG")
    path = _return(tmp_path, _child("A", f"<CINreferralDate>2022-01-04</CINreferralDate>{plan}"
                                    f"<DateOfInitialCPC>2022-01-20</DateOfInitialCPC>{plan}"))
    (record,) = READER.read(str(path)).records
    assert record.data["plans"] == [{"start": "2022-02-01", "category": "NEG",
                                     "end": "2022-03-01"}]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Message [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<Message>&b;</Message>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE Message [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Message>&x;</Message>
"""
DTD_ONLY = '<?xml version="1.0"?>\n<!DOCTYPE Message SYSTEM "http://example.org/cin.dtd">\n<Message/>'


DTD = ("line 2: the XML declares a document type (a DTD): not read (a census return has none, "
       "and a DTD can declare entities that expand or fetch content)")


@pytest.mark.parametrize(("text", "message"), [
    (BILLION_LAUGHS, DTD),
    (EXTERNAL, DTD),
    (DTD_ONLY, DTD),
    ("<Message><Header>\n</Message>", "line 2, column 3: not well-formed XML: mismatched tag"),
    ("<Message>&undeclared;</Message>", "line 1, column 10: not well-formed XML: undefined entity"),
    ("<Report><Children/></Report>", "not a CIN census return: its root element is <Report>, "
                                      "not <Message>"),
    ("<Message><Header><CollectionDetails><Collection>SWF</Collection></CollectionDetails>"
     "</Header><Children/></Message>",
     "not a CIN census return: no Header/CollectionDetails/Collection CIN (it is 'SWF')"),
    ("", "line 1, column 1: not well-formed XML: no element found"),
])
def test_unsafe_or_foreign_xml_rejects_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(text, encoding="utf-8")
    read = READER.read(str(path))
    assert read.unreadable and read.records == ()
    assert [str(p) for p in read.problems] == [f"{path}: {message}"]


def test_a_bad_file_leaves_the_others_read_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "bad.xml").write_text(BILLION_LAUGHS, encoding="utf-8")
    _return(tmp_path, _child("A", "<CINreferralDate>2022-01-04</CINreferralDate>"))
    result = CliRunner().invoke(cli, prog_name="cp-audit", args=["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert "bad.xml: line 2: the XML declares a document type (a DTD)" in result.output
    assert "2 files found: 2 read, 0 skipped; 1 case loaded, 0 rejected" in result.output


def test_xml_files_are_read_by_the_census_reader() -> None:
    assert isinstance(reader_for("x/census-2022.XML"), CinCensusReader)


def test_a_big_return_is_read_in_parts_with_the_same_records(tmp_path: Path) -> None:
    children = [_child(f"C{i}", f"<CINreferralDate>2022-01-{1 + i % 28:02d}</CINreferralDate>\n"
                                "<AssessmentFactors>RB</AssessmentFactors>")
                for i in range(60)]
    path = _return(tmp_path, *children)
    parts = READER.parts(str(path), 1000)
    assert parts is not None and len(parts) > 2
    whole = READER.read(str(path))
    pieces = [READER.read(str(path), part=part) for part in parts]
    assert [(r.place, r.data) for p in pieces for r in p.records] == [
        (r.place, r.data) for r in whole.records]
    assert [w for p in pieces for w in p.warnings] == list(whole.warnings)
    ids = [i for part in parts for i in READER.quick_case_ids(str(path), part) or []]
    assert ids == [f"C{i}" for i in range(60)]


# ---------------------------------------------------------------------------
# Several returns


def test_two_years_returns_of_one_child_merge_into_one_case(tmp_path: Path) -> None:
    plan = PLAN.format(start="2022-02-01", end="2023-03-01", category="NEG")
    first = _child("A", f"<CINreferralDate>2022-01-04</CINreferralDate>{plan}"
                        "<ChildProtectionPlans><CPPstartDate>2022-02-01</CPPstartDate>"
                        "<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><Reviews>"
                        "<CPPreviewDate>2022-05-01</CPPreviewDate></Reviews>"
                        "</ChildProtectionPlans>")
    second = _child("A", f"<CINreferralDate>2022-01-04</CINreferralDate>{plan}"
                         "<DateOfInitialCPC>2022-01-25</DateOfInitialCPC>")
    one = _return(tmp_path, first, name="census-2022.xml")
    two = _return(tmp_path, second, name="census-2023.xml")
    result = CliRunner().invoke(cli, prog_name="cp-audit", args=["validate", str(one), str(two)])
    assert result.output.splitlines()[-1] == (
        "2 files found: 2 read, 0 skipped; 1 case loaded, 0 rejected")
    records = [r for p in (one, two) for r in READER.read(str(p)).records]
    (case,) = merge_records(records).cases
    assert [str(p.start) for p in case.plans] == ["2022-02-01"]
    assert [(m.type, str(m.date)) for m in case.meetings] == [
        ("icpc", "2022-01-25"), ("rcpc", "2022-05-01")]
    assert len(case.sources) == 2


@needs_data
def test_validate_shows_the_warnings_after_the_errors_in_a_real_process() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cp_audit", "validate", str(DATA / "CIN_Census_2024.xml")],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"warning: {DATA / 'CIN_Census_2024.xml'}: case DfEX0000001: {STRAY}"
    assert lines[-1] == "1 file found: 1 read, 0 skipped; 2 cases loaded, 0 rejected"
