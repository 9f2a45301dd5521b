"""The Markdown report: tables that hold, and data that is never markup."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_report_data import content, hostile_run

from cp_audit.report import REPORTERS
from cp_audit.report.markdown import md

MARKDOWN = REPORTERS["markdown"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a | b", "a \\| b"),
        ("line\nbreak\r\nhere", "line break here"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("a & b", "a &amp; b"),
        ("*bold* _it_ `code` ~~s~~", "\\*bold\\* \\_it\\_ \\`code\\` \\~\\~s\\~\\~"),
        ("[x](http://evil.example)", "\\[x\\](http\\://evil.example)"),
        ("![i](y)", "!\\[i\\](y)"),
        ("# heading", "\\# heading"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("1. item", "1\\. item"),
        ("---", "\\---"),
        ("===", "\\==="),
        ("www.evil.example", "www\\.evil.example"),
        ("$x$", "\\$x\\$"),
        ("back\\slash", "back\\\\slash"),
        ("NS-2022-07", "NS-2022-07"),
        ("version 2022.1", "version 2022.1"),
        ("  indented code", "indented code"),
        ("esc \x1b[31m", "esc \\[31m"),
    ],
)
def test_md_escapes(value: str, expected: str) -> None:
    assert md(value) == expected


def _table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("|")]


def _cells(row: str) -> list[str]:
    """A GitHub table row's cells: split on unescaped pipes."""
    cells, current, escaped = [], "", False
    for ch in row.strip()[1:-1]:
        if ch == "|" and not escaped:
            cells.append(current)
            current = ""
        else:
            current += ch
        escaped = ch == "\\" and not escaped
    return [*cells, current]


def test_tables_keep_their_columns_whatever_the_data() -> None:
    text = MARKDOWN.render_string(content(hostile_run()))
    rows = _table_rows(text[text.index("\n## Cases\n") :])  # the cases' tables (not the grid)
    assert rows
    for row in rows:
        assert len(_cells(row)) == 4, row
    voice = next(row for row in rows if row.startswith("| child-voice-regular"))
    assert "a \\| b c d" in voice
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>" in voice


def test_no_html_or_link_from_the_data() -> None:
    text = MARKDOWN.render_string(content(hostile_run()))
    assert "<script" not in text and "<b>" not in text
    # The only link is the resource's: every other "](" has its "]" escaped.
    links = re.findall(r"(?<!\\)\]\(", text)
    assert len(links) == 1 and "](<https://www.gov.uk/" in text
    assert "\x1b" not in text


def test_only_http_resource_urls_become_links() -> None:
    text = MARKDOWN.render_string(content())
    assert "[Working Together to Safeguard Children](<https://www.gov.uk/" in text
    assert "A local leaflet (javascript:alert(1))" in text  # shown, not linked


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab 1.)#-+=\\`*_[]|~$<>&\u00e9\n", max_size=30))
def test_md_escapes_as_its_regular_expressions_would(value: str) -> None:
    """`md` escapes inline markup by a table and tries the start-of-line patterns only
    where they match: the same text as every pattern substituted everywhere."""
    from cp_audit.report._text import clean
    from cp_audit.report.markdown import _BLOCK_START, _NUMBERED

    text = clean(value).strip().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\`*_\[\]|~$])", r"\\\1", text)
    text = _BLOCK_START.sub(lambda m: "\\" + m.group(), text)
    text = _NUMBERED.sub(r"\1\\\2", text)
    assert md(value) == text.replace("://", "\\://").replace("www.", "www\\.")
