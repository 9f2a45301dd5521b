"""The audit folder's `cp-audit.yaml`: the run's defaults, below the command line.

It is read with the safe loader (`inputs.settings_yaml`); `set_list` edits one
setting in place (`cp-audit sample --write`) with ruamel.yaml's round trip,
which keeps the user's comments, order and layout.
"""

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
    # The previous audit folder of the same theme ("Since the last audit"), if any.
    previous: str | None = None
    history: bool = False  # record every run in the folder's history.sqlite


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


def set_list(path: Path, key: str, values: list[str], note: str, replaces: str = "") -> None:
    """Set `key` to `values` in the file, with `note` as a comment above it, keeping the
    rest of the file as the user wrote it (its lists' indentation too); the comment lines
    right above `key` that start with `replaces` (an earlier note) go. The file is
    replaced whole (never half-written)."""
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.util import load_yaml_guess_indent

    yaml = YAML()  # round trip
    yaml.preserve_quotes = True
    try:
        text = _without_note(path.read_text(encoding="utf-8"), key, replaces)
        _, sequence, offset = load_yaml_guess_indent(text)
        data = yaml.load(text)
    except (OSError, UnicodeDecodeError, YAMLError) as exc:
        raise ConfigError(f"{path}: cannot edit the file ({type(exc).__name__})") from None
    if data is None:
        data = yaml.load("{}")
    if not isinstance(data, CommentedMap):
        raise ConfigError(f"{path}: must be a mapping of settings")
    if sequence is not None and offset is not None:  # as the file's lists are indented
        yaml.indent(mapping=2, sequence=sequence, offset=offset)
    data[key] = values
    data.yaml_set_comment_before_after_key(key, before=note)
    out = io.StringIO()
    yaml.dump(data, out)
    replace_file(path, out.getvalue())


def _without_note(text: str, key: str, replaces: str) -> str:
    """The text without the comment lines right above the top-level `key:` that start
    with `# {replaces}`."""
    lines = text.splitlines(keepends=True)
    at = next((i for i, line in enumerate(lines) if line.startswith(f"{key}:")), None)
    if not replaces or at is None:
        return text
    start = at
    while start > 0 and lines[start - 1].startswith(f"# {replaces}"):
        start -= 1
    return "".join(lines[:start] + lines[at:])


def replace_file(path: Path, text: str) -> None:
    """Write a settings file whole or not at all, keeping the permissions it had."""
    from cp_audit.atomic import WriteError, write_atomic

    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else None
        write_atomic(path, [text], mode=mode)
    except (OSError, WriteError) as exc:
        raise ConfigError(str(exc) if isinstance(exc, WriteError)
                          else f"{path}: cannot write ({exc.strerror})") from None
