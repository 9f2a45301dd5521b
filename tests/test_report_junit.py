"""The JUnit report, read back with junitparser: counts, failures, skips, errors."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from junitparser import Error, Failure, JUnitXml, Skipped
from test_report_data import REPORTED, SCRIPT, content, hostile_run

from cp_audit.report import REPORTERS
from cp_audit.report.junit import DATA_SUITE

JUNIT = REPORTERS["junit"]


def _read(text: str) -> JUnitXml:
    return JUnitXml.fromstring(text.encode())  # bytes: lxml (python-docx brings it) refuses str


def test_a_suite_per_case_and_a_test_per_rule() -> None:
    xml = _read(JUNIT.render_string(content()))
    suites = list(xml)
    assert [s.name for s in suites] == ["NS-01", "NS-02", "NS-03", DATA_SUITE]
    for suite in suites[:3]:
        assert [case.name for case in suite] == list(REPORTED)
    first = [(case.classname, case.name) for case in suites[0]]
    assert first[0] == ("health", "health-at-core-groups")
    assert first[3] == ("voice", "child-voice-regular")


def test_worries_fail_not_applicable_skips_good_practice_not_met_passes() -> None:
    suites = {s.name: s for s in _read(JUNIT.render_string(content()))}
    ns02 = {case.name: case for case in suites["NS-02"]}
    failed = ns02["health-at-conferences"].result
    assert len(failed) == 1 and isinstance(failed[0], Failure)
    assert failed[0].message == "No health professional at child protection conferences"
    assert failed[0].text == "health-at-conferences: evidence"
    assert isinstance(ns02["father-in-assessments"].result[0], Skipped)
    # gp-report-to-conference is not_met in NS-02: good practice not seen is a pass.
    assert ns02["gp-report-to-conference"].is_passed
    assert ns02["health-at-core-groups"].is_passed  # a worry met


def test_the_counts_are_right() -> None:
    xml = _read(JUNIT.render_string(content()))
    expected = {  # tests, failures, errors, skipped
        "NS-01": (6, 3, 0, 0),
        "NS-02": (6, 2, 0, 2),
        "NS-03": (6, 2, 0, 1),
        DATA_SUITE: (2, 0, 2, 0),
    }
    for suite in xml:
        written = (suite.tests, suite.failures, suite.errors, suite.skipped)
        counted = (
            len(list(suite)),
            sum(isinstance(r, Failure) for case in suite for r in case.result),
            sum(isinstance(r, Error) for case in suite for r in case.result),
            sum(isinstance(r, Skipped) for case in suite for r in case.result),
        )
        assert written == counted == expected[suite.name]
    assert (xml.tests, xml.failures, xml.errors, xml.skipped) == (20, 7, 2, 3)


def test_rejected_files_and_cases_are_errors() -> None:
    suites = {s.name: s for s in _read(JUNIT.render_string(content()))}
    cases = list(suites[DATA_SUITE])
    assert [c.name for c in cases] == [
        "cases/bad.json",
        "case NS-09 (cases/ns-09-social-care.yaml, cases/ns-09-gp.json)",
    ]
    error = cases[1].result[0]
    assert isinstance(error, Error)
    assert error.message == "child.date_of_birth: the records disagree"
    assert "cases/ns-09-gp.json" in (error.text or "")


def test_no_data_suite_without_problems() -> None:
    from test_report_data import make_run

    xml = _read(JUNIT.render_string(content(make_run(problems=()))))
    assert DATA_SUITE not in [s.name for s in xml]


def test_data_is_escaped_and_control_characters_removed() -> None:
    text = JUNIT.render_string(content(hostile_run()))
    assert "\x1b" not in text and "\x00" not in text and "\x07" not in text
    ET.fromstring(text)  # well-formed XML 1.0
    suites = list(_read(text))
    assert suites[0].name == SCRIPT
    voice = next(case for case in suites[0] if case.name == "child-voice-regular")
    failure = voice.result[0]
    assert isinstance(failure, Failure)
    assert (failure.text or "").splitlines()[0] == SCRIPT
    assert "[31mred[0m" in (failure.text or "")


def test_the_standards_name_is_quoted_safely_on_testsuites() -> None:
    from dataclasses import replace

    name = 'The "new" <standards> & more\nline\ttab'
    built = content()
    built = replace(built, standards=replace(built.standards, name=name))
    root = ET.fromstring(JUNIT.render_string(built))
    assert root.tag == "testsuites"
    # Quotes, markup and ampersands kept; line breaks and tabs cleaned to spaces first.
    assert root.get("name") == 'cp-audit: The "new" <standards> & more line tab 2022.1'
