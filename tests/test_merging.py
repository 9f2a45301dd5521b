"""One case from several records: combining, conflicts, whole-case checks."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from load_helpers import Loaded, load

from cp_audit.case.merging import merge_records, raw_case_id
from cp_audit.case.model import CASE_LISTS, Participant, Visit
from cp_audit.case.participants import combine_participants
from cp_audit.case.values import Status
from cp_audit.checks.base import CaseView, DatedList
from cp_audit.inputs.interface import RawRecord

CHILD = {"date_of_birth": "2015-06-14"}
MUM = {"id": "mum", "relationship": "mother"}
DAD = {"id": "dad", "relationship": "father"}


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def record(case_id: str = "C1", **fields: Any) -> dict[str, Any]:
    return {"case_id": case_id, **fields}


def run(files: dict[str, Any]) -> Loaded:
    """Write each file (a record or a list of records, as JSON) and load them all."""
    for name, content in files.items():
        Path(name).write_text(json.dumps(content), encoding="utf-8")
    return load(sorted(files))


def lines(result: Loaded) -> list[str]:
    """The problem lines, without the line and column (tests/test_error_lines.py tests those)."""
    return [without_position(str(problem)) for problem in result.problems]


def without_position(text: str) -> str:
    return re.sub(r", line \d+, column \d+|line \d+, column \d+: ", "", text)


def meeting(*participants: dict[str, Any], type_: str = "icpc",
            day: str = "2022-01-05") -> dict[str, Any]:
    return {"type": type_, "date": day, "participants": list(participants)}


# -- combining ---------------------------------------------------------------


def test_a_gp_file_may_name_a_person_defined_by_social_care(here: Path) -> None:
    result = run({
        "sc.json": record(source={"agency": "social_care"}, child=CHILD, people=[MUM]),
        "gp.json": record(source={"agency": "gp"},
                          meetings=[meeting({"person": "mum"}, {"role": "gp"})]),
    })
    assert lines(result) == []
    case = result.cases[0]
    assert case.files == ("gp.json", "sc.json")
    assert case.agencies == ("gp", "social_care")
    assert [s.agency for s in case.sources] == ["gp", "social_care"]


def test_participants_are_combined(here: Path) -> None:
    result = run({
        "sc.json": record(child=CHILD, people=[MUM], meetings=[meeting(
            {"role": "social_worker", "agency": "social_care"},
            {"role": "gp", "status": "not_invited"},
            {"person": "mum", "status": "did_not_attend"},
            {"role": "teacher", "agency": "school"},
        )]),
        "gp.json": record(meetings=[meeting(
            {"role": "gp", "agency": "gp", "status": "apologies", "report": True},
            {"role": "social_worker", "agency": "social_care", "status": "declined"},
            {"person": "mum"},
            {"role": "teacher", "agency": "other_school", "status": "declined"},
        )]),
    })
    assert lines(result) == []
    participants = result.cases[0].meetings[0].participants
    assert [(p.role or p.person, p.agency, p.status.value, p.report) for p in participants] == [
        ("gp", "gp", "apologies", True),  # the gp without agency is the gp of gp.json
        ("social_worker", "social_care", "attended", False),
        ("mum", None, "attended", False),  # the default status `attended` wins
        ("teacher", "other_school", "declined", False),  # another agency: another person
        ("teacher", "school", "attended", False),
    ]


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["not_invited", "did_not_attend"], "did_not_attend"),
        (["did_not_attend", "declined"], "declined"),
        (["declined", "apologies"], "apologies"),
        (["apologies", "attended"], "attended"),
        (["attended", "not_invited"], "attended"),
        (["not_invited", "not_invited", "apologies"], "apologies"),
    ],
)
def test_the_highest_status_wins(statuses: list[str], expected: str) -> None:
    lists = [(order, (Participant(role="gp", status=Status(status)),))
             for order, status in enumerate(statuses)]
    [combined] = combine_participants(lists)
    assert combined.status == expected


def test_two_professionals_of_one_record_are_never_combined() -> None:
    two = (Participant(role="social_worker"), Participant(role="social_worker"))
    one = (Participant(role="social_worker", status=Status.APOLOGIES, report=True),)
    combined = combine_participants([(0, two), (1, one)])
    assert [(p.status.value, p.report) for p in combined] == [
        ("attended", True), ("attended", False)]


def test_meetings_visits_and_plans_are_one_by_their_key(here: Path) -> None:
    result = run({
        "a.json": record(child=CHILD, people=[MUM], meetings=[
            meeting({"role": "gp"}, type_="core_group", day="2022-02-01"),
            meeting({"role": "gp"}, type_="icpc", day="2022-01-05"),
        ], visits=[{"date": "2022-01-10", "seen": False, "seen_alone": False}],
           plans=[{"start": "2022-01-05", "category": "neglect",
                   "actions": [{"id": "A1", "action": "Do it", "involves": ["mum", "child"]}]}]),
        "b.json": record(meetings=[meeting({"role": "teacher"}, type_="ICPC", day="2022-01-05")],
                         visits=[{"date": "2022-01-10", "seen": True}],
                         plans=[{"start": "2022-01-05", "end": "2022-09-01", "category": "NEG",
                                 "actions": [{"id": "A1", "action": "Do it", "due": "2022-03-01",
                                              "involves": ["child", "mum"]},
                                             {"id": "A2", "action": "Another"}]}]),
    })
    assert lines(result) == []
    case = result.cases[0]
    assert [(m.type.value, m.date.isoformat(), len(m.participants)) for m in case.meetings] == [
        ("icpc", "2022-01-05", 2), ("core_group", "2022-02-01", 1)]
    assert [(v.seen, v.seen_alone) for v in case.visits] == [(True, False)]
    [plan] = case.plans
    assert (plan.end, plan.category.value) == (date(2022, 9, 1), "neglect")
    assert [(a.id, a.due) for a in plan.actions] == [("A1", date(2022, 3, 1)), ("A2", None)]


def test_child_fields_agree_and_needs_are_the_union(here: Path) -> None:
    result = run({
        "a.json": record(child={"date_of_birth": "2015-06-14", "needs": ["adhd", "neglect"]},
                         involvement_start="2016-01-01"),
        "b.json": record(child={"date_of_birth": "2015-06-14", "gender": "Female",
                                "needs": ["Domestic Abuse", "adhd"]},
                         involvement_start="2014-02-01"),
    })
    assert lines(result) == []
    child = result.cases[0].child
    assert child.needs == ("adhd", "domestic_abuse", "neglect")
    assert child.gender == "female"
    assert result.cases[0].involvement_start == date(2014, 2, 1)


def test_identical_entries_are_kept_once_across_records_but_not_within_one(here: Path) -> None:
    tool = {"name": "dash", "date": "2021-11-10"}
    result = run({
        "a.json": record(child=CHILD, tools=[tool, tool],
                         referrals=[{"date": "2021-03-01"}, {"date": "2019-03-02"}]),
        "b.json": record(tools=[tool, {"name": "DASH", "date": "2021-11-10", "by": "police"}],
                         referrals=[{"date": "2021-03-01"}]),
        "c.json": record(tools=[tool, tool, tool]),
    })
    assert lines(result) == []
    case = result.cases[0]
    assert [t.by for t in case.tools] == [None, None, "police", None]
    assert [r.date.isoformat() for r in case.referrals] == ["2019-03-02", "2021-03-01"]


def test_lists_are_sorted_by_date_undated_last(here: Path) -> None:
    result = run({"a.json": record(child=CHILD, tools=[
        {"name": "b"}, {"name": "a", "date": "2022-02-01"}, {"name": "c", "date": "2021-01-01"}])})
    assert [t.name for t in result.cases[0].tools] == ["c", "a", "b"]


def test_every_list_of_a_case_is_merged_and_viewed_by_the_date_its_model_field_gives() -> None:
    dated = {name: part.dated_by for name, part in CASE_LISTS.items() if part.dated_by}
    assert dated == {
        "referrals": "date", "step_downs": "date", "plans": "start", "meetings": "date",
        "visits": "date", "child_voice": "date", "recording": "date", "assessments": "start",
        "tools": "date", "professionals": "from_", "escalations": "date",
    }
    professionals = [{"role": "sw", "from": day} for day in ("2022-03-01", None, "2021-01-01")]
    raw = [RawRecord("a.json", "", record(child=CHILD, professionals=professionals[:2])),
           RawRecord("b.json", "", record(professionals=professionals[2:]))]
    [case] = merge_records(raw).cases
    assert [p.from_ for p in case.professionals] == [date(2021, 1, 1), date(2022, 3, 1), None]
    view = CaseView(case, date(2021, 6, 30))  # the undated entry counts, first
    assert [p.from_ for p in view.professionals] == [None, date(2021, 1, 1)]
    assert all(isinstance(getattr(view, name), tuple) for name in dated)


def test_the_view_of_a_list_declared_with_another_entry_type_fails_at_import() -> None:
    with pytest.raises((TypeError, RuntimeError)) as caught:  # RuntimeError before 3.12

        class Wrong(CaseView):
            plans = DatedList[Visit]()

    assert "CaseView.plans: not a dated list of Plan" in str(caught.value.__cause__ or caught.value)


def test_plan_conflicts_are_told_in_the_order_of_the_plans(here: Path) -> None:
    plans = [{"start": day, "category": "neglect"} for day in ("2022-05-01", "2021-05-01")]
    other = [{"start": day, "category": "multiple"} for day in ("2022-05-01", "2021-05-01")]
    result = run({"a.json": record(child=CHILD, plans=plans), "b.json": record(plans=other)})
    assert [without_position(p.location or "") for p in result.problems[:2]] == [
        "plans[1].category", "plans[0].category"]


def test_two_records_of_one_case_in_one_file(here: Path) -> None:
    result = run({"batch.json": [record(child=CHILD), record(people=[MUM])]})
    assert lines(result) == []
    assert len(result.cases) == 1 and result.cases[0].files == ("batch.json",)


# -- conflicts ---------------------------------------------------------------


def test_a_conflict_names_both_files_and_the_values(here: Path) -> None:
    result = run({
        "gp.json": record(child={"date_of_birth": "2015-06-15"}),
        "sc.json": record(child={"date_of_birth": "2015-06-14"}),
    })
    assert result.cases == []
    assert lines(result) == [
        "sc.json: case C1: child.date_of_birth: conflict: 2015-06-14 here, 2015-06-15 in "
        "gp.json (child.date_of_birth)",
        "gp.json, sc.json: case C1: rejected whole: none of its records in these files is used",
    ]
    assert result.problems[0].files == ("gp.json", "sc.json")
    assert (result.counts.cases_loaded, result.counts.cases_rejected) == (0, 1)
    assert not result.incomplete


def test_a_conflict_never_shows_a_name_or_free_text(here: Path) -> None:
    result = run({
        "a.json": record(child={**CHILD, "name": "Amy Example"},
                         people=[{**MUM, "name": "Jo Example"}],
                         plans=[{"start": "2022-01-01", "category": "neglect",
                                 "actions": [{"id": "A1", "action": "Secret one"}]}]),
        "b.json": record(child={"name": "Amy Other"}, people=[{**MUM, "name": "Jo Other"}],
                         plans=[{"start": "2022-01-01", "category": "neglect",
                                 "actions": [{"id": "A1", "action": "Secret two"}]}]),
    })
    assert lines(result) == [
        "b.json: case C1: child.name: conflict: a different value in a.json (child.name)",
        "b.json: case C1: people[0].name: conflict: a different value in a.json (people[0].name)",
        "b.json: case C1: plans[0].actions[0].action: conflict: a different value in a.json "
        "(plans[0].actions[0].action)",
        "a.json, b.json: case C1: rejected whole: none of its records in these files is used",
    ]


def test_conflicts_of_tokens_ids_and_closed_sets_show_both_values(here: Path) -> None:
    result = run({
        "a.json": record(child=CHILD, people=[MUM, DAD], plans=[
            {"start": "2022-01-01", "end": "2022-05-01", "category": "neglect",
             "actions": [{"id": "A1", "action": "x", "owner": "mum", "involves": ["mum"]}]}]),
        "b.json": [record(people=[{"id": "dad", "relationship": "stepfather"}]),
                   record(plans=[{"start": "2022-01-01", "end": "2022-06-01", "category": "EMO",
                                  "actions": [{"id": "A1", "action": "x", "owner": "dad",
                                               "involves": ["dad", "mum"]}]}])],
    })
    assert lines(result) == [
        "b.json: case C1: [0]: people[0].relationship: conflict: stepfather here, father in "
        "a.json (people[1].relationship)",
        "b.json: case C1: [1]: plans[0].end: conflict: 2022-06-01 here, 2022-05-01 in a.json "
        "(plans[0].end)",
        "b.json: case C1: [1]: plans[0].category: conflict: emotional_abuse here, neglect in "
        "a.json (plans[0].category)",
        "b.json: case C1: [1]: plans[0].actions[0].owner: conflict: 'dad' here, 'mum' in a.json "
        "(plans[0].actions[0].owner)",
        "b.json: case C1: [1]: plans[0].actions[0].involves: conflict: [dad, mum] here, [mum] in "
        "a.json (plans[0].actions[0].involves)",
        "a.json, b.json: case C1: rejected whole: none of its records in these files is used",
    ]


def test_a_plan_end_wins_over_none(here: Path) -> None:
    plan = {"start": "2022-01-01", "category": "neglect"}
    result = run({"a.json": record(child=CHILD, plans=[{**plan, "end": None}]),
                  "b.json": record(plans=[{**plan, "end": "2022-03-01"}]),
                  "c.json": record(plans=[plan])})
    assert lines(result) == []
    assert result.cases[0].plans[0].end == date(2022, 3, 1)


# -- a case rejected whole ------------------------------------------------------


def test_one_invalid_record_rejects_the_whole_case(here: Path) -> None:
    result = run({
        "gp.json": record(child={"age_years": "seven"}),
        "sc.json": record(child=CHILD, people=[MUM]),
        "other.json": record("C2", child=CHILD),
    })
    assert [case.case_id for case in result.cases] == ["C2"]
    assert lines(result) == [
        "gp.json: case C1: child.age_years: must be a whole number",
        "gp.json, sc.json: case C1: rejected whole: none of its records in these files is used",
    ]
    assert all(p.files == ("gp.json", "sc.json") for p in result.problems)
    counts = result.counts
    assert (counts.files_found, counts.files_read, counts.cases_loaded,
            counts.cases_rejected) == (3, 3, 1, 1)


def test_a_record_without_a_usable_case_id_rejects_no_case(here: Path) -> None:
    result = run({"a.json": [record(child=CHILD), {"case_id": 7, "child": CHILD}]})
    assert [case.case_id for case in result.cases] == ["C1"]
    assert lines(result) == [
        "a.json: [1]: case_id: an id must be a string, not a number "
        "(quote an id that looks like a number)"
    ]
    assert result.incomplete  # that record may have belonged to any case


# -- checks on the merged case ------------------------------------------------


def test_the_child_needs_a_date_of_birth_or_an_age(here: Path) -> None:
    result = run({"a.json": record(child={"gender": "male"})})
    assert lines(result) == [
        "a.json: case C1: child: date_of_birth, expected_date_of_birth or age_years is required"
    ]
    ok = run({"a.json": record(child={"expected_date_of_birth": "2023-01-01"})})
    assert lines(ok) == []
    assert lines(run({"a.json": record(child={"age_years": 0})})) == []


def test_the_child_is_checked_on_the_merged_case(here: Path) -> None:
    result = run({"a.json": record(people=[MUM]), "b.json": record(child={"age_years": 3})})
    assert lines(result) == []
    result = run({"a.json": record(people=[MUM]), "b.json": record(people=[DAD])})
    assert lines(result) == [
        "a.json, b.json: case C1: child: date_of_birth, expected_date_of_birth or age_years "
        "is required",
        "a.json, b.json: case C1: rejected whole: none of its records in these files is used",
    ]


def test_ids_are_unique_within_one_record(here: Path) -> None:
    plan = {"start": "2022-01-01", "category": "neglect",
            "actions": [{"id": "A1", "action": "x"}, {"id": "A2", "action": "y"},
                        {"id": "A1", "action": "z"}]}
    result = run({"a.json": record(child=CHILD, people=[MUM, DAD, MUM], plans=[plan])})
    assert lines(result) == [
        "a.json: case C1: people[2].id: duplicate person id 'mum' (already people[0])",
        "a.json: case C1: plans[0].actions[2].id: duplicate action id 'A1' in this plan "
        "(already plans[0].actions[0])",
    ]


def test_every_reference_names_a_person_or_the_child(here: Path) -> None:
    result = run({
        "cases.json": record(child=CHILD, people=[MUM, DAD]),
        "ns-07.json": record(
            meetings=[meeting(), meeting(), meeting(), meeting(
                {"person": "child"}, {"person": "dad2"}, {"person": "mum"})],
            recording=[{"date": "2022-01-01", "views_of": ["child", "Mum"]}],
            plans=[{"start": "2022-01-01", "category": "neglect",
                    "actions": [{"id": "A1", "action": "x", "involves": ["gran"]}]}],
            assessments=[{"type": "child_and_family", "contributors": ["mum", "uncle"]}],
        ),
    })
    assert lines(result) == [
        "ns-07.json: case C1: meetings[3].participants[1].person: unknown person 'dad2' "
        "(people are: mum, dad)",
        "ns-07.json: case C1: recording[0].views_of[1]: unknown person 'Mum' "
        "(people are: mum, dad)",
        "ns-07.json: case C1: plans[0].actions[0].involves[0]: unknown person 'gran' "
        "(people are: mum, dad)",
        "ns-07.json: case C1: assessments[0].contributors[1]: unknown person 'uncle' "
        "(people are: mum, dad)",
        "cases.json, ns-07.json: case C1: rejected whole: none of its records in these files "
        "is used",
    ]


def test_a_reference_with_no_people(here: Path) -> None:
    result = run({"a.yaml": record(child=CHILD, meetings=[meeting({"person": "mum"})])})
    assert lines(result) == [
        "a.yaml: case C1: meetings[0].participants[0].person: unknown person 'mum' "
        "(the case has no people)"
    ]


def test_cases_come_sorted_by_case_id() -> None:
    raws = [RawRecord("f.json", f"[{i}]", {"case_id": cid, "child": {"age_years": 1}})
            for i, cid in enumerate(["b", "C", "a"])]
    merged = merge_records(raws)
    assert [case.case_id for case in merged.cases] == ["C", "a", "b"]
    assert merged.problems == [] and merged.rejected == []


# -- robustness: any junk, never a crash, never a name in a message -------------

SECRET = "SECRETNAME"
JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.sampled_from(["", "2022-02-30", "03/04/2022", "icpc", "mum", "child", "x_y", "on"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["id", "date", "role", "person", "status", "type", "seen", "atendees",
                         "relationship", "start", "category", "actions", "participants"]),
        inner, max_size=4),
    max_leaves=12,
)
SECRET_VALUES = st.sampled_from(
    [SECRET, [SECRET], {"first": SECRET}, {SECRET: 1}, 5, None, True, f"{SECRET} Example"])
FIELDS = ["child", "people", "plans", "meetings", "visits", "recording", "assessments", "tools",
          "professionals", "agency_records", "source", "involvement_start", "format", "case_id"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    junk=st.dictionaries(st.sampled_from(FIELDS), JUNK, max_size=4),
    names=st.tuples(SECRET_VALUES, SECRET_VALUES, SECRET_VALUES, SECRET_VALUES),
    other=st.sampled_from(["A", "B"]),
)
def test_junk_never_crashes_and_names_are_never_shown(
    junk: dict[str, Any], names: tuple[Any, ...], other: str
) -> None:
    child_name, person_name, action, outcome = names
    good = {
        "case_id": "A",
        "child": {"name": child_name, "age_years": 7},
        "people": [{"id": "mum", "relationship": "mother", "name": person_name}],
        "plans": [{"start": "2022-01-01", "category": "neglect",
                   "actions": [{"id": "A1", "action": action, "outcome": outcome}]}],
    }
    second = {**good, "case_id": other, "child": {"name": f"{SECRET} Other", "age_years": 7},
              "people": [{"id": "mum", "relationship": "mother", "name": "Other " + SECRET}]}
    raws = [RawRecord("a.json", "", good), RawRecord("b.json", "", {**second, **junk})]
    merged = merge_records(raws)
    for problem in merged.problems:
        assert SECRET not in str(problem)
        assert "http" not in problem.message and "input_value" not in problem.message
    ids = {"A", raw_case_id(raws[1].data)} - {None}
    assert sorted([c.case_id for c in merged.cases] + merged.rejected) == sorted(ids)


def test_the_ids_referred_to_are_those_of_every_reference_path() -> None:
    """`referenced` (the ids alone, at C speed) gives the ids `references` places."""
    from cp_audit.case.model import CaseRecord, referenced, references

    record = CaseRecord.model_validate({
        "case_id": "R1",
        "meetings": [{"type": "icpc", "date": "2024-01-02", "participants": [
            {"person": "mum"}, {"role": "gp"}, {"person": "child"}]},
            {"type": "rcpc", "date": "2024-03-02", "participants": [{"person": "dad"}]}],
        "recording": [{"date": "2024-01-05", "views_of": ["gran", "mum"]}],
        "plans": [{"start": "2024-01-02", "category": "neglect", "actions": [
            {"id": "a1", "action": "x", "involves": ["uncle"]}, {"id": "a2", "action": "y"}]}],
        "assessments": [{"type": "single", "contributors": ["aunt"]}],
    })
    assert referenced(record) == {person for _, person in references(record)} == {
        "mum", "child", "dad", "gran", "uncle", "aunt"}
    assert referenced(CaseRecord.model_validate({"case_id": "R2"})) == set()
