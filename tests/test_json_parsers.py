"""The JSON readers parse with jiter first and fall back to the standard library: the two
paths must accept the same documents, give the same values and word the same errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cp_audit.inputs.interface import Unreadable
from cp_audit.inputs.json import json_loads


def outcome(text: str, data: bytes | None) -> tuple[str, str]:
    """What parsing gives: ("value", its repr) or ("error", the message and place)."""
    try:
        return "value", repr(json_loads(text, data))
    except Unreadable as exc:
        return "error", f"{exc.message} @ {exc.location}"


def both(data: bytes) -> tuple[tuple[str, str], tuple[str, str]]:
    text = data.decode("utf-8", "surrogatepass")
    return outcome(text, data), outcome(text, None)


@pytest.mark.parametrize(
    "data",
    [
        b'{"a": 1, "a": 2}',
        b'{"a": {"b": 1, "b": 2}}',
        b'{"\\u0061": 1, "a": 2}',
        b'{"a": NaN}',
        b"[Infinity]",
        b"[-Infinity]",
        b'"\\ud800"',
        b'["\\ude00\\ud83d"]',
        b'"\\ud83d\\ude00"',
        b"[1e400, -1e400, 1e-400, 5e-324, 0.30000000000000004]",
        b"1" + b"0" * 5000,
        b"[" * 300 + b"]" * 300,
        b"[" * 100_000 + b"]" * 100_000,
        b"[1,]",
        b'{"a": 1,}',
        b"01",
        b'{"a": 1} x',
        b'"a\tb"',
        b"\x0c{}",
        b'{"case_id": "A"}\r\n',
        b"[true, false, null, -0, -0.0, 123456789012345678901234567890]",
    ],
)
def test_each_edge_parses_as_the_standard_library_alone(data: bytes) -> None:
    fast, slow = both(data)
    assert fast == slow


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(_JSON, st.booleans(), st.integers(0, 200), st.text(max_size=3))
def test_any_document_or_a_damaged_one_parses_as_the_standard_library_alone(
    value: Any, ascii_only: bool, at: int, inserted: str
) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    fast, slow = both(text.encode("utf-8", "surrogatepass"))
    assert fast == slow
    damaged = text[:at] + inserted + text[at:]
    fast, slow = both(damaged.encode("utf-8", "surrogatepass"))
    assert fast == slow


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(max_size=3), st.integers(), min_size=1, max_size=4))
def test_a_repeated_key_is_refused_with_the_same_message(value: dict[str, int]) -> None:
    key = next(iter(value))
    text = json.dumps(value)[:-1] + f", {json.dumps(key)}: 0}}"
    fast, slow = both(text.encode())
    assert fast == slow
    assert fast[0] == "error" and "duplicate key" in fast[1]
