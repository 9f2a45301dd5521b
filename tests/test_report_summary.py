"""The report's content: counting, ordering, the good-practice rule, names, the books."""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from datetime import date

import pytest
from test_report_data import (
    CASE_IDS,
    NA,
    NOT_MET,
    REPORTED,
    case_result,
    case_results,
    content,
    make_run,
    standards_spec,
)

from cp_audit.report import REPORTERS, RenderOptions, wording
from cp_audit.report.build import build
from cp_audit.report.content import RuleLine
from cp_audit.results import CaseResult, Counts

HUMAN = ("text", "markdown", "html")


def _lines(lines: tuple[RuleLine, ...]) -> list[tuple[str, int, int, tuple[str, ...]]]:
    return [(line.rule, line.cases, line.applicable, line.case_ids) for line in lines]


def test_worries_are_n_of_applicable_most_frequent_first_ties_in_standards_order() -> None:
    # health-at-core-groups and health-at-conferences both have 1 case: the standards'
    # order puts core groups first (alphabetical order would not).
    assert _lines(content().worries) == [
        ("child-voice-regular", 3, 3, ("NS-01", "NS-02", "NS-03")),
        ("father-in-assessments", 2, 2, ("NS-01", "NS-03")),
        ("health-at-core-groups", 1, 2, ("NS-01",)),
        ("health-at-conferences", 1, 3, ("NS-02",)),
    ]


def test_good_practice_met_and_worry_met_only_with_a_good_practice_sentence() -> None:
    lines = content().good_practice
    assert _lines(lines) == [
        ("gp-report-to-conference", 2, 3, ("NS-01", "NS-03")),
        # A worry rule met, with a good-practice sentence: shown with that sentence.
        ("health-at-core-groups", 1, 2, ("NS-02",)),
    ]
    assert lines[1].sentence == "Health professionals attended core groups"
    # health-at-conferences is met in two cases but has no good-practice sentence;
    # advocacy-at-conference is never met.
    assert {line.rule for line in lines}.isdisjoint(
        {"health-at-conferences", "advocacy-at-conference"}
    )


def test_ties_follow_the_runs_rule_order_which_is_the_standards_order() -> None:
    # Every case has both health worries: 3 of 3 each, in the standards' order.
    cases = tuple(
        replace(
            case,
            results=tuple(
                replace(r, outcome=NOT_MET) if r.rule.startswith("health-at-") else r
                for r in case.results
            ),
        )
        for case in case_results()
    )
    worries = content(make_run(cases=cases)).worries
    ranked = [line.rule for line in worries if line.cases == 3]
    assert ranked == ["health-at-core-groups", "health-at-conferences", "child-voice-regular"]


def test_only_reported_rules_count() -> None:
    # As with --ignore child-voice-regular: neither the run's rules nor the results hold it.
    rules = tuple(r for r in REPORTED if r != "child-voice-regular")
    cases = tuple(
        replace(c, results=tuple(r for r in c.results if r.rule in rules))
        for c in case_results()
    )
    report = content(make_run(rules=rules, cases=cases))
    assert "child-voice-regular" not in {line.rule for line in report.worries}
    assert [t.theme for t in report.themes] == ["health", "fathers"]
    assert report.rules == rules
    # A rule the standards have but the run did not report never shows.
    for case in report.cases:
        assert [f.rule for f in case.findings] == list(rules)


def test_a_result_for_a_rule_not_reported_is_ignored() -> None:
    rules = tuple(r for r in REPORTED if r != "father-in-assessments")
    report = content(make_run(rules=rules))  # the cases still carry the rule's results
    assert "father-in-assessments" not in {line.rule for line in report.worries}
    assert all("father-in-assessments" not in {f.rule for f in c.findings} for c in report.cases)


def test_themes_for_learning_are_the_themes_with_a_worry_in_the_standards_order() -> None:
    themes = content().themes
    assert [t.theme for t in themes] == ["health", "voice", "fathers"]
    health = themes[0]
    assert health.what_we_found.startswith("Health professionals missing")
    assert health.what_needs_to_happen.startswith("Identify which health professional")
    assert [w.rule for w in health.worries] == ["health-at-core-groups", "health-at-conferences"]
    assert [link.is_web for link in health.resources] == [True, False]


def test_heading_counts_the_cases_ages_needs_and_agencies() -> None:
    h = content().heading
    assert (h.cases, h.rejected, h.problems) == (3, 1, 2)
    assert (h.age_min, h.age_max) == (2, 16)
    assert [(t.token, t.cases) for t in h.needs] == [
        ("domestic_abuse", 3),
        ("adhd", 1),
        ("neglect", 1),
    ]
    assert [(t.token, t.cases) for t in h.agencies] == [
        ("social_care", 3),
        ("gp", 2),
        ("police", 1),
    ]
    assert wording.children_sentence(h) == (
        "The 3 children in this audit were aged between 2 and 16 years old on 30 September 2022."
    )
    assert wording.needs_sentence(h) == (
        "The children have a range of needs including domestic abuse (3), ADHD (1) and neglect (1)."
    )
    assert wording.agencies_sentence(h) == (
        "Agencies whose records contributed: social care, GP and police."
    )


@pytest.mark.parametrize(
    ("token", "words"),
    [
        ("requires_improvement", "requires improvement"),
        ("adhd", "ADHD"),
        ("gp_surgery", "GP surgery"),
        ("youth_offending", "youth offending"),
        ("sends", "sends"),  # only whole words
        ("[bold]gp[/bold]", "[bold]gp[/bold]"),  # data, shown as written
    ],
)
def test_tokens_read_as_words_with_acronyms_in_capitals(token: str, words: str) -> None:
    assert wording.label(token) == words


@pytest.mark.parametrize(
    ("ages", "words"),
    [
        ((7,), "The child in this audit was aged 7 years old on"),
        ((-1, 4), "were aged from unborn to 4 years old on"),
        ((-1,), "was unborn on"),
        ((1, 1), "were aged 1 year old on"),
        ((None, 3), "(age not known for 1 case)"),
    ],
)
def test_the_childrens_ages(ages: tuple[int | None, ...], words: str) -> None:
    cases = tuple(replace(case_result(0), case_id=f"C{i}", age=age) for i, age in enumerate(ages))
    heading = content(make_run(cases=cases)).heading
    assert words in wording.children_sentence(heading)


def test_scores_are_shown_to_one_decimal_place() -> None:
    assert wording.score_text(200 / 3) == "66.7"
    assert wording.score_text(72.75) == "72.8"  # halves up, not to even
    assert wording.score_text(100.0) == "100.0"
    assert wording.score_text(None) == "no score"
    assert wording.round_score(800 / 11) == 72.7


def test_the_books() -> None:
    lines = wording.books_lines(content().data)
    assert lines == (
        "Files found: 8 = 7 read + 1 skipped (1 of those read rejected).",
        "Cases: 4 in = 3 checked + 1 rejected.",
    )
    incomplete = wording.books_lines(content(make_run(incomplete=True)).data)
    assert "cases may be incomplete" in incomplete[-1]


def test_no_cases_no_worries() -> None:
    report = content(make_run(cases=(), problems=(), counts=Counts(), skipped=()))
    assert report.worries == report.good_practice == ()
    assert report.themes == ()
    assert wording.children_sentence(report.heading) == "No case was checked."
    for name in HUMAN:
        REPORTERS[name].render_string(report)  # renders without failing


def _plain(name: str, text: str) -> str:
    if name == "html":
        return html.unescape(re.sub(r"<[^>]+>", "", text))
    return text


def _section(name: str, title: str) -> str:
    """How a format marks a section's heading."""
    return {"text": f"{title}\n{'-' * len(title)}\n", "markdown": f"\n## {title}\n"}.get(
        name, f"<h2>{title}</h2>"
    )


@pytest.mark.parametrize("name", HUMAN)
def test_sections_in_the_briefings_order(name: str) -> None:
    text = REPORTERS[name].render_string(content())
    heading = text.index("aged between 2 and 16")
    positions = [text.index(_section(name, title)) for title in wording.SECTION_TITLES]
    assert heading < positions[0]
    assert positions == sorted(positions)


@pytest.mark.parametrize("name", HUMAN)
def test_the_report_shows_n_of_a_with_the_case_ids(name: str) -> None:
    text = _plain(name, REPORTERS[name].render_string(content(), RenderOptions(width=200)))
    worries = text[text.index(wording.WORRIES_TITLE) : text.index(wording.GOOD_PRACTICE_TITLE)]
    order = [
        worries.index("Lack of evidence of the voice of the child"),
        worries.index("Fathers not included in assessments"),
        worries.index("No health professional at core groups"),
        worries.index("No health professional at child protection conferences"),
    ]
    assert order == sorted(order)
    assert "3 of 3 cases" in worries and "1 of 2 cases" in worries
    assert "NS-01, NS-02, NS-03" in worries
    good = text[text.index(wording.GOOD_PRACTICE_TITLE) : text.index(wording.THEMES_TITLE)]
    assert "Health professionals attended core groups" in good
    assert "A health professional at every conference" not in good


@pytest.mark.parametrize("name", HUMAN)
def test_the_caveat_is_in_every_human_report(name: str) -> None:
    text = _plain(name, REPORTERS[name].render_string(content(), RenderOptions(width=200)))
    assert wording.CAVEAT in text


@pytest.mark.parametrize("name", [*HUMAN, "json", "csv", "junit"])
def test_names_appear_only_when_the_run_carries_them(name: str) -> None:
    reporter = REPORTERS[name]
    hidden = reporter.render_string(content())
    assert "Amy Example" not in hidden
    cases = (case_result(0, name="Amy Example"), *case_results()[1:])
    shown = reporter.render_string(content(make_run(cases=cases)), RenderOptions(width=200))
    assert "Amy Example" in _plain(name, shown)
    assert "None" not in _plain(name, shown).replace("Test standards", "")


@pytest.mark.parametrize("name", ["text", "markdown"])
def test_the_name_is_beside_the_case_id(name: str) -> None:
    cases = (case_result(0, name="Amy Example"), *case_results()[1:])
    text = REPORTERS[name].render_string(content(make_run(cases=cases)))
    assert "NS-01 (Amy Example)" in text.replace("\\", "")


def test_every_data_problem_with_every_file() -> None:
    for name in HUMAN:
        text = _plain(name, REPORTERS[name].render_string(content(), RenderOptions(width=200)))
        data = text[text.index(wording.DATA_TITLE) :].replace("\\", "")
        for file in ("cases/bad.json", "cases/ns-09-social-care.yaml", "cases/ns-09-gp.json"):
            assert file in data, (name, file)
        assert "line 3, column 7" in data
        assert "NS-09" in data
        assert "cases/notes.docx" in data and "Skipped: 1 file." in data
        assert "Cases: 4 in = 3 checked + 1 rejected." in data


def test_rule_results_are_in_the_standards_order_whatever_the_case_holds() -> None:
    case = case_result(1)
    shuffled: CaseResult = replace(case, results=tuple(reversed(case.results)))
    report = content(make_run(cases=(shuffled,)))
    assert [f.rule for f in report.cases[0].findings] == list(REPORTED)
    assert [f.outcome for f in report.cases[0].findings][4] == NA


def test_content_is_built_from_standards_or_their_spec() -> None:
    report = content()
    assert report.as_of == date(2022, 9, 30)
    assert report.tool_version == "9.9.9"
    assert [c.case_id for c in report.cases] == list(CASE_IDS)


# --------------------------------------------------------------------------- the title


def test_the_standards_are_the_title_when_the_audit_has_no_name() -> None:
    for name in (None, "", "   "):
        built = build(make_run(), standards_spec(), audit_name=name)
        assert wording.title_lines(built.heading) == ("Test standards, version 2022.1", None)
    text = REPORTERS["text"].render_string(content())
    assert text.startswith("Test standards, version 2022.1\n==============================\n")


def test_an_audit_name_is_the_title_with_the_standards_under_it() -> None:
    built = build(make_run(), standards_spec(), audit_name=" Neglect audit, May 2023 ")
    assert wording.title_lines(built.heading) == (
        "Neglect audit, May 2023", "Standards: Test standards, version 2022.1."
    )
    text = REPORTERS["text"].render_string(built)
    assert text.startswith(
        "Neglect audit, May 2023\n=======================\n"
        "Standards: Test standards, version 2022.1.\n"
    )
    markdown = REPORTERS["markdown"].render_string(built)
    assert markdown.startswith(
        "# Neglect audit, May 2023\n\nStandards: Test standards, version 2022.1.\n\n"
    )
    page = REPORTERS["html"].render_string(built)
    assert "<h1>Neglect audit, May 2023</h1>" in page
    assert "<title>Neglect audit, May 2023: audit as of 30 September 2022</title>" in page


def test_an_audit_name_is_escaped_like_any_other_text() -> None:
    name = "<script>alert(1)</script> # *x* \x1b[31m"
    built = build(make_run(), standards_spec(), audit_name=name)
    assert "<script>" not in REPORTERS["html"].render_string(built)
    markdown = REPORTERS["markdown"].render_string(built)
    assert markdown.startswith("# &lt;script&gt;") and "\\*x\\*" in markdown.splitlines()[0]
    assert "\x1b" not in REPORTERS["text"].render_string(built)
    report = REPORTERS["json"].render_string(built)
    assert "\x1b" not in report and json.loads(report)["audit"] == {"name": name.strip()}
