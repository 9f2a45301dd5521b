"""Each child's chronology: its dated entries, the gaps its not-met findings speak of, and
the one drawing of them (inline SVG in HTML, the same drawing as PNG in Word)."""

from __future__ import annotations

from datetime import date
from typing import Any

import check_helpers
import pytest

from cp_audit.report import REPORTERS, chronology, timeline
from cp_audit.report.chronology import Chronology
from cp_audit.report.prepare import Preparer
from cp_audit.run.audit import AuditRequest
from cp_audit.run.engine import check_case

STANDARDS = check_helpers.built(check_helpers.default_data())
AS_OF = date(2022, 9, 30)
PLAN = {"start": "2022-03-01", "category": "emotional_abuse"}
NURSE = {"role": "school_nurse", "status": "attended"}
SOCIAL_WORKER = {"role": "social_worker", "status": "attended"}


def _chronology(**record: Any) -> Chronology:
    case = check_helpers.case_of({"case_id": "T1", "child": {"age_years": 8}}, record)
    result = check_case(case, STANDARDS, AS_OF)
    return timeline.of_case(case, STANDARDS.spec, result.results, AS_OF)


def _core_groups(*days: str, with_health: bool = True) -> list[dict[str, Any]]:
    people = [NURSE, SOCIAL_WORKER] if with_health else [SOCIAL_WORKER]
    return [{"type": "core_group", "date": d, "participants": people} for d in days]


def test_every_kind_of_entry_in_its_lane_and_nothing_after_the_as_of_date() -> None:
    drawn = _chronology(
        plans=[PLAN],
        meetings=[
            {"type": "icpc", "date": "2022-02-20", "participants": [NURSE]},
            *_core_groups("2022-03-10", "2022-10-20"),
        ],
        visits=[{"date": "2022-03-05", "seen": True}, {"date": "2022-03-15", "seen": False}],
        child_voice=[{"date": "2022-03-05", "method": "direct_work"}],
    )
    assert [e.lane for e in drawn.entries] == [
        "plan", "conference", "core_group", "visit", "visit", "voice"
    ]
    assert drawn.lane("plan")[0].end is None  # still open on the as-of date
    assert [e.flag for e in drawn.lane("visit")] == ["", "not seen"]
    assert drawn.span == (date(2022, 2, 20), AS_OF)


def test_a_long_stretch_without_a_core_group_is_a_gap() -> None:
    drawn = _chronology(plans=[PLAN], meetings=_core_groups("2022-03-10", "2022-05-30"))
    stretches = [g for g in drawn.gaps if g.lane == "core_group"]
    assert [(g.start, g.end) for g in stretches] == [
        (date(2022, 3, 10), date(2022, 5, 30)),
        (date(2022, 5, 30), AS_OF),
    ]
    assert stretches[0].what == "no core group for 11 weeks"


def test_no_stretch_gap_where_the_core_groups_were_regular() -> None:
    days = [f"2022-{m:02d}-{d:02d}" for m, d in ((3, 10), (4, 15), (5, 20), (6, 24),
                                                   (8, 1), (9, 5))]
    drawn = _chronology(plans=[PLAN], meetings=_core_groups(*days))
    assert [g for g in drawn.gaps if g.lane == "core_group"] == []


def test_a_late_review_is_a_gap_from_the_day_it_was_due() -> None:
    drawn = _chronology(
        plans=[PLAN], meetings=[{"type": "rcpc", "date": "2022-07-01", "participants": [NURSE]}]
    )
    late = [g for g in drawn.gaps if g.what == "review late"]
    assert [(g.start, g.end) for g in late] == [(date(2022, 6, 1), date(2022, 7, 1))]


def test_a_meeting_without_a_health_professional_is_marked_only_where_the_rule_is_not_met(
) -> None:
    marked = _chronology(plans=[PLAN], meetings=_core_groups("2022-03-10", with_health=False))
    assert [e.flag for e in marked.lane("core_group")] == ["no health professional"]
    fine = _chronology(plans=[PLAN], meetings=_core_groups("2022-03-10"))
    assert [e.flag for e in fine.lane("core_group")] == [""]


def test_the_drawing_is_one_escaped_svg_with_a_mark_per_entry_and_gap() -> None:
    drawn = _chronology(
        plans=[PLAN],
        meetings=[*_core_groups("2022-03-10", with_health=False), *_core_groups("2022-06-01")],
    )
    svg = chronology.svg(drawn, "Chronology of <b>T1</b>")
    assert svg.startswith("<svg") and svg.endswith("</svg>") and svg.count("<svg") == 1
    assert "<b>" not in svg and "&lt;b&gt;T1&lt;/b&gt;" in svg
    assert " id=" not in svg  # ten drawings in one HTML page: no id to repeat
    legend = svg[svg.index("conference</text>") - 200 :]
    assert svg.count("<circle") - legend.count("<circle") == 2  # a core group each
    dashed = 'stroke-dasharray="3 2"'
    assert svg.count(dashed) - legend.count(dashed) == len(drawn.gaps) >= 1
    assert "no core group for" in svg


def test_no_entry_draws_an_empty_chart_that_says_so() -> None:
    svg = chronology.svg(Chronology(AS_OF, ()), "empty")
    assert "No dated entries by the as-of date." in svg


def test_the_table_rows_hold_every_entry_and_gap_in_date_order() -> None:
    drawn = _chronology(plans=[PLAN], meetings=_core_groups("2022-03-10"))
    rows = chronology.rows(drawn)
    assert rows == sorted(rows)
    assert len(rows) == len(drawn.entries) + len(drawn.gaps)


def test_the_png_is_the_same_drawing_rasterised() -> None:
    svg = chronology.svg(_chronology(plans=[PLAN]), "T1")
    picture = chronology.png(svg)
    if picture is None:
        pytest.skip("CairoSVG's Cairo library is not installed")
    assert picture.startswith(b"\x89PNG\r\n\x1a\n")


def test_the_preparer_adds_the_chronology_only_with_the_case_at_hand() -> None:
    case = check_helpers.case_of(
        {"case_id": "T1", "child": {"age_years": 8}}, {"plans": [PLAN]}
    )
    result = check_case(case, STANDARDS, AS_OF)
    rules = tuple(r.id for r in STANDARDS.rules)
    with_day = Preparer(rules, STANDARDS.spec, as_of=AS_OF)
    assert with_day.section(result, case).chronology is not None
    assert with_day.section(result).chronology is None
    assert Preparer(rules, STANDARDS.spec).section(result, case).chronology is None


@pytest.mark.parametrize(("chronologies", "kept"), [(True, True), (False, False)])
def test_a_run_keeps_chronologies_only_for_a_report_that_draws_them(
    chronologies: bool, kept: bool
) -> None:
    request = AuditRequest(
        paths=(), standards=STANDARDS, rules=STANDARDS.rules, as_of=AS_OF,
        chronologies=chronologies,
    )
    preparer = request.preparer
    assert preparer is not None
    case = check_helpers.case_of({"case_id": "T1", "child": {"age_years": 8}}, {"plans": [PLAN]})
    section = preparer.section(check_case(case, STANDARDS, AS_OF), case)
    assert (section.chronology is not None) == kept


def test_only_html_and_word_draw_chronologies() -> None:
    assert {name for name, r in REPORTERS.items() if r.draws_chronology} == {"html", "docx"}
