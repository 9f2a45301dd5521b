"""The HTML report's meeting-paper parts: the charts, the case × rule grid, each child's
chronology, and the stylesheet that prints it all to A4.

Printing (Chromium, Firefox, Word's "open HTML"): A4 portrait; the summary, the
grid and the themes on the first pages, each child from a new page, the data
problems last. A token (a rule id, an outcome, a case id) never breaks inside
itself: tokens are `white-space: nowrap` with `word-break: normal;
overflow-wrap: normal; hyphens: none`, and tables are `table-layout: fixed`
with column widths that leave room for them, so no table is cut off at the
page's edge. Colours print (`print-color-adjust: exact`), and every colour has
a symbol or a word beside it, so a grey-scale copy says the same.

The only ids made from data are the cases' anchors (`grid.anchor`: ASCII
letters, digits and hyphens, anything else written as its code point).
"""

from __future__ import annotations

import html

from cp_audit.report import chronology, grid, wording
from cp_audit.report._text import clean
from cp_audit.report.content import CaseSection, RuleLine

STYLE = """
body { max-width: 72rem; }
.token, .ids a, .grid td.case-id { white-space: nowrap; word-break: normal;
  overflow-wrap: normal; hyphens: none; }
a.case-link { color: inherit; }
.share { vertical-align: -1px; margin-right: .4rem; }
.share .track { fill: #e3e6ea; }
.share .bar { fill: var(--worry); }
.good-practice .share .bar { fill: var(--good); }
table.findings { table-layout: fixed; }
table.findings col.rule { width: 17em; }
table.findings col.finding { width: 30%; }
table.findings col.outcome { width: 9.5em; }
table.findings td { overflow-wrap: break-word; }
table.grid { table-layout: auto; width: auto; font-size: .85em; }
table.grid th, table.grid td { text-align: center; padding: .1rem .25rem; }
table.grid td.case-id, table.grid th.case-id { text-align: left; }
.grid .met { color: var(--good); }
.grid .worry { color: var(--worry); font-weight: 700; }
.grid .not-seen, .grid .not-applicable, .grid .not-covered { color: var(--muted); }
.grid-key { columns: 2; font-size: .85em; margin: .3rem 0; padding-left: 1.4rem; }
.grid-key li { break-inside: avoid; }
.chronology { width: 100%; height: auto; max-width: 48rem; display: block; margin: .4rem 0; }
.print-only { display: none; }
@page { size: A4; margin: 10mm 11mm; }
@media print {
  body { font-size: 9pt; line-height: 1.3; }
  h1 { font-size: 15pt; } h2 { font-size: 12pt; margin: .8rem 0 .3rem; }
  h3 { font-size: 10.5pt; margin: .5rem 0 .25rem; }
  p { margin: .25rem 0; }
  table { font-size: 6.8pt; }
  table.grid { font-size: 7.5pt; }
  dl.facts { grid-template-columns: max-content 1fr max-content 1fr max-content 1fr;
    font-size: 8pt; }
  .theme { break-inside: auto; }
  .theme h3 { break-after: avoid; }
  th, td { padding: .05rem .25rem; line-height: 1.2; }
  /* the finding's words say what the rule is; its id is in the grid's key */
  table.findings col.rule { width: 0; }
  table.findings td.token, table.findings th.rule { visibility: hidden; padding: 0;
    border: 0; overflow: hidden; font-size: 0; }
  .worries ul, .good-practice ul { columns: 2; column-gap: 1.2rem; padding-left: 1rem; }
  table.findings td ul { list-style: none; padding: 0; }
  table.findings td li { display: inline; }
  table.findings td li + li::before { content: "; "; }
  table.findings tr.brief td li:nth-child(n+2) { display: none; }
  table.findings tr.brief td li:first-child:not(:last-child)::after { content: " …"; }
  .print-only { display: block; }
  .chronology { max-width: 25rem; margin: .1rem 0; }
  /* the data problems follow the last child: most runs have a few lines of them */
  #data-problems { break-before: auto; page-break-before: auto; }
  figure { margin: 0; }
  table.findings col.outcome { width: 13em; }
  table, .chronology { break-inside: auto; }
  thead { display: table-header-group; }
  .grid td, .grid th, .chronology, .share { print-color-adjust: exact;
    -webkit-print-color-adjust: exact; }
  a.case-link::after, .ids a::after { content: none; }
}
"""

PRINTED_EVIDENCE = (
    '<p class="print-only muted">On paper, a worry shows all its evidence; any other finding '
    "shows the first item of its evidence (… where there is more): the report on screen "
    "holds it all.</p>"
)

def e(value: str) -> str:
    return html.escape(clean(value), quote=True)


def case_link(case_id: str) -> str:
    return f'<a class="case-link" href="#{grid.anchor(case_id)}">{e(case_id)}</a>'


_BAR = 120  # the bar's full length: all the cases where the rule applies


def share_bar(line: RuleLine) -> str:
    """A small inline SVG bar for one worry or good practice: as long as its share of the
    cases where the rule applies (N of A), over a pale track of all A, so that "3 of 6"
    draws as long as "5 of 10", never as "3 of 10"."""
    share = line.cases / line.applicable if line.applicable else 0.0
    width = round(_BAR * share, 1)
    return (
        f'<svg class="share" role="img" viewBox="0 0 {_BAR} 12" width="{_BAR}" height="12">'
        f"<title>{line.cases} of {line.applicable} ({round(100 * share)}%)</title>"
        f'<rect class="track" x="0" y="0" width="{_BAR}" height="12"></rect>'
        f'<rect class="bar" x="0" y="0" width="{width}" height="12"></rect></svg>'
    )


def grid_section(table: grid.Grid) -> str:
    parts = [f'<section id="grid">\n<h2>{grid.TITLE}</h2>']
    if table.left_out:
        parts.append(f"<p>{e(grid.left_out_sentence(table))}</p></section>")
        return "\n".join(parts) + "\n"
    if not table.rows:
        parts.append(f"<p>{wording.NO_CASES}</p></section>")
        return "\n".join(parts) + "\n"
    parts.append(
        f'<p class="muted">{e(grid.legend(table))}. Columns: the rules, numbered as in the '
        "key below, by theme.</p>"
    )
    groups = "".join(
        f'<th colspan="{len(t.columns)}" scope="colgroup">{e(t.title)}</th>' for t in table.themes
    )
    numbers = "".join(
        f'<th scope="col" title="{e(c.rule)}">{c.number}</th>' for c in table.columns
    )
    parts += [
        '<table class="grid">',
        f'<thead><tr><th class="case-id" rowspan="2" scope="col">Case</th>{groups}'
        '<th rowspan="2" scope="col">Worries</th></tr>',
        f"<tr>{numbers}</tr></thead>",
        "<tbody>",
    ]
    for row in table.rows:
        cells = "".join(
            f'<td class="{m.name.lower().replace("_", "-")}" title="{m.value}">{symbol}</td>'
            for m, symbol in zip(row.marks, row.symbols(), strict=True)
        )
        parts.append(
            f'<tr><td class="case-id">{case_link(row.case_id)}</td>{cells}'
            f"<td>{row.worries}</td></tr>"
        )
    parts += ["</tbody>", "</table>", '<ol class="grid-key">']
    parts += [
        f'<li><span class="token">{e(c.rule)}</span>: {e(c.title)}</li>' for c in table.columns
    ]
    parts.append("</ol>\n</section>")
    return "\n".join(parts) + "\n"


def chronology_figure(case: CaseSection) -> str:
    """The case's chronology drawing, or nothing where the section has none."""
    if case.chronology is None:
        return ""
    drawing = chronology.svg(case.chronology, f"Chronology of {clean(case.case_id)}")
    return f'<figure class="chronology-figure">\n{drawing}\n</figure>'

