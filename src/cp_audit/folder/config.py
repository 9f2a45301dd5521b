"""The audit folder's `cp-audit.yaml`: the run's defaults, below the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from cp_audit.case import errors
from cp_audit.case.values import CaseId, Date
from cp_audit.inputs import settings_yaml

CONFIG_NAME = "cp-audit.yaml"


class ConfigError(Exception):
    """A `cp-audit.yaml` that cannot be used."""


class AuditConfig(BaseModel):
    """An audit folder's settings; relative paths are relative to the file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = None
    as_of: Date | None = None
    standards: str | None = None
    cases: tuple[str, ...] = (".",)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    # The case ids of the children in this audit; None: every case read.
    cases_in_audit: tuple[CaseId, ...] | None = None


class LoadedConfig(BaseModel):
    """A config read from `path`, its paths made absolute-or-relative to the caller's view."""

    model_config = ConfigDict(frozen=True)

    path: Path
    config: AuditConfig

    @property
    def folder(self) -> Path:
        return self.path.parent

    def resolve(self, value: str) -> Path:
        candidate = Path(value)
        return candidate if candidate.is_absolute() else self.folder / candidate

    @property
    def cases(self) -> tuple[Path, ...]:
        return tuple(self.resolve(p) for p in self.config.cases)

    @property
    def standards(self) -> Path | None:
        return self.resolve(self.config.standards) if self.config.standards else None

    @property
    def outputs(self) -> tuple[Path, ...]:
        return tuple(self.resolve(p) for p in self.config.outputs)


def load(path: Path) -> LoadedConfig:
    try:
        data: Any = settings_yaml.parse(path.read_bytes())
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the file ({exc.strerror})") from None
    except settings_yaml.SettingsYamlError as exc:
        raise ConfigError(f"{path}: {exc.message}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: must be a mapping of settings")
    if isinstance(data.get("cases"), str):
        data["cases"] = [data["cases"]]
    if isinstance(data.get("outputs"), str):
        data["outputs"] = [data["outputs"]]
    try:
        config = AuditConfig.model_validate(data)
    except ValidationError as exc:
        first = errors.describe(exc, AuditConfig, noun="setting", own_keys=False)[0]
        raise ConfigError(f"{path}: {first}") from None
    return LoadedConfig(path=path, config=config)
