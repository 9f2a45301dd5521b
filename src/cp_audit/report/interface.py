"""The one small interface every report format implements.

A reporter turns the report's content (`content.ReportContent`, built once per
run) into a document. It returns the document as text chunks that, joined,
make the whole of it, so that the CLI can write a big JSON, CSV or JUnit
report as it is produced; a `binary` format (Word) returns the whole document
as bytes instead (`render_bytes`), and is written only to a file. It never
prints, never opens a file, never reads the environment: the CLI decides where
the chunks go and sets the options.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from cp_audit.report.content import CaseSection, ReportContent
    from cp_audit.run.spool import CaseSpool


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How to render; formats ignore the options that do not concern them."""

    color: bool = False  # text: ANSI colours (the CLI sets it from the terminal and NO_COLOR)
    width: int = 80  # text: the columns to wrap at


DEFAULT_OPTIONS = RenderOptions()

Output = tuple[str, RenderOptions]  # a document: a format, and the options it is rendered with


class Reporter(abc.ABC):
    """A report format: a name (the `--format` choice), file extensions, and `render`."""

    name: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]]  # the first is the one a new file gets
    description: ClassVar[str]
    binary: ClassVar[bool] = False  # True: `render_bytes` only (a file; never stdout)
    draws_chronology: ClassVar[bool] = False  # True: it reads each case's `chronology`

    @property
    def extension(self) -> str:
        return self.extensions[0]

    @abc.abstractmethod
    def case_chunk(self, case: CaseSection, options: RenderOptions = DEFAULT_OPTIONS) -> str:
        """What the document holds for one case. It depends on the case and the options
        alone (for CSV, unless names are shown), so that the process that checks the case
        makes it (`prepare.Preparer`) for each document the run writes."""

    def case_chunks(
        self, cases: CaseSpool, options: RenderOptions = DEFAULT_OPTIONS
    ) -> Iterator[str]:
        """Each case's chunk, in case id order: as prepared for this format and options,
        else (another terminal width, a format the run did not prepare) made here."""
        prepared = cases.chunks((self.name, options))
        if prepared is not None:
            return prepared
        return (self.case_chunk(case, options) for case in cases)

    @abc.abstractmethod
    def render(
        self, content: ReportContent, options: RenderOptions = DEFAULT_OPTIONS
    ) -> Iterable[str]:
        """Text chunks that, joined, make the whole document (ending with a newline)."""

    def render_bytes(
        self, content: ReportContent, options: RenderOptions = DEFAULT_OPTIONS
    ) -> bytes:
        """The whole document as the bytes of its file (a text format's: UTF-8)."""
        return self.render_string(content, options).encode("utf-8")

    def render_string(
        self, content: ReportContent, options: RenderOptions = DEFAULT_OPTIONS
    ) -> str:
        return "".join(self.render(content, options))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"

