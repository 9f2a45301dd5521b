"""The check types: one module each, and the registry that names them.

A rule in the standards YAML names its check type by the registry key and
gives that type's options; the type's module docstring is its documentation.
A new check type is a module here (`ID`, `Options`, `check`) and one line in
`_MODULES`.
"""

from __future__ import annotations

from importlib import import_module

from cp_audit.checks.base import CheckOptions, CheckType, as_check_type

# Explicit, so that `cp-audit explain` and the standards' validation see every type.
_MODULES = (
    "action_fields",
    "agency_record_field",
    "agency_record_flags",
    "all_of",
    "allocations_per_plan",
    "father_included",
    "follow_up_timely",
    "involvement_years",
    "meeting_participation",
    "no_long_stretch",
    "re_referral_cycles",
    "review_chain_timely",
    "seen_alone",
    "since_latest_timely",
    "tools_for_needs",
    "voice_in_recording",
)

REGISTRY: dict[str, CheckType] = {
    module.ID: as_check_type(module)
    for module in (import_module(f"{__name__}.{name}") for name in _MODULES)
}

__all__ = ["REGISTRY", "CheckOptions", "CheckType", "as_check_type"]
