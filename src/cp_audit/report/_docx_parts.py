"""The few Word features python-docx has no call for, written as their WordprocessingML:
bookmarks and internal links (a case id in the summary -> the case's page), web links,
cell shading, and A4 pages. Used by `report.docx` only.

Every text given here is cleaned of what XML 1.0 cannot hold (`_text.clean_xml`).
"""

from __future__ import annotations

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from cp_audit.report._text import clean_xml

LINK_BLUE = RGBColor(0x1A, 0x4F, 0x8B)


def x(text: str) -> str:
    """A value as text Word can hold."""
    return clean_xml(text)


def a4(document: Document) -> None:
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(15)
        section.top_margin = section.bottom_margin = Mm(14)


def bookmark(paragraph: Paragraph, name: str, number: int) -> None:
    """Mark the whole paragraph as the bookmark `name` (a link's target)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    element = paragraph._p
    element.insert(1 if element.pPr is not None else 0, start)
    element.append(end)


def _link_run(text: str, size: float | None = None) -> BaseOxmlElement:
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), str(LINK_BLUE))
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    properties.append(color)
    if size is not None:
        half_points = OxmlElement("w:sz")
        half_points.set(qn("w:val"), str(round(size * 2)))
        properties.append(half_points)
    properties.append(underline)
    run.append(properties)
    content = OxmlElement("w:t")
    content.text = x(text)
    content.set(qn("xml:space"), "preserve")
    run.append(content)
    return run


def internal_link(
    paragraph: Paragraph, text: str, anchor: str, size: float | None = None
) -> None:
    """A link to the bookmark `anchor` in this document (`size`: its font's, in points)."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    link.append(_link_run(text, size))
    paragraph._p.append(link)


def web_link(paragraph: Paragraph, text: str, url: str) -> None:
    """A link to a web page (only the standards' http(s) resource URLs come here)."""
    relation = paragraph.part.relate_to(
        url, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
        is_external=True,
    )
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    link.append(_link_run(text))
    paragraph._p.append(link)


def shade(cell: _Cell, fill: str) -> None:
    """A cell's background colour (`fill`: RRGGBB)."""
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def cell_text(cell: _Cell, text: str, size: float = 8, bold: bool = False) -> Paragraph:
    """The cell's one paragraph, holding `text` in a small font."""
    paragraph: Paragraph = cell.paragraphs[0]
    run = paragraph.add_run(x(text))
    run.font.size = Pt(size)
    run.bold = bold
    paragraph.paragraph_format.space_after = Pt(0)
    return paragraph


def narrow_cells(table: Table, twips: int = 22) -> None:
    """Small left and right cell margins (a grid of 29 narrow columns)."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.append(margins)


def repeat_header(row_element: object) -> None:
    """A table's header row, repeated on each page the table runs to."""
    properties = row_element.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
