"""The HTML report: valid, self-contained, printable, and every value escaped."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import html5lib  # type: ignore[import-untyped]
from test_report_data import RESOURCE_URL, SCRIPT, content, hostile_run

from cp_audit.report import REPORTERS, wording

HTML = REPORTERS["html"]
URL = re.compile(r"(?:https?:|ftp:)?//[^\s\"'<>()]+", re.IGNORECASE)


ANCHOR = re.compile(r"#case-[A-Za-z0-9_-]+")


def _web_links(document: Any) -> list[str]:
    """The document's links but its in-page links to a case's section (each of which must
    have its target, and hold only the anchor's safe characters)."""
    hrefs = _attributes(document, {"href"})
    ids = set(_attributes(document, {"id"}))
    inside = [h for h in hrefs if h.startswith("#")]
    assert all(ANCHOR.fullmatch(h) and h[1:] in ids for h in inside), inside
    return [h for h in hrefs if not h.startswith("#")]


def _parse(text: str) -> Any:
    return html5lib.HTMLParser(strict=True).parse(text)


def _attributes(document: Any, names: set[str]) -> list[str]:
    return [
        value
        for element in document.iter()
        for key, value in element.attrib.items()
        if (key[1] if isinstance(key, tuple) else key.rsplit("}", 1)[-1]) in names
    ]


def test_it_parses_in_strict_mode() -> None:
    _parse(HTML.render_string(content()))
    _parse(HTML.render_string(content(hostile_run())))


def test_no_script_and_no_external_url_but_the_resource_links() -> None:
    text = HTML.render_string(content())
    assert "<script" not in text.lower()
    assert set(URL.findall(text)) == {RESOURCE_URL}
    document = _parse(text)
    assert _web_links(document) == [RESOURCE_URL]
    assert _attributes(document, {"src", "srcset", "action", "formaction", "data"}) == []
    assert "@import" not in text and "url(" not in text


def test_only_http_resource_urls_become_links() -> None:
    text = HTML.render_string(content())
    assert "javascript:" not in "".join(_attributes(_parse(text), {"href"}))
    assert "A local leaflet (javascript:alert(1))" in text  # shown, not linked


def test_data_is_escaped() -> None:
    text = HTML.render_string(content(hostile_run()))
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<b>neglect" not in text
    assert "\x1b" not in text and "\x00" not in text and "\u202e" not in text
    # Data that holds URLs is text, never a link.
    document = _parse(text)
    assert _web_links(document) == [RESOURCE_URL]


def test_the_case_id_is_escaped_in_its_heading() -> None:
    text = HTML.render_string(content(hostile_run()))
    assert f"<h3>{SCRIPT}" not in text
    assert "<h3>&lt;script&gt;alert(1)&lt;/script&gt;</h3>" in text


def test_printable_on_a4_with_a_page_per_case() -> None:
    text = HTML.render_string(content())
    assert "@page { size: A4" in text
    assert "@media print" in text
    assert re.search(r"\.case[^{]*\{[^}]*break-before: page", text)
    assert len(re.findall(r'<article class="case" id="case-[^"]+">', text)) == 3


def test_a_bar_per_worry_as_long_as_its_share_of_the_cases_where_the_rule_applies() -> None:
    report = content()
    text = HTML.render_string(report)
    worries = text[text.index(wording.WORRIES_TITLE) : text.index(wording.GOOD_PRACTICE_TITLE)]
    assert worries.count('<svg class="share"') == len(report.worries) == 4
    bars = re.findall(r'<rect class="bar" x="0" y="0" width="([\d.]+)"', worries)
    tracks = re.findall(r'<rect class="track" x="0" y="0" width="([\d.]+)"', worries)
    for line, bar, track in zip(report.worries, bars, tracks, strict=True):
        assert float(bar) == round(float(track) * line.cases / line.applicable, 1)
        assert f"{line.cases} of {line.applicable} (" in worries


def test_a_good_practice_chart_too() -> None:
    report = content()
    text = HTML.render_string(report)
    good = text[text.index(wording.GOOD_PRACTICE_TITLE) : text.index(wording.THEMES_TITLE)]
    assert report.good_practice
    assert good.count('<svg class="share"') == len(report.good_practice)


def test_no_chart_without_worries() -> None:
    text = HTML.render_string(replace(content(hostile_run()), worries=()))
    worries = text[text.index(wording.WORRIES_TITLE) : text.index(wording.GOOD_PRACTICE_TITLE)]
    assert "<svg" not in worries
    assert "No worries were found." in text
    _parse(text)
