"""The audit folder of a run, found in one place for every command.

One `cp-audit.yaml` is read per run: the one in the first folder given, else
the one in the current folder (`find`). The `AuditFolder` made of it is what
every command asks about the folder:

- `settings`: the run's defaults, below the command line;
- `standards`: the standards file it names (None: the packaged default), and
  `standards_in_use(given, folder)`, the one rule for which standards a
  command uses (`--standards` or FILE, else the folder's, else the default);
- `case_choice(given, folder)`: the cases in this audit, `--case` over the
  folder's `cases_in_audit` (None: every case read);
- `case_paths(given)`: what to read. With no path, the folder's `cases`; the
  folder itself, given (`cp-audit check audit`), stands for its `cases` too,
  so it gives the same run as `cd audit && cp-audit check`;
- `own_files(paths)`: its `cp-audit.yaml`, standards, outputs, the audit
  meeting's record `meeting.yaml`, the runs' `history.sqlite` and the JSON
  Schemas `cp-audit init` writes under `schemas/`; with the run's own
  standards and outputs (`never_cases`), these are never read as cases. So is
  the example `cp-audit init` writes under `examples/` (a case of 2022, only
  an example), even where the folder's `cases` is the folder itself; unless
  one of the paths read is `examples/` or inside it (`cases: [examples]`, or
  `cp-audit check examples/example-case.yaml`): then it was asked for (and
  `examples/cp-audit.yaml`, the example's settings, is still not a case).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cp_audit.folder import config
from cp_audit.folder.config import AuditConfig, LoadedConfig
from cp_audit.run.choice import Choice

# Where `cp-audit init` writes the JSON Schemas for editors: not case records.
SCHEMAS = "schemas"
# Where `cp-audit init` writes its example case: not one of the audit's cases.
EXAMPLES = "examples"
# The audit meeting's record and the runs' history (`meeting`): the folder's own files.
MEETING = "meeting.yaml"
HISTORY = "history.sqlite"
_HISTORY_FILES = (HISTORY, f"{HISTORY}-journal", f"{HISTORY}-wal", f"{HISTORY}-shm")


@dataclass(frozen=True)
class AuditFolder:
    """An audit folder and its settings; paths as the caller named them (relative or absolute)."""

    config_file: Path
    settings: AuditConfig
    standards: Path | None
    cases: tuple[Path, ...]
    outputs: tuple[Path, ...]

    @classmethod
    def of(cls, loaded: LoadedConfig) -> AuditFolder:
        return cls(loaded.path, loaded.config, loaded.standards, loaded.cases, loaded.outputs)

    @classmethod
    def unread(cls, config_file: Path) -> AuditFolder:
        """A folder whose `cp-audit.yaml` could not be read: the defaults, and the file itself."""
        return cls.of(LoadedConfig(path=config_file, config=AuditConfig()))

    @property
    def root(self) -> Path:
        return self.config_file.parent

    @property
    def meeting_file(self) -> Path:
        return self.root / MEETING

    @property
    def history_file(self) -> Path:
        return self.root / HISTORY

    @property
    def previous(self) -> Path | None:
        """The previous audit folder of the theme (`previous`), relative to this one."""
        given = self.settings.previous
        return None if given is None else self.root / given

    def case_paths(self, given: Sequence[str]) -> tuple[str, ...]:
        """The paths to read: the given ones, the folder itself standing for its `cases`."""
        if not given:
            return self._case_strings()
        root = os.path.realpath(self.root)
        return tuple(
            part
            for path in given
            for part in (self._case_strings() if os.path.realpath(path) == root else (path,))
        )

    def own_files(self, paths: Sequence[str] = ()) -> tuple[Path, ...]:
        """The folder's own files, never read as cases; `paths`: those the run reads."""
        standards = () if self.standards is None else (self.standards,)
        meeting = (self.meeting_file, *(self.root / name for name in _HISTORY_FILES))
        own = (self.config_file, *standards, *self.outputs, *meeting,
               *_files_under(self.root / SCHEMAS))
        examples = self.root / EXAMPLES
        if any(_within(path, examples) for path in paths):
            return (*own, examples / config.CONFIG_NAME)  # the example's settings: not a case
        return (*own, *_files_under(examples))

    def _case_strings(self) -> tuple[str, ...]:
        return tuple(str(path) for path in self.cases)


def find(paths: Sequence[str], *, lenient: bool = False) -> AuditFolder | None:
    """The run's audit folder, or None; a bad `cp-audit.yaml` raises `config.ConfigError`.

    `lenient`: a bad `cp-audit.yaml` gives the folder's defaults instead, for a
    command that reads only the paths it was given (`validate PATH...`).
    """
    found = _config_file(paths)
    if found is None:
        return None
    try:
        return AuditFolder.of(config.load(found))
    except config.ConfigError:
        if lenient:
            return AuditFolder.unread(found)
        raise


def standards_in_use(given: str | None, folder: AuditFolder | None) -> str | None:
    """The standards file a command uses: the one given, else the folder's; None: the default."""
    if given:
        return given
    if folder is not None and folder.standards is not None:
        return str(folder.standards)
    return None


def case_choice(given: Sequence[str], folder: AuditFolder | None) -> Choice | None:
    """The cases in this audit: those given with `--case`, else the folder's
    `cases_in_audit`; None: every case read."""
    if given:
        return Choice(frozenset(given), "--case")
    listed = folder.settings.cases_in_audit if folder is not None else None
    if listed is None:
        return None
    return Choice(frozenset(listed), "cases_in_audit", str(folder.config_file) if folder else None)


def never_cases(
    folder: AuditFolder | None,
    standards: str | None = None,
    outputs: Iterable[Path] = (),
    paths: Sequence[str] = (),
) -> list[Path]:
    """The files never read as cases: the run's standards and outputs, the folder's own files
    (`paths`: the paths the run reads)."""
    excluded = [*outputs]
    if standards is not None:
        excluded.append(Path(standards))
    if folder is not None:
        excluded += folder.own_files(paths)
    return excluded


def _config_file(paths: Sequence[str]) -> Path | None:
    """In the first path given, if it is a folder holding one; else in the current folder."""
    if paths and os.path.isdir(paths[0]):
        candidate = Path(paths[0]) / config.CONFIG_NAME
        if candidate.is_file():
            return candidate
    here = Path(config.CONFIG_NAME)
    return here if here.is_file() else None


def _within(path: str, folder: Path) -> bool:
    real, top = os.path.realpath(path), os.path.realpath(folder)
    return real == top or real.startswith(top + os.sep)


def _files_under(folder: Path) -> list[Path]:
    # Links to folders are not followed, as in discovery (`inputs.discovery`).
    return [Path(top, name) for top, _, names in os.walk(folder) for name in names]
