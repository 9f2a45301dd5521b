"""Time `cp-audit check` against reading and parsing the same files with the stdlib's json.

In one run, on a folder of case files or a JSON Lines file (see `generate.py`):

(a) every .json / .jsonl file under the path is read and parsed with `json`
    alone, in this process (a .jsonl file line by line): the floor that any
    checker must pay;
(b) `cp-audit check PATH --format json -q --output OUT --as-of 2024-06-30
    [--jobs N]` runs as a subprocess, once for each `--jobs` given, while the
    memory of its whole process tree (the command and every worker) is polled
    from /proc.

It prints both times, their ratio, cases per second, and the peak memory of
the tree: the sum of the processes' resident sets (RSS, which counts pages
that forked workers share with their parent once per process), the sum of
their proportional sets (PSS, shared pages divided among the processes that
share them: the memory the run really uses), and the largest single process
(`getrusage(RUSAGE_CHILDREN).ru_maxrss`). CPU seconds (user + system, of this
process for (a) and of the whole tree for (b)) are printed too: on a machine
shared with other work they vary less than the wall-clock times. Run:

    python benchmarks/bench.py /tmp/cases --jobs 1 --jobs 2
    python benchmarks/bench.py /tmp/cases-jsonl/cases-50000.jsonl --jobs 2

The file cache is warmed first (every file read once), so both sides read
from memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

CASE_EXTENSIONS = (".json", ".jsonl")
PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 1024 * 1024


def case_files(path: str) -> Iterator[str]:
    if os.path.isfile(path):
        yield path
        return
    for folder, dirs, files in os.walk(path):
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith(CASE_EXTENSIONS):
                yield os.path.join(folder, name)


def warm(files: list[str]) -> int:
    """Read every file once so that both timings read from the page cache; the bytes."""
    total = 0
    for name in files:
        with open(name, "rb") as handle:
            while block := handle.read(16 * MB):
                total += len(block)
    return total


def parse_all(files: list[str]) -> tuple[float, float, int]:
    """Read and parse every file with the stdlib's json: seconds, CPU seconds, records."""
    records = 0
    began, cpu = time.perf_counter(), time.process_time()
    for name in files:
        if name.lower().endswith(".jsonl"):
            with open(name, "rb") as handle:
                for line in handle:
                    if line.strip():
                        json.loads(line)
                        records += 1
        else:
            with open(name, "rb") as handle:
                value = json.loads(handle.read())
            records += len(value) if isinstance(value, list) else 1
    return time.perf_counter() - began, time.process_time() - cpu, records


# ---------------------------------------------------------------------------
# Memory of a process tree


def _children_of() -> dict[int, list[int]]:
    """Every process's children, from /proc/*/stat."""
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: fields follow the last ')'.
        fields = stat[stat.rfind(b")") + 2:].split()
        tree.setdefault(int(fields[1]), []).append(int(entry))
    return tree


def _tree(root: int) -> list[int]:
    tree = _children_of()
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(tree.get(pid, ()))
    return found


def _memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in bytes; (0, 0) once it has gone."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Rss:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith(b"Pss:"):
                    pss = int(line.split()[1]) * 1024
                    break
    except OSError:
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                rss = pss = int(handle.read().split()[1]) * PAGE
        except OSError:
            pass
    return rss, pss


class TreePeak(threading.Thread):
    """Polls a process tree's summed RSS and PSS until stopped; keeps the peaks."""

    def __init__(self, root: int, interval: float) -> None:
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.rss = self.pss = self.processes = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            pids = _tree(self.root)
            sizes = [_memory(pid) for pid in pids]
            self.rss = max(self.rss, sum(s[0] for s in sizes))
            self.pss = max(self.pss, sum(s[1] for s in sizes))
            self.processes = max(self.processes, len(pids))
            self.done.wait(self.interval)


@dataclass
class CheckRun:
    jobs: int | None
    seconds: float
    cpu: float  # user + system seconds of the whole tree
    code: int
    rss: int
    pss: int
    largest: int
    processes: int


def run_check(command: list[str], jobs: int | None, interval: float) -> CheckRun:
    if jobs is not None:
        command = [*command, "--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    poll = TreePeak(process.pid, interval)
    poll.start()
    _, err = process.communicate()
    seconds = time.perf_counter() - began
    poll.done.set()
    poll.join()
    if process.returncode not in (0, 1):
        sys.stderr.write(err.decode(errors="replace")[-2000:])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    largest = after.ru_maxrss * 1024  # KB on Linux
    return CheckRun(jobs, seconds, cpu, process.returncode, poll.rss, poll.pss, largest,
                    poll.processes)


def find_cp_audit() -> str:
    beside = os.path.join(os.path.dirname(sys.executable), "cp-audit")
    return beside if os.path.exists(beside) else (shutil.which("cp-audit") or "cp-audit")


def _mb(size: int) -> str:
    return f"{size / MB:,.0f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", help="a folder of case files, or one .json/.jsonl file")
    parser.add_argument("--jobs", type=int, action="append",
                        help="run check with --jobs N (repeatable; default: no --jobs)")
    parser.add_argument("--as-of", default="2024-06-30")
    parser.add_argument("--output", default="/tmp/cp-audit-bench.json")
    parser.add_argument("--cp-audit", default=find_cp_audit(), help="the command to time")
    parser.add_argument("--interval", type=float, default=0.05,
                        help="seconds between memory polls (default 0.05)")
    args = parser.parse_args(argv)

    files = list(case_files(args.path))
    if not files:
        parser.error(f"no .json or .jsonl file under {args.path}")
    size = warm(files)
    parse_seconds, parse_cpu, records = parse_all(files)
    print(f"input: {args.path}: {len(files):,} file(s), {records:,} records, "
          f"{size / MB:,.1f} MB ({size / max(records, 1) / 1024:.1f} KB a record)")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, load average {load}")
    print(f"(a) stdlib json read+parse, one process: {parse_seconds:8.2f} s  "
          f"(CPU {parse_cpu:.2f} s; {records / parse_seconds:,.0f} records/s)")
    command = [args.cp_audit, "check", args.path, "--format", "json", "-q",
               "--output", args.output, "--as-of", args.as_of]
    print(f"(b) {' '.join(command)} [--jobs N]")
    runs: list[CheckRun] = []
    for jobs in args.jobs or [None]:
        run = run_check(command, jobs, args.interval)
        runs.append(run)
        label = "default" if jobs is None else str(jobs)
        ratio = run.seconds / parse_seconds
        print(f"    --jobs {label:>7}: {run.seconds:8.2f} s  ratio {ratio:5.2f}"
              f"  {records / run.seconds:8,.0f} cases/s  (CPU {run.cpu:.1f} s, ratio "
              f"{run.cpu / parse_cpu:.1f})  exit {run.code}  peak tree RSS "
              f"{_mb(run.rss)}, PSS {_mb(run.pss)} ({run.processes} processes; largest "
              f"single process so far {_mb(run.largest)})")
    if len(runs) > 1:
        base = runs[0]
        for run in runs[1:]:
            print(f"    --jobs {run.jobs} is {base.seconds / run.seconds:.2f}x --jobs {base.jobs}")
    return 0 if all(run.code in (0, 1) for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
