"""The participants of one meeting given by several records, combined into one list
(`shared/case-format.md`, "One case from several records": meetings).

An exporter lists who took part as its own system knows it: social care the whole
list, a GP only the GP. The same person, or the same professional, from two records
is one participant, with the strongest status and `report` if either says so.
"""

from __future__ import annotations

from collections.abc import Sequence

from cp_audit.case.model import Participant
from cp_audit.case.values import STATUS_RANK


def combine_participants(
    lists: Sequence[tuple[int, Sequence[Participant]]],
) -> tuple[Participant, ...]:
    """Participants of one meeting from several records (`order`, participants).

    The same person, or the same professional (same role, and the same agency
    where both give one), from another record is one participant: `report`
    if any record says so, and the highest status. Two participants of one
    record are never combined (two social workers may attend).
    """
    merged: list[Participant] = []
    owners: list[set[int]] = []
    for order, participants in lists:
        for participant in participants:
            slot = _match(participant, merged, owners, order)
            if slot is None:
                merged.append(participant)
                owners.append({order})
            else:
                merged[slot] = _combine(merged[slot], participant)
                owners[slot].add(order)
    return tuple(merged)


def _match(
    new: Participant, merged: Sequence[Participant], owners: Sequence[set[int]], order: int
) -> int | None:
    candidates = [k for k, old in enumerate(merged) if order not in owners[k] and _same(old, new)]
    exact = [k for k in candidates if merged[k].agency == new.agency]
    best = exact or candidates
    return best[0] if best else None


def _same(a: Participant, b: Participant) -> bool:
    if a.person is not None or b.person is not None:
        return a.person == b.person
    agencies_agree = a.agency is None or b.agency is None or a.agency == b.agency
    return a.role == b.role and agencies_agree


def _combine(a: Participant, b: Participant) -> Participant:
    status = max(a.status, b.status, key=lambda status: STATUS_RANK[status])
    if status == a.status and (a.report or not b.report) and (a.agency or not b.agency):
        return a
    return Participant.model_construct(
        role=a.role, agency=a.agency or b.agency, person=a.person,
        status=status, report=a.report or b.report,
    )
