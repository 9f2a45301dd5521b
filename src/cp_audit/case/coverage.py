"""What a record covers (`case-format.md`, "What a record covers"), and what a case does.

A record's `source.covers` lists the **parts** of a child's case its source
holds; absent, the record covers every part. A record holding an entry of a
part it does not list is an error (`uncovered_entries`), but for one
exception: a record covering `participants` may hold meetings of a kind it
does not list, which carry only its own agency's participants.

A case covers a part when one of its records does, except the participants of
a kind of meeting (strategy discussions, conferences, core groups): only a
record covering both `participants` and that kind's part, the holder of the
minutes, covers them (`CaseCoverage`). A rule reading a part the case does not
cover is `not_covered` (`run.engine`); the check types say which parts they
read (`checks.base.CheckType.parts`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict
from pydantic_core import PydanticCustomError

from cp_audit.case.values import normalise_token

if TYPE_CHECKING:
    from cp_audit.case.model import CaseRecord, Source

Part = Literal[
    "needs", "people", "involvement_start", "referrals", "step_downs", "plans", "actions",
    "strategy_discussions", "conferences", "core_groups", "participants", "visits",
    "child_voice", "recording", "assessments", "tools", "professionals", "agency_records",
    "escalations",
]
PARTS: tuple[str, ...] = get_args(Part)
PARTICIPANTS = "participants"

# The part of each kind of meeting, by meeting type.
MEETING_PARTS: dict[str, str] = {
    "strategy_discussion": "strategy_discussions",
    "icpc": "conferences",
    "rcpc": "conferences",
    "transfer_in_conference": "conferences",
    "core_group": "core_groups",
}
KINDS: frozenset[str] = frozenset(MEETING_PARTS.values())
# Parts each agency holds for itself: judged over the agencies whose records are present.
OWN_AGENCY_PARTS = frozenset({"agency_records", "tools", "child_voice", "recording",
                              "professionals"})

# How a message counts a part's entries: (one, many).
_NOUNS: dict[str, tuple[str, str]] = {
    "needs": ("need", "needs"),
    "people": ("person", "people"),
    "involvement_start": ("involvement_start", "involvement_start"),
    "step_downs": ("step-down", "step-downs"),
    "actions": ("plan action", "plan actions"),
    "strategy_discussions": ("strategy discussion", "strategy discussions"),
    "core_groups": ("core group", "core groups"),
    "child_voice": ("child_voice entry", "child_voice entries"),
    "recording": ("recording entry", "recording entries"),
    "professionals": ("professionals entry", "professionals entries"),
    "agency_records": ("agency record", "agency records"),
}


def meeting_parts(types: Iterable[str]) -> frozenset[str]:
    """The parts of the kinds of meeting of `types` (meeting type tokens)."""
    return frozenset(MEETING_PARTS[t] for t in types if t in MEETING_PARTS)


def validate_part(value: Any) -> Any:
    """A part name, written in any case and with spaces or hyphens; a did-you-mean else."""
    if not isinstance(value, str):
        return value  # the Literal says what it must be
    token = normalise_token(value)
    if token in PARTS:
        return token
    close = difflib.get_close_matches(token, PARTS, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    raise PydanticCustomError(
        "cp_part", "'{value}' is not a part{hint}; the parts are: {parts}",
        {"value": value[:40], "hint": hint, "parts": ", ".join(PARTS)},
    )


def no_repeats(parts: tuple[str, ...] | None) -> tuple[str, ...] | None:
    if parts is not None:
        repeated = sorted({p for p in parts if parts.count(p) > 1})
        if repeated:
            raise PydanticCustomError(
                "cp_part_twice", "lists {parts} more than once", {"parts": ", ".join(repeated)}
            )
    return parts


def _counts(record: CaseRecord) -> dict[str, int]:
    """How many entries of each part the record holds (meetings by kind)."""
    counts = {
        "needs": len(record.child.needs) if record.child else 0,
        "involvement_start": int(record.involvement_start is not None),
        "actions": sum(len(plan.actions) for plan in record.plans),
        "participants": sum(len(m.participants) for m in record.meetings),
    }
    for part in ("people", "referrals", "step_downs", "plans", "visits", "child_voice",
                 "recording", "assessments", "tools", "professionals", "agency_records",
                 "escalations"):
        counts[part] = len(getattr(record, part))
    for meeting in record.meetings:
        kind = MEETING_PARTS[meeting.type]
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def uncovered_entries(record: CaseRecord, covers: Sequence[str]) -> list[str]:
    """"source.covers does not list visits, but the record has 3 visits", for each part the
    record holds entries of without listing it (meetings of an unlisted kind are allowed
    when it covers `participants`)."""
    listed = set(covers)
    problems = []
    counts = _counts(record)
    for part in PARTS:
        count = counts.get(part, 0)
        if not count or part in listed or (part in KINDS and PARTICIPANTS in listed):
            continue
        one, many = _NOUNS.get(part, (part[:-1] if part.endswith("s") else part, part))
        problems.append(
            f"source.covers does not list {part}, but the record has "
            f"{count} {one if count == 1 else many}"
        )
    return problems


class CaseCoverage(BaseModel):
    """What a case's records cover, when some record lists what it covers (a case whose
    every record covers every part has none: `Case.coverage` is None).

    `parts`: the parts some record covers; `minutes`: the kinds of meeting whose
    participants some record covers (it covers `participants` and the kind);
    `sources`: the case's sources for evidence ("social_care (cin_census)").
    """

    model_config = ConfigDict(frozen=True)

    parts: frozenset[str]
    minutes: frozenset[str]
    sources: tuple[str, ...]

    def missing(self, reads: frozenset[str]) -> list[str]:
        """The parts among `reads` the case does not cover, in the parts' order, the
        participants of each kind read counted as a part of their own ("participants of
        conferences")."""
        missing = [p for p in PARTS if p in reads and p != PARTICIPANTS and p not in self.parts]
        if PARTICIPANTS in reads:
            kinds = [k for k in PARTS if k in KINDS and k in reads]
            if not kinds and PARTICIPANTS not in self.parts:
                missing.append(PARTICIPANTS)
            missing += [f"participants of {k.replace('_', ' ')}" for k in kinds
                        if k not in self.minutes]
        return missing

    def not_covered(self, missing: Sequence[str]) -> str:
        return (f"not covered by this case's records: {', '.join(missing)}; "
                f"sources: {', '.join(self.sources) or 'none named'}")

    @staticmethod
    def judged_over(agencies: Sequence[str]) -> str:
        """The evidence line of a rule reading parts each agency holds for itself, judged
        over the case's agencies (`Case.agencies`)."""
        return f"judged over the records of: {', '.join(agencies) or 'no named agency'}"


def source_label(source: Source) -> str:
    agency = source.agency or "unnamed source"
    return f"{agency} ({source.system})" if source.system else agency


def case_coverage(
    covers: Sequence[tuple[str, ...] | None], sources: Sequence[Source]
) -> CaseCoverage | None:
    """A case's coverage from each of its records' `covers` (None: every part); None when
    some record covers every part, and so the case does."""
    if not covers or any(c is None for c in covers):
        return None
    listed = [set(c) for c in covers if c is not None]
    labels = list(dict.fromkeys(source_label(s) for s in sources))
    return CaseCoverage(
        parts=frozenset().union(*listed),
        minutes=frozenset(k for c in listed if PARTICIPANTS in c for k in c & KINDS),
        sources=tuple(labels),
    )
