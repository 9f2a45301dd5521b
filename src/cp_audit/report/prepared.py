"""Report sections made ahead, by the worker processes that check the cases.

The report is built by the parent process alone, after the workers: making
each case's section (`summary.CaseSection`) and its JSON line there was a
serial tail of about a fifth of a national run on two cores (and laying out a
text report's cases, minutes). A `Preparer` made in the parent, and inherited
by the forked workers, turns each case's result into its section and, for each
output being written (a format and its render options), the case's chunk of
that document (`Reporter.case_chunk`); the spool keeps them beside the result,
and `summary.build` and the reporters use them as they are. They are made by
the same functions as the parent would use, so the report's bytes do not
change.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from functools import partial

from cp_audit.report import REPORTERS
from cp_audit.report.interface import DEFAULT_OPTIONS, RenderOptions
from cp_audit.report.summary import LazySections, SurveyRow, section_maker, survey_row
from cp_audit.results import CaseResult
from cp_audit.run.spool import CaseSpool
from cp_audit.standards.spec import StandardsSpec

Output = tuple[str, RenderOptions]  # a format, and the options it is rendered with
# What is made for each case, in this order, each pickled: its section, its chunk of
# each output (a dict, or nothing), and its survey row (the words the report's heading
# and lists need, read back alone: the sections hold every finding's evidence).
SECTION, CHUNKS, ROW = range(3)


class Preparer:
    """A case result -> its section, its chunk of each output in `outputs` (formats,
    alone or with their render options) and its survey row, pickled."""

    def __init__(
        self,
        rules: tuple[str, ...],
        spec: StandardsSpec,
        outputs: Iterable[str | Output] = (),
    ) -> None:
        self.rules = rules
        self.spec = spec
        self.outputs: tuple[Output, ...] = tuple(dict.fromkeys(map(_output, outputs)))
        self._make = section_maker(rules, spec)

    def __call__(self, result: CaseResult) -> tuple[bytes, bytes, bytes]:
        section = self._make(result)
        chunks = {
            output: REPORTERS[output[0]].case_chunk(section, output[1])
            for output in self.outputs
        }
        return (
            pickle.dumps(section, pickle.HIGHEST_PROTOCOL),
            pickle.dumps(chunks, pickle.HIGHEST_PROTOCOL) if chunks else b"",
            pickle.dumps(survey_row(section), pickle.HIGHEST_PROTOCOL),
        )

    def sections(self, spool: CaseSpool) -> PreparedSections:
        return PreparedSections(spool, self)


class PreparedSections(LazySections):
    """The spool's prepared sections, in case id order, read one at a time."""

    def __init__(self, spool: CaseSpool, preparer: Preparer) -> None:
        super().__init__(list(spool.case_ids), partial(spool.read_prepared, number=SECTION))
        self._spool = spool
        self._preparer = preparer

    def made_for(self, rules: tuple[str, ...], spec: StandardsSpec) -> bool:
        """Made for this report's rules and standards (else the report makes its own)."""
        return rules == self._preparer.rules and spec is self._preparer.spec

    def chunks(
        self, format_name: str, options: RenderOptions = DEFAULT_OPTIONS
    ) -> Iterator[str] | None:
        """Each case's chunk of a format's document rendered with `options`, or None when
        they were not made."""
        output = (format_name, options)
        if output not in self._preparer.outputs:
            return None
        return (self._spool.read_prepared(case_id, CHUNKS)[output] for case_id in self._results)

    def rows(self) -> Iterator[SurveyRow]:
        """Each case's survey row, in case id order."""
        return (self._spool.read_prepared(case_id, ROW) for case_id in self._results)


def _output(item: str | Output) -> Output:
    return (item, DEFAULT_OPTIONS) if isinstance(item, str) else item
