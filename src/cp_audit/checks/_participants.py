"""Meetings as the rules read their participants (not a check type itself).

Each meeting a rule looks at is read once per case into a `SeenMeeting`: its
label, its participants classified (attended, took part, sent a report), its
professionals as the meeting-participation rules match them, each family
member's strongest status (the father-included rules), and the words
evidence uses for each participant, made when first shown. The six default
meeting-participation rules look at about twenty meetings a case between
them, and the father rules at the conferences and core groups again.
"""

from __future__ import annotations

from collections.abc import Sequence

from cp_audit.case.model import Meeting, Participant
from cp_audit.case.values import STATUS_RANK, Status
from cp_audit.checks.base import CaseView, meeting_label

# A participant's flags, by participation: attended, took part, sent a report.
FLAG = {"attended": 0, "took_part": 1, "report": 2}
Flags = tuple[bool, bool, bool]
# A professional participant as the rules match it: (role, flags, the agency that counts
# for `min_agencies`, its place among the meeting's participants). Tuples, not objects:
# a case has about 40 of them.
Attendee = tuple[str, Flags, str, int]
Unknown = frozenset[tuple[str, str]]


def agency_note(agency: str | None, role: str | None = None) -> str:
    """` (agency)` after a role, unless the agency is the role's own name or unknown."""
    return f" ({agency})" if agency and agency != role else ""


def describe_participant(
    participant: Participant, participation: str = "attended", unknown: Unknown = frozenset()
) -> str:
    """How evidence shows one participant: the role and agency of a professional, the
    person id of a family member (never a name), then its status and report where they
    matter, and " — unknown role" (or agency) for a token in `unknown` (the case's tokens
    that neither the rules nor the vocabulary know: `Context.unknown`)."""
    if participant.person is not None:
        text = participant.person
    else:
        text = f"{participant.role}{agency_note(participant.agency, participant.role)}"
    if participant.status != Status.ATTENDED:
        text += f" {participant.status}"
    if participant.report and participation != "report":
        text += " with report"
    if not unknown:  # the usual case: every token known
        return text
    doubtful = [
        word
        for word, category, token in (
            ("role", "roles", participant.role), ("agency", "agencies", participant.agency)
        )
        if token is not None and (category, token) in unknown
    ]
    return text + (f" — unknown {' and '.join(doubtful)}" if doubtful else "")


def flags_of(participant: Participant) -> Flags:
    """Whether the participant attended, took part (`Participant.took_part`), sent a report."""
    attended, report = participant.status == Status.ATTENDED, participant.report
    return attended, attended or report, report


class SeenMeeting:
    """One meeting's participants as the rules read them, worked out once per case."""

    __slots__ = ("_did", "_texts", "_unknown", "label", "participants", "persons", "professionals")

    def __init__(self, meeting: Meeting, unknown: Unknown) -> None:
        self.label = meeting_label(meeting)
        self.participants = meeting.participants
        self.professionals: list[Attendee] = []
        self.persons: dict[str, Status] = {}  # each family member's strongest status
        for place, participant in enumerate(self.participants):
            role = participant.role
            if role is not None:
                attendee = (role, flags_of(participant), participant.agency or role, place)
                self.professionals.append(attendee)
                continue
            person, status = participant.person, participant.status
            if person is not None:  # always: a participant has a role or a person
                known = self.persons.get(person)
                if known is None or STATUS_RANK[status] > STATUS_RANK[known]:
                    self.persons[person] = status
        # Descriptions by place, as `describe_participant` words them for any
        # participation but `report` ([0]) and for `report` ([1]); made when first shown.
        count = len(self.participants)
        self._texts: tuple[list[str | None], list[str | None]] = ([None] * count, [None] * count)
        self._did: dict[int, str] = {}
        self._unknown = unknown

    def text(self, place: int, for_report: bool) -> str:
        texts = self._texts[for_report]
        text = texts[place]
        if text is None:
            text = texts[place] = describe_participant(
                self.participants[place], "report" if for_report else "attended", self._unknown
            )
        return text

    def texts(self, found: list[Attendee], for_report: bool, sep: str) -> str:
        made = self._texts[for_report]  # no description is empty: `or` makes the missing
        return sep.join([made[place] or self.text(place, for_report) for *_, place in found])

    def who_did(self, flag: int, done: str) -> str:
        """Everyone who took part in the sense of `flag` (`done` in words), in record
        order: the cause of a failure is seen in who was there instead."""
        found = self._did.get(flag)
        if found is None:
            present = [
                self.text(place, flag == FLAG["report"])
                for place, participant in enumerate(self.participants)
                if flags_of(participant)[flag]
            ]
            if present:
                found = f"{done}: {', '.join(present)}"
            elif self.participants:
                found = f"no one {done}"
            else:
                found = "no participants recorded"
            self._did[flag] = found
        return found


_SEEN = ("participants", "seen")


def seen_meetings(
    view: CaseView, meetings: Sequence[Meeting], unknown: Unknown
) -> list[SeenMeeting]:
    """The meetings as `SeenMeeting`, each made once per case: the view's memo keeps them by
    the meeting's id() (the view holds the case, so no meeting's id is reused while it
    lives)."""
    index: dict[int, SeenMeeting] | None = view.memo.get(_SEEN)
    if index is None:
        index = view.memo[_SEEN] = {}
    found = []
    for meeting in meetings:
        seen = index.get(id(meeting))
        if seen is None:
            seen = index[id(meeting)] = SeenMeeting(meeting, unknown)
        found.append(seen)
    return found


def seen_of(view: CaseView, types: tuple[str, ...], unknown: Unknown) -> list[SeenMeeting]:
    """`seen_meetings` of the meetings of `types` (`CaseView.meetings_of`), gathered once
    per case and list of types: three default rules read the conferences, two the core
    groups."""
    key = (_SEEN, types)
    found: list[SeenMeeting] | None = view.memo.get(key)
    if found is None:
        found = view.memo[key] = seen_meetings(view, view.meetings_of(*types), unknown)
    return found
