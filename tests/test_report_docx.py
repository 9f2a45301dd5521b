"""The Word meeting paper: opens with python-docx (and in LibreOffice, where installed),
with Word's heading styles, the case × rule grid, a chronology and a page per child,
links from the summary to each child, room for notes; never on stdout; names only
with --show-names."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.document import Document as DocumentType
from docx.oxml.ns import qn
from test_report_data import content, hostile_run

from cp_audit.cli import cli
from cp_audit.report import REPORTERS, chronology, for_path, grid, wording
from cp_audit.report._docx_paper import MEETING_TITLE, NOTES
from cp_audit.report.docx import BinaryFormatError

REPO = Path(__file__).resolve().parents[1]
DOCX = REPORTERS["docx"]
SAMPLES = 10


def _open(data: bytes) -> DocumentType:
    return Document(io.BytesIO(data))


def _headings(document: DocumentType, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


@pytest.fixture(scope="module")
def samples_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`cp-audit check samples/ -o report.docx`, through a real process."""
    out = tmp_path_factory.mktemp("docx") / "report.docx"
    done = subprocess.run(
        [sys.executable, "-m", "cp_audit", "check", "samples/", "-o", str(out), "-q"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 1, done.stderr  # the samples show worries
    return out


def test_the_registry_knows_word_by_its_extension_and_it_is_binary() -> None:
    assert for_path("paper.DOCX") is DOCX
    assert DOCX.binary and not REPORTERS["html"].binary
    with pytest.raises(BinaryFormatError):
        DOCX.render_string(content())


def test_the_sections_are_word_headings_in_the_reports_order() -> None:
    document = _open(DOCX.render_bytes(content()))
    assert [p.style.name for p in document.paragraphs[:1]] == ["Title"]
    assert _headings(document, 1) == [
        wording.WORRIES_TITLE, wording.GOOD_PRACTICE_TITLE, wording.THEMES_TITLE, grid.TITLE,
        MEETING_TITLE, wording.CASES_TITLE, wording.DATA_TITLE,
    ]
    report = content()
    cases = [h for h in _headings(document, 2) if h in report.cases.case_ids]
    assert cases == report.cases.case_ids


def test_each_child_from_a_new_page_with_a_bookmark_the_summary_links_to() -> None:
    document = _open(DOCX.render_bytes(content()))
    report = content()
    headings = [p for p in document.paragraphs if p.text in report.cases.case_ids]
    assert all(p.paragraph_format.page_break_before for p in headings)
    body = document.element.body
    marks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    anchors = {h.get(qn("w:anchor")) for h in body.iter(qn("w:hyperlink"))} - {None}
    assert len(marks) == len(report.cases) and anchors == marks


def test_the_grid_is_a_table_with_a_row_per_case_and_a_column_per_rule() -> None:
    report = content()
    document = _open(DOCX.render_bytes(report))
    table = grid.grid(report)
    word = next(t for t in document.tables if t.rows[0].cells[0].text == "Case")
    assert len(word.rows) == 2 + len(report.cases)
    assert len(word.columns) == 2 + len(table.columns) == 2 + len(report.rules)
    symbols = {cell.text for row in word.rows[2:] for cell in row.cells[1:-1]}
    assert symbols <= {m.symbol for m in grid.Mark}
    assert len(symbols) > 1


def test_room_for_notes_and_the_meetings_actions() -> None:
    document = _open(DOCX.render_bytes(content()))
    notes = [t for t in document.tables if t.rows[0].cells[0].text.startswith(NOTES)]
    assert len(notes) == len(content().cases) + 1  # one per child, one for the meeting
    actions = [t for t in document.tables if t.rows[0].cells[0].text == "Action"]
    assert len(actions) == 1


def test_the_samples_meeting_record_is_in_the_paper(samples_docx: Path) -> None:
    document = _open(samples_docx.read_bytes())
    text = [p.text for p in document.paragraphs]
    assert "2 decisions of the audit meeting applied." in text
    assert any(t.startswith("NS-2022-04, health-at-core-groups: met, moderated: the tool "
                            "found not met;") for t in text)
    assert any("the auditors' own finding" in t and t.endswith("NS-2022-06") for t in text)
    (actions,) = [t for t in document.tables if t.rows[0].cells[0].text == "Action"]
    rows = [[cell.text for cell in row.cells] for row in actions.rows]
    assert rows[2][0].startswith("ACT-2:") and rows[2][3] == "open, OVERDUE"
    assert rows[3] == ["", "", "", ""]  # room for the actions this meeting agrees
    # and each moderated child's own page says so, with the tool's own score beside
    assert "Before moderation, the tool's own score was 45.0, grade inadequate." in [
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    ]
    assert any(t.startswith("health-at-core-groups: met, moderated: the tool found not met;")
               for t in text)


def test_data_is_text_and_names_are_hidden() -> None:
    data = DOCX.render_bytes(content(hostile_run()))
    document = _open(data)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "<script>alert(1)</script>" in text  # text in Word: nothing runs
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("word/document.xml")
    assert b"\x1b" not in xml and b"\x00" not in xml


def test_format_docx_on_stdout_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(REPO / "samples"), "--format", "docx"])
    assert result.exit_code == 2
    assert "binary file" in result.output and "--output report.docx" in result.output
    assert "Traceback" not in result.output


def test_the_samples_paper_has_ten_children_each_with_a_chronology(samples_docx: Path) -> None:
    document = Document(str(samples_docx))
    children = [h for h in _headings(document, 2) if h.startswith("NS-2022-")]
    assert len(children) == SAMPLES
    if len(document.inline_shapes) == 0:  # no Cairo library: the chronology as a table
        dates = [t for t in document.tables if t.rows[0].cells[0].text == "Date"]
        assert len(dates) == SAMPLES
    else:
        assert len(document.inline_shapes) == SAMPLES


def test_the_sample_names_stay_out_unless_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    texts = {}
    for show in (False, True):
        out = tmp_path / f"names-{show}.docx"
        args = ["check", "samples/", "-o", str(out), "-q", *(["--show-names"] if show else [])]
        CliRunner().invoke(cli, args)
        document = Document(str(out))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        texts[show] = "\n".join([p.text for p in document.paragraphs] + cells)
    assert "Amy Example" not in texts[False]  # NS-2022-01's child (samples/ns-01.yaml)
    assert "NS-2022-01 (Amy Example)" in texts[True]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_it_to_pdf_with_every_child(
    samples_docx: Path, tmp_path: Path
) -> None:
    pdftotext = shutil.which("pdftotext")
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(samples_docx)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    pdf = tmp_path / "report.pdf"
    if not pdf.exists() and "could not be loaded" in done.stderr:
        pytest.skip("this LibreOffice has no Writer (libreoffice-writer)")
    assert pdf.exists(), done.stderr
    if pdftotext is None:
        return
    text = subprocess.run(
        [pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert grid.TITLE in text and wording.WORRIES_TITLE in text
    assert all(f"NS-2022-{n:02d}" in text for n in range(1, SAMPLES + 1))


def test_without_cairo_each_chronology_is_a_table_of_dates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chronology, "png", lambda svg_text, scale=2.0: None)
    monkeypatch.chdir(REPO)
    out = tmp_path / "no-cairo.docx"
    CliRunner().invoke(cli, ["check", "samples/", "-o", str(out), "-q", "--jobs", "1"])
    document = Document(str(out))
    assert len(document.inline_shapes) == 0
    dates = [t for t in document.tables if t.rows[0].cells[0].text == "Date"]
    assert len(dates) == SAMPLES
    assert all(len(t.rows) > 1 for t in dates)
