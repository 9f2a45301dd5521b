"""The check types: one module each, and the registry that names them.

A rule in the standards YAML names its check type by the registry key and
gives that type's options; the type's module docstring is its documentation.
"""

from __future__ import annotations

from types import ModuleType

from cp_audit.checks import (
    action_fields,
    agency_record_field,
    agency_record_flags,
    all_of,
    allocations_per_plan,
    father_included,
    follow_up_timely,
    involvement_years,
    meeting_participation,
    no_long_stretch,
    re_referral_cycles,
    review_chain_timely,
    seen_alone,
    since_latest_timely,
    tools_for_needs,
    voice_in_recording,
)
from cp_audit.checks.base import CheckOptions, CheckType, as_check_type

# Explicit, so that `cp-audit explain` and the standards' validation see every type.
_MODULES: tuple[ModuleType, ...] = (
    action_fields,
    agency_record_field,
    agency_record_flags,
    all_of,
    allocations_per_plan,
    father_included,
    follow_up_timely,
    involvement_years,
    meeting_participation,
    no_long_stretch,
    re_referral_cycles,
    review_chain_timely,
    seen_alone,
    since_latest_timely,
    tools_for_needs,
    voice_in_recording,
)

REGISTRY: dict[str, CheckType] = {m.ID: as_check_type(m) for m in _MODULES}

__all__ = ["REGISTRY", "CheckOptions", "CheckType", "as_check_type"]
