"""Report sections made ahead, by the worker processes that check the cases.

The report is built by the parent process alone, after the workers: making
each case's section (`summary.CaseSection`) and its JSON line there was a
serial tail of about a fifth of a national run on two cores. A `Preparer` made
in the parent, and inherited by the forked workers, turns each case's result
into its section and, when a JSON report is written, its JSON line; the spool
keeps them beside the result, and `summary.build` and the JSON reporter use
them as they are. They are made by the same functions as the parent would use,
so the report's bytes do not change.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator

from cp_audit.report.json import case_line
from cp_audit.report.summary import LazySections, section_maker
from cp_audit.results import CaseResult
from cp_audit.spool import CaseSpool
from cp_audit.standards import StandardsSpec


class Preparer:
    """A case result -> its section, pickled, and its JSON line, UTF-8 (or b"")."""

    def __init__(self, rules: tuple[str, ...], spec: StandardsSpec, *, json_lines: bool) -> None:
        self.rules = rules
        self.spec = spec
        self.json_lines = json_lines
        self._make = section_maker(rules, spec)

    def __call__(self, result: CaseResult) -> tuple[bytes, bytes]:
        section = self._make(result)
        # A JSON line holds no lone surrogate (the reporter escapes them): always UTF-8.
        line = case_line(section).encode("utf-8") if self.json_lines else b""
        return pickle.dumps(section, pickle.HIGHEST_PROTOCOL), line

    def sections(self, spool: CaseSpool) -> PreparedSections:
        return PreparedSections(spool, self)


class PreparedSections(LazySections):
    """The spool's prepared sections, in case id order, read one at a time."""

    def __init__(self, spool: CaseSpool, preparer: Preparer) -> None:
        super().__init__(list(spool.case_ids), spool.read_section)
        self._spool = spool
        self._preparer = preparer

    def made_for(self, rules: tuple[str, ...], spec: StandardsSpec) -> bool:
        """Made for this report's rules and standards (else the report makes its own)."""
        return rules == self._preparer.rules and spec is self._preparer.spec

    def json_lines(self) -> Iterator[str] | None:
        """Each case's line of the JSON report, or None when none was made."""
        if not self._preparer.json_lines:
            return None
        return map(self._spool.read_line, list(self._spool.case_ids))
