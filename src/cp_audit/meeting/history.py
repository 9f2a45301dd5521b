"""`history.sqlite`: every `check` of an audit folder, recorded for re-audit (`compare`).

Written through the standard library's `sqlite3` when `cp-audit.yaml` says
`history: true` (`--no-history` skips it). It holds ids, tokens, dates and
counts only: never a name, evidence or any of the auditors' free text.

Schema, version 1 (`PRAGMA user_version`; a file of a newer version is refused):

    runs(id INTEGER PRIMARY KEY, recorded_at TEXT,   -- UTC, ISO 8601
         as_of TEXT, tool_version TEXT, standards_sha256 TEXT, cases INTEGER)
    results(run, case_id, rule, kind, tool_outcome, outcome)  -- outcome: the agreed one
    grades(run, case_id, tool_grade, grade)                   -- grade: the agreed one
    actions(run, action_id, status, due)                      -- the meeting's, at that run

A run's rows are written in one transaction (`BEGIN IMMEDIATE`, so that a second
run at the same time waits for the first, then lands whole after it); a run that
fails writes nothing. `check` is called before the audit runs, so that a file
that is not a cp-audit history (or not a database) stops it before any report.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cp_audit.folder.resolve import HISTORY

HISTORY_NAME = HISTORY
VERSION = 1
BUSY_SECONDS = 60.0  # how long a run waits for another one writing at the same time

_TABLES = (
    "CREATE TABLE runs (id INTEGER PRIMARY KEY, recorded_at TEXT NOT NULL,"
    " as_of TEXT NOT NULL, tool_version TEXT NOT NULL, standards_sha256 TEXT NOT NULL,"
    " cases INTEGER NOT NULL)",
    "CREATE TABLE results (run INTEGER NOT NULL REFERENCES runs(id), case_id TEXT NOT NULL,"
    " rule TEXT NOT NULL, kind TEXT NOT NULL, tool_outcome TEXT NOT NULL,"
    " outcome TEXT NOT NULL, PRIMARY KEY (run, case_id, rule))",
    "CREATE TABLE grades (run INTEGER NOT NULL REFERENCES runs(id), case_id TEXT NOT NULL,"
    " tool_grade TEXT NOT NULL, grade TEXT NOT NULL, PRIMARY KEY (run, case_id))",
    "CREATE TABLE actions (run INTEGER NOT NULL REFERENCES runs(id),"
    " action_id TEXT NOT NULL, status TEXT NOT NULL, due TEXT NOT NULL,"
    " PRIMARY KEY (run, action_id))",
)


class HistoryError(Exception):
    """A history file that cannot be used: not a database, not cp-audit's, or too new."""


@dataclass(frozen=True)
class RunRecord:
    """One run as the history keeps it."""

    as_of: str
    tool_version: str
    standards_sha256: str
    results: tuple[tuple[str, str, str, str, str], ...]  # case, rule, kind, tool, agreed
    grades: tuple[tuple[str, str, str], ...]  # case, tool grade, agreed grade
    actions: tuple[tuple[str, str, str], ...] = ()  # action id, status, due
    recorded_at: str = ""


def check(path: Path) -> None:
    """Refuse, before a run, a file the run could not record into (absent: fine)."""
    if not path.exists():
        return
    try:
        with closing(_connect(path, read_only=True)) as db:
            _version(db, path)
    except sqlite3.DatabaseError as exc:
        raise HistoryError(_not_usable(path, exc)) from None


def record(path: Path, run: RunRecord) -> None:
    """Add the run, whole or not at all."""
    try:
        db = _connect(path)
    except sqlite3.Error as exc:
        raise HistoryError(_not_usable(path, exc)) from None
    try:
        db.execute("BEGIN IMMEDIATE")
        if _version(db, path) == 0:
            for statement in _TABLES:
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {VERSION}")
        at = run.recorded_at or datetime.now(UTC).isoformat(timespec="seconds")
        cursor = db.execute(
            "INSERT INTO runs (recorded_at, as_of, tool_version, standards_sha256, cases)"
            " VALUES (?, ?, ?, ?, ?)",
            (at, run.as_of, run.tool_version, run.standards_sha256, len(run.grades)),
        )
        number = cursor.lastrowid
        _insert(db, "results", 6, ((number, *row) for row in run.results))
        _insert(db, "grades", 4, ((number, *row) for row in run.grades))
        _insert(db, "actions", 4, ((number, *row) for row in run.actions))
        db.execute("COMMIT")
    except sqlite3.Error as exc:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise HistoryError(_not_usable(path, exc)) from None
    finally:
        db.close()


def latest(path: Path) -> RunRecord | None:
    """The last run recorded, or None (no file, or no run in it)."""
    if not path.exists():
        return None
    try:
        with closing(_connect(path, read_only=True)) as db:
            if _version(db, path) == 0:
                return None
            row = db.execute(
                "SELECT id, as_of, tool_version, standards_sha256, recorded_at FROM runs"
                " ORDER BY id DESC LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            number = row[0]
            return RunRecord(
                as_of=row[1], tool_version=row[2], standards_sha256=row[3], recorded_at=row[4],
                results=tuple(_rows(db, "case_id, rule, kind, tool_outcome, outcome",
                                    "results", number)),
                grades=tuple(_rows(db, "case_id, tool_grade, grade", "grades", number)),
                actions=tuple(_rows(db, "action_id, status, due", "actions", number)),
            )
    except sqlite3.DatabaseError as exc:
        raise HistoryError(_not_usable(path, exc)) from None


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        uri = path.resolve().as_uri() + "?mode=ro"
        return sqlite3.connect(uri, uri=True, timeout=BUSY_SECONDS, isolation_level=None)
    return sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)


def _version(db: sqlite3.Connection, path: Path) -> int:
    version: int = db.execute("PRAGMA user_version").fetchone()[0]
    if version > VERSION:
        raise HistoryError(
            f"{path}: written by a newer cp-audit (history version {version}; this one reads"
            f" version {VERSION}): upgrade cp-audit, or give --no-history"
        )
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if version == 0 and tables:
        raise HistoryError(f"{path}: a database, but not a cp-audit history: move it away")
    return version


def _insert(
    db: sqlite3.Connection, table: str, width: int, rows: Iterable[tuple[object, ...]]
) -> None:
    marks = ", ".join("?" * width)
    db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


def _rows(db: sqlite3.Connection, columns: str, table: str, number: int) -> list[Any]:
    query = f"SELECT {columns} FROM {table} WHERE run = ? ORDER BY rowid"
    return list(db.execute(query, (number,)))


def _not_usable(path: Path, exc: sqlite3.Error) -> str:
    return (
        f"{path}: cannot use it as the audit's history ({exc}); move it away or give"
        " --no-history"
    )
