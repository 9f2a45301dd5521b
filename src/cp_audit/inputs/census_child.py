"""One `Child` of a CIN census return as a case record (`shared/importers.md`).

`child_record` maps the element tree of one child (`Node`, built by `cin_census`
and dropped once mapped) to a plain mapping in the case format, and judges the
values it imports itself: a date that is not ISO, an unknown category of abuse,
a plan that ends before it starts, or a required element missing is an error at
the element's path and line (`CINdetails[2]/Section47[1]/S47ActualStartDate`,
indexes from 1 for the elements that repeat), and the child is rejected whole.
Unknown codes are warnings. Entries with the same key within one return are one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cp_audit.case.values import short
from cp_audit.inputs import census_codes as codes

_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?")
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")

Located = tuple[str, str]  # (location: "line 48: CINdetails[2]/...", message)


@dataclass(slots=True)
class Node:
    """An element as read: its name without namespace, line, path from the child, text
    (read in `pieces`, at most `TEXT_LIMIT` characters kept, joined at the element's end)."""

    tag: str
    line: int
    path: str
    children: list[Node] = field(default_factory=list)
    text: str = ""
    stray: bool = False  # text found where the schema has none (told once)
    pieces: list[str] = field(default_factory=list)  # the text as read, joined at the end
    size: int = 0  # of all the text read, kept or not

    def first(self, tag: str) -> Node | None:
        return next((child for child in self.children if child.tag == tag), None)

    def every(self, tag: str) -> list[Node]:
        return [child for child in self.children if child.tag == tag]

    def value(self) -> str:
        return self.text.strip()


def where(node: Node) -> str:
    return f"line {node.line}: {node.path}" if node.path else f"line {node.line}"


def quoted(text: str) -> str:
    """A census value quoted in a message: a code or a date, at most 40 characters."""
    return repr(short(text))


def exported_date(text: str) -> str | None:
    """The date of the header's `DateTime` (an xs:dateTime), or None if it is not one."""
    match = _DATETIME.fullmatch(text.strip()) or _DATE.fullmatch(text.strip())
    if match is None or not _is_date(match.group(1)):
        return None
    return match.group(1)


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


@dataclass
class ChildRecord:
    data: dict[str, Any]
    errors: list[Located]
    warnings: list[Located]


def child_record(child: Node, exported: str | None) -> ChildRecord:
    return _Mapper(child).record(exported)


class _Mapper:
    def __init__(self, child: Node) -> None:
        self.child = child
        self.errors: list[Located] = []
        self.warnings: list[Located] = []
        self.needs: dict[str, None] = {}  # in order, once each
        self.referrals: dict[tuple[str, str | None], dict[str, Any]] = {}
        self.step_downs: dict[str, dict[str, Any]] = {}
        self.plans: dict[str, tuple[Node, dict[str, Any]]] = {}
        self.meetings: dict[tuple[str, str], dict[str, Any]] = {}

    def record(self, exported: str | None) -> ChildRecord:
        data: dict[str, Any] = {}
        identifiers = self.child.first("ChildIdentifiers")
        case_id = identifiers.first("LAchildID") if identifiers else None
        if case_id is not None and case_id.value():
            data["case_id"] = case_id.value()
        source: dict[str, Any] = {"agency": "social_care", "system": "cin_census"}
        if exported:
            source["exported"] = exported
        data["source"] = {**source, "covers": list(codes.COVERS)}
        data["child"] = self._child(identifiers)
        for details in self.child.every("CINdetails"):
            self._details(details)
        for name, entries in (
            ("referrals", self.referrals), ("step_downs", self.step_downs),
            ("meetings", self.meetings),
        ):
            if entries:
                data[name] = list(entries.values())
        if self.plans:
            data["plans"] = [plan for _, plan in self.plans.values()]
        return ChildRecord(data, self.errors, self.warnings)

    # -- the child

    def _child(self, identifiers: Node | None) -> dict[str, Any]:
        child: dict[str, Any] = {}
        if identifiers is not None:
            for tag, key in (
                ("PersonBirthDate", "date_of_birth"),
                ("ExpectedPersonBirthDate", "expected_date_of_birth"),
            ):
                if (day := self._date(identifiers.first(tag))) is not None:
                    child[key] = day
            gender = identifiers.first("Sex") or identifiers.first("GenderCurrent")
            if gender is not None:
                child["gender"] = codes.GENDERS.get(gender.value().upper(), "unknown")
        characteristics = self.child.first("ChildCharacteristics")
        disabilities = characteristics.first("Disabilities") if characteristics else None
        for disability in disabilities.every("Disability") if disabilities else ():
            self._disability(disability.value().upper())
        for details in self.child.every("CINdetails"):
            for assessment in details.every("Assessments"):
                factors = assessment.first("FactorsIdentifiedAtAssessment")
                for factor in factors.every("AssessmentFactors") if factors else ():
                    self._factor(factor)
        if self.needs:
            child["needs"] = list(self.needs)
        return child

    def _disability(self, code: str) -> None:
        if code and code != codes.NO_DISABILITY:
            self.needs[codes.DISABILITIES.get(code, f"disability_{code.lower()}")] = None

    def _factor(self, factor: Node) -> None:
        code = factor.value().upper()
        need = codes.FACTORS.get(code)
        if need is None:
            self.warnings.append(
                (where(factor), f"unknown assessment factor code {quoted(factor.value())}: "
                                "not read as a need")
            )
        elif need:
            self.needs[need] = None

    # -- referrals, closures, enquiries, plans

    def _details(self, details: Node) -> None:
        referred = self._required(details, "CINreferralDate")
        if referred is not None:
            source = self._code(details.first("ReferralSource"), codes.REFERRAL_SOURCES,
                                "referral source", "the referral is kept without a source")
            referral: dict[str, Any] = {"date": referred}
            if source:
                referral["source"] = source
            nfa = details.first("ReferralNFA")
            if nfa is not None and nfa.value().lower() in codes.TRUE_VALUES:
                referral["outcome"] = "nfa"
            self.referrals.setdefault((referred, source), referral)
        self._closure(details)
        self._meeting("icpc", details.first("DateOfInitialCPC"))
        for enquiry in details.every("Section47"):
            self._meeting("strategy_discussion", self._needed(enquiry, "S47ActualStartDate"))
            self._meeting("icpc", enquiry.first("DateOfInitialCPC"))
        for plan in details.every("ChildProtectionPlans"):
            self._plan(plan)

    def _closure(self, details: Node) -> None:
        reason = details.first("ReasonForClosure")
        to = self._code(reason, codes.CLOSURE_REASONS, "reason for closure", "no step-down")
        if to:
            closed = self._required(details, "CINclosureDate")
            if closed is not None:
                self.step_downs.setdefault(closed, {"date": closed, "to": to})

    def _plan(self, node: Node) -> None:
        start = self._required(node, "CPPstartDate")
        end = self._date(node.first("CPPendDate"))
        category = self._category(node)
        reviews = node.first("Reviews")
        for review in reviews.every("CPPreviewDate") if reviews else ():
            self._meeting("rcpc", review)
        if start is None or category is None:
            return
        if end is not None and end < start:
            end_node = node.first("CPPendDate")
            assert end_node is not None
            message = f"the plan ends ({end}) before it starts ({start})"
            self.errors.append((where(end_node), message))
            return
        plan = {"start": start, "category": category, **({"end": end} if end else {})}
        first = self.plans.setdefault(start, (node, plan))
        if first[1] != plan:
            self.warnings.append(
                (where(node), f"the same plan start as {first[0].path}, with another end or "
                              "category: the first is kept")
            )

    def _category(self, plan: Node) -> str | None:
        node = self._needed(plan, "InitialCategoryOfAbuse")
        if node is None:
            return None
        code = node.value().upper()
        if code not in codes.CATEGORIES:
            self.errors.append(
                (where(node), f"unknown category of abuse {quoted(node.value())} "
                              f"(the census codes are {', '.join(codes.CATEGORIES)})")
            )
            return None
        return code

    def _meeting(self, kind: str, node: Node | None) -> None:
        day = self._date(node)
        if day is not None:
            self.meetings.setdefault((kind, day), {"type": kind, "date": day})

    # -- values

    def _code(self, node: Node | None, table: dict[str, str], what: str, then: str) -> str:
        """The token a code gives ("" for none); an unknown code is a warning."""
        if node is None:
            return ""
        token = table.get(node.value().upper())
        if token is None:
            self.warnings.append((where(node), f"unknown {what} {quoted(node.value())}: {then}"))
            return ""
        return token

    def _needed(self, parent: Node, tag: str) -> Node | None:
        """The element `tag` of `parent`, which the schema requires: missing is an error."""
        node = parent.first(tag)
        if node is None:
            self.errors.append((where(parent), f"no {tag}, which the census requires here"))
        return node

    def _required(self, parent: Node, tag: str) -> str | None:
        node = self._needed(parent, tag)
        if node is not None and not node.value():
            self.errors.append((where(node), "empty, but the census requires a date here"))
        return self._date(node)

    def _date(self, node: Node | None) -> str | None:
        """The ISO date the element holds (an xs:date's time zone dropped); None if absent
        or empty; not an ISO date: an error, and None."""
        if node is None or not node.value():
            return None
        match = _DATE.fullmatch(node.value())
        if match is None or not _is_date(match.group(1)):
            self.errors.append((where(node), f"not an ISO date: {quoted(node.value())}"))
            return None
        return match.group(1)
