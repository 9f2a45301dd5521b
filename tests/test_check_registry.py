"""The check types' registry: every check type module in the package is registered once."""

from __future__ import annotations

import pkgutil

import cp_audit.checks as checks_package
from cp_audit.checks import REGISTRY

HELPERS = {"base", "_participants", "_timing"}  # modules the check types share, not check types


def test_every_check_type_module_is_registered_under_its_id() -> None:
    modules = {m.name for m in pkgutil.iter_modules(checks_package.__path__)} - HELPERS
    registered = {type_.__name__.rsplit(".", 1)[1] for type_ in REGISTRY.values()}
    assert registered == modules
    assert all(REGISTRY[type_.ID] is type_ for type_ in REGISTRY.values())
