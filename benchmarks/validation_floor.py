"""What pydantic-core alone costs to validate the benchmark's records, against `json`.

The case record models are copied with their plain types (dates, strings, tuples of
models) and none of cp-audit's own validators: no token normalising, no date rules,
no `x_` handling, no cross-field checks. The records (their `x_` keys dropped first)
are validated with that copy, and the same files are parsed with `json`; each is the
least of nine runs, in one process. No run of `cp-audit check` can cost less per
case than the first, so this is a floor under the benchmark's ratio.

    .venv/bin/python benchmarks/validation_floor.py /tmp/b1k --files 300
"""

from __future__ import annotations

import argparse
import enum
import glob
import json
import os
import time
import types
import typing
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from cp_audit.case import model


def plain(annotation: Any, made: dict[type, type[BaseModel]]) -> Any:
    """The annotation with each record model replaced by its plain copy, enums by str."""
    if isinstance(annotation, type) and issubclass(annotation, model.Entry):
        return plain_model(annotation, made)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return str
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is tuple:
        return tuple[plain(args[0], made), ...]  # type: ignore[misc]
    if origin in (typing.Union, types.UnionType):
        return typing.Union[tuple(plain(arg, made) for arg in args)]  # noqa: UP007
    if origin is typing.Literal:
        return annotation
    return annotation


def plain_model(cls: type[BaseModel], made: dict[type, type[BaseModel]]) -> type[BaseModel]:
    if cls not in made:
        fields: dict[str, Any] = {}
        for name, info in cls.model_fields.items():
            default = ... if info.is_required() else info.default
            fields[name] = (plain(info.annotation, made), Field(default, alias=info.alias))
        made[cls] = create_model(  # type: ignore[call-overload]
            f"Plain{cls.__name__}",
            __config__=ConfigDict(extra="forbid", frozen=True, populate_by_name=True),
            **fields,
        )
    return made[cls]


def without_extensions(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_extensions(v) for k, v in value.items() if not k.startswith("x_")}
    if isinstance(value, list):
        return [without_extensions(v) for v in value]
    return value


def least(function: Callable[[], object], runs: int = 9) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        function()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="a folder of one-case .json files (benchmarks/generate.py)")
    parser.add_argument("--files", type=int, default=300)
    args = parser.parse_args()
    paths = sorted(glob.glob(os.path.join(args.folder, "*.json")))[: args.files]
    raw = [open(path, "rb").read() for path in paths]  # noqa: SIM115
    records = [without_extensions(json.loads(data)) for data in raw]
    record_model = plain_model(model.CaseRecord, {})
    for record in records:
        record_model.model_validate(record)  # every record must pass: else the floor is wrong
    validate = least(lambda: [record_model.model_validate(record) for record in records])
    parse = least(lambda: [json.loads(data) for data in raw])
    print(f"{len(raw)} files from {args.folder}")
    print(f"pydantic-core validation alone: {validate * 1000 / len(raw):.3f} ms a case")
    print(f"stdlib json parse:              {parse * 1000 / len(raw):.3f} ms a case")
    print(f"(parse + validation) on 2 cores / parse: {(parse + validate) / 2 / parse:.2f}")


if __name__ == "__main__":
    main()
