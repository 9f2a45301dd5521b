"""Report files never written over an input; each is written whole or not at all
(`atomic.write_atomic`)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from cp_audit.inputs import CASE_EXTENSIONS


def input_clash(output: Path, inputs: Sequence[str], excluded: Iterable[Path]) -> str | None:
    """Why `output` would be an input of this run (or of the next), or None.

    An output that is one of the given files, or a case-format file under a
    given folder, would be read as a case: refuse it, unless the audit folder's
    `cp-audit.yaml` lists it among its outputs (those are never read as cases).
    """
    target = os.path.realpath(output)
    if target in {os.path.realpath(path) for path in excluded}:
        return None
    for given in inputs:
        real = os.path.realpath(given)
        if target == real:
            return f"{output}: is one of the inputs; write the report elsewhere"
        inside = os.path.isdir(real) and os.path.commonpath([real, target]) == real
        if inside and target.lower().endswith(CASE_EXTENSIONS):
            return (
                f"{output}: is under the input folder {given} and would be read as a case;"
                " write it elsewhere or list it in cp-audit.yaml's outputs"
            )
    return None
