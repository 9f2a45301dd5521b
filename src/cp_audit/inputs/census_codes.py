"""The code tables of the CIN census reader (`shared/importers.md`), and the elements the
DfE CIN census schemas (2017 to 2026) name: what `cin_census` maps, in one place.

The README lists the same tables for users; a code not listed here is a warning,
never a guess.
"""

from __future__ import annotations

from typing import Final


def _codes(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """`{"domestic_abuse": ("3A", "3B")}` -> `{"3A": "domestic_abuse", "3B": ...}`."""
    return {code: token for token, codes in table.items() for code in codes}


# Assessment factors: the need each code names; "" for a code that names none (21).
FACTORS: Final[dict[str, str]] = _codes({
    "child_substance_misuse": ("1A", "2A"),
    "parental_substance_misuse": ("1B", "2B"),
    "household_substance_misuse": ("1C", "2C"),
    "domestic_abuse": ("3A", "3B", "3C"),
    "child_mental_health": ("4A",),
    "parental_mental_health": ("4B",),
    "household_mental_health": ("4C",),
    "learning_disability": ("5A",),
    "parental_learning_disability": ("5B",),
    "household_learning_disability": ("5C",),
    "physical_illness": ("6A",),
    "parental_physical_illness": ("6B",),
    "household_physical_illness": ("6C",),
    "young_carer": ("7A",),
    "privately_fostered": ("8B", "8C", "8D", "8E", "8F"),
    "unaccompanied_asylum_seeking": ("9A",),
    "missing": ("10A",),
    "child_sexual_exploitation": ("11A",),
    "trafficking": ("12A",),
    "gangs": ("13A",),
    "socially_unacceptable_behaviour": ("14A",),
    "self_harm": ("15A",),
    "neglect": ("16A",),
    "emotional_abuse": ("17A",),
    "physical_abuse": ("18B", "18C"),
    "sexual_abuse": ("19B", "19C"),
    "other": ("20",),
    "": ("21",),
    "female_genital_mutilation": ("22A",),
    "abuse_linked_to_faith": ("23A",),
    "child_criminal_exploitation": ("24A",),
})

# Disabilities with a need of their own; any other code but NONE: `disability_<code>`.
DISABILITIES: Final[dict[str, str]] = {
    "AUT": "autism", "LD": "learning_disability", "BEH": "behaviour",
}
NO_DISABILITY: Final = "NONE"

REFERRAL_SOURCES: Final[dict[str, str]] = _codes({
    "individual": ("1A", "1B", "1C", "1D"),
    "school": ("2A",),
    "education_services": ("2B",),
    "gp": ("3A",),
    "health_visitor": ("3B",),
    "school_nurse": ("3C",),
    "health_services": ("3D", "3F"),
    "emergency_department": ("3E",),
    "housing": ("4",),
    "social_care": ("5A", "5B", "5C", "5D"),
    "police": ("6",),
    "legal_agency": ("7",),
    "other": ("8",),
    "anonymous": ("9",),
    "unknown": ("10",),
})

# Reasons for closure: the step-down each gives; "" for one that is not a step-down
# (adoption, death, orders and transfers).
CLOSURE_REASONS: Final[dict[str, str]] = _codes({
    "": ("RC1", "RC2", "RC3", "RC4", "RC5", "RC6"),
    "closed": ("RC7", "RC8"),
    "early_help": ("RC9",),
})

CATEGORIES: Final[tuple[str, ...]] = ("EMO", "NEG", "PHY", "SAB", "MUL")

# Sex (from 2024-25) or GenderCurrent (before): anything else is `unknown`.
GENDERS: Final[dict[str, str]] = {"1": "male", "M": "male", "2": "female", "F": "female"}

TRUE_VALUES: Final = frozenset({"true", "1"})  # ReferralNFA, in any case

COVERS: Final[tuple[str, ...]] = (
    "needs", "referrals", "step_downs", "plans", "strategy_discussions", "conferences",
)

# Elements that hold other elements: text directly in one is stray.
CONTAINERS: Final = frozenset({
    "Message", "Header", "CollectionDetails", "Source", "Children", "Child",
    "ChildIdentifiers", "ChildCharacteristics", "Disabilities", "CINdetails", "Assessments",
    "FactorsIdentifiedAtAssessment", "CINPlanDates", "Section47", "ChildProtectionPlans",
    "Reviews", "PreProceedingsandFGDM",
})

# Elements that may repeat in their parent: named with their index in element paths.
REPEATED: Final = frozenset({
    "Source", "Child", "CINdetails", "Assessments", "CINPlanDates", "Section47",
    "ChildProtectionPlans", "CPPreviewDate", "Disability", "AssessmentFactors",
})

# Every element of the schemas 2017 to 2024, the 2024-25 `Sex` and the 2025-26
# pre-proceedings block: any other is a warning.
KNOWN: Final = CONTAINERS | frozenset({
    "Collection", "Year", "ReferenceDate", "SourceLevel", "LEA", "SoftwareCode", "Release",
    "SerialNo", "DateTime",
    "LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate",
    "ExpectedPersonBirthDate", "GenderCurrent", "Sex", "PersonDeathDate",
    "Ethnicity", "Disability",
    "CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate",
    "ReasonForClosure", "DateOfInitialCPC", "ReferralNFA",
    "AssessmentActualStartDate", "AssessmentInternalReviewDate",
    "AssessmentAuthorisationDate", "AssessmentFactors",
    "CINPlanStartDate", "CINPlanEndDate",
    "S47ActualStartDate", "InitialCPCtarget", "ICPCnotRequired",
    "CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse", "LatestCategoryOfAbuse",
    "NumberOfPreviousCPP", "CPPreviewDate",
    "PPStartDate", "LBPSentDate", "FGDMMeetingOffer", "FGDMMeetingFac",
    "InitialPPMeetingDate", "ReviewMeetingsCount", "StepDecisionDate", "PPOutcome",
    "CourtAppDate", "LetterInitCPDate",
})
