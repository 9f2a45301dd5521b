"""The Markdown report: for meeting papers and wikis (CommonMark with GitHub tables).

Every value from the data or the standards is cleaned (`_text.clean`: no
control characters, line breaks as spaces) and escaped (`md`): `&`, `<`, `>`
become entities, so that no HTML from the data is ever rendered; markdown's
inline punctuation (`|` included) and a line-starting `#`, `-`, `+`, `=` or
`1.` are backslash-escaped, so that a value can neither format text, make a
heading, list, link or image, nor break a table's cell; bare URLs are broken
so that GitHub does not link them. Links are made
only for the standards' resource URLs, and only for http(s) ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from cp_audit.report import grid, wording
from cp_audit.report._text import clean
from cp_audit.report.content import (
    ActionLine,
    AuditorLine,
    CaseSection,
    Finding,
    Link,
    MeetingContent,
    ReportContent,
    RuleLine,
    SinceLastAudit,
)
from cp_audit.report.interface import DEFAULT_OPTIONS, RenderOptions, Reporter

# Inline markup: emphasis, code, links and images, table cells, strikethrough, math:
# each such character escaped (a table, not a regular expression: this runs for every
# value of every case).
_INLINE = str.maketrans({char: "\\" + char for char in "\\`*_[]|~$"})
# What would start a heading, a list item, or a thematic break or setext underline,
# at the start of a line (the value is stripped, so no indented code block).
_BLOCK_START = re.compile(r"^(#{1,6}|[-+])(?=\s|$)|^([-=])(?=[-=\s]*$)")
_NUMBERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


def md(value: str) -> str:
    """A value as literal Markdown text, safe inside a paragraph, a list item or a table cell."""
    text = clean(value).strip()
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.translate(_INLINE)
    if _BLOCK_START.match(text):  # anchored at the start: at most one, there
        text = _BLOCK_START.sub(lambda m: "\\" + m.group(), text)
    if _NUMBERED.match(text):
        text = _NUMBERED.sub(r"\1\\\2", text)
    # GitHub turns a bare `https://...` or `www.` into a link.
    return text.replace("://", "\\://").replace("www.", "www\\.")


def link(resource: Link) -> str:
    if not resource.is_web:
        return f"{md(resource.title)} ({md(resource.url)})"
    return f"[{md(resource.title)}](<{resource.url}>)"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(cell or " " for cell in row) + " |" for row in rows)
    return "\n".join(lines) + "\n"


class MarkdownReporter(Reporter):
    name = "markdown"
    extensions = (".md", ".markdown")
    description = "Markdown for meeting papers and wikis"

    def render(
        self, content: ReportContent, options: RenderOptions = DEFAULT_OPTIONS
    ) -> Iterator[str]:
        meeting = content.meeting
        yield self._heading(content)
        yield self._rule_lines(
            wording.WORRIES_TITLE, content.worries, wording.NO_WORRIES,
            meeting.worries if meeting else (),
        )
        yield self._rule_lines(
            wording.GOOD_PRACTICE_TITLE,
            content.good_practice,
            wording.NO_GOOD_PRACTICE,
            meeting.good_practice if meeting else (),
        )
        yield self._themes(content)
        yield _grid(grid.grid(content))
        if meeting is not None:
            yield _meeting(meeting)
        if content.since is not None:
            yield since_section(content.since)
        yield f"\n## {wording.CASES_TITLE}\n\n> {md(content.caveat)}\n"
        if not content.cases:
            yield f"\n{wording.NO_CASES}\n"
        yield from self.case_chunks(content.cases, options)
        yield self._data(content)

    def _heading(self, content: ReportContent) -> str:
        h = content.heading
        title, standards = wording.title_lines(h)
        lines = [f"# {md(title)}", ""]
        if standards:
            lines += [md(standards), ""]
        incomplete = wording.incomplete_notice(h)
        if incomplete:  # under the title: every finding below may rest on part of a case
            lines += [f"**{md(incomplete)}**", ""]
        lines += [
            f"**{wording.as_of_text(h)}**: {wording.checked_text(h)}",
            "",
            md(wording.children_sentence(h)),
            md(wording.needs_sentence(h)),
            md(wording.agencies_sentence(h)),
        ]
        notice = wording.problems_notice(h)
        if notice:
            lines += ["", f"**{md(notice)}**"]
        return "\n".join(lines) + "\n"

    def _rule_lines(
        self, title: str, lines: Sequence[RuleLine], none: str,
        auditors: Sequence[AuditorLine] = (),
    ) -> str:
        out = [f"\n## {title}\n"]
        if not lines and not auditors:
            out.append(none)
        for line in lines:
            ids = ", ".join(md(case_id) for case_id in line.case_ids)
            out.append(f"- **{md(line.sentence)}**: {wording.n_of_a(line)} ({ids})")
        for finding in auditors:
            ids = ", ".join(md(case_id) for case_id in finding.case_ids)
            out.append(f"- **{md(wording.auditor_text(finding))}** ({ids})")
        return "\n".join(out) + "\n"

    def _themes(self, content: ReportContent) -> str:
        out = [f"\n## {wording.THEMES_TITLE}\n"]
        if not content.themes:
            out.append(wording.NO_THEMES + "\n")
        for theme in content.themes:
            out.append(f"### {md(theme.title)}\n")
            out.append(f"**What we found:** {md(theme.what_we_found)}\n")
            out.extend(f"- {md(w.sentence)}: {wording.n_of_a(w)}" for w in theme.worries)
            out.append("")
            out.append(f"**What needs to happen:** {md(theme.what_needs_to_happen)}\n")
            if theme.resources:
                out.append("**Resources:** " + "; ".join(link(r) for r in theme.resources) + "\n")
        return "\n".join(out)

    def case_chunk(self, case: CaseSection, options: RenderOptions = DEFAULT_OPTIONS) -> str:
        title = md(case.case_id) + (f" ({md(case.name)})" if case.name else "")
        facts = [
            f"**Score:** {case.score_line}",
            f"**Grade:** {md(wording.label(case.grade))}",
            f"**Age:** {wording.age_text(case.age)}",
            f"**Needs:** {md(wording.labels(case.needs)) or 'none recorded'}",
            f"**Agencies:** {md(wording.labels(case.agencies)) or 'none named'}",
            f"**Sources:** {', '.join(md(f) for f in case.files) or 'none'}",
        ]
        if case.moderated:
            facts.append(md(wording.moderated_case_text(case)))
        if case.grade_moderation is not None:
            facts.append("**Grade moderated:** " + md(wording.case_moderation_lines(case)[-1]))
        rows = [self._row(f) for f in case.findings]
        return (
            f"\n### {title}\n\n"
            + "  \n".join(facts)
            + "\n\n"
            + _table(("Rule", "Finding", "Outcome", "Evidence"), rows)
            + _case_warnings(case)
        )

    def _row(self, finding: Finding) -> tuple[str, str, str, str]:
        outcome = grid.outcome_words(finding)
        if finding.is_worry or finding.is_good_practice:
            outcome = f"**{outcome}**"
        if finding.moderation is not None:
            note = wording.moderated_text(finding.outcome, finding.tool, finding.moderation)
            flag = wording.moderation_flag(finding.moderation)
            outcome += f" ({md(note)}{f'; **{md(flag)}**' if flag else ''})"
        return (
            md(finding.rule),
            md(finding.sentence or finding.title),
            outcome,
            "<br>".join(md(e) for e in finding.evidence),
        )

    def _data(self, content: ReportContent) -> str:
        data = content.data
        out = [f"\n## {wording.DATA_TITLE}\n"]
        if not data.problems:
            out.append("No file or case was rejected.\n")
        else:
            out.append(f"Rejected: {wording.plural(len(data.problems), 'data problem')}.\n")
            rows = [
                (
                    "<br>".join(md(f) for f in wording.problem_files(p)) or "input",
                    md(p.case_id) if p.case_id is not None else "",
                    md(p.location or ""),
                    md(p.message),
                )
                for p in data.problems
            ]
            out.append(_table(("Files", "Case", "Where", "Problem"), rows))
        if data.warnings:
            out.append(md(wording.warnings_line(len(data.warnings))) + "\n")
            out.extend(f"- {md(wording.problem_where(w))}: {md(w.message)}" for w in data.warnings)
            out.append("")
        if data.skipped:
            out.append(f"Skipped: {wording.plural(len(data.skipped), 'file')}.\n")
            out.extend(f"- {md(s.path)} ({md(s.reason)})" for s in data.skipped)
            out.append("")
        out.append("  \n".join(md(line) for line in wording.books_lines(data)))
        return "\n".join(out) + "\n"


def _meeting(meeting: MeetingContent) -> str:
    out = [f"\n## {wording.MODERATION_TITLE}\n", md(wording.moderation_summary(meeting)), ""]
    for m in meeting.moderations:
        flag = wording.moderation_flag(m.note)
        text = md(wording.moderated_text(m.agreed, m.tool, m.note))
        subject = md(wording.moderation_subject(m.case_id, m.rule))
        out.append(f"- {subject}: {text}" + (f" (**{md(flag)}**)" if flag else ""))
    out.append(f"\n## {wording.ACTIONS_TITLE}\n")
    out += _actions(meeting.actions)
    return "\n".join(out) + "\n"


def _actions(actions: Sequence[ActionLine]) -> list[str]:
    if not actions:
        return [wording.NO_ACTIONS]
    return [
        f"- {'**' if a.overdue else ''}{md(wording.action_text(a))}{'**' if a.overdue else ''}"
        for a in actions
    ]


def since_section(since: SinceLastAudit) -> str:
    """ "Since the last audit" (and `cp-audit compare --format markdown`)."""
    out = [f"\n## {wording.SINCE_TITLE}\n",
           md(wording.since_lead(since.previous, since.then_as_of, since.now_as_of)), ""]
    out += [f"- {md(r.sentence)} \\[{md(r.rule)}\\]: {md(wording.share_text(r))}"
            for r in since.rules]
    out += ["", "**Grades:**", ""]
    out += [f"- {md(wording.grade_change_text(*g))}" for g in since.grades]
    out += ["", "**The previous audit's actions:**", ""]
    out += _actions(since.actions)
    return "\n".join(out) + "\n"


def _case_warnings(case: CaseSection) -> str:
    if not case.warnings:
        return ""
    items = "".join(
        f"- {md(wording.problem_where(w, case=False))}: {md(w.message)}\n" for w in case.warnings
    )
    return f"\n**{wording.WARNINGS_TITLE}:**\n\n{items}"


def _grid(table: grid.Grid) -> str:
    """The case × rule grid: a row per case, a column per rule (numbered, the key below),
    the themes' columns named above the table."""
    head = f"\n## {grid.TITLE}\n\n"
    if table.left_out:
        return head + md(grid.left_out_sentence(table)) + "\n"
    if not table.rows:
        return head + wording.NO_CASES + "\n"
    spans = md(grid.theme_spans(table))
    header = ["Case", *(str(c.number) for c in table.columns), "Worries"]
    rows = [
        [md(row.case_id), *(md(symbol) for symbol in row.symbols()), str(row.worries)]
        for row in table.rows
    ]
    key = "\n".join(f"{c.number}. {md(c.rule)}: {md(c.title)}" for c in table.columns)
    return (
        f"{head}{md(grid.legend(table))}\n\nColumns by theme: {spans}.\n\n"
        f"{_table(header, rows)}\n{key}\n"
    )
