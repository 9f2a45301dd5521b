"""The JUnit XML report: for CI dashboards that show test results.

- One `<testsuite>` per case (name: the case id), one `<testcase>` per rule
  (classname: the theme, name: the rule id).
- A worry (a worry rule's `not_met`) is a `<failure>` whose message is the
  rule's worry sentence and whose text is the evidence, one item a line.
- `not_applicable` is `<skipped>`, and so is `not_covered`, its message the
  evidence (the parts the case's records do not cover, and its sources). Every
  other outcome passes: a good-practice rule's `not_met` is good practice not
  seen, not a failure.
- Rejected files and cases make one more suite, "data problems", with an
  `<error>` per problem (every file involved, the case, where, and why); when
  some input names no case, its first test, "cases may be incomplete", is an
  `<error>` that says so and lists that input (file, agency).
- Data warnings (`case.warnings`) make a suite "data warnings": a testcase
  each that passes, with the warning in its `<system-out>` (CI shows it and
  the build stays green); with `--strict` each is a `<failure type="warning">`.
- `tests`, `failures`, `errors` and `skipped` are counted on every suite and
  totalled on `<testsuites>`; no timestamp or duration, so that the same run
  gives the same file.
- Every value is cleaned (`_text.clean_xml`: no control character, nothing XML
  1.0 forbids) and escaped by ElementTree.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

from cp_audit.report import wording
from cp_audit.report._text import clean_xml
from cp_audit.report.content import CaseSection, Heading, ReportContent
from cp_audit.report.interface import DEFAULT_OPTIONS, RenderOptions, Reporter
from cp_audit.results import Outcome, Problem

DATA_SUITE = "data problems"
INCOMPLETE_TEST = "cases may be incomplete"  # the data suite's test when input names no case


@dataclass(frozen=True, slots=True)
class _Totals:
    tests: int = 0
    failures: int = 0
    errors: int = 0
    skipped: int = 0

    def __add__(self, other: _Totals) -> _Totals:
        return _Totals(
            self.tests + other.tests,
            self.failures + other.failures,
            self.errors + other.errors,
            self.skipped + other.skipped,
        )

    def attributes(self) -> dict[str, str]:
        return {
            "tests": str(self.tests),
            "failures": str(self.failures),
            "errors": str(self.errors),
            "skipped": str(self.skipped),
        }


_SKIPPED = (Outcome.NOT_APPLICABLE, Outcome.NOT_COVERED)


def _case_totals(case: CaseSection) -> _Totals:
    return _Totals(
        tests=len(case.findings),
        failures=len(case.worries),
        skipped=sum(1 for f in case.findings if f.outcome in _SKIPPED),
    )


def _element(tag: str, attributes: dict[str, str], text: str | None = None) -> ET.Element:
    element = ET.Element(tag, {key: clean_xml(value) for key, value in attributes.items()})
    if text:
        element.text = text
    return element


def _lines(items: tuple[str, ...]) -> str:
    return "\n".join(clean_xml(item) for item in items)


def _case_suite(case: CaseSection) -> ET.Element:
    suite = _element("testsuite", {"name": case.case_id, **_case_totals(case).attributes()})
    properties = ET.SubElement(suite, "properties")
    facts = [("score", case.score_text), ("grade", case.grade)]
    if case.score_basis is not None:
        facts.insert(1, ("score_basis", case.score_basis))
    if case.moderated:
        facts += [("tool_score", wording.score_text(case.tool_score)),
                  ("tool_grade", case.tool_grade or case.grade)]
    if case.name:
        facts.insert(0, ("name", case.name))
    facts += [("source", file) for file in case.files]
    for key, value in facts:
        properties.append(_element("property", {"name": key, "value": value}))
    for finding in case.findings:
        test = _element("testcase", {"classname": finding.theme, "name": finding.rule})
        if finding.is_worry:
            test.append(
                _element(
                    "failure",
                    {"message": finding.sentence or finding.title, "type": "worry"},
                    _lines(finding.evidence),
                )
            )
        elif finding.outcome == Outcome.NOT_APPLICABLE:
            test.append(
                _element("skipped", {"message": "not applicable"}, _lines(finding.evidence))
            )
        elif finding.outcome == Outcome.NOT_COVERED:
            message = "; ".join(finding.evidence) or "not covered"
            test.append(_element("skipped", {"message": message}, _lines(finding.evidence)))
        if finding.moderation is not None:  # the meeting's decision, in the auditors' words
            note = wording.moderated_text(finding.outcome, finding.tool, finding.moderation)
            flag = wording.moderation_flag(finding.moderation)
            test.append(_element("system-out", {}, _lines((note, *([flag] if flag else [])))))
        suite.append(test)
    return suite


def _problem_name(problem: Problem) -> str:
    files = ", ".join(wording.problem_files(problem)) or "input"
    return files if problem.case_id is None else f"case {problem.case_id} ({files})"


def _data_totals(problems: tuple[Problem, ...], heading: Heading) -> _Totals:
    """An error per problem, and one when input names no case (cases may be incomplete)."""
    tests = len(problems) + (1 if wording.incomplete_notice(heading) else 0)
    return _Totals(tests=tests, errors=tests)


def _data_suite(problems: tuple[Problem, ...], heading: Heading) -> ET.Element:
    incomplete = wording.incomplete_notice(heading)
    totals = _data_totals(problems, heading)
    suite = _element("testsuite", {"name": DATA_SUITE, **totals.attributes()})
    if incomplete:  # first: a CI dashboard's reader sees it before the problems' list
        suite.append(_incomplete_case(incomplete, heading))
    for problem in problems:
        test = _element("testcase", {"classname": "data_problems", "name": _problem_name(problem)})
        detail = [f"file: {f}" for f in wording.problem_files(problem)]
        if problem.case_id is not None:
            detail.append(f"case: {problem.case_id}")
        if problem.location:
            detail.append(f"where: {problem.location}")
        detail.append(f"problem: {problem.message}")
        attributes = {"message": problem.message, "type": "rejected"}
        test.append(_element("error", attributes, _lines(tuple(detail))))
        suite.append(test)
    return suite


def _incomplete_case(notice: str, heading: Heading) -> ET.Element:
    test = _element("testcase", {"classname": "data_problems", "name": INCOMPLETE_TEST})
    detail = tuple(wording.unattributed_text(entry) for entry in heading.unattributed)
    test.append(_element("error", {"message": notice, "type": "incomplete"}, _lines(detail)))
    return test


WARNING_SUITE = "data warnings"


def _warning_totals(warnings: tuple[Problem, ...], *, strict: bool) -> _Totals:
    return _Totals(tests=len(warnings), failures=len(warnings) if strict else 0)


def _warning_suite(warnings: tuple[Problem, ...], *, strict: bool) -> ET.Element:
    totals = _warning_totals(warnings, strict=strict)
    suite = _element("testsuite", {"name": WARNING_SUITE, **totals.attributes()})
    for warning in warnings:
        test = _element("testcase", {"classname": "data_warnings", "name": _problem_name(warning)})
        text = _lines((f"warning: {wording.problem_where(warning)}: {warning.message}",))
        if strict:
            test.append(_element("failure", {"message": warning.message, "type": "warning"}, text))
        else:
            test.append(_element("system-out", {}, text))
        suite.append(test)
    return suite


# What an attribute value in double quotes must not hold as itself (xml.sax.saxutils has
# quoteattr, but importing it imports urllib.request and ssl: a tenth of `--help`'s time).
_IN_ATTRIBUTE = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;",
     "\t": "&#9;"}
)


def _attribute(value: str) -> str:
    return value.translate(_IN_ATTRIBUTE)


class JunitReporter(Reporter):
    name = "junit"
    extensions = (".xml",)
    description = "JUnit XML for CI dashboards (a suite per case, a test per rule)"

    def render(
        self, content: ReportContent, options: RenderOptions = DEFAULT_OPTIONS
    ) -> Iterator[str]:
        problems, warnings = content.data.problems, content.data.warnings
        data = _data_totals(problems, content.heading)
        totals = sum((_case_totals(case) for case in content.cases), _Totals()) + data
        totals += _warning_totals(warnings, strict=content.data.strict)
        attributes = {
            "name": f"{content.tool_name}: {content.standards.name} {content.standards.version}",
            **totals.attributes(),
        }
        opening = " ".join(
            f'{key}="{_attribute(clean_xml(value))}"' for key, value in attributes.items()
        )
        yield f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites {opening}>\n'
        yield from self.case_chunks(content.cases, options)
        if data.tests:
            yield self._suite(_data_suite(problems, content.heading))
        if warnings:
            yield self._suite(_warning_suite(warnings, strict=content.data.strict))
        yield "</testsuites>\n"

    def case_chunk(self, case: CaseSection, options: RenderOptions = DEFAULT_OPTIONS) -> str:
        return self._suite(_case_suite(case))

    @staticmethod
    def _suite(suite: ET.Element) -> str:
        ET.indent(suite, space="  ", level=1)
        return "  " + ET.tostring(suite, encoding="unicode") + "\n"
