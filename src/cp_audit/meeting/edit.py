"""`cp-audit moderate`'s edit of `meeting.yaml`: one moderation added (or replaced), the rest
of the file kept as the auditors wrote it, comments and order included (ruamel.yaml's round
trip; every reader of the file stays on the safe loader). The file is replaced whole."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from cp_audit.folder.config import ConfigError, replace_file
from cp_audit.meeting.model import SCHEMA_LINE, MeetingError, Moderation


def add_moderation(path: Path, entry: Moderation) -> bool:
    """Add `entry` to the file's `moderation` (made if absent); True when it replaced an
    earlier moderation of the same case and rule (or grade)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import YAMLError

    yaml = YAML()  # round trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # a reason stays on its line
    yaml.indent(mapping=2, sequence=4, offset=2)
    text = path.read_text(encoding="utf-8") if path.exists() else SCHEMA_LINE
    try:
        data: Any = yaml.load(text)
    except (UnicodeDecodeError, YAMLError) as exc:
        raise MeetingError(str(path), [f"cannot edit the file ({type(exc).__name__})"]) from None
    lead = ""
    if data is None:  # empty, or only comments: they are kept above the new content
        lead, data = text if text.endswith("\n") or not text else text + "\n", CommentedMap()
    if not isinstance(data, CommentedMap):
        raise MeetingError(str(path), ["a meeting's record is a mapping: cannot add to it"])
    entries = data.get("moderation")
    if entries is None:
        entries = data["moderation"] = CommentedSeq()
    if not isinstance(entries, CommentedSeq):
        raise MeetingError(str(path), ["moderation: must be a list"])
    new = _entry(entry)
    same = next(
        (i for i, old in enumerate(entries)
         if isinstance(old, dict) and old.get("case") == entry.case
         and old.get("rule") == entry.rule and ("grade" in old) == (entry.grade is not None)),
        None,
    )
    if same is None:
        entries.append(new)
    else:
        entries[same] = new
    out = io.StringIO()
    yaml.dump(data, out)
    try:
        replace_file(path, lead + out.getvalue())
    except (ConfigError, OSError) as exc:
        raise MeetingError(str(path), [str(exc)]) from None
    return same is not None


def _entry(entry: Moderation) -> Any:
    from ruamel.yaml.comments import CommentedMap

    new = CommentedMap()
    new["case"] = entry.case
    if entry.rule is not None:
        new["rule"] = entry.rule
        new["outcome"] = entry.outcome
    else:
        new["grade"] = entry.grade
    new["reason"] = entry.reason
    new["by"] = entry.by
    new["date"] = entry.date
    if entry.tool is not None:
        tool = CommentedMap()
        for key in ("outcome", "grade", "evidence"):
            value = getattr(entry.tool, key)
            if value is not None:
                tool[key] = value
        new["tool"] = tool
        new.yaml_add_eol_comment("written by cp-audit moderate", "tool")
    return new
