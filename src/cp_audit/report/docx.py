"""The Word meeting paper (`-o report.docx`): the report for the audit lead to add to.

The same sections as the other reports (`shared/cli-contract.md`, "The report"),
with Word's heading styles (Title, Heading 1 for each section, Heading 2 for a
theme or a case), so that Word's navigation pane lists them; the case × rule
grid as a table (`grid`); each child from a new page, with its chronology as a
picture (`chronology.svg` rasterised by `chronology.png`; a table of the dates
where CairoSVG's Cairo library is missing), its findings as a table and room
for the audit lead's notes. A case id in the summary and the grid links to its
page (a bookmark per case). Names appear only with `--show-names`, as in every
report (a section carries one only then).

Word is a binary format: this reporter is `binary`, writes the whole document
with `render_bytes`, and has no text chunk to stream (`--format docx` on
stdout is refused; each case's part is made here, not in the workers).
"""

from __future__ import annotations

from collections.abc import Iterable

from cp_audit.report.content import CaseSection, ReportContent
from cp_audit.report.interface import DEFAULT_OPTIONS, RenderOptions, Reporter


class BinaryFormatError(TypeError):
    """A binary format asked for text (Word on stdout)."""


class DocxReporter(Reporter):
    name = "docx"
    extensions = (".docx",)
    description = "an editable Word meeting paper (a file only: -o report.docx)"
    binary = True
    draws_chronology = True

    def render(
        self, content: ReportContent, options: RenderOptions = DEFAULT_OPTIONS
    ) -> Iterable[str]:
        raise BinaryFormatError(
            "a Word document is a binary file: write it with --output report.docx"
        )

    def case_chunk(self, case: CaseSection, options: RenderOptions = DEFAULT_OPTIONS) -> str:
        raise BinaryFormatError("a Word document has no text chunk for a case")

    def render_bytes(
        self, content: ReportContent, options: RenderOptions = DEFAULT_OPTIONS
    ) -> bytes:
        from cp_audit.report._docx_paper import paper  # python-docx: only when writing one

        return paper(content)
