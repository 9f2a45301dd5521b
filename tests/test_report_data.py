"""A small run for the reporters' tests: three cases, a rejected file and case, a skipped file.

The other `test_report_*` modules import `standards_spec`, `make_run` and
`content` from here. The standards are built in the test (not loaded from
default.yaml), so the reporters are tested on their own. The cases' results
are prepared into a spool by the `Preparer` a check run uses, so that the
reporters read them as they read a run's.

Worries (standards order: health-at-core-groups, health-at-conferences,
child-voice-regular, father-in-assessments):

| rule                   | NS-01   | NS-02   | NS-03   | shown as        |
|------------------------|---------|---------|---------|-----------------|
| health-at-core-groups  | not_met | met     | n/a     | 1 of 2 cases    |
| health-at-conferences  | met     | not_met | met     | 1 of 3 cases    |
| child-voice-regular    | not_met | not_met | not_met | 3 of 3 cases    |
| father-in-assessments  | not_met | n/a     | not_met | 2 of 2 cases    |

Good practice: gp-report-to-conference met in NS-01 and NS-03 (2 of 3);
health-at-core-groups met in NS-02 (it has a good-practice sentence: 1 of 2);
health-at-conferences' met is not good practice (no sentence);
advocacy-at-conference is never met.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date
from functools import partial
from typing import Any

from cp_audit.report import DEFAULT_OPTIONS, REPORTERS
from cp_audit.report.build import build
from cp_audit.report.content import ReportContent
from cp_audit.report.interface import Output
from cp_audit.report.prepare import Preparer
from cp_audit.results import (
    CaseResult,
    Counts,
    Kind,
    Outcome,
    Problem,
    RuleResult,
    RunResult,
    SkippedFile,
    StandardsInfo,
)
from cp_audit.standards.spec import StandardsSpec

MET, NOT_MET, NA = Outcome.MET, Outcome.NOT_MET, Outcome.NOT_APPLICABLE
WORRY, GOOD = Kind.WORRY, Kind.GOOD_PRACTICE

RESOURCE_URL = "https://www.gov.uk/government/publications/working-together-to-safeguard-children--2"

RULES: list[dict[str, Any]] = [
    {
        "id": "health-at-core-groups",
        "theme": "health",
        "kind": "worry",
        "title": "A health professional at core groups",
        "worry": "No health professional at core groups",
        "good_practice": "Health professionals attended core groups",
        "check": "test",
    },
    {
        "id": "health-at-conferences",
        "theme": "health",
        "kind": "worry",
        "title": "A health professional at every conference",
        "worry": "No health professional at child protection conferences",
        "check": "test",
    },
    {
        "id": "gp-report-to-conference",
        "theme": "health",
        "kind": "good_practice",
        "title": "GP report to a conference",
        "good_practice": "GP report to child protection conference",
        "weight": 0,
        "check": "test",
    },
    {
        "id": "child-voice-regular",
        "theme": "voice",
        "kind": "worry",
        "title": "The child's voice heard regularly during the plan",
        "worry": "Lack of evidence of the voice of the child",
        "check": "test",
    },
    {
        "id": "father-in-assessments",
        "theme": "fathers",
        "kind": "worry",
        "title": "Fathers contribute to assessments",
        "worry": "Fathers not included in assessments",
        "check": "test",
    },
    {
        "id": "advocacy-at-conference",
        "theme": "multi_agency",
        "kind": "good_practice",
        "title": "Advocacy at a conference",
        "good_practice": "Advocacy report at child protection conference",
        "weight": 0,
        "check": "test",
    },
    {  # in the standards, not reported (as with --ignore)
        "id": "plan-documents-available",
        "theme": "records",
        "kind": "worry",
        "title": "Plan documents available to agencies that know of the plan",
        "worry": "Record shows a plan but the plan documents are not available",
        "check": "test",
    },
]

THEMES: dict[str, Any] = {
    "health": {
        "title": "Health professionals at child protection meetings",
        "what_we_found": "Health professionals missing from core groups and conferences.",
        "what_needs_to_happen": "Identify which health professional is best placed to attend.",
        "resources": [
            {"title": "Working Together to Safeguard Children", "url": RESOURCE_URL},
            {"title": "A local leaflet", "url": "javascript:alert(1)"},
        ],
    },
    "voice": {
        "title": "Voice of the child",
        "what_we_found": "The voice of the child is not being heard.",
        "what_needs_to_happen": "Ensure children's views are heard and recorded.",
    },
    "fathers": {
        "title": "Fathers",
        "what_we_found": "Fathers not routinely included.",
        "what_needs_to_happen": "Make work with fathers routine.",
    },
    "records": {
        "title": "Agency records",
        "what_we_found": "Agency records that contradict the plan.",
        "what_needs_to_happen": "Remove contradictory flags.",
    },
    "multi_agency": {
        "title": "Multi-agency working",
        "what_we_found": "Multi-agency working.",
        "what_needs_to_happen": "Escalate professional differences.",
    },
}

REPORTED = (
    "health-at-core-groups",
    "health-at-conferences",
    "gp-report-to-conference",
    "child-voice-regular",
    "father-in-assessments",
    "advocacy-at-conference",
)

_OUTCOMES: dict[str, tuple[Outcome, Outcome, Outcome]] = {
    "health-at-core-groups": (NOT_MET, MET, NA),
    "health-at-conferences": (MET, NOT_MET, MET),
    "gp-report-to-conference": (MET, NOT_MET, MET),
    "child-voice-regular": (NOT_MET, NOT_MET, NOT_MET),
    "father-in-assessments": (NOT_MET, NA, NOT_MET),
    "advocacy-at-conference": (NOT_MET, NA, NOT_MET),
}

CASE_IDS = ("NS-01", "NS-02", "NS-03")


def standards_spec() -> StandardsSpec:
    return StandardsSpec.model_validate(
        {
            "name": "Test standards",
            "version": "2022.1",
            "grades": [
                {"grade": "outstanding", "min_score": 95},
                {"grade": "good", "min_score": 80},
                {"grade": "requires_improvement", "min_score": 60},
                {"grade": "inadequate", "min_score": 0},
            ],
            "themes": THEMES,
            "rules": RULES,
        }
    )


def _kind(rule_id: str) -> Kind:
    return next(Kind(r["kind"]) for r in RULES if r["id"] == rule_id)


def _theme(rule_id: str) -> str:
    return next(str(r["theme"]) for r in RULES if r["id"] == rule_id)


def rule_result(rule_id: str, outcome: Outcome, *evidence: str) -> RuleResult:
    weight = 0.0 if _kind(rule_id) == GOOD else 1.0
    if not evidence and outcome != NA:
        evidence = (f"{rule_id}: evidence",)
    return RuleResult(rule_id, _theme(rule_id), _kind(rule_id), outcome, evidence, weight)


def case_result(index: int, **changes: Any) -> CaseResult:
    results = tuple(rule_result(rule, _OUTCOMES[rule][index]) for rule in REPORTED)
    stem = f"cases/{CASE_IDS[index].lower()}"
    case = CaseResult(
        case_id=CASE_IDS[index],
        files=(f"{stem}-social-care.yaml", f"{stem}-gp.json"),
        agencies=(("gp", "social_care", "police"), ("gp", "social_care"), ("social_care",))[index],
        age=(2, 16, 7)[index],
        needs=(("domestic_abuse", "neglect"), ("domestic_abuse",), ("adhd", "domestic_abuse"))[
            index
        ],
        score=(25.0, 200 / 3, 50.0)[index],
        grade=("inadequate", "requires_improvement", "inadequate")[index],
        results=results,
    )
    return replace(case, **changes)


PROBLEMS = (
    Problem(
        message="not an ISO date: '03/04/2022' (use YYYY-MM-DD)",
        file="cases/bad.json",
        files=("cases/bad.json",),
        location="line 3, column 7",
    ),
    Problem(
        message="child.date_of_birth: the records disagree",
        files=("cases/ns-09-social-care.yaml", "cases/ns-09-gp.json"),
        case_id="NS-09",
    ),
)

SKIPPED = (SkippedFile("cases/notes.docx", "not a .json, .jsonl, .yaml or .yml file"),)


def case_results() -> tuple[CaseResult, ...]:
    return tuple(case_result(i) for i in range(3))


def make_run(
    cases: Sequence[CaseResult] | None = None,
    *,
    rules: tuple[str, ...] = REPORTED,
    outputs: Iterable[Output] = (),
    **changes: Any,
) -> RunResult:
    """The sample run (or one of `cases`), each case prepared as a check run prepares it,
    with its chunk of each document in `outputs` (none: the reporters make their own)."""
    results = case_results() if cases is None else cases
    run = RunResult(
        standards=StandardsInfo("Test standards", "2022.1", "ab" * 32, "standards.yaml"),
        as_of=date(2022, 9, 30),
        cases=Preparer(rules, standards_spec(), outputs).spool(results),
        problems=PROBLEMS,
        counts=Counts(
            files_found=8,
            files_read=7,
            files_skipped=1,
            files_rejected=1,
            cases_loaded=3,
            cases_rejected=1,
        ),
        skipped=SKIPPED,
        rules=rules,
    )
    return replace(run, **changes)


def content(run: RunResult | None = None) -> ReportContent:
    return build(run or make_run(), standards_spec(), tool_version="9.9.9")


def test_the_sample_run_is_consistent() -> None:
    run = make_run()
    counts = run.counts
    assert counts.files_found == counts.files_read + counts.files_skipped
    assert counts.cases_loaded == len(run.cases)
    assert all(tuple(r.rule for r in case.results) == REPORTED for case in case_results())
    assert all(tuple(f.rule for f in case.findings) == REPORTED for case in run.cases)


SCRIPT = "<script>alert(1)</script>"
ESC_RED = "\x1b[31mred\x1b[0m"
HOSTILE_EVIDENCE = (
    SCRIPT,
    ESC_RED,
    "[red]not markup[/red] :smile:",
    "a | b\nc\r\nd",
    '=HYPERLINK("http://evil.example/","click")',
    "+1",
    "-2",
    "@SUM(A1)",
    "\tTAB",
    "\rCR",
    "# not a heading",
    "*not bold* _nor this_ `nor code`",
    "[a link](http://evil.example/) ![img](http://evil.example/i.png)",
    "bidi \u202eevil\u202c text",
    "bell\x07 and nul\x00 and c1\x9b31m",
)


def hostile_case() -> CaseResult:
    """A case whose every string tries to be markup, a formula or a terminal command."""
    case = case_result(
        0,
        case_id=SCRIPT,
        files=(f"cases/{ESC_RED}.yaml", "cases/=cmd|' /C calc'!A0.json"),
        agencies=("[bold]gp[/bold]",),
        needs=("<b>neglect</b>",),
    )
    results = tuple(
        replace(r, evidence=HOSTILE_EVIDENCE) if r.rule == "child-voice-regular" else r
        for r in case.results
    )
    return replace(case, results=results)


def hostile_run(**changes: Any) -> RunResult:
    """A run whose every case-derived string tries to be markup, a formula or a terminal command."""
    problem = Problem(
        message=f"bad {SCRIPT} {ESC_RED}",
        file=f"cases/{SCRIPT}.json",
        files=(f"cases/{SCRIPT}.json",),
        case_id="=1+1",
        location="line 1\x1b[2J",
    )
    skipped = (SkippedFile(ESC_RED, SCRIPT),)
    return make_run((hostile_case(),), problems=(problem,), skipped=skipped, **changes)



def test_every_format_is_the_same_whether_the_chunks_were_prepared_or_not() -> None:
    # A check run prepares each case's chunk of the documents it writes; a report
    # written otherwise (another width, another format) makes them from the sections.
    named = (case_result(0, name="Amy Example"), *case_results()[1:])
    runs: list[Callable[..., RunResult]] = [
        make_run,
        partial(make_run, ()),
        partial(make_run, named),
        hostile_run,
    ]
    for run in runs:
        text = {name: r for name, r in REPORTERS.items() if not r.binary}  # Word: no chunks
        made, plain = run(outputs=[(name, DEFAULT_OPTIONS) for name in text]), run()
        assert made.cases.outputs and not plain.cases.outputs
        for name, reporter in text.items():
            expected = reporter.render_string(content(plain))
            assert reporter.render_string(content(made)) == expected, (run, name)
