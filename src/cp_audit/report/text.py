"""The terminal report: rich text, readable at 80 columns, plain unless colour is asked for.

Every value goes into a `rich.text.Text` as a plain string, never through
console markup: `[red]` or `:smile:` in a case id is shown as written. Control
characters and bidi controls are stripped from every value first (`_text.clean`),
so no escape sequence from the data ever reaches the terminal. Without colour
(`RenderOptions.color` false: not a terminal, or NO_COLOR) the output holds no
escape sequence at all; headings are underlined with `=` and `-` so that the
plain text keeps its shape.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from itertools import pairwise

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.segment import Segment
from rich.text import Text

# rich's own word wrap (where it breaks a line), used alone for plain ASCII paragraphs:
# tests/test_report_text.py holds the lines so made to those rich prints. It is private to
# rich: where a release moves it, every paragraph takes rich's printing (the same lines).
try:
    from rich._wrap import divide_line

    _WRAPS = True
except ImportError:  # pragma: no cover - every rich from 13 on has it
    _WRAPS = False

from cp_audit.report import wording
from cp_audit.report._text import clean
from cp_audit.report.content import (
    AuditorLine,
    CaseSection,
    Finding,
    ReportContent,
    RuleLine,
    SinceLastAudit,
)
from cp_audit.report.interface import DEFAULT_OPTIONS, RenderOptions, Reporter
from cp_audit.results import NOT_GRADED, Kind, Outcome

# rich pads lines to the width of their table or padding; a report ends its lines.
_TRAILING_SPACES = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)

WORRY = "red"
GOOD = "green"
HEAD = "bold"
DIM = "dim"


def _t(value: str, style: str = "") -> Text:
    return Text(clean(value), style=style)


def _line(*parts: str | tuple[str, str]) -> Text:
    """A line from plain pieces and (piece, style) pairs; every piece cleaned."""
    text = Text()
    for part in parts:
        if isinstance(part, tuple):
            text.append(clean(part[0]), style=part[1])
        else:
            text.append(clean(part))
    return text


def _heading(title: str, underline: str) -> Text:
    title = clean(title)
    return Text(f"{title}\n{underline * len(title)}", style=HEAD)


class _Paragraphs:
    """Paragraphs, each at its own indent with an optional bullet mark (and a hanging
    indent under it), laid out byte for byte as nested paddings and bullet lists lay
    them out. A paragraph that fits on its line is written as it is: rich's wrapping,
    which only the longer ones go through, was most of a big text report's time."""

    def __init__(self) -> None:
        self.items: list[tuple[int, RenderableType, str]] = []

    def add(self, indent: int, item: RenderableType, mark: str = "") -> None:
        self.items.append((indent, item, mark))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for prefix, line, pad in self.lines(console, options):
            yield Segment(prefix)
            if isinstance(line, Text):
                yield from line.render(console, end="")
                yield Segment(" " * pad)
            else:
                yield from line
            yield Segment.line()

    def plain(self, console: Console) -> Iterator[str]:
        """The lines without styles, their trailing spaces stripped, as a console without
        colour prints them (a text report's cases: rich's printing was most of their cost)."""
        for prefix, line, _ in self.lines(console, console.options, plain=True):
            if isinstance(line, Text):
                text = line.plain
            elif isinstance(line, str):
                text = line
            else:
                text = "".join(segment.text for segment in line)
            yield (prefix + text).rstrip(" ")

    def lines(
        self, console: Console, options: ConsoleOptions, plain: bool = False
    ) -> Iterator[tuple[str, Text | list[Segment] | str, int]]:
        """Each line: its indent and mark (or hanging indent), and a paragraph that fits,
        with the spaces that pad it to the width, or a line of one wrapped (padded; with
        `plain`, a line of ASCII text is cut where rich's wrapping cuts it, not padded)."""
        for indent, item, mark in self.items:
            first, hang = " " * indent + mark, " " * (indent + len(mark))
            width = max(1, options.max_width - indent - len(mark))
            if isinstance(item, Text) and item.cell_len <= width and "\n" not in item.plain:
                yield first, item, width - item.cell_len  # most lines: nothing to wrap
                continue
            if plain and _WRAPS and isinstance(item, Text) and _one_cell_each(item.plain):
                cuts = [0, *divide_line(item.plain, width), len(item.plain)]
                for number, (start, end) in enumerate(pairwise(cuts)):
                    yield hang if number else first, item.plain[start:end], 0
                continue
            inner = options.update(width=width, overflow="fold")
            # Padded as a padding would pad them, so that the trailing spaces stripped
            # at the end are the same (a styled space before the padding stays).
            for number, line in enumerate(console.render_lines(item, inner, pad=True)):
                yield hang if number else first, line, 0


def _one_cell_each(text: str) -> bool:
    """Printable ASCII on one line: each character one cell, and spaces the only blanks,
    so that rich's wrapping of it is `divide_line` alone."""
    return text.isascii() and text.isprintable()


def _bullets(items: Sequence[RenderableType], indent: int = 0, mark: str = "-") -> _Paragraphs:
    """A list with a hanging indent: each item wrapped to the width less its mark."""
    bullets = _Paragraphs()
    for item in items:
        bullets.add(indent, item, mark + " ")
    return bullets


def _indent(renderable: RenderableType, indent: int) -> Padding:
    return Padding(renderable, (0, 0, 0, indent))


class TextReporter(Reporter):
    name = "text"
    extensions = (".txt",)
    description = "plain text for the terminal (colour on a terminal unless NO_COLOR)"

    def render(
        self, content: ReportContent, options: RenderOptions = DEFAULT_OPTIONS
    ) -> Iterator[str]:
        console = _console(options)
        meeting = content.meeting
        sections: Iterable[RenderableType | Iterator[RenderableType]] = (
            self._heading(content),
            self._rule_lines(
                wording.WORRIES_TITLE, content.worries, WORRY, wording.NO_WORRIES,
                meeting.worries if meeting else (),
            ),
            self._rule_lines(
                wording.GOOD_PRACTICE_TITLE,
                content.good_practice,
                GOOD,
                wording.NO_GOOD_PRACTICE,
                meeting.good_practice if meeting else (),
            ),
            self._themes(content),
            *_meeting_sections(content),
            self._cases(content, options),
            self._data(content),
        )
        for index, section in enumerate(sections):
            pieces = section if isinstance(section, Iterator) else (section,)
            for number, piece in enumerate(pieces):
                if isinstance(piece, str):  # a case, laid out already
                    yield piece
                    continue
                with console.capture() as capture:
                    if index and not number:
                        console.line()
                    console.print(piece)
                yield _TRAILING_SPACES.sub(r"\1", capture.get())

    def case_chunk(self, case: CaseSection, options: RenderOptions = DEFAULT_OPTIONS) -> str:
        """The case's part of the cases section, its blank line first."""
        console = _chunk_console(options)
        if not options.color:  # no styles: the lines as printed, without rich's printing
            return "\n" + "".join(line + "\n" for line in self._case(case).plain(console))
        with console.capture() as capture:
            console.print(Group(Text(""), self._case(case)))
        return _TRAILING_SPACES.sub(r"\1", capture.get())

    # -- sections ---------------------------------------------------------

    def _heading(self, content: ReportContent) -> RenderableType:
        h = content.heading
        title, standards = wording.title_lines(h)
        parts: list[RenderableType] = [_heading(title, "=")]
        if standards:
            parts.append(_line(standards))
        incomplete = wording.incomplete_notice(h)
        if incomplete:  # under the title: every finding below may rest on part of a case
            parts.append(_line((incomplete, f"bold {WORRY}")))
        parts += [
            _line(f"{wording.as_of_text(h)}: {wording.checked_text(h)}"),
            _line(wording.children_sentence(h)),
            _line(wording.needs_sentence(h)),
            _line(wording.agencies_sentence(h)),
        ]
        notice = wording.problems_notice(h)
        if notice:
            parts.append(_line((notice, f"bold {WORRY}")))
        return Group(*parts)

    def _rule_lines(
        self, title: str, lines: Sequence[RuleLine], style: str, none: str,
        auditors: Sequence[AuditorLine] = (),
    ) -> RenderableType:
        if not lines and not auditors:
            return Group(_heading(title, "-"), _line(none))
        items = [self._rule_line(line, style) for line in lines]
        items += [
            Group(_line(wording.auditor_text(a)), _line((", ".join(a.case_ids), DIM)))
            for a in auditors
        ]
        return Group(_heading(title, "-"), _bullets(items))

    def _rule_line(self, line: RuleLine, style: str) -> RenderableType:
        n_of_a = (wording.n_of_a(line), f"bold {style}")
        head = _line(line.sentence, ": ", n_of_a, (f" [{line.rule}]", DIM))
        return Group(head, _line((", ".join(line.case_ids), DIM)))

    def _themes(self, content: ReportContent) -> RenderableType:
        parts: list[RenderableType] = [_heading(wording.THEMES_TITLE, "-")]
        if not content.themes:
            parts.append(_line(wording.NO_THEMES))
        for index, theme in enumerate(content.themes):
            if index:
                parts.append(Text(""))
            parts.append(_line((theme.title, HEAD)))
            found: list[RenderableType] = [_line(("What we found: ", HEAD), theme.what_we_found)]
            worries = [_line(w.sentence, ": ", wording.n_of_a(w)) for w in theme.worries]
            found.append(_bullets(worries, indent=2))
            found.append(
                _line(("What needs to happen: ", HEAD), theme.what_needs_to_happen)
            )
            if theme.resources:
                found.append(_line(("Resources:", HEAD)))
                found.append(
                    _bullets([_line(r.title, " ", (f"<{r.url}>", DIM)) for r in theme.resources],
                             indent=2)
                )
            parts.append(_indent(Group(*found), 2))
        return Group(*parts)

    def _cases(
        self, content: ReportContent, options: RenderOptions
    ) -> Iterator[RenderableType | str]:
        """The section a case at a time (a national run's cases are never all in memory),
        each laid out by the worker that checked it when it could be (`case_chunk`)."""
        parts: list[RenderableType] = [
            _heading(wording.CASES_TITLE, "-"),
            _line((content.caveat, "italic")),
        ]
        if not content.cases:
            parts.append(_line(wording.NO_CASES))
        yield Group(*parts)
        yield from self.case_chunks(content.cases, options)

    def _case(self, case: CaseSection) -> _Paragraphs:
        title = Text()
        title.append(clean(case.case_id), style=HEAD)
        if case.name:
            title.append(f" ({clean(case.name)})")
        grade_style = GOOD if case.grade in {"outstanding", "good"} else WORRY
        if case.grade == NOT_GRADED:
            grade_style = ""
        lines = _Paragraphs()
        lines.add(0, title)
        lines.add(2, _line(
            "Score ",
            (case.score_text, HEAD),
            f" ({case.score_basis})" if case.score_basis else "",
            ", grade ",
            (wording.label(case.grade), f"bold {grade_style}".strip()),
            f", {wording.age_text(case.age)}",
        ))
        if case.moderated:
            lines.add(2, _line((wording.moderated_case_text(case), DIM)))
        needs = wording.labels(case.needs) or "none recorded"
        agencies = wording.labels(case.agencies) or "none named"
        lines.add(2, _line("Needs: ", needs))
        lines.add(2, _line("Agencies: ", agencies))
        lines.add(2, _line("Sources: ", ", ".join(case.files) or "none"))
        for title_text, style, findings in (
            ("Worries:", f"bold {WORRY}", case.worries),
            ("Good practice:", f"bold {GOOD}", case.good_practice),
        ):
            if findings:
                lines.add(2, _line((title_text, style)))
                for finding in findings:
                    lines.add(4, self._finding_head(finding), "- ")
                    for evidence in finding.evidence:
                        lines.add(6, _t(evidence), "* ")
        for line in self._others(case.others):
            lines.add(2, line)
        if case.moderated_findings or case.grade_moderation:
            lines.add(2, _line(("Moderated findings:", HEAD)))
            for text in wording.case_moderation_lines(case):
                lines.add(4, _t(text), "- ")
        if case.warnings:
            lines.add(2, _line((f"{wording.WARNINGS_TITLE}:", f"bold {WORRY}")))
            for warning in case.warnings:
                where = wording.problem_where(warning, case=False)
                lines.add(4, _t(f"{where}: {warning.message}"), "- ")
        return lines

    def _finding_head(self, finding: Finding) -> Text:
        return _line(finding.sentence or finding.title, (f" [{finding.rule}]", DIM))

    def _others(self, others: Sequence[Finding]) -> list[Text]:
        """The rest in one line each: met, good practice not seen, not applicable."""
        groups: dict[str, list[str]] = {
            "Met": [],
            "Good practice not seen": [],
            "Not applicable": [],
            "Not covered by the records": [],
        }
        for f in others:
            if f.outcome == Outcome.MET:
                groups["Met"].append(f.rule)
            elif f.outcome == Outcome.NOT_APPLICABLE:
                groups["Not applicable"].append(f.rule)
            elif f.outcome == Outcome.NOT_COVERED:
                groups["Not covered by the records"].append(f.rule)
            elif f.kind == Kind.GOOD_PRACTICE:
                groups["Good practice not seen"].append(f.rule)
        return [
            _line((f"{title}: ", HEAD), ", ".join(rules))
            for title, rules in groups.items()
            if rules
        ]

    def _data(self, content: ReportContent) -> RenderableType:
        data = content.data
        parts: list[RenderableType] = [_heading(wording.DATA_TITLE, "-")]
        if not data.problems:
            parts.append(_line("No file or case was rejected."))
        else:
            parts.append(_line(f"Rejected: {wording.plural(len(data.problems), 'data problem')}."))
            parts.append(_bullets([
                _line((wording.problem_where(p), HEAD), ": ", p.message) for p in data.problems
            ]))
        if data.warnings:
            parts.append(_line(wording.warnings_line(len(data.warnings))))
            parts.append(_bullets([
                _line((wording.problem_where(w), HEAD), ": ", w.message) for w in data.warnings
            ]))
        if data.skipped:
            parts.append(_line(f"Skipped: {wording.plural(len(data.skipped), 'file')}."))
            parts.append(
                _bullets([_line(s.path, (f" ({s.reason})", DIM)) for s in data.skipped])
            )
        parts.extend(_line(line) for line in wording.books_lines(data))
        return Group(*parts)


def _meeting_sections(content: ReportContent) -> list[RenderableType]:
    """Moderation and Agreed actions (with a meeting.yaml), Since the last audit (`previous`)."""
    sections: list[RenderableType] = []
    meeting = content.meeting
    if meeting is not None:
        parts: list[RenderableType] = [
            _heading(wording.MODERATION_TITLE, "-"), _line(wording.moderation_summary(meeting))
        ]
        items: list[RenderableType] = []
        for m in meeting.moderations:
            flag = wording.moderation_flag(m.note)
            text = f"{wording.moderation_subject(m.case_id, m.rule)}: "
            text += wording.moderated_text(m.agreed, m.tool, m.note)
            items.append(_line(text, *([(f" ({flag})", f"bold {WORRY}")] if flag else [])))
        parts.append(_bullets(items))
        sections.append(Group(*parts))
        actions: list[RenderableType] = [
            _t(wording.action_text(a), f"bold {WORRY}" if a.overdue else "")
            for a in meeting.actions
        ]
        sections.append(Group(
            _heading(wording.ACTIONS_TITLE, "-"),
            _bullets(actions) if actions else _line(wording.NO_ACTIONS),
        ))
    if content.since is not None:
        sections.append(_since(content.since))
    return sections


def since_text(since: SinceLastAudit) -> str:
    """ "Since the last audit" alone, plain (`cp-audit compare`)."""
    console = _console(DEFAULT_OPTIONS)
    with console.capture() as capture:
        console.print(_since(since))
    return _TRAILING_SPACES.sub(r"\1", capture.get())


def _since(since: SinceLastAudit) -> RenderableType:
    return Group(
        _heading(wording.SINCE_TITLE, "-"),
        _line(wording.since_lead(since.previous, since.then_as_of, since.now_as_of)),
        _bullets([
            _line(r.sentence, (f" [{r.rule}]", DIM), ": ", (wording.share_text(r), HEAD))
            for r in since.rules
        ]),
        _line(("Grades:", HEAD)),
        _bullets([_line(wording.grade_change_text(*g)) for g in since.grades]),
        _line(("The previous audit's actions:", HEAD)),
        _bullets([_line(wording.action_text(a)) for a in since.actions])
        if since.actions else _line(wording.NO_ACTIONS),
    )


@functools.lru_cache(maxsize=4)
def _chunk_console(options: RenderOptions) -> Console:
    """The console that lays out cases one by one (its own: a case may be laid out while
    the report's console is between two sections)."""
    return _console(options)


def _console(options: RenderOptions) -> Console:
    return Console(
        file=io.StringIO(),
        width=max(options.width, 40),
        color_system="standard" if options.color else None,
        force_terminal=options.color,
        no_color=not options.color,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
        legacy_windows=False,
        force_jupyter=False,
        force_interactive=False,
        _environ={},  # the CLI has read the environment; rich must not read it again
    )
