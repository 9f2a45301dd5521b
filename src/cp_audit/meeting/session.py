"""The meeting's part of a `check` run of an audit folder, in the order the run needs it.

1. `open_meeting`, before any case is read: the folder's `meeting.yaml` read and
   checked against the standards in use, and its `history.sqlite` checked as
   usable (when it records: `history: true`, not `--no-history`);
2. the run applies the moderation to each case (`meeting.apply`);
3. `check_cases`, before any report is written: every case the record names is
   one of the audit's (else exit 2, and no report claims what was not applied);
4. `run_record`: the run as the history keeps it, for "Since the last audit"
   (`since_last`) and for `record`, after the reports are written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cp_audit import __version__
from cp_audit.meeting import history
from cp_audit.meeting.model import (
    MEETING_NAME,
    Action,
    Meeting,
    MeetingRecord,
    check_against,
    load,
)

if TYPE_CHECKING:
    from cp_audit.folder.resolve import AuditFolder
    from cp_audit.report.content import SinceLastAudit
    from cp_audit.results import RunResult
    from cp_audit.standards.spec import Standards


class NoHistoryError(Exception):
    """An audit folder with no recorded run to compare with."""


@dataclass(frozen=True)
class MeetingRun:
    record: MeetingRecord | None  # the folder's meeting.yaml, checked
    history: Path | None  # where this run is recorded (None: it is not)


def open_meeting(
    folder: AuditFolder | None, standards: Standards, *, no_history: bool
) -> MeetingRun:
    if folder is None:
        return MeetingRun(None, None)
    record = None
    if folder.meeting_file.is_file():
        record = load(folder.meeting_file)
        check_against(record, standards)
    path = folder.history_file if folder.settings.history and not no_history else None
    if path is not None:
        history.check(path)
    return MeetingRun(record, path)


def check_cases(record: MeetingRecord | None, result: RunResult) -> None:
    """Every case the record names is in this audit: checked, or rejected."""
    if record is None:
        return
    from cp_audit.meeting.model import check_cases as check

    rejected = {p.case_id for p in result.problems if p.case_id is not None}
    check(record, {*result.cases.case_ids, *rejected})


def run_record(result: RunResult, meeting: Meeting | None) -> history.RunRecord:
    rows, grades = [], []
    for case in result.cases:
        rows += [(case.case_id, f.rule, f.kind.value, f.tool.value, f.outcome.value)
                 for f in case.findings]
        grades.append((case.case_id, case.tool_grade or case.grade, case.grade))
    actions = meeting.actions if meeting is not None else ()
    return history.RunRecord(
        as_of=result.as_of.isoformat(),
        tool_version=__version__,
        standards_sha256=result.standards.sha256,
        results=tuple(rows),
        grades=tuple(grades),
        actions=tuple((a.id, a.status, a.due.isoformat()) for a in actions),
    )


def latest_run(folder: Path) -> history.RunRecord:
    """The folder's last recorded run; NoHistoryError when it has none."""
    found = history.latest(folder / history.HISTORY_NAME)
    if found is None:
        raise NoHistoryError(
            f"{folder}: no run is recorded there: run cp-audit check in it, with"
            " history: true in its cp-audit.yaml"
        )
    return found


def previous_actions(folder: Path) -> tuple[Action, ...]:
    """The previous audit's actions as its meeting.yaml has them now (none without one)."""
    path = folder / MEETING_NAME
    return load(path).meeting.actions if path.is_file() else ()


def since_last(
    folder: AuditFolder, standards: Standards, now: history.RunRecord
) -> SinceLastAudit | None:
    """ "Since the last audit", when the folder names a previous audit (`previous`)."""
    previous = folder.previous
    if previous is None:
        return None
    from cp_audit.meeting.compare import since

    return since(latest_run(previous), now, standards.spec, previous=str(previous),
                 actions=previous_actions(previous))
