"""The one small interface every report format implements.

A reporter turns the report's content (`summary.ReportContent`, built once per
run) into a document. It returns the document as text chunks that, joined,
make the whole of it, so that the CLI can write a big JSON, CSV or JUnit
report as it is produced; it never prints, never opens a file, never reads
the environment: the CLI decides where the chunks go and sets the options.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar

from cp_audit.report.summary import CaseSection, ReportContent


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How to render; formats ignore the options that do not concern them."""

    color: bool = False  # text: ANSI colours (the CLI sets it from the terminal and NO_COLOR)
    width: int = 80  # text: the columns to wrap at


DEFAULT_OPTIONS = RenderOptions()


class Reporter(abc.ABC):
    """A report format: a name (the `--format` choice), file extensions, and `render`."""

    name: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]]  # the first is the one a new file gets
    description: ClassVar[str]

    @property
    def extension(self) -> str:
        return self.extensions[0]

    @abc.abstractmethod
    def case_chunk(self, case: CaseSection, options: RenderOptions = DEFAULT_OPTIONS) -> str:
        """What the document holds for one case. It depends on the case and the options
        alone (for CSV, unless names are shown), so the workers that check the cases make
        it ahead (`report.prepared`)."""

    @abc.abstractmethod
    def render(
        self, content: ReportContent, options: RenderOptions = DEFAULT_OPTIONS
    ) -> Iterable[str]:
        """Text chunks that, joined, make the whole document (ending with a newline)."""

    def render_string(
        self, content: ReportContent, options: RenderOptions = DEFAULT_OPTIONS
    ) -> str:
        return "".join(self.render(content, options))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


def case_chunks(
    reporter: Reporter, cases: Sequence[CaseSection], options: RenderOptions = DEFAULT_OPTIONS
) -> Iterator[str]:
    """Each case's chunk: made ahead by the workers when they were, else made here."""
    ahead = getattr(cases, "chunks", None)
    made: Iterator[str] | None = ahead(reporter.name, options) if ahead is not None else None
    if made is not None:
        return made
    return (reporter.case_chunk(case, options) for case in cases)
