"""The report's words: what the text, Markdown and HTML reports say the same way.

Each format imports this module (`from cp_audit.report import wording`) and
escapes what it returns for its own medium; nothing here escapes anything.
The section titles, the caveat, labels for tokens, plurals, "N of A cases",
the heading's sentences about the children, the run's books: one place, so
that the formats never disagree on a sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from cp_audit.report._text import has_controls

if TYPE_CHECKING:  # the content's types; the content imports this module
    from cp_audit.report.content import (
        ActionLine,
        AuditorLine,
        CaseSection,
        DataProblems,
        Heading,
        MeetingContent,
        RuleLine,
        ShareLine,
        Tally,
    )
    from cp_audit.results import ModerationNote, Problem, Unattributed

CAVEAT = (
    "A grade supports, and does not replace, the auditors' professional judgement"
    " and moderation."
)

# The section titles, in the order every human-readable format shows them.
WORRIES_TITLE = "What are we worried about?"
GOOD_PRACTICE_TITLE = "What good practice did we see?"
THEMES_TITLE = "Themes for learning"
CASES_TITLE = "Cases"
DATA_TITLE = "Data problems"
SECTION_TITLES: tuple[str, ...] = (
    WORRIES_TITLE,
    GOOD_PRACTICE_TITLE,
    THEMES_TITLE,
    CASES_TITLE,
    DATA_TITLE,
)

# What a section says when it has nothing to show.
NO_WORRIES = "No worries were found."
NO_GOOD_PRACTICE = "No good practice was found by the rules in use."
NO_THEMES = "No theme has a worry to learn from."
NO_CASES = "No case was checked."

_NOT_IN_URL = frozenset('<>"\'`\\ ')

# Words of a token that people write in capitals (`adhd` -> `ADHD`, `gp` -> `GP`).
ACRONYMS = frozenset(
    {
        "adhd", "asd", "camhs", "cp", "cse", "dash", "edt", "fgm", "gp", "icpc", "marac",
        "mash", "nbt", "nhs", "ocd", "ptsd", "rcpc", "send", "yot",
    }
)

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)


def round_score(score: float | None) -> float | None:
    """A score to one decimal place, halves rounded up (72.75 -> 72.8)."""
    if score is None:
        return None
    return float(Decimal(repr(score)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def score_text(score: float | None) -> str:
    rounded = round_score(score)
    return "no score" if rounded is None else f"{rounded:.1f}"


def label(token: str) -> str:
    """A token for people to read: `requires_improvement` -> `requires improvement`.

    A word that is an acronym is capitalised: `adhd` -> `ADHD`, `gp_surgery` -> `GP surgery`.
    """
    words = token.replace("_", " ").split(" ")
    return " ".join(word.upper() if word in ACRONYMS else word for word in words)


def title_lines(heading: Heading) -> tuple[str, str | None]:
    """The report's title and, under an audit's own name, the line naming the standards."""
    standards = f"{heading.standards_name}, version {heading.standards_version}"
    if heading.audit_name:
        return heading.audit_name, f"Standards: {standards}."
    return standards, None


def long_date(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def n_of_a(line: RuleLine) -> str:
    """ "7 of 10 cases", and "; not covered by the records of 8 cases" where the rule was
    `not_covered` for some (A counts neither those nor the cases it does not apply to)."""
    text = f"{line.cases} of {plural(line.applicable, 'case')}"
    return f"{text}; {not_covered_text(line)}" if line.not_covered else text


def not_covered_text(line: RuleLine) -> str:
    """ "not covered by the records of 8 cases" """
    return f"not covered by the records of {plural(line.not_covered, 'case')}"


def score_basis(scored: int, rules: int, not_covered: int) -> str | None:
    """ "scored on 11 of 29 rules; 14 not covered by its records", where some rule is not
    covered (else None: the score rests on every applicable rule, as it always did)."""
    if not not_covered:
        return None
    return (f"scored on {scored} of {plural(rules, 'rule')}; "
            f"{not_covered} not covered by its records")


def as_of_text(heading: Heading) -> str:
    """ "Audit as of 30 September 2022" """
    return f"Audit as of {long_date(heading.as_of)}"


def checked_text(heading: Heading) -> str:
    """ "10 cases checked." """
    return f"{plural(heading.cases, 'case')} checked."


def age_text(age: int | None) -> str:
    if age is None:
        return "age not known"
    return "unborn" if age < 0 else plural(age, "year") + " old"


def children_sentence(heading: Heading) -> str:
    """E.g. "The 10 children in this audit were aged between 2 and 16 years old on <as-of>." """
    n = heading.cases
    if n == 0:
        return NO_CASES
    who = "The child in this audit" if n == 1 else f"The {n} children in this audit"
    was = "was" if n == 1 else "were"
    on = f"on {long_date(heading.as_of)}"
    low, high = heading.age_min, heading.age_max
    if low is None or high is None:
        return f"{who}: ages not known."
    if high < 0:
        ages = f"{was} unborn {on}"
    elif low < 0:
        ages = f"{was} aged from unborn to {plural(high, 'year')} old {on}"
    elif low == high:
        ages = f"{was} aged {plural(high, 'year')} old {on}"
    else:
        ages = f"{was} aged between {low} and {high} years old {on}"
    unknown = f" (age not known for {plural(heading.ages_unknown, 'case')})"
    return f"{who} {ages}{unknown if heading.ages_unknown else ''}."


def tally_text(tallies: Sequence[Tally]) -> str:
    """ "domestic abuse (4), neglect (2) and adhd (1)" """
    parts = [f"{label(t.token)} ({t.cases})" for t in tallies]
    return and_join(parts)


def labels(tokens: Sequence[str]) -> str:
    """Tokens for people to read, joined: ("gp", "social_care") -> "GP and social care"."""
    return and_join([label(token) for token in tokens])


def and_join(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def needs_sentence(heading: Heading) -> str:
    if not heading.needs:
        return "No needs are recorded for the children."
    return f"The children have a range of needs including {tally_text(heading.needs)}."


def agencies_sentence(heading: Heading) -> str:
    if not heading.agencies:
        return "No agency is named in the records."
    names = labels([t.token for t in heading.agencies])
    return f"Agencies whose records contributed: {names}."


def problems_notice(heading: Heading) -> str | None:
    """A line for the heading when some input could not be used, else None."""
    if not heading.problems and not heading.incomplete:
        return None
    text = f"{plural(heading.problems, 'data problem')}"
    if heading.rejected:
        text += f", {plural(heading.rejected, 'case')} rejected"
    return text + f": see {DATA_TITLE}."  # an incomplete run has its own line: `incomplete_notice`


SHOWN_FILES = 5  # files named in the heading's incomplete notice; the rest are counted


def incomplete_notice(heading: Heading) -> str | None:
    """The heading's line when some input names no case, so that a child's case may lack
    records: what, which agencies' files, and what it means for the findings. E.g.
    "Cases may be incomplete: 1 record in 1 file names no case (police:
    cases/ns-01-police.yaml), so its child's findings may rest on part of the records." """
    if not heading.incomplete and not heading.unattributed:
        return None
    records = [entry for entry in heading.unattributed if not entry.unreadable]
    unreadable = [entry for entry in heading.unattributed if entry.unreadable]
    parts = []
    if records:
        files = _files(records)
        names = "names" if len(records) == 1 else "name"
        parts.append(
            f"{plural(len(records), 'record')} in {plural(len(files), 'file')} {names} no case"
            f" ({_by_agency(records)})"
        )
    if unreadable:
        could = "file or line" if len(unreadable) == 1 else "files or lines"
        shown = _shown(_files(unreadable))
        parts.append(f"{len(unreadable)} {could} could not be read at all ({shown})")
    if not parts:
        parts.append("some input names no case")
    whose = "its child's" if len(heading.unattributed) == 1 and records else "a child's"
    return (
        f"Cases may be incomplete: {and_join(parts)}, so {whose} findings may rest on part"
        " of the records."
    )


def unattributed_text(entry: Unattributed) -> str:
    """One input that names no case, for a list: "cases/a.yaml, line 3: a record of police
    that names no case"."""
    where = ", ".join(part for part in (entry.file or "input", entry.location) if part)
    if entry.unreadable:
        return f"{where}: could not be read at all, and may have held cases' records"
    of = f" of {entry.agency}" if entry.agency else ""
    return f"{where}: a record{of} that names no case"


def _files(entries: Sequence[Unattributed]) -> list[str]:
    return list(dict.fromkeys(entry.file or "input" for entry in entries))


def _by_agency(records: Sequence[Unattributed]) -> str:
    """ "police: a.yaml; agency not given: b.json" """
    by: dict[str, list[Unattributed]] = {}
    for entry in records:
        by.setdefault(entry.agency or "agency not given", []).append(entry)
    return "; ".join(f"{agency}: {_shown(_files(group))}" for agency, group in by.items())


def _shown(files: Sequence[str]) -> str:
    more = len(files) - SHOWN_FILES
    shown = ", ".join(files[:SHOWN_FILES])
    return shown + (f" and {plural(more, 'more file')}" if more > 0 else "")


def books_lines(data: DataProblems) -> tuple[str, ...]:
    """The run's books: files found = read + skipped; cases in = checked + rejected."""
    c = data.counts
    files = (
        f"Files found: {c.files_found} = {c.files_read} read + {c.files_skipped} skipped"
        + (f" ({c.files_rejected} of those read rejected)" if c.files_rejected else "")
        + "."
    )
    cases_in = c.cases_loaded + c.cases_rejected
    cases = f"Cases: {cases_in} in = {c.cases_loaded} checked + {c.cases_rejected} rejected"
    if c.cases_left_out:  # `cases_in_audit` or `--case`: "312 cases read, 10 in this audit"
        read = cases_in + c.cases_left_out
        cases = f"Cases: {read} read, {cases_in} in this audit"
        cases += f" = {c.cases_loaded} checked + {c.cases_rejected} rejected"
    if c.records_unattributed:
        named = "record named" if c.records_unattributed == 1 else "records named"
        cases += f"; {c.records_unattributed} {named} no case and {_is(c.records_unattributed)}"
        cases += " not in any case"
    if c.inputs_unreadable:
        could = "file or line" if c.inputs_unreadable == 1 else "files or lines"
        cases += f"; {c.inputs_unreadable} {could} could not be read and may have held cases"
    lines = [files, cases + "."]
    if data.incomplete or c.records_unattributed:
        lines.append("Some input named no case: cases may be incomplete.")
    return tuple(lines)


def _is(n: int) -> str:
    return "is" if n == 1 else "are"


def problem_files(problem: Problem) -> tuple[str, ...]:
    """Every file a problem involves (its `file` first)."""
    files = list(problem.files)
    if problem.file is not None and problem.file not in files:
        files.insert(0, problem.file)
    return tuple(files)


def is_web_url(url: str) -> bool:
    """An absolute http(s) URL with a host, and no character that would need quoting around it."""
    if not url or has_controls(url) or any(ch in _NOT_IN_URL or ch.isspace() for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


# -- data warnings (`case.warnings`): listed under their case and under "Data problems"

WARNINGS_TITLE = "Data warnings"


def warnings_line(count: int) -> str:
    return (
        f"Warnings: {plural(count, 'doubtful entry', 'doubtful entries')}, used but worth "
        "checking (a finding resting on one may be false)."
    )


def problem_where(problem: Problem, *, case: bool = True) -> str:
    """`file: case X: location`, as a problem's or a warning's lead (no case: under it)."""
    where = [", ".join(problem_files(problem)) or "input"]
    if case and problem.case_id is not None:
        where.append(f"case {problem.case_id}")
    if problem.location:
        where.append(problem.location)
    return ": ".join(where)


# -- the audit meeting's record (`meeting`, shared/audit-meeting.md)

MODERATION_TITLE = "Moderation"
ACTIONS_TITLE = "Agreed actions"
SINCE_TITLE = "Since the last audit"
AUDITORS = "the auditors' own finding"
NO_ACTIONS = "No action was agreed."


def moderated_text(agreed: str, tool: str, note: ModerationNote) -> str:
    """ "met, moderated: the tool found not met; <reason>; <by>; 6 October 2022" """
    day = long_date(date.fromisoformat(note.date))
    return (
        f"{label(agreed)}, moderated: the tool found {label(tool)}; {note.reason}; {note.by};"
        f" {day}"
    )


def moderation_flag(note: ModerationNote) -> str | None:
    """What a reader must know of a moderation besides it: stale, or not fingerprinted."""
    if note.stale:
        return "STALE: the tool now gives another outcome or other evidence; review it"
    if not note.fingerprinted:
        return "not fingerprinted: written by hand, so it cannot be known to be stale"
    return None


def moderation_summary(meeting: MeetingContent) -> str:
    """ "2 decisions of the audit meeting applied (1 stale, to review)." """
    text = f"{plural(len(meeting.moderations), 'decision')} of the audit meeting applied"
    flags = []
    if meeting.stale:
        flags.append(f"{meeting.stale} stale, to review")
    if meeting.unfingerprinted:
        flags.append(f"{meeting.unfingerprinted} not fingerprinted")
    return text + (f" ({', '.join(flags)})" if flags else "") + "."


def moderation_subject(case_id: str, rule: str | None) -> str:
    return f"{case_id}, {rule}" if rule else f"{case_id}, grade"


def auditor_text(line: AuditorLine) -> str:
    """ "<text> (the auditors' own finding, theme health)" """
    return f"{line.text} ({AUDITORS}, theme {label(line.theme)})"


def action_text(line: ActionLine) -> str:
    """ "ACT-1: <action>. Owner: <owner>; due 31 January 2023; open, OVERDUE." """
    status = label(line.status) + (", OVERDUE" if line.overdue else "")
    about = ", ".join(line.rules)
    return (
        f"{line.id}: {line.action}. Owner: {line.owner}; due {long_date(line.due)}; {status}"
        + (f" (rules: {about})" if about else "")
        + "."
    )


def share_text(line: ShareLine) -> str:
    """ "4 of 10 → 1 of 10" (a rule absent from one run: "not checked") """
    def one(cases: int | None, applicable: int) -> str:
        return "not checked" if cases is None else f"{cases} of {applicable}"

    then = one(line.then_cases, line.then_applicable)
    return f"{then} → {one(line.now_cases, line.now_applicable)}"


def grade_change_text(grade: str, then: int, now: int) -> str:
    return f"{label(grade)}: {then} → {now}"


def since_lead(previous: str, then: date, now: date) -> str:
    return (
        f"Compared with the previous audit ({previous}, as of {long_date(then)}), as of"
        f" {long_date(now)}: the agreed share of cases with each finding then and now."
    )


def moderated_case_text(case: CaseSection) -> str:
    """ "Before moderation, the tool's own score was 72.7, grade requires improvement." """
    grade = label(case.tool_grade or case.grade)
    return (
        f"Before moderation, the tool's own score was {score_text(case.tool_score)}, "
        f"grade {grade}."
    )


def case_moderation_lines(case: CaseSection) -> list[str]:
    """Each moderated finding of the case, and its agreed grade, with any flag."""
    lines = []
    for f in case.moderated_findings:
        assert f.moderation is not None
        lines.append(_flagged(f"{f.rule}: {moderated_text(f.outcome, f.tool, f.moderation)}",
                              f.moderation))
    note = case.grade_moderation
    if note is not None:
        text = moderated_text(case.grade, case.tool_grade or case.grade, note)
        lines.append(_flagged(f"grade: {text}", note))
    return lines


def _flagged(text: str, note: ModerationNote) -> str:
    flag = moderation_flag(note)
    return f"{text} ({flag})" if flag else text
