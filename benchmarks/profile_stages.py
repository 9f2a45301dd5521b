"""CPU per case of each stage of `check`, measured in one process, as a worker runs them.

On a folder of generated one-case files (`generate.py`), the stages a worker
runs for each case, each timed over every case with `time.process_time` (CPU,
not wall: the machine is shared), the least of `--runs` runs:

- read + parse: the reader's `read` (bytes, size limits, UTF-8, JSON with its
  duplicate-key check);
- validate: `merging.validate_record` (pydantic) of every record;
- merge: `combining.merge` of each case's records;
- warnings: the data warnings' walk of each case (`case.warnings`);
- rules: `engine.check_case` (the standards' rules with their evidence);
- prepare: `report.prepare.Preparer` (the section, the JSON report's chunk and
  the survey row, each pickled);
- pickle: what the worker sends back of the case (its prepared parts).

What the stages before made is frozen (`gc.freeze`) while a stage is timed: a
worker holds one unit of cases at a time, not a thousand.

It prints ms CPU a case for each stage and their sum. `--profile FILE` runs
the whole pipeline once under cProfile and writes its stats to FILE (read them
with `python -m pstats FILE`), printing the top functions by own time. Run:

    python benchmarks/profile_stages.py /tmp/p1k --runs 5
    python benchmarks/profile_stages.py /tmp/p1k --profile /tmp/stages.prof
    python benchmarks/profile_stages.py /tmp/p1k --whole

`--whole` times instead the run as `check --jobs 1` makes it, in this process
(`run.audit.run_audit`: discovery, the first pass over the case ids, every
stage above, the spool), then the JSON report built and rendered from it.

Compare builds by running it with `PYTHONPATH=<other tree>/src`, alternately: on a
shared machine every stage moves together between runs, by up to half. The least of
several runs is a warm figure (the parsed dates and tokens are remembered from the run
before, the calendar's years built); `--whole --runs 1` gives the cold one, nearer to what
a command on new files costs.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pickle
import pstats
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Any


def case_files(path: str, limit: int | None) -> list[str]:
    names = sorted(n for n in os.listdir(path) if n.endswith(".json"))
    return [os.path.join(path, n) for n in names[:limit]]


class Pipeline:
    """The stages, run a case at a time as a worker runs them, each fed the one before."""

    def __init__(self, files: list[str], as_of: date) -> None:
        from cp_audit.case.combining import Checked, merge
        from cp_audit.case.merging import validate_record
        from cp_audit.case.warnings import case_warnings
        from cp_audit.inputs import reader_for
        from cp_audit.report.interface import DEFAULT_OPTIONS
        from cp_audit.report.prepare import Preparer
        from cp_audit.run.engine import check_case
        from cp_audit.standards import spec
        from cp_audit.standards.vocabulary import known_tokens

        self.files, self.as_of = files, as_of
        standards = spec.load()
        rules = standards.rules
        known = known_tokens(standards)
        preparer = Preparer(tuple(r.id for r in rules), standards.spec, [("json", DEFAULT_OPTIONS)])
        reader = reader_for(files[0])
        assert reader is not None

        def validate(read: Any) -> list[Any]:
            return [
                Checked(raw.file, raw.place, order, validate_record(raw), raw.offset)
                for order, raw in enumerate(read.records)
            ]

        def merged(checked: list[Any]) -> tuple[Any, list[Any]]:
            case, problems = merge(checked[0].record.case_id, checked)
            assert case is not None, problems
            return case, checked

        self.stages: list[tuple[str, Callable[[Any], Any]]] = [
            ("read + parse", reader.read),
            ("validate", validate),
            ("merge", merged),
            ("warnings", lambda m: (m[0], case_warnings(m[0], m[1], known, as_of))),
            ("rules", lambda w: check_case(w[0], standards, as_of, rules, warnings=w[1])),
            ("prepare", preparer),
            ("pickle", lambda p: pickle.dumps(p, pickle.HIGHEST_PROTOCOL)),
        ]

    def run_all(self) -> dict[str, float]:
        """CPU seconds of each stage over every file."""
        clock = time.process_time
        spent = dict.fromkeys((name for name, _ in self.stages), 0.0)
        for path in self.files:
            value: Any = path
            for name, stage in self.stages:
                start = clock()
                value = stage(value)
                spent[name] += clock() - start
        return spent


def timed(pipeline: Pipeline, runs: int) -> dict[str, float]:
    """The least CPU seconds of each stage over `runs` runs of the whole pipeline."""
    best: dict[str, float] = {}
    for _ in range(runs):
        for name, spent in pipeline.run_all().items():
            best[name] = min(best.get(name, spent), spent)
    return best


def whole(path: str, as_of: date, runs: int) -> dict[str, float]:
    """The least CPU seconds of a whole in-process run (`--jobs 1`) and of its report."""
    import io
    from pathlib import Path

    from cp_audit.report import REPORTERS
    from cp_audit.report.build import build
    from cp_audit.report.interface import DEFAULT_OPTIONS
    from cp_audit.run import audit
    from cp_audit.standards import spec

    standards = spec.load()
    request = audit.AuditRequest(
        paths=(Path(path),), standards=standards, rules=standards.rules, as_of=as_of,
        outputs=(("json", DEFAULT_OPTIONS),),
        chronologies=False,  # as `check` runs for a JSON report: it draws no chronology
    )
    best: dict[str, float] = {}
    for _ in range(runs):
        clock = time.process_time
        start = clock()
        result = audit.run_audit(request)
        ran = clock()
        content = build(result, standards.spec)
        io.StringIO().writelines(REPORTERS["json"].render(content, DEFAULT_OPTIONS))
        done = clock()
        for name, spent in (("run_audit", ran - start), ("report", done - ran)):
            best[name] = min(best.get(name, spent), spent)
        result.cases.close()
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", help="a folder of generated .json case files")
    parser.add_argument("--files", type=int, default=None, help="only the first N files")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--as-of", default="2024-06-30")
    parser.add_argument("--profile", metavar="FILE", help="cProfile the pipeline into FILE")
    parser.add_argument(
        "--whole", action="store_true",
        help="time run.audit.run_audit (--jobs 1) and the JSON report instead of each stage",
    )
    args = parser.parse_args()
    if args.whole:
        files = case_files(args.path, None)
        spent = whole(args.path, date.fromisoformat(args.as_of), args.runs)
        print(f"{len(files)} files, the whole run in this process, least of {args.runs} runs, "
              "ms CPU a case:")
        for name, seconds in spent.items():
            print(f"  {name:<10}  {1000 * seconds / len(files):6.3f}")
        return 0
    files = case_files(args.path, args.files)
    pipeline = Pipeline(files, date.fromisoformat(args.as_of))
    pipeline.run_all()  # warm: imports, caches, the calendar
    gc.collect()
    gc.freeze()
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(pipeline.run_all)
        profiler.dump_stats(args.profile)
        pstats.Stats(args.profile).sort_stats("tottime").print_stats(25)
        return 0
    best = timed(pipeline, args.runs)
    per_case = {name: 1000 * seconds / len(files) for name, seconds in best.items()}
    width = max(map(len, per_case))
    print(f"{len(files)} files, least of {args.runs} runs, ms CPU a case:")
    for name, ms in per_case.items():
        print(f"  {name:<{width}}  {ms:6.3f}")
    print(f"  {'total':<{width}}  {sum(per_case.values()):6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
