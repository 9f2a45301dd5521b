"""The YAML of the files users write by hand: the standards and `cp-audit.yaml`.

Read with the case files' loader (`inputs.yaml.CaseLoader`): safe (no tag runs
code), a key given twice an error rather than silently the last value, a
value that does not fit its tag an error, dates left as text for the models to
read, and the case files' limit on what aliases may add.
"""

from __future__ import annotations

from typing import Any

import yaml

from cp_audit.case import errors
from cp_audit.inputs.interface import DEFAULT_LIMITS
from cp_audit.inputs.yaml import AliasLoopError, CaseLoader, alias_expansion, tab_hint


class SettingsYamlError(Exception):
    """Why the text is not usable YAML, with its line and column where known."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse(raw: bytes) -> Any:
    """The one document of a settings file; SettingsYamlError when it cannot be read."""
    try:
        text = raw.decode("utf-8-sig")
        data = yaml.load(text, Loader=CaseLoader)
    except UnicodeDecodeError:
        raise SettingsYamlError("not UTF-8 text") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = (exc.problem or exc.context or "syntax error") + tab_hint(text, exc)
        raise SettingsYamlError(f"{where}YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:
        raise SettingsYamlError(f"YAML error: {exc}") from None
    except (RecursionError, ValueError) as exc:  # nested too deeply; a bad !!timestamp
        reason = errors.TOO_DEEP if isinstance(exc, RecursionError) else str(exc)
        raise SettingsYamlError(f"YAML error: {reason}") from None
    if "*" in text:
        try:
            added = alias_expansion(data)
        except AliasLoopError as exc:
            raise SettingsYamlError(str(exc)) from None
        if added > DEFAULT_LIMITS.alias_values:
            raise SettingsYamlError(
                f"its aliases expand to more than {DEFAULT_LIMITS.alias_values:,} values"
            )
    return data
