"""Properties of the whole pipeline, with hypothesis (issue 6).

- Any case the model accepts can be checked by every default rule without an exception.
- Outcomes do not depend on order: of list entries, of records, of files, or on how a
  child's record is split into per-agency records that are merged again.

The strategies draw valid case records (dates, ids, and tokens taken from the words the
default standards look for, so that the rules have something to find). A quick run
is the default; `CP_AUDIT_HYPOTHESIS=long pytest tests/test_properties.py` runs many
more examples.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cp_audit.case.merging import merge_records
from cp_audit.case.values import (
    Communication,
    Gender,
    MeetingType,
    PlanCategory,
    Relationship,
    Status,
)
from cp_audit.inputs.interface import RawRecord
from cp_audit.results import CaseResult, Outcome
from cp_audit.run.engine import check_case
from cp_audit.standards.spec import load as load_standards

STANDARDS = load_standards()
settings.register_profile(
    "cp-audit-quick", max_examples=50, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "cp-audit-long", max_examples=5_000, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile(f"cp-audit-{os.environ.get('CP_AUDIT_HYPOTHESIS', 'quick')}")


def _words(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _words(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _words(item)


# Every word the default standards' rules look for (roles, methods, flags...), so that
# drawn cases meet the rules, and a few they do not know.
WORDS = sorted(
    {w for rule in STANDARDS.rules for w in _words(rule.options.model_dump())
     if w and not w.startswith("@") and len(w) < 40}
    | {role for roles in STANDARDS.spec.role_groups.values() for role in roles}
    | {"social_worker", "gp", "school", "police", "social_care", "unknown_word"}
)
token = st.sampled_from(WORDS)
# Spelt as exporters spell them: "School Nurse", "school-nurse" are "school_nurse".
spelt_token = st.builds(
    lambda word, style: {0: word, 1: word.replace("_", " ").title(), 2: word.replace("_", "-")}[
        style], token, st.integers(0, 2))
day = st.dates(min_value=date(2012, 1, 1), max_value=date(2023, 12, 31))
as_of = st.dates(min_value=date(2014, 1, 1), max_value=date(2024, 6, 30))


def iso(value: date) -> str:
    return value.isoformat()


def choice(enum: Any) -> st.SearchStrategy[str]:
    return st.sampled_from([member.value for member in enum])


@st.composite
def case_records(draw: st.DrawFn) -> dict[str, Any]:
    """A valid case record, with unique ids and references to people that exist."""
    people_ids = draw(st.lists(st.sampled_from(["mum", "dad", "gran", "step", "p1", "p2"]),
                               unique=True, max_size=4))
    people = [
        {"id": pid, "relationship": draw(choice(Relationship)),
         **draw(st.fixed_dictionaries({}, optional={
             "parental_responsibility": st.booleans(), "lives_with_child": st.booleans()}))}
        for pid in people_ids
    ]
    someone = st.sampled_from([*people_ids, "child"])
    child: dict[str, Any] = draw(st.fixed_dictionaries({}, optional={
        "gender": choice(Gender), "communication": choice(Communication),
        "needs": st.lists(spelt_token, max_size=3, unique=True)}))
    age = draw(st.sampled_from(["dob", "expected", "age"]))
    if age == "dob":
        child["date_of_birth"] = iso(draw(day))
    elif age == "expected":
        child["expected_date_of_birth"] = iso(draw(day))
    else:
        child["age_years"] = draw(st.integers(0, 25))
    record: dict[str, Any] = {"case_id": "PROP-1", "child": child, "people": people}
    starts = draw(st.lists(day, unique=True, max_size=3))
    record["plans"] = [
        {"start": iso(start), "category": draw(choice(PlanCategory)),
         **({"end": iso(start + timedelta(days=draw(st.integers(0, 900))))}
            if draw(st.booleans()) else {}),
         "actions": [
             {"id": f"A{n}", "action": "work", "owner": draw(st.sampled_from([*people_ids,
                                                                               *WORDS[:5]])),
              **draw(st.fixed_dictionaries({}, optional={
                  "due": day.map(iso), "timescale": st.just("ongoing"),
                  "outcome": st.just("safe"), "kind": token,
                  "involves": st.lists(someone, max_size=2, unique=True)}))}
             for n in range(draw(st.integers(0, 3)))
         ]}
        for start in starts
    ]
    record["meetings"] = draw(st.lists(meetings(someone), max_size=6))
    record["visits"] = [
        {"date": iso(d), "seen": draw(st.booleans()),
         **({"seen_alone": draw(st.booleans())} if draw(st.booleans()) else {})}
        for d in draw(st.lists(day, unique=True, max_size=5))
    ]
    dated = st.fixed_dictionaries
    record["referrals"] = draw(st.lists(dated({"date": day.map(iso)}, optional={
        "source": token, "outcome": token}), max_size=3))
    record["step_downs"] = draw(st.lists(dated({"date": day.map(iso)}, optional={
        "to": token}), max_size=2))
    record["child_voice"] = draw(st.lists(dated({"date": day.map(iso), "method": spelt_token},
                                                optional={"by": token, "agency": token}),
                                          max_size=4))
    record["recording"] = draw(st.lists(dated({"date": day.map(iso)}, optional={
        "agency": token, "views_of": st.lists(someone, max_size=2, unique=True)}), max_size=4))
    record["assessments"] = draw(st.lists(dated({"type": token}, optional={
        "start": day.map(iso), "completed": day.map(iso),
        "contributors": st.lists(someone, max_size=2, unique=True)}), max_size=2))
    record["tools"] = draw(st.lists(dated({"name": spelt_token}, optional={
        "date": day.map(iso), "by": token}), max_size=2))
    record["professionals"] = draw(st.lists(dated({"role": spelt_token}, optional={
        "agency": token, "from": day.map(iso), "to": day.map(iso)}), max_size=4))
    record["agency_records"] = draw(st.lists(dated({"agency": token}, optional={
        "shows_cp_plan": st.booleans(), "plan_documents_available": st.booleans(),
        "conference_minutes_on_file": st.booleans(),
        "flags": st.lists(dated({"flag": token}, optional={
            "from": day.map(iso), "to": day.map(iso)}), max_size=2)}), max_size=3))
    record["escalations"] = draw(st.lists(dated({"date": day.map(iso)}, optional={
        "raised_by": token, "resolved": day.map(iso)}), max_size=2))
    if draw(st.booleans()):
        record["involvement_start"] = iso(draw(day))
    return record


def meetings(someone: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    professional = st.fixed_dictionaries({"role": token}, optional={"agency": token})
    person = st.fixed_dictionaries({"person": someone})
    participant = st.tuples(professional | person, st.fixed_dictionaries({}, optional={
        "status": choice(Status), "report": st.booleans()})).map(lambda p: {**p[0], **p[1]})
    return st.fixed_dictionaries({
        "type": choice(MeetingType), "date": day.map(iso),
        # One participant per person or professional in a record: the format combines
        # them only across records.
        "participants": st.lists(participant, max_size=5, unique_by=_who),
    })


def _who(participant: dict[str, Any]) -> Any:
    return participant.get("person") or participant.get("role")


def checked(records: list[tuple[str, dict[str, Any]]], on: date) -> CaseResult:
    merged = merge_records(RawRecord(file, "", data) for file, data in records)
    assert merged.problems == [], [str(p) for p in merged.problems]
    (case,) = merged.cases
    return check_case(case, STANDARDS, on)


def outcomes(result: CaseResult) -> list[tuple[str, Outcome, int]]:
    """Each rule's outcome and how much evidence it gives (the evidence's wording may list
    entries of one date in the order they came)."""
    return [(r.rule, r.outcome, len(r.evidence)) for r in result.results]


# ---------------------------------------------------------------------------


@PROFILE
@given(case_records(), as_of)
def test_every_default_rule_checks_any_accepted_case(record: dict[str, Any], on: date) -> None:
    result = checked([("a.json", record)], on)
    assert [r.rule for r in result.results] == [rule.id for rule in STANDARDS.rules]
    assert all(r.outcome in Outcome for r in result.results)
    assert result.score is None or 0 <= result.score <= 100


def shuffled(value: Any, rnd: random.Random) -> Any:
    """Every list in the record in another order (ids and mappings unchanged)."""
    if isinstance(value, dict):
        return {key: shuffled(item, rnd) for key, item in value.items()}
    if isinstance(value, list):
        items = [shuffled(item, rnd) for item in value]
        rnd.shuffle(items)
        return items
    return value


@PROFILE
@given(case_records(), as_of, st.randoms(use_true_random=False))
def test_outcomes_do_not_depend_on_the_order_of_list_entries(
    record: dict[str, Any], on: date, rnd: random.Random
) -> None:
    first = checked([("a.json", record)], on)
    again = checked([("a.json", shuffled(record, rnd))], on)
    assert outcomes(again) == outcomes(first)
    assert (again.score, again.grade) == (first.score, first.grade)


LISTS = ("referrals", "step_downs", "child_voice", "recording", "assessments", "tools",
         "professionals", "agency_records", "escalations", "visits")


def split(record: dict[str, Any], parts: int, rnd: random.Random) -> list[dict[str, Any]]:
    """The record as `parts` agency records of one child, as the format merges them back."""
    out: list[dict[str, Any]] = [{"case_id": record["case_id"]} for _ in range(parts)]

    def some() -> list[dict[str, Any]]:  # one or more of the records
        return rnd.sample(out, rnd.randint(1, parts))

    child = dict(record["child"])
    needs = child.pop("needs", [])
    for target in some():
        target["child"] = dict(child)
    for need in needs:
        for target in some():
            target.setdefault("child", {}).setdefault("needs", []).append(need)
    for person in record["people"]:
        for target in some():
            target.setdefault("people", []).append(person)
    if "involvement_start" in record:
        for target in some():
            target["involvement_start"] = record["involvement_start"]
    for plan in record["plans"]:
        copies = some()
        for target in copies:
            head = {key: value for key, value in plan.items() if key not in ("end", "actions")}
            target.setdefault("plans", []).append({**head, "actions": []})
        for target in rnd.sample(copies, rnd.randint(1, len(copies))) if "end" in plan else []:
            target["plans"][-1]["end"] = plan["end"]
        for action in plan["actions"]:
            rnd.choice(copies)["plans"][-1]["actions"].append(action)
    for meeting in record["meetings"]:
        # A meeting's participants spread over the records that list it.
        copies = some()
        entries = [{**meeting, "participants": []} for _ in copies]
        for target, entry in zip(copies, entries, strict=True):
            target.setdefault("meetings", []).append(entry)
        for participant in meeting["participants"]:
            rnd.choice(entries)["participants"].append(participant)
    for name in LISTS:
        for entry in record[name]:
            for target in some():  # an entry given by several agencies is kept once
                target.setdefault(name, []).append(entry)
    return out


def distinct(record: dict[str, Any]) -> bool:
    """No two entries of a list alike, nor two meetings of a type on one day: within one
    record those are kept apart, across records they are one (as the format says)."""
    meetings = [(m["type"], m["date"]) for m in record["meetings"]]
    return len(set(meetings)) == len(meetings) and all(
        len({repr(sorted(e.items())) for e in record[name]}) == len(record[name])
        for name in LISTS
    )


@PROFILE
@given(case_records().filter(distinct), as_of, st.integers(2, 4),
       st.randoms(use_true_random=False))
def test_outcomes_do_not_depend_on_how_records_are_split_or_the_order_of_files(
    record: dict[str, Any], on: date, parts: int, rnd: random.Random
) -> None:
    whole = checked([("whole.json", record)], on)
    pieces = split(record, parts, rnd)
    files = [(f"agency-{n}.json", piece) for n, piece in enumerate(pieces)]
    in_order = checked(files, on)
    rnd.shuffle(files)
    reordered = checked([(file, shuffled(piece, rnd)) for file, piece in files], on)
    for result in (in_order, reordered):
        assert outcomes(result) == outcomes(whole)
        assert (result.score, result.grade) == (whole.score, whole.grade)


@PROFILE
@given(st.lists(case_records(), min_size=2, max_size=3), as_of,
       st.randoms(use_true_random=False))
def test_agency_records_merge_to_the_same_case_in_any_order(
    records: list[dict[str, Any]], on: date, rnd: random.Random
) -> None:
    for later in records[1:]:  # one child and one family, as the agencies' records share
        later.update(child=records[0]["child"], people=records[0]["people"])
    files = [(f"agency-{n}.json", record) for n, record in enumerate(records)]
    first = merge_records(RawRecord(file, "", data) for file, data in files)
    rnd.shuffle(files)
    again = merge_records(RawRecord(file, "", shuffled(data, rnd)) for file, data in files)
    assert (first.rejected, len(first.cases)) == (again.rejected, len(again.cases))
    for one, other in zip(first.cases, again.cases, strict=True):
        results = [check_case(case, STANDARDS, on) for case in (one, other)]
        assert outcomes(results[0]) == outcomes(results[1])
        assert results[0].score == results[1].score


def test_an_entry_from_two_agencies_with_its_lists_in_another_order_is_one_entry() -> None:
    base = {"case_id": "P", "child": {"age_years": 7},
            "people": [{"id": "mum", "relationship": "mother"}]}
    views = [["child", "mum"], ["mum", "child"]]
    flags = [[{"flag": "a"}, {"flag": "b"}], [{"flag": "b"}, {"flag": "a"}]]
    merged = merge_records(
        RawRecord(f"{n}.json", "", {**base, "recording": [{"date": "2022-01-05",
                                                           "views_of": views[n]}],
                                    "agency_records": [{"agency": "gp", "flags": flags[n]}]})
        for n in range(2)
    )
    (case,) = merged.cases
    assert (len(case.recording), len(case.agency_records)) == (1, 1)
