"""The layout of a cp-audit workbook: the one place both the writer (`template`) and the
reader (`inputs.workbook`) read.

A workbook has an `About` sheet (cell A1 `cp-audit workbook`, then the rows `format`,
`agency` and `covers` with their values in column B, then what each sheet means), a
hidden `Lists` sheet holding the drop-down lists, and one sheet per part the agency
holds. Each row of a part's sheet is one entry of a case, with its `case_id`; the
headings are the case format's field names (`Meetings`: one row a participant, the
meeting's `type` and `date` on each row). A row is ignored when every cell other
than its `keys` (the cells `template --from` fills in) is empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum

from cp_audit.case.coverage import PARTS
from cp_audit.case.values import Communication, Gender, MeetingType, PlanCategory, Relationship
from cp_audit.case.values import Status as ParticipantStatus

FORMAT = "1"
TITLE = "cp-audit workbook"  # About!A1: what tells a cp-audit workbook from other .xlsx files
ABOUT = "About"
LISTS = "Lists"  # the template's own hidden sheet of drop-down lists
SYSTEM = "cp_audit_workbook"

SOCIAL_CARE = "social_care"
OTHER_AGENCY_COVERS = ("participants", "agency_records")


class Kind(Enum):
    ID = "id"  # text, compared exactly; a number cell is an error
    IDS = "ids"  # ids separated by commas
    DATE = "date"  # a date cell or ISO text
    BOOL = "bool"  # true or false
    INT = "int"  # a whole number
    TOKEN = "token"  # a word: a role, an agency...
    TOKENS = "tokens"  # words separated by commas
    CHOICE = "choice"  # one of a closed set
    TEXT = "text"  # free text: never quoted in a message


@dataclass(frozen=True)
class Column:
    name: str  # the case format's field name: the heading
    kind: Kind
    note: str
    required: bool = False
    choices: tuple[str, ...] = ()  # a closed set's values
    vocabulary: str | None = None  # the standards' category of known tokens
    suggested: tuple[str, ...] = ()  # tokens offered when the standards list none


@dataclass(frozen=True)
class Sheet:
    name: str
    part: str  # the part a row of this sheet is an entry of (`covers`)
    about: str  # what the sheet holds, on the About sheet
    columns: tuple[Column, ...]
    keys: tuple[str, ...] = ("case_id",)

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


def _values(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


CASE_ID = Column("case_id", Kind.ID, "The child's case id, as in the other records "
                 "(pseudonymous: never a name).", required=True)


def _date(name: str, note: str, required: bool = False) -> Column:
    return Column(name, Kind.DATE, note + " A date cell, or text YYYY-MM-DD.", required)


def _bool(name: str, note: str, required: bool = False) -> Column:
    return Column(name, Kind.BOOL, note + " true or false.", required)


def _token(name: str, note: str, vocabulary: str | None = None, required: bool = False,
           suggested: tuple[str, ...] = ()) -> Column:
    return Column(name, Kind.TOKEN, note, required, vocabulary=vocabulary, suggested=suggested)


def _choice(name: str, note: str, enum: type[StrEnum], required: bool = False) -> Column:
    return Column(name, Kind.CHOICE, note, required, choices=_values(enum))


_ROLE = "A role, such as gp or school_nurse (pick from the list or type your own word)."
_AGENCY = "An agency, such as gp or school."

SHEETS: tuple[Sheet, ...] = (
    Sheet("Child", "child", "The child: one row a child.", (
        CASE_ID,
        _date("date_of_birth", "The child's date of birth."),
        _date("expected_date_of_birth", "For an unborn child: the expected date."),
        Column("age_years", Kind.INT, "Only when no date of birth is known: whole years."),
        _choice("gender", "The child's gender.", Gender),
        _choice("communication", "How the child communicates.", Communication),
        Column("needs", Kind.TOKENS, "The child's needs, separated by commas "
               "(domestic_abuse, adhd).", vocabulary="needs"),
        _date("involvement_start", "The first contact of any agency with the family."),
    )),
    Sheet("People", "people", "The family around the child: one row a person.", (
        CASE_ID,
        Column("id", Kind.ID, "A short id for the person, unique in the case (mum, dad); "
               "never a name.", required=True),
        _choice("relationship", "Their relationship to the child.", Relationship, True),
        _bool("parental_responsibility", "Whether they have parental responsibility."),
        _bool("lives_with_child", "Whether they live with the child."),
    )),
    Sheet("Referrals", "referrals", "Contacts and referrals to social care: one row each.", (
        CASE_ID,
        _date("date", "The date of the referral.", True),
        _token("source", "Who referred (school, police...).", "referral_sources"),
        _token("outcome", "What it led to (strategy_discussion, s47, cin, early_help, nfa).",
               "outcomes"),
    )),
    Sheet("Step-downs", "step_downs", "The case stepped down or closed: one row each.", (
        CASE_ID,
        _date("date", "The date of the step-down.", True),
        _token("to", "To what (early_help, universal, closed).",
               suggested=("closed", "early_help", "universal")),
    )),
    Sheet("Plans", "plans", "Child protection plans: one row a plan.", (
        CASE_ID,
        _date("start", "The plan's start (CPPstartDate).", True),
        _date("end", "The plan's end; empty while it is active."),
        _choice("category", "The category of abuse.", PlanCategory, True),
    )),
    Sheet("Actions", "actions", "The actions of the plans: one row an action.", (
        CASE_ID,
        _date("plan", "The start date of the plan the action belongs to (on the Plans "
              "sheet).", True),
        Column("id", Kind.ID, "The action's id, unique in the case (A1).", required=True),
        Column("action", Kind.TEXT, "What is to be done.", required=True),
        Column("owner", Kind.ID, "Who owns it: a person id, or a role or agency."),
        _date("due", "When it is due."),
        Column("timescale", Kind.TEXT, "A timescale in words, when there is no due date."),
        Column("outcome", Kind.TEXT, "The outcome it is to achieve."),
        _token("kind", "What kind of action (parenting, domestic_abuse...).", "kinds"),
        Column("involves", Kind.IDS, "The person ids it works with, separated by commas."),
    )),
    Sheet("Meetings", "participants", "Multi-agency meetings: one row a participant "
          "(the meeting's type and date on each row; a row left with only those is "
          "ignored).", (
        CASE_ID,
        _choice("type", "The kind of meeting.", MeetingType, True),
        _date("date", "The date of the meeting.", True),
        _token("role", "A professional's role (fill role or person, not both). " + _ROLE,
               "roles"),
        Column("person", Kind.ID, "A family member, by their People id, or child "
               "(fill role or person, not both)."),
        _token("agency", "The professional's agency. " + _AGENCY, "agencies"),
        _choice("status", "attended (when empty), apologies, declined, did_not_attend or "
                "not_invited.", ParticipantStatus),
        _bool("report", "Whether a written report was sent (empty: false)."),
    ), keys=("case_id", "type", "date", "agency")),
    Sheet("Visits", "visits", "Statutory visits by the child's social worker.", (
        CASE_ID,
        _date("date", "The date of the visit.", True),
        _bool("seen", "Whether the child was seen.", True),
        _bool("seen_alone", "Whether the child was seen alone."),
    )),
    Sheet("Child voice", "child_voice", "Evidence of the child's wishes, feelings and "
          "experience.", (
        CASE_ID,
        _date("date", "When.", True),
        _token("method", "How (direct_work, observation...).", "methods", True),
        _token("by", "By whom: a role. " + _ROLE, "roles"),
        _token("agency", _AGENCY, "agencies"),
    )),
    Sheet("Recording", "recording", "Case-note entries, for whose views are recorded.", (
        CASE_ID,
        _date("date", "The date of the entry.", True),
        _token("agency", _AGENCY, "agencies"),
        Column("views_of", Kind.IDS, "Whose views it records: person ids or child, "
               "separated by commas."),
    )),
    Sheet("Assessments", "assessments", "Assessments: one row each.", (
        CASE_ID,
        _token("type", "The kind of assessment (child_and_family).", required=True),
        _date("start", "When it started."),
        _date("completed", "When it was completed."),
        Column("contributors", Kind.IDS, "Whose views are in it: person ids or child, "
               "separated by commas."),
    )),
    Sheet("Tools", "tools", "Practice tools used by professionals.", (
        CASE_ID,
        _token("name", "The tool (dash, graded_care_profile_2...).", "tools", True),
        _date("date", "When it was used."),
        _token("by", "By whom: a role. " + _ROLE, "roles"),
    )),
    Sheet("Professionals", "professionals", "Who worked with the family, and when.", (
        CASE_ID,
        _token("role", _ROLE, "roles", True),
        _token("agency", _AGENCY, "agencies"),
        _date("from", "From when."),
        _date("to", "Until when; empty while still allocated."),
    )),
    Sheet("Agency record", "agency_records", "What the agency's own record shows: one "
          "row an agency's record of the child.", (
        CASE_ID,
        _token("agency", "Whose record. " + _AGENCY, "agencies", True),
        _token("system", "The record's system (optional)."),
        _bool("shows_cp_plan", "The record shows the child is on a plan."),
        _bool("plan_documents_available", "The plan's documents are on the record."),
        _bool("conference_minutes_on_file", "Conference minutes are on the record."),
    ), keys=("case_id", "agency")),
    Sheet("Flags", "agency_records", "Flags on an agency's record: one row a flag.", (
        CASE_ID,
        _token("agency", "Whose record holds the flag. " + _AGENCY, "agencies", True),
        _token("flag", "The flag (no_safeguarding_concerns...).", "flags", True),
        _date("from", "Set from."),
        _date("to", "Set until; empty while still set."),
    ), keys=("case_id", "agency")),
    Sheet("Escalations", "escalations", "Resolution of professional differences.", (
        CASE_ID,
        _date("date", "When it was raised.", True),
        _token("raised_by", "Who raised it. " + _AGENCY, "agencies"),
        _date("resolved", "When it was resolved."),
    )),
)
SHEET_NAMES = tuple(sheet.name for sheet in SHEETS)
BY_NAME = {sheet.name: sheet for sheet in SHEETS}
OTHER_AGENCY_SHEETS = ("Meetings", "Child voice", "Recording", "Tools", "Professionals",
                       "Agency record", "Flags")
# Cells of the Child sheet that are entries of a part of their own.
CHILD_PARTS = {"needs": "needs", "involvement_start": "involvement_start"}


def sheets_for(agency: str) -> tuple[Sheet, ...]:
    """Social care holds every part; every other agency what agencies hold for themselves."""
    if agency == SOCIAL_CARE:
        return SHEETS
    return tuple(sheet for sheet in SHEETS if sheet.name in OTHER_AGENCY_SHEETS)


def covers_for(agency: str) -> tuple[str, ...]:
    return PARTS if agency == SOCIAL_CARE else OTHER_AGENCY_COVERS


ABOUT_TEXT = (
    "This workbook holds one agency's part of the children's case records for a "
    "multi-agency case audit with cp-audit. Fill in a row for each thing the agency's "
    "record shows, one sheet for each kind of entry; every row names the child by case_id. "
    "The headings are the case format's field names: hover over one for what it means. "
    "Dates are date cells (or text YYYY-MM-DD); pick from the drop-down lists where there "
    "is one. Type values, never formulas, and do not rename the sheets or the headings. "
    "A row with only its pre-filled cells (case_id, a meeting's type and date, the agency) "
    "is left out."
)
COVERS_TEXT = (
    "covers lists the parts this workbook vouches for: a part listed here whose sheet is "
    "left empty means the agency looked and found nothing. Other agencies list "
    "participants (their own attendance at meetings) and agency_records; add a part "
    "(tools, child_voice, recording, professionals) when you fill in its sheet."
)
