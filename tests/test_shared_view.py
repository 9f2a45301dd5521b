"""The rules of a case share one view of it (`CaseView.memo`, `checks._participants`):
what one rule works out is kept for the next. A rule's result must not depend on that:
checked alone, with all the others, or with them in the reverse order, each rule gives
the same outcome and the same evidence, word for word (unknown tokens included)."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from test_properties import PROFILE, STANDARDS, as_of, case_records

from cp_audit.case.combining import Checked, merge
from cp_audit.case.merging import validate_record
from cp_audit.case.model import CaseRecord
from cp_audit.case.values import MeetingType, Status
from cp_audit.case.warnings import case_warnings
from cp_audit.checks.base import CaseView, PerObject
from cp_audit.inputs.interface import RawRecord
from cp_audit.run.engine import check_case
from cp_audit.standards.vocabulary import known_tokens

KNOWN = known_tokens(STANDARDS)


def _checked(record: dict[str, Any], on: date) -> tuple[Any, Any]:
    raw = RawRecord("a.json", "", record)
    valid = validate_record(raw)
    assert isinstance(valid, CaseRecord), valid
    checked = [Checked(raw.file, raw.place, 0, valid, raw.offset)]
    case, problems = merge(valid.case_id, checked)
    assert case is not None, problems
    return case, case_warnings(case, checked, KNOWN, on)


# Meetings whose participants the rules look for, often: a few roles (one unknown),
# family members who are fathers, every status, reports.
_ROLES = ["gp", "health_visitor", "advocate", "childminder", "social_worker", "unknown_word"]
_participant = st.builds(
    lambda who, agency, status, report: {**who, **agency, "status": status, "report": report},
    st.sampled_from([{"role": r} for r in _ROLES] + [{"person": "dad"}, {"person": "mum"}]),
    st.sampled_from([{}, {"agency": "gp"}, {"agency": "nhs"}, {"agency": "unknown_word"}]),
    st.sampled_from([s.value for s in Status]),
    st.booleans(),
)
_meeting = st.fixed_dictionaries({
    "type": st.sampled_from([t.value for t in MeetingType]),
    "date": st.dates(date(2022, 1, 1), date(2022, 6, 30)).map(date.isoformat),
    # One participant per person or professional in a record, as the format has it.
    "participants": st.lists(_participant, max_size=6,
                             unique_by=lambda p: p.get("person") or p.get("role")),
})


@st.composite
def meeting_cases(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "case_id": "PROP-1", "child": {"age_years": 4},
        "people": [{"id": "dad", "relationship": "father"},
                   {"id": "mum", "relationship": "mother"}],
        "plans": [{"start": "2022-01-10", "category": "neglect"}],
        "professionals": draw(st.lists(st.sampled_from([{"role": r} for r in _ROLES]), max_size=2)),
        "meetings": draw(st.lists(_meeting, max_size=8)),
    }


@PROFILE
@given(st.tuples(case_records(), as_of) | st.tuples(meeting_cases(), st.just(date(2022, 6, 30))))
def test_each_rule_gives_the_same_result_alone_and_with_the_others(
    drawn: tuple[dict[str, Any], date],
) -> None:
    record, on = drawn
    case, warnings = _checked(record, on)
    together = check_case(case, STANDARDS, on, warnings=warnings).results
    backwards = check_case(case, STANDARDS, on, STANDARDS.rules[::-1], warnings=warnings)
    assert backwards.results[::-1] == together
    for rule, shared in zip(STANDARDS.rules, together, strict=True):
        (alone,) = check_case(case, STANDARDS, on, [rule], warnings=warnings).results
        assert alone == shared


def test_a_drawn_case_can_hold_unknown_tokens() -> None:
    # The property above is about evidence with unknown tokens too: such a case exists.
    record = {
        "case_id": "PROP-1", "child": {"age_years": 4},
        "meetings": [{"type": "core_group", "date": "2022-01-24",
                      "participants": [{"role": "unknown_word"}]}],
    }
    case, warnings = _checked(record, date(2022, 6, 30))
    assert [u.token for u in warnings.unknown] == ["unknown_word"]
    (result,) = check_case(case, STANDARDS, date(2022, 6, 30), [STANDARDS.rule(
        "health-at-core-groups")], warnings=warnings).results
    assert any("unknown role" in line for line in result.evidence)


def test_the_views_derived_lists_read_from_the_class_are_their_descriptors() -> None:
    # help(CaseView) and autodoc read them from the class, with no case at hand.
    derived = [name for name, value in vars(CaseView).items() if type(value).__name__ == "_Once"]
    assert derived, "no derived list found"
    for name in derived:
        assert getattr(CaseView, name) is vars(CaseView)[name]


def test_per_object_works_each_object_out_once_and_tells_equal_objects_apart() -> None:
    made: list[object] = []

    def make(key: object) -> int:
        made.append(key)
        return len(made)

    per = PerObject(make, most=2)
    first, second = [1], [1]  # equal, not the same object
    assert (per(first), per(first), per(second)) == (1, 1, 2)
    assert per([2]) == 3  # a third object: the full cache starts again
    assert per(first) == 4
