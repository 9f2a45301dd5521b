"""Each validation rule of the case format: a failing input and the exact line users see."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from load_helpers import load

from cp_audit.case.errors import allowed_fields, format_path
from cp_audit.case.model import Action, CaseRecord, Child, Person, Professional, Referral
from cp_audit.case.values import is_free_text

_POSITION = re.compile(r"line \d+, column \d+: ")
BASE: dict[str, Any] = {"case_id": "C1", "child": {"age_years": 7}}


def problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, record: Any, name: str = "case.json",
             text: str | None = None) -> list[str]:
    """Write one record (JSON, or `text` as is) and return the problem lines users see, without
    the line and column of the error (tests/test_messages.py tests those)."""
    monkeypatch.chdir(tmp_path)
    Path(name).write_text(text if text is not None else json.dumps(record), encoding="utf-8")
    return [_POSITION.sub("", str(problem)) for problem in load([name]).problems]


def with_(**fields: Any) -> dict[str, Any]:
    return {**BASE, **fields}


@pytest.fixture
def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    def run(record: Any) -> list[str]:
        return problems(tmp_path, monkeypatch, record)

    return run


def test_a_minimal_record_is_valid(check: Any) -> None:
    assert check(BASE) == []


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({"child": {"age_years": 7}}, "case.json: case_id: required field is missing"),
        ({"case_id": 123}, "case.json: case_id: an id must be a string, not a number "
                           "(quote an id that looks like a number)"),
        ({"case_id": ""}, "case.json: case_id: an id must not be empty"),
        ({"case_id": "a/b"}, "case.json: case_id: a case id must not contain '/', '\\' "
                             "or control characters"),
        ({"case_id": "x" * 65}, "case.json: case_id: a case id is at most 64 characters"),
        *(({"case_id": f"C{ch}1"}, "case.json: case_id: a case id must not contain "
                                   "invisible format characters (such as U+202E, which "
                                   "reverses the text after it)")
          for ch in ("\u202e", "\u200b", "\u2066", "\ufeff")),
    ],
)
def test_case_id(check: Any, record: dict[str, Any], expected: str) -> None:
    assert check(record) == [expected]


def test_format_must_be_1(check: Any) -> None:
    assert check(with_(format=2)) == ["case.json: case C1: format: must be 1"]
    assert check(with_(format=1)) == []


def test_unknown_fields_suggest_the_right_name(check: Any) -> None:
    record = with_(
        peple=[],
        meetings=[{"type": "icpc", "date": "2022-01-05",
                   "participants": [{"role": "gp", "stauts": "attended"}]}],
        professionals=[{"role": "social_worker", "form": "2022-01-01"}],
        agency_records=[{"agency": "gp", "flags": [{"flag": "cp", "frm": "2022-01-01"}]}],
        atendees=[],
    )
    assert check(record) == [
        'case.json: case C1: meetings[0].participants[0]: unknown field "stauts" '
        '(did you mean "status"?)',
        'case.json: case C1: professionals[0]: unknown field "form" (did you mean "from"?)',
        'case.json: case C1: agency_records[0].flags[0]: unknown field "frm" '
        '(did you mean "from"?)',
        'case.json: case C1: unknown field "peple" (did you mean "people"?)',
        'case.json: case C1: unknown field "atendees" (a field of your own must begin with "x_")',
    ]


def test_x_keys_are_kept_and_ignored(check: Any) -> None:
    record = with_(x_system_id=5, visits=[{"date": "2022-01-01", "seen": True, "x_note": {}}])
    assert check(record) == []


def test_x_keys_leave_no_trace_in_a_validated_record() -> None:
    """pydantic-core keeps the `x_` keys aside (`model.Entry`): the record compares, hashes,
    shows and dumps as the same record without them."""
    plain = {**BASE, "people": [{"id": "m", "relationship": "mother"}]}
    extended = {**BASE, "x_batch": 3, "child": {"age_years": 7, "x_ref": "r1"},
                "people": [{"id": "m", "relationship": "mother", "x_contact": {"a": 1}}]}
    with_keys, without = CaseRecord.model_validate(extended), CaseRecord.model_validate(plain)
    assert with_keys.people[0].__pydantic_extra__ == {"x_contact": {"a": 1}}
    assert with_keys == without
    assert hash(with_keys.people[0]) == hash(without.people[0])
    assert repr(with_keys) == repr(without)
    assert with_keys.model_dump(mode="json") == without.model_dump(mode="json")
    assert "x_" not in json.dumps(with_keys.model_dump(mode="json", by_alias=True))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("03/04/2022", "not an ISO date: '03/04/2022' (use YYYY-MM-DD)"),
        ("2022-02-30", "not an ISO date: '2022-02-30' (day is out of range for month)"),
        (20220105, "must be a date written YYYY-MM-DD, not a number"),
        (True, "must be a date written YYYY-MM-DD, not a boolean"),
        (None, "must be a date written YYYY-MM-DD, not a null"),
    ],
)
def test_dates(check: Any, value: Any, expected: str) -> None:
    record = with_(visits=[{"date": value, "seen": True}])
    assert check(record) == [f"case.json: case C1: visits[0].date: {expected}"]


@pytest.mark.parametrize("value", ["2022-05-03T10:15:00", "2022-05-03 10:15:00",
                                   "2022-05-03T10:15:00+01:00", "2022-05-03T10:15:00Z"])
def test_a_date_time_gives_its_date(tmp_path: Path, value: str) -> None:
    (tmp_path / "c.json").write_text(json.dumps(with_(visits=[{"date": value, "seen": True}])))
    result = load([str(tmp_path)])
    assert result.problems == []
    assert result.cases[0].visits[0].date == date(2022, 5, 3)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("false", 'must be true or false, not the text "false" (remove the quotes)'),
     ("maybe", "must be true or false"), (1, "must be true or false"),
     (None, "must be true or false")],
)
def test_booleans_are_strict(check: Any, value: Any, expected: str) -> None:
    record = with_(visits=[{"date": "2022-01-01", "seen": value}])
    assert check(record) == [f"case.json: case C1: visits[0].seen: {expected}"]


def test_a_required_list_field_is_missing(check: Any) -> None:
    assert check(with_(visits=[{"date": "2022-01-01"}])) == [
        "case.json: case C1: visits[0].seen: required field is missing"
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("7", 'must be a whole number, not the text "7" (remove the quotes)'),
     ("seven", "must be a whole number"), (7.5, "must be a whole number"),
     (26, "must be at most 25"), (-1, "must be at least 0")],
)
def test_age_years(check: Any, value: Any, expected: str) -> None:
    assert check({"case_id": "C1", "child": {"age_years": value}}) == [
        f"case.json: case C1: child.age_years: {expected}"
    ]


def test_a_name_is_never_quoted(check: Any) -> None:
    lines = check({"case_id": "C1", "child": {"name": ["Amy Example"], "age_years": 7},
                   "people": [{"id": "mum", "relationship": "mother", "name": {"Jo": 1}}]})
    assert lines == [
        "case.json: case C1: child.name: must be a string",
        "case.json: case C1: people[0].name: must be a string",
    ]
    assert not any("Amy" in line or "Jo" in line for line in lines)


def test_free_text_is_never_quoted(check: Any) -> None:
    plan = {"start": "2022-01-01", "category": "neglect",
            "actions": [{"id": "A1", "action": 42, "outcome": ["Secret outcome"]}]}
    lines = check(with_(plans=[plan]))
    assert lines == [
        "case.json: case C1: plans[0].actions[0].action: must be a string",
        "case.json: case C1: plans[0].actions[0].outcome: must be a string",
    ]


def test_closed_sets(check: Any) -> None:
    record = {"case_id": "C1", "child": {"age_years": 7, "gender": "girl"},
              "people": [{"id": "mum", "relationship": "mum"}],
              "meetings": [{"type": "conference", "date": "2022-01-01"}]}
    assert check(record) == [
        "case.json: case C1: child.gender: 'girl' is not one of: female, male, other, unknown",
        "case.json: case C1: people[0].relationship: 'mum' is not one of: mother, father, "
        "stepmother, stepfather, partner_of_parent, grandparent, carer, sibling, other",
        "case.json: case C1: meetings[0].type: 'conference' is not one of: strategy_discussion, "
        'icpc, rcpc, core_group, transfer_in_conference (did you mean "transfer_in_conference"?)',
    ]


def test_closed_sets_and_tokens_are_normalised(tmp_path: Path) -> None:
    record = with_(
        plans=[{"start": "2022-01-01", "category": "EMO"}],
        meetings=[{"type": "ICPC", "date": "2022-01-01",
                   "participants": [{"role": "School Nurse", "agency": "sirona",
                                     "status": "Not Invited"}]}],
    )
    (tmp_path / "c.json").write_text(json.dumps(record))
    case = load([str(tmp_path)]).cases[0]
    assert case.plans[0].category == "emotional_abuse"
    participant = case.meetings[0].participants[0]
    assert (case.meetings[0].type, participant.role, participant.status) == (
        "icpc", "school_nurse", "not_invited")


def test_required_fields_of_list_entries(check: Any) -> None:
    record = with_(people=[{"id": "mum"}], plans=[{"start": "2022-01-01"}],
                   meetings=[{"date": "2022-01-01"}])
    assert check(record) == [
        "case.json: case C1: people[0].relationship: required field is missing",
        "case.json: case C1: plans[0].category: required field is missing",
        "case.json: case C1: meetings[0].type: required field is missing",
    ]


def test_child_is_reserved(check: Any) -> None:
    assert check(with_(people=[{"id": "child", "relationship": "sibling"}])) == [
        "case.json: case C1: people[0]: 'child' is reserved for the child; "
        "give this person another id"
    ]


def test_a_plan_ends_after_it_starts(check: Any) -> None:
    record = with_(plans=[{"start": "2022-03-01", "end": "2022-01-01", "category": "neglect"}])
    assert check(record) == [
        "case.json: case C1: plans[0]: the plan ends (2022-01-01) before it starts (2022-03-01)"
    ]


@pytest.mark.parametrize("participant", [{"role": "gp", "person": "mum"}, {"status": "attended"}])
def test_a_participant_is_a_role_or_a_person(check: Any, participant: dict[str, Any]) -> None:
    record = with_(people=[{"id": "mum", "relationship": "mother"}],
                   meetings=[{"type": "icpc", "date": "2022-01-01", "participants": [participant]}])
    assert check(record) == [
        "case.json: case C1: meetings[0].participants[0]: "
        "a participant has exactly one of 'role' or 'person'"
    ]


def test_shapes(check: Any) -> None:
    record = with_(source=["social_care"], meetings={"type": "icpc"}, people=["mum"],
                   child={"age_years": 7, "needs": "adhd"})
    assert check(record) == [
        "case.json: case C1: source: must be a mapping (an object)",
        "case.json: case C1: child.needs: must be a list",
        "case.json: case C1: people[0]: must be a mapping (an object)",
        "case.json: case C1: meetings: must be a list",
    ]


def test_tokens_must_be_words(check: Any) -> None:
    assert check({"case_id": "C1", "child": {"age_years": 7, "needs": [5, " "]}}) == [
        "case.json: case C1: child.needs[0]: must be a word such as a role or agency, "
        "not a number",
        "case.json: case C1: child.needs[1]: must not be empty",
    ]


def test_yaml_unquoted_number_id_and_booleans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    text = ("case_id: 0123\nchild: {age_years: 7}\n"
            "visits: [{date: 2022-01-01, seen: yes, seen_alone: off}]\n")
    assert problems(tmp_path, monkeypatch, None, "c.yaml", text) == [
        "c.yaml: case_id: an id must be a string, not a number (quote an id that looks like "
        "a number)"
    ]
    text = text.replace("0123", '"0123"')
    assert problems(tmp_path, monkeypatch, None, "c.yaml", text) == []
    visit = load(["c.yaml"]).cases[0].visits[0]
    assert (visit.seen, visit.seen_alone) == (True, False)


def test_a_key_that_is_not_a_string(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "case_id: C1\nchild: {age_years: 7}\n12: x\n"
    assert problems(tmp_path, monkeypatch, None, "c.yaml", text) == [
        'c.yaml: case C1: the key 12 is not a string (in YAML, quote a key such as "on", "no" '
        'or "12")'
    ]


def test_paths_and_allowed_fields() -> None:
    assert format_path(("meetings", 3, "participants", 1, "status")) == (
        "meetings[3].participants[1].status")
    assert format_path(()) == ""
    assert "from" in allowed_fields(CaseRecord, ("agency_records", 0, "flags", 2))
    assert allowed_fields(CaseRecord, ("child",))[:2] == ["name", "date_of_birth"]
    assert allowed_fields(CaseRecord, ("nothing",)) == []


def test_free_text_fields_are_the_names_and_texts() -> None:
    free = {
        (model.__name__, name)
        for model in (Child, Person, Action, Referral, Professional)
        for name, info in model.model_fields.items()
        if is_free_text(info)
    }
    assert free == {("Child", "name"), ("Person", "name"), ("Action", "action"),
                    ("Action", "timescale"), ("Action", "outcome")}
