"""Case records written back out in the case format (`cp-audit convert`).

`record_dict` gives a validated `CaseRecord` as the plain mapping an exporter
would write: the format's keys (`from`, not `from_`) in the format's order,
dates as ISO strings, and nothing that is only a default (an empty list, an
absent value, a participant's `status: attended`), so what is written reads
back to the same record. `RecordWriter` writes them as YAML, JSON or JSON
Lines (`FORMATS`).

Names are written as the records hold them: this is a data tool, not a report.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

import yaml

from cp_audit.case.model import CaseRecord


def record_dict(record: CaseRecord) -> dict[str, Any]:
    """The record in the case format, without defaults or empty lists."""
    return record.model_dump(mode="json", by_alias=True, exclude_defaults=True)


class RecordWriter:
    """Writes records to a text stream as YAML (one document a record, each opened by
    `---`), JSON (one list, a record a line inside it) or JSON Lines (a record a line),
    one at a time, so that a whole census return is never held as one string."""

    def __init__(self, stream: TextIO, format_name: str) -> None:
        if format_name not in FORMATS:
            raise ValueError(f"unknown format {format_name!r}")
        self.stream, self.format, self.count = stream, format_name, 0

    def write(self, record: dict[str, Any]) -> None:
        self.stream.write(self._text(record))
        self.count += 1

    def close(self) -> None:
        """End the document (JSON's list); the stream stays open."""
        if self.format == "json":
            self.stream.write("\n]\n" if self.count else "[]\n")

    def _text(self, record: dict[str, Any]) -> str:
        if self.format == "yaml":
            # safe_dump quotes strings that would read back as another type ('2022-01-05').
            return yaml.safe_dump(
                record, explicit_start=True, sort_keys=False, allow_unicode=True, width=100
            )
        line = json.dumps(record, ensure_ascii=False)
        if self.format == "json":
            return ("[\n" if not self.count else ",\n") + line
        return line + "\n"


FORMATS: dict[str, str] = {"yaml": "yaml", "json": "json", "jsonl": "jsonl"}  # -> extension
