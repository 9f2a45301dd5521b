"""A progress bar on stderr for long runs, and only on a terminal."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from cp_audit.run.interface import Progress

# Below this many files or parts a run takes about a second: no bar.
LONG_RUN = 500


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator[Progress | None]:
    """A `Progress` callback drawing a bar on stderr, or None where no bar belongs."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.progress import (
        Progress as Bar,
    )

    bar = Bar(
        TextColumn("reading"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files, {task.fields[cases]} cases, {task.fields[rate]}/s"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    state: dict[str, Any] = {"task": None, "start": time.monotonic()}

    def update(done: int, total: int, cases: int) -> None:
        if total < LONG_RUN:
            return
        if state["task"] is None:
            bar.start()
            state["task"] = bar.add_task("check", total=total, cases=0, rate=0)
        elapsed = max(time.monotonic() - state["start"], 1e-6)
        bar.update(state["task"], completed=done, cases=cases, rate=f"{cases / elapsed:.0f}")

    try:
        yield update
    finally:
        if state["task"] is not None:
            bar.stop()
