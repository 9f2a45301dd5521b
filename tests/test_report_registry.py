"""The registry: one reporter per --format name, and the format of an --output file."""

from __future__ import annotations

import pytest
from test_report_data import content

from cp_audit.report import FORMATS, REPORTERS, Reporter, UnknownFormatError, for_path, get


def test_the_formats_are_the_cli_choices() -> None:
    assert FORMATS == ("text", "markdown", "html", "json", "csv", "junit")
    for name, reporter in REPORTERS.items():
        assert isinstance(reporter, Reporter)
        assert reporter.name == name
        assert reporter.extension.startswith(".")
        assert get(name) is reporter


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("report.html", "html"),
        ("out/REPORT.HTM", "html"),
        ("meeting.md", "markdown"),
        ("a.b/report.json", "json"),
        ("report.csv", "csv"),
        ("junit.xml", "junit"),
        ("report.txt", "text"),
    ],
)
def test_for_path_chooses_by_extension(path: str, name: str) -> None:
    assert for_path(path).name == name


@pytest.mark.parametrize("path", ["report.pdf", "report", "report.html.bak"])
def test_an_unknown_extension_is_an_error(path: str) -> None:
    with pytest.raises(UnknownFormatError, match="extensions are"):
        for_path(path)


def test_an_unknown_format_name_is_an_error() -> None:
    with pytest.raises(UnknownFormatError, match="formats are: text, markdown"):
        get("pdf")


@pytest.mark.parametrize("name", FORMATS)
def test_render_returns_chunks_and_never_prints(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    chunks = list(REPORTERS[name].render(content()))
    assert all(isinstance(chunk, str) for chunk in chunks)
    assert "".join(chunks).endswith("\n")
    assert capsys.readouterr() == ("", "")
