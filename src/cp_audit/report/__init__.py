"""The report formats, behind one small interface and chosen from one registry.

    content = build.build(run, standards.spec)       # once per run
    reporter = REPORTERS["markdown"]                  # --format markdown
    reporter = for_path("audit.html")                 # --output audit.html
    for chunk in reporter.render(content, RenderOptions(color=False)):
        stream.write(chunk)

`REPORTERS`' keys are the CLI's `--format` choices; `for_path` chooses by a
file's extension (`.html`/`.htm`, `.md`, `.json`, `.csv`, `.xml` for JUnit,
`.txt` for text, `.docx` for Word). A reporter returns text (Word: bytes, its
`binary` flag set) and never prints.

The package, beside one module per format:

- `content`: what every format renders (`ReportContent`, a case's `CaseSection`);
- `prepare`: each checked case -> its section, its chunk of each document, its
  survey row, made where the case is checked (the run's one way to a report);
- `build`: a run's spool of prepared cases and the standards -> `ReportContent`;
- `wording`: the sentences and labels the text, Markdown and HTML reports share;
- `interface`: `Reporter`, the one class a format implements, and `RenderOptions`.

A new format is a module here (a `Reporter`) and its line in `REPORTERS`.
"""

from __future__ import annotations

import os
from pathlib import PurePath

from cp_audit.report.csv import CsvReporter
from cp_audit.report.docx import DocxReporter
from cp_audit.report.html import HtmlReporter
from cp_audit.report.interface import DEFAULT_OPTIONS, RenderOptions, Reporter
from cp_audit.report.json import JsonReporter
from cp_audit.report.junit import JunitReporter
from cp_audit.report.markdown import MarkdownReporter
from cp_audit.report.text import TextReporter


class UnknownFormatError(ValueError):
    """A format name or a file extension that no reporter has."""


def _registry(*reporters: Reporter) -> dict[str, Reporter]:
    return {reporter.name: reporter for reporter in reporters}


REPORTERS: dict[str, Reporter] = _registry(
    TextReporter(),
    MarkdownReporter(),
    HtmlReporter(),
    JsonReporter(),
    CsvReporter(),
    JunitReporter(),
    DocxReporter(),
)

# The --format choices, in order: the formats that can go to stdout (not Word's binary file).
FORMATS: tuple[str, ...] = tuple(name for name, r in REPORTERS.items() if not r.binary)

BY_EXTENSION: dict[str, Reporter] = {
    extension: reporter for reporter in REPORTERS.values() for extension in reporter.extensions
}


def get(name: str) -> Reporter:
    """The reporter of a `--format` name."""
    try:
        return REPORTERS[name]
    except KeyError:
        choices = ", ".join(FORMATS)
        raise UnknownFormatError(f'unknown format "{name}" (formats are: {choices})') from None


def for_path(path: str | os.PathLike[str]) -> Reporter:
    """The reporter for an `--output` file, by its extension (case-insensitive)."""
    suffix = PurePath(path).suffix.lower()
    reporter = BY_EXTENSION.get(suffix)
    if reporter is None:
        known = ", ".join(BY_EXTENSION)
        shown = f'"{suffix}"' if suffix else "no extension"
        raise UnknownFormatError(
            f"{os.fspath(path)}: cannot tell the format from {shown} (extensions are: {known})"
        )
    return reporter


__all__ = [
    "BY_EXTENSION",
    "DEFAULT_OPTIONS",
    "FORMATS",
    "REPORTERS",
    "RenderOptions",
    "Reporter",
    "UnknownFormatError",
    "for_path",
    "get",
]
