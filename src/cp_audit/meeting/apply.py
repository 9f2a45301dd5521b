"""The meeting's moderation applied to a case's results, where the case is checked.

The run (`run.audit`) calls `apply` on each checked case before it is prepared
for the report, so that every format, the survey rows and the history see the
same agreed outcomes. An agreed outcome replaces the tool's (which is kept
beside it); the score is worked out again from the agreed outcomes, and its
grade, unless the meeting agreed a grade for the case, which replaces it.

A moderation is stale when the tool now gives another outcome, or evidence
with another fingerprint, than its `tool:` record: it is still applied, and
flagged for review. One without `tool:` (written by hand) is applied and shown
as not fingerprinted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from cp_audit.meeting.model import MeetingRecord, Moderation, fingerprint
from cp_audit.results import CaseResult, ModerationNote, Outcome, RuleResult
from cp_audit.run.engine import score_of

Grade = Callable[[float | None], str]  # the standards' band for a score


def apply(result: CaseResult, record: MeetingRecord, grade: Grade) -> CaseResult:
    """The case's result with the meeting's moderation of it (unchanged when there is none)."""
    entries = record.moderations_of(result.case_id)
    if not entries:
        return result
    by_rule = {entry.rule: entry for entry in entries if entry.rule is not None}
    results = tuple(_moderated(r, by_rule.get(r.rule)) for r in result.results)
    score = score_of(results)
    agreed = next((entry for entry in entries if entry.grade is not None), None)
    note = None
    if agreed is not None:
        then = agreed.tool.grade if agreed.tool is not None else None
        note = _note(agreed, stale=then is not None and then != result.grade,
                     fingerprinted=then is not None)
    return replace(
        result,
        results=results,
        score=score,
        grade=agreed.grade if agreed is not None and agreed.grade else grade(score),
        tool_score=result.score,
        tool_grade=result.grade,
        grade_moderation=note,
    )


def _moderated(result: RuleResult, entry: Moderation | None) -> RuleResult:
    if entry is None or entry.outcome is None:
        return result
    tool = entry.tool
    fingerprinted = tool is not None and tool.outcome is not None and tool.evidence is not None
    stale = tool is not None and (
        (tool.outcome is not None and tool.outcome != result.outcome.value)
        or (tool.evidence is not None and tool.evidence != fingerprint(result.evidence))
    )
    return replace(
        result,
        outcome=Outcome(entry.outcome),
        tool_outcome=result.outcome,
        moderation=_note(entry, stale=stale, fingerprinted=fingerprinted),
    )


def _note(entry: Moderation, *, stale: bool, fingerprinted: bool) -> ModerationNote:
    return ModerationNote(entry.reason, entry.by, entry.date.isoformat(), stale, fingerprinted)
