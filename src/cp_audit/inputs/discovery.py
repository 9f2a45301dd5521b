"""Finding the case files under the paths given (`shared/case-format.md`, "Files").

- Folders are walked recursively, in sorted order; hidden entries (a name
  starting with '.') are left out; links to folders met while walking are not
  followed, and a loop of links is skipped with a reason.
- A file is read when a reader of the registry (`cp_audit.inputs`) reads it,
  by its name's ending; any other file is skipped, with a reason that names
  the endings read, and counted.
- A path given twice, or inside another path given, is read once.
- `exclude` names files never read as cases (the audit's `cp-audit.yaml`, the
  standards file, output files): skipped with a reason.
- A path that does not exist, or a folder that cannot be listed, is a problem.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from typing import NamedTuple

from cp_audit.inputs import extensions_text, reader_for
from cp_audit.inputs.reading import os_reason
from cp_audit.results import Problem, SkippedFile

PathLike = str | os.PathLike[str]
LOOP = "a loop of symbolic links: not followed"


class Discovered(NamedTuple):
    files: list[str]
    skipped: list[SkippedFile]
    problems: list[Problem]


def discover(paths: Iterable[str], exclude: Iterable[PathLike] = ()) -> Discovered:
    """The files under `paths` to read as cases, in a stable order.

    Folders are walked recursively in sorted order; hidden entries (a name
    starting with '.') are left out; links to folders met while walking are
    not followed. `exclude` names files never read as cases (the audit's
    `cp-audit.yaml`, the standards file, output files).
    """
    excluded = {os.path.realpath(path) for path in exclude}
    found = Discovered([], [], [])
    seen: set[str] = set()
    for path in paths:
        try:
            info = os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                found.skipped.append(SkippedFile(path, LOOP))
            else:
                found.problems.append(Problem(os_reason(exc, "path"), file=path, files=(path,)))
            continue
        if stat.S_ISDIR(info.st_mode):
            _walk(os.path.normpath(path), found, excluded, seen)
        else:
            normal = os.path.normpath(path)
            _consider(normal, os.path.realpath(normal), info, found, excluded, seen)
    return found


def _walk(folder: str, found: Discovered, excluded: set[str], seen: set[str]) -> None:
    real = os.path.realpath(folder)
    if real in seen:  # given twice, or given inside another path given
        return
    seen.add(real)
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        found.problems.append(
            Problem(os_reason(exc, "folder"), file=folder, files=(folder,))
        )
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = entry.name if folder == "." else entry.path
        try:
            if entry.is_dir(follow_symlinks=False):
                _walk(path, found, excluded, seen)
                continue
            # os.stat, not entry.stat(): the entry would keep its stat (about 600 bytes)
            # until the whole folder is walked, 30 MB for a folder of 50,000 files.
            info = os.stat(path)
            link = entry.is_symlink()
            if link and stat.S_ISDIR(info.st_mode):
                found.skipped.append(SkippedFile(path, "a link to a folder: not followed"))
                continue
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # a link that leads back to itself: holds nothing
                found.skipped.append(SkippedFile(path, LOOP))
            elif reader_for(path) is not None:  # found: reading it says why it cannot be read
                found.files.append(path)
            else:
                found.skipped.append(SkippedFile(path, f"cannot be read: {exc.strerror}"))
            continue
        # Not a link: its real path is the folder's and its name (realpath would look up
        # each folder on the way again, a tenth of a millisecond a file).
        where = os.path.realpath(path) if link else os.path.join(real, entry.name)
        _consider(path, where, info, found, excluded, seen)


def _consider(
    path: str, real: str, info: os.stat_result, found: Discovered, excluded: set[str],
    seen: set[str],
) -> None:
    if real in seen:
        return
    seen.add(real)
    if real in excluded:
        found.skipped.append(SkippedFile(path, "the run's own configuration, standards or output"))
    elif not stat.S_ISREG(info.st_mode):
        found.skipped.append(SkippedFile(path, "not a regular file"))
    elif reader_for(path) is None:
        found.skipped.append(SkippedFile(path, _skip_reason(path)))
    else:
        found.files.append(path)


_READ = extensions_text()  # from the registry: ".json, .jsonl, .yaml and .yml"


def _skip_reason(path: str) -> str:
    extension = os.path.splitext(path)[1]
    kind = f"a {extension} file" if extension else "a file without an extension"
    return f"{kind}: only {_READ} files are read"
