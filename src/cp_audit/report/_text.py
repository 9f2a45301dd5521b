"""Cleaning data for display: what every human-readable format strips first.

Case-derived strings (case ids, file names, evidence, problem messages) and
the standards' texts are data, never markup or terminal commands. Before a
format escapes them for its medium, they lose:

- control characters (C0, DEL, C1: ESC sequences, carriage returns that
  overwrite a line, bells), line breaks and tabs becoming a space;
- the Unicode bidirectional controls, which can make text display in an order
  other than the one it is stored in ("Trojan Source").
"""

from __future__ import annotations

import re

# C0 (less tab and newline, handled below), DEL, C1, and the bidi controls.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile("[\t\n\r\x0b\x0c\x85\u2028\u2029]+")
_SURROGATES = re.compile("[\ud800-\udfff]")
# What an XML 1.0 document may not hold at all (besides the above).
_NOT_XML = re.compile("[\ufffe\uffff]")


def clean(text: str) -> str:
    """One line of plain text: no control characters, line breaks and tabs as spaces.

    A lone surrogate (a file name read with surrogateescape) becomes U+FFFD.
    """
    # Almost all text is printable, which excludes every character below (controls, bidi
    # formats, line and paragraph separators, surrogates): checked at C speed, no change.
    if text.isprintable():
        return text
    return _SURROGATES.sub("\ufffd", _CONTROLS.sub("", _BREAKS.sub(" ", text)))


def printable(text: str) -> str:
    """A message for a terminal or a log: bytes that are not UTF-8 (a file name read with
    surrogateescape) shown as U+FFFD, and no control sequence that a file name could carry."""
    return clean(text)


def clean_xml(text: str) -> str:
    """`clean`, and nothing XML 1.0 forbids."""
    return _NOT_XML.sub("", clean(text))


def has_controls(text: str) -> bool:
    return bool(_CONTROLS.search(text))
