"""The HTML report: one self-contained file to open, send or print on A4.

- Self-contained: the styles are inline, the bars and drawings are inline SVG; no script, no
  font, image or stylesheet to fetch, and a Content-Security-Policy that would
  refuse them anyway.
- Printable: `@page` A4; each case and the data problems start a new page; a
  printed link shows its URL.
- Safe: every value from the data or the standards is cleaned (`_text.clean`)
  and escaped (`html.escape`, quotes included); the only links are the
  standards' resource URLs, and only http(s) ones (`summary.Link.is_web`).
  No id or class is made from data.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence

from cp_audit.report import grid, html_paper, wording
from cp_audit.report._text import clean
from cp_audit.report.content import (
    ActionLine,
    AuditorLine,
    CaseSection,
    Finding,
    Heading,
    Link,
    MeetingContent,
    ReportContent,
    RuleLine,
    SinceLastAudit,
)
from cp_audit.report.interface import DEFAULT_OPTIONS, RenderOptions, Reporter
from cp_audit.results import Outcome

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"

_STYLE = """
:root { --worry: #a4161a; --good: #1b6b3a; --muted: #5f6368; --rule: #d0d4d9; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       color: #1f2328; line-height: 1.45; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.1rem; margin: 1.25rem 0 .4rem; }
.muted, .ids { color: var(--muted); }
.ids { font-size: .9em; }
.notice { border-left: 4px solid var(--worry); padding: .3rem .6rem; background: #fdf1f1; }
.caveat { font-style: italic; border-left: 4px solid var(--rule); padding: .3rem .6rem; }
.worries li .count, .worry { color: var(--worry); font-weight: 600; }
.good-practice li .count, .good { color: var(--good); font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .92em; }
th, td { border: 1px solid var(--rule); padding: .25rem .4rem; text-align: left;
         vertical-align: top; overflow-wrap: break-word; }
th { background: #f3f4f6; }
td ul { margin: 0; padding-left: 1.1rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .8rem;
           margin: .4rem 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: break-word; }
.theme { break-inside: avoid; }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  .case, #data-problems { break-before: page; page-break-before: always; }
  tr, li, .theme { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  a[href]::after { content: " (" attr(href) ")"; font-size: 90%; color: var(--muted); }
  .worry, .good, .count, th {
    print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"""


def e(value: str) -> str:
    """A value as HTML text or attribute content."""
    return html.escape(clean(value), quote=True)


def link(resource: Link) -> str:
    if not resource.is_web:
        return f"{e(resource.title)} ({e(resource.url)})"
    href = html.escape(resource.url, quote=True)
    return f'<a href="{href}" rel="noreferrer">{e(resource.title)}</a>'


def _outcome(finding: Finding) -> tuple[str, str]:
    """The outcome's words (`wording.outcome_words`) and class."""
    words = grid.outcome_words(finding)
    if finding.is_worry or finding.is_good_practice:
        return words, "worry" if finding.is_worry else "good"
    return words, "" if finding.outcome == Outcome.MET else "muted"


class HtmlReporter(Reporter):
    name = "html"
    extensions = (".html", ".htm")
    description = "one self-contained HTML file, printable on A4"
    draws_chronology = True

    def render(
        self, content: ReportContent, options: RenderOptions = DEFAULT_OPTIONS
    ) -> Iterator[str]:
        yield self._head(content)
        yield self._header(content)
        meeting = content.meeting
        yield self._rule_lines(
            "worries", wording.WORRIES_TITLE, content.worries, wording.NO_WORRIES,
            meeting.worries if meeting else (),
        )
        yield self._rule_lines(
            "good-practice",
            wording.GOOD_PRACTICE_TITLE,
            content.good_practice,
            wording.NO_GOOD_PRACTICE,
            meeting.good_practice if meeting else (),
        )
        yield self._themes(content)
        yield html_paper.grid_section(grid.grid(content))
        if meeting is not None:
            yield _meeting(meeting)
        if content.since is not None:
            yield since_section(content.since)
        yield (
            f'<section id="cases">\n<h2>{wording.CASES_TITLE}</h2>\n'
            f'<p class="caveat">{e(content.caveat)}</p>\n'
            f"{html_paper.PRINTED_EVIDENCE}\n"
        )
        if not content.cases:
            yield f"<p>{wording.NO_CASES}</p>\n"
        yield from self.case_chunks(content.cases, options)
        yield "</section>\n"
        yield self._data(content)
        yield (
            f'<footer><p class="muted">{e(content.tool_name)} {e(content.tool_version)}; '
            f"standards sha256 {e(content.standards.sha256)}</p></footer>\n"
            "</body>\n</html>\n"
        )

    def _head(self, content: ReportContent) -> str:
        h = content.heading
        title = f"{h.audit_name or h.standards_name}: audit as of {wording.long_date(h.as_of)}"
        return (
            "<!DOCTYPE html>\n"
            '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
            '<meta name="referrer" content="no-referrer">\n'
            f'<meta name="generator" content="{e(content.tool_name)} {e(content.tool_version)}">\n'
            f"<title>{e(title)}</title>\n<style>{_STYLE}{html_paper.STYLE}</style>\n</head>\n<body>\n"
        )

    def _header(self, content: ReportContent) -> str:
        h = content.heading
        title, standards = wording.title_lines(h)
        checked = f"{wording.as_of_text(h)}: {wording.checked_text(h)}"
        parts = [
            "<header>",
            f"<h1>{e(title)}</h1>",
            f'<p class="muted">{e(f"{standards} {checked}" if standards else checked)}</p>',
            *_incomplete(h),
            f"<p>{e(wording.children_sentence(h))}</p>",
            f"<p>{e(wording.needs_sentence(h))}</p>",
            f"<p>{e(wording.agencies_sentence(h))}</p>",
        ]
        notice = wording.problems_notice(h)
        if notice:
            parts.append(f'<p class="notice">{e(notice)}</p>')
        parts.append("</header>")
        return "\n".join(parts) + "\n"

    def _rule_lines(
        self,
        section_id: str,
        title: str,
        lines: Sequence[RuleLine],
        none: str,
        auditors: Sequence[AuditorLine] = (),
    ) -> str:
        parts = [f'<section id="{section_id}" class="{section_id}">', f"<h2>{title}</h2>"]
        if not lines and not auditors:
            parts.append(f"<p>{none}</p>")
        elif lines:
            parts.append('<ul class="shares">')
            for line in lines:
                ids = ", ".join(html_paper.case_link(case_id) for case_id in line.case_ids)
                parts.append(
                    f"<li>{html_paper.share_bar(line)}{e(line.sentence)}: "
                    f'<span class="count">{wording.n_of_a(line)}</span>'
                    f'<br><span class="ids">{ids}</span></li>'
                )
            parts.append("</ul>")
        if auditors:
            items = "".join(
                f"<li>{e(wording.auditor_text(a))}<br>"
                f'<span class="ids">{", ".join(e(c) for c in a.case_ids)}</span></li>'
                for a in auditors
            )
            parts.append(f'<ul class="auditors">{items}</ul>')
        parts.append("</section>")
        return "\n".join(parts) + "\n"

    def _themes(self, content: ReportContent) -> str:
        parts = ['<section id="themes">', f"<h2>{wording.THEMES_TITLE}</h2>"]
        if not content.themes:
            parts.append(f"<p>{wording.NO_THEMES}</p>")
        for theme in content.themes:
            parts.append('<div class="theme">')
            parts.append(f"<h3>{e(theme.title)}</h3>")
            parts.append(f"<p><strong>What we found:</strong> {e(theme.what_we_found)}</p>")
            parts.append("<ul>")
            parts.extend(f"<li>{e(w.sentence)}: {wording.n_of_a(w)}</li>" for w in theme.worries)
            parts.append("</ul>")
            parts.append(
                f"<p><strong>What needs to happen:</strong> {e(theme.what_needs_to_happen)}</p>"
            )
            if theme.resources:
                links = "".join(f"<li>{link(r)}</li>" for r in theme.resources)
                parts.append(f"<p><strong>Resources:</strong></p>\n<ul>{links}</ul>")
            parts.append("</div>")
        parts.append("</section>")
        return "\n".join(parts) + "\n"

    def case_chunk(self, case: CaseSection, options: RenderOptions = DEFAULT_OPTIONS) -> str:
        name = f' <span class="muted">({e(case.name)})</span>' if case.name else ""
        needs = e(wording.labels(case.needs)) or "none recorded"
        agencies = e(wording.labels(case.agencies)) or "none named"
        sources = "<br>".join(e(f) for f in case.files) or "none"
        parts = [
            f'<article class="case" id="{grid.anchor(case.case_id)}">',
            f"<h3>{e(case.case_id)}{name}</h3>",
            '<dl class="facts">',
            f"<dt>Score</dt><dd>{e(case.score_line)}</dd>",
            f"<dt>Grade</dt><dd>{e(wording.label(case.grade))}</dd>",
            f"<dt>Age</dt><dd>{wording.age_text(case.age)}</dd>",
            f"<dt>Needs</dt><dd>{needs}</dd>",
            f"<dt>Agencies</dt><dd>{agencies}</dd>",
            f"<dt>Sources</dt><dd>{sources}</dd>",
            *_moderated_facts(case),
            "</dl>",
            html_paper.chronology_figure(case),
            '<table class="findings">',
            '<colgroup><col class="rule"><col class="finding"><col class="outcome"><col>'
            "</colgroup>",
            '<thead><tr><th class="rule">Rule</th><th>Finding</th><th>Outcome</th>'
            "<th>Evidence</th></tr></thead>",
            "<tbody>",
        ]
        for finding in case.findings:
            words, css = _outcome(finding)
            words += _moderation_note(finding)
            evidence = "".join(f"<li>{e(item)}</li>" for item in finding.evidence)
            parts.append(
                f'<tr class="{"worry-row" if finding.is_worry else "brief"}">'
                f'<td class="token">{e(finding.rule)}</td>'
                f"<td>{e(finding.sentence or finding.title)}</td>"
                f'<td class="{css}">{words}</td>'
                f"<td>{f'<ul>{evidence}</ul>' if evidence else ''}</td></tr>"
            )
        parts += ["</tbody>", "</table>"]
        if case.warnings:
            items = "".join(
                f"<li>{e(wording.problem_where(w, case=False))}: {e(w.message)}</li>"
                for w in case.warnings
            )
            parts.append(f'<p class="warning">{wording.WARNINGS_TITLE}:</p>\n<ul>{items}</ul>')
        parts.append("</article>")
        return "\n".join(parts) + "\n"

    def _data(self, content: ReportContent) -> str:
        data = content.data
        parts = ['<section id="data-problems">', f"<h2>{wording.DATA_TITLE}</h2>"]
        if not data.problems:
            parts.append("<p>No file or case was rejected.</p>")
        else:
            parts.append(f"<p>Rejected: {wording.plural(len(data.problems), 'data problem')}.</p>")
            parts.append("<table>")
            parts.append(
                "<thead><tr><th>Files</th><th>Case</th><th>Where</th><th>Problem</th></tr></thead>"
            )
            parts.append("<tbody>")
            for p in data.problems:
                files = "<br>".join(e(f) for f in wording.problem_files(p)) or "input"
                case_id = e(p.case_id) if p.case_id is not None else ""
                parts.append(
                    f"<tr><td>{files}</td><td>{case_id}</td><td>{e(p.location or '')}</td>"
                    f"<td>{e(p.message)}</td></tr>"
                )
            parts += ["</tbody>", "</table>"]
        if data.warnings:
            parts.append(f"<p>{e(wording.warnings_line(len(data.warnings)))}</p>")
            items = "".join(
                f"<li>{e(wording.problem_where(w))}: {e(w.message)}</li>" for w in data.warnings
            )
            parts.append(f'<ul class="warnings">{items}</ul>')
        if data.skipped:
            parts.append(f"<p>Skipped: {wording.plural(len(data.skipped), 'file')}.</p>")
            items = "".join(
                f'<li>{e(s.path)} <span class="muted">({e(s.reason)})</span></li>'
                for s in data.skipped
            )
            parts.append(f"<ul>{items}</ul>")
        parts.extend(f"<p>{e(line)}</p>" for line in wording.books_lines(data))
        parts.append("</section>")
        return "\n".join(parts) + "\n"



def _moderated_facts(case: CaseSection) -> list[str]:
    if not case.moderated:
        return []
    facts = [f"<dt>Tool's own</dt><dd>{e(wording.moderated_case_text(case))}</dd>"]
    if case.grade_moderation is not None:
        facts.append(f"<dt>Grade agreed</dt><dd>{e(wording.case_moderation_lines(case)[-1])}</dd>")
    return facts


def _moderation_note(finding: Finding) -> str:
    note = finding.moderation
    if note is None:
        return ""
    flag = wording.moderation_flag(note)
    text = e(wording.moderated_text(finding.outcome, finding.tool, note))
    return f'<br><span class="muted">{text}</span>' + (
        f'<br><strong class="worry">{e(flag)}</strong>' if flag else ""
    )


def _actions(actions: Sequence[ActionLine]) -> str:
    if not actions:
        return f"<p>{wording.NO_ACTIONS}</p>"
    items = "".join(
        f'<li class="worry">{e(wording.action_text(a))}</li>' if a.overdue
        else f"<li>{e(wording.action_text(a))}</li>"
        for a in actions
    )
    return f"<ul>{items}</ul>"


def _meeting(meeting: MeetingContent) -> str:
    items = []
    for m in meeting.moderations:
        flag = wording.moderation_flag(m.note)
        text = f"{wording.moderation_subject(m.case_id, m.rule)}: "
        text += wording.moderated_text(m.agreed, m.tool, m.note)
        items.append(f"<li>{e(text)}"
                     + (f' <strong class="worry">({e(flag)})</strong>' if flag else "") + "</li>")
    return (
        f'<section id="moderation">\n<h2>{wording.MODERATION_TITLE}</h2>\n'
        f"<p>{e(wording.moderation_summary(meeting))}</p>\n<ul>{''.join(items)}</ul>\n"
        f'</section>\n<section id="actions">\n<h2>{wording.ACTIONS_TITLE}</h2>\n'
        f"{_actions(meeting.actions)}\n</section>\n"
    )


def since_section(since: SinceLastAudit) -> str:
    """ "Since the last audit" (and `cp-audit compare --format html`, in `since_document`)."""
    rules = "".join(
        f"<li>{e(r.sentence)} [{e(r.rule)}]: <strong>{e(wording.share_text(r))}</strong></li>"
        for r in since.rules
    )
    grades = "".join(f"<li>{e(wording.grade_change_text(*g))}</li>" for g in since.grades)
    return (
        f'<section id="since">\n<h2>{wording.SINCE_TITLE}</h2>\n'
        f"<p>{e(wording.since_lead(since.previous, since.then_as_of, since.now_as_of))}</p>\n"
        f"<ul>{rules}</ul>\n<p><strong>Grades:</strong></p>\n<ul>{grades}</ul>\n"
        f"<p><strong>The previous audit's actions:</strong></p>\n{_actions(since.actions)}\n"
        "</section>\n"
    )


def since_document(since: SinceLastAudit) -> str:
    """A page of "Since the last audit" alone: what `cp-audit compare` writes as HTML."""
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        f"<title>{wording.SINCE_TITLE}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"{since_section(since)}</body>\n</html>\n"
    )


def _incomplete(heading: Heading) -> list[str]:
    """The incomplete notice, under the title: every finding below may rest on part of a case."""
    notice = wording.incomplete_notice(heading)
    return [f'<p class="notice" role="alert"><strong>{e(notice)}</strong></p>'] if notice else []
