"""The terminal report: 80 columns, no escape sequence without colour, data never markup."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.text import Text
from test_report_data import SCRIPT, content, hostile_run

from cp_audit.report import REPORTERS, RenderOptions

TEXT = REPORTERS["text"]


def test_plain_text_without_colour() -> None:
    for report in (content(), content(hostile_run())):
        text = TEXT.render_string(report)
        assert "\x1b" not in text
        assert all(ch in "\n" or ch >= " " for ch in text)


def test_readable_at_80_columns() -> None:
    for report in (content(), content(hostile_run())):
        lines = TEXT.render_string(report).splitlines()
        assert max(len(line) for line in lines) <= 80
        assert all(line == line.rstrip() for line in lines)


def test_colour_when_asked() -> None:
    text = TEXT.render_string(content(), RenderOptions(color=True))
    assert "\x1b[" in text
    assert max(len(line) for line in _strip_sgr(text).splitlines()) <= 80


def _strip_sgr(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_control_sequences_from_the_data_are_stripped() -> None:
    for color in (False, True):
        text = TEXT.render_string(content(hostile_run()), RenderOptions(color=color))
        plain = _strip_sgr(text)
        assert "\x1b" not in plain  # the only escapes are rich's own colours
        assert "\x07" not in text and "\x00" not in text and "\x9b" not in text
        assert "\u202e" not in text
        assert "[31mred[0m" in plain  # the printable rest of the sequence stays, inert


def test_rich_markup_and_emoji_codes_in_data_are_shown_as_written() -> None:
    text = TEXT.render_string(content(hostile_run()), RenderOptions(color=True, width=200))
    plain = _strip_sgr(text)
    assert "[red]not markup[/red] :smile:" in plain
    assert "[bold]gp[/bold]" in plain
    assert SCRIPT in plain


def test_headings_keep_their_shape_in_plain_text() -> None:
    text = TEXT.render_string(content())
    assert "What are we worried about?\n--------------------------\n" in text
    assert "- Lack of evidence of the voice of the child: 3 of 3 cases" in text
    assert "Score 66.7, grade requires improvement, 16 years old" in text


def test_cleaning_changes_no_printable_character_and_every_control() -> None:
    # `clean` returns printable text as it is, without its regexes: prove, over every code
    # point, that the regexes would not have changed it either.
    from cp_audit.report._text import _BREAKS, _CONTROLS, _SURROGATES, clean

    every = "".join(map(chr, range(0x110000)))
    printable = "".join(ch for ch in every if ch.isprintable())
    assert not (_CONTROLS.search(printable) or _BREAKS.search(printable)
                or _SURROGATES.search(printable))
    assert clean(printable) == printable
    assert clean("a\tb\r\nc\x1b[31md\u202ee\ud800") == "a b c[31mde\ufffd"


def test_bullets_hang_their_wrapped_lines_and_fold_long_words() -> None:
    from rich.console import Console, Group

    from cp_audit.report.text import _bullets

    console = Console(width=16, color_system=None, file=io.StringIO())
    nested = Group(Text("two words"), _bullets([Text("x" * 20)], mark="*"))
    with console.capture() as capture:
        console.print(_bullets([Text("one two three four"), nested], indent=2))
    assert [line.rstrip() for line in capture.get().splitlines()] == [
        "  - one two",
        "    three four",
        "  - two words",
        "    * xxxxxxxxxx",
        "      xxxxxxxxxx",
    ]


_WORDS = st.lists(
    st.sampled_from(["a", "to", "core", "group", "2022-09-30:", "x" * 30, "dad", " ", "é", "中文"]),
    max_size=12,
).map(" ".join)


# (indent, words, mark, style) of each paragraph
_PARAGRAPHS = st.lists(
    st.tuples(st.sampled_from([0, 2, 4, 6]), _WORDS, st.sampled_from(["", "- ", "* "]),
              st.sampled_from(["", "dim", "bold red"])),
    min_size=1, max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(
    paragraphs=_PARAGRAPHS,
    width=st.integers(min_value=40, max_value=90),
    color=st.booleans(),
)
def test_paragraphs_print_as_nested_paddings_and_bullets_do(
    paragraphs: list[tuple[int, str, str, str]], width: int, color: bool
) -> None:
    # The case sections and bullet lists are laid out flat (`_Paragraphs`); they must
    # print exactly as rich's nested paddings and grids would, lines that fit and not.
    flat, nested = _both_layouts(paragraphs, width, color)
    assert flat == nested


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("spare", [-1, 0, 1])  # a line one cell short of, at, over its width
@pytest.mark.parametrize(("indent", "mark"), [(0, ""), (2, ""), (4, "- "), (6, "* ")])
def test_paragraphs_at_the_edge_of_their_width(
    color: bool, spare: int, indent: int, mark: str
) -> None:
    width = 50
    words = "y" * (width - indent - len(mark) - 6 + spare) + " end"  # after "x "
    flat, nested = _both_layouts([(indent, words, mark, "dim")], width, color)
    assert flat == nested
    assert len(flat.splitlines()) == (2 if spare > 0 else 1)


def _both_layouts(
    paragraphs: list[tuple[int, str, str, str]], width: int, color: bool
) -> tuple[str, str]:
    from rich.console import Group
    from rich.padding import Padding
    from rich.table import Table

    from cp_audit.report.text import _console, _Paragraphs

    def nested_bullet(item: Text, indent: int, mark: str) -> Padding:
        # rich's own layout of a bullet list: a two-column grid, indented
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        grid.add_row(mark, item)
        return Padding(grid, (0, 0, 0, indent))

    def text(words: str, style: str) -> Text:
        line = Text("x ")
        line.append(words, style=style)
        return line

    flat = _Paragraphs()
    nested = []
    for indent, words, mark, style in paragraphs:
        flat.add(indent, text(words, style), mark)
        item = text(words, style)
        nested.append(
            nested_bullet(item, indent, mark.strip()) if mark else Padding(item, (0, 0, 0, indent))
        )
    printed = []
    for renderable in (flat, Group(*nested)):
        console = _console(RenderOptions(color=color, width=width))
        with console.capture() as capture:
            console.print(renderable)
        printed.append(re.sub(r" +((?:\x1b\[[0-9;]*m)*)$", r"\1", capture.get(), flags=re.M))
    return printed[0], printed[1]


@settings(max_examples=300, deadline=None)
@given(
    paragraphs=_PARAGRAPHS,
    width=st.integers(min_value=40, max_value=90),
)
def test_paragraphs_without_colour_are_the_lines_rich_prints(
    paragraphs: list[tuple[int, str, str, str]], width: int
) -> None:
    """`_Paragraphs.plain` (a text report's cases without colour) joins the lines that
    rich would print, lines that fit and lines wrapped, their trailing spaces stripped."""
    from cp_audit.report.text import _console, _Paragraphs

    flat = _Paragraphs()
    for indent, words, mark, style in paragraphs:
        line = Text("x ")
        line.append(words, style=style)
        flat.add(indent, line, mark)
    console = _console(RenderOptions(color=False, width=width))
    with console.capture() as capture:
        console.print(flat)
    printed = re.sub(r" +$", "", capture.get(), flags=re.M)
    assert "".join(line + "\n" for line in flat.plain(console)) == printed


@pytest.mark.parametrize("width", [40, 57, 80, 100, 133])
def test_a_case_without_colour_is_laid_out_as_rich_prints_it(width: int) -> None:
    from rich.console import Group

    from cp_audit.report.text import _console

    options = RenderOptions(color=False, width=width)
    cases = [*content().cases, *content(hostile_run()).cases]
    assert cases
    for case in cases:
        console = _console(options)
        with console.capture() as capture:
            console.print(Group(Text(""), TEXT._case(case)))  # type: ignore[attr-defined]
        printed = re.sub(r" +$", "", capture.get(), flags=re.M)
        assert TEXT.case_chunk(case, options) == printed
