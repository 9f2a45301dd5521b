"""Each child's chronology: the dated entries of a case, and the one drawing of them.

A case's `Chronology` is made where the case is checked (`timeline.of_case`,
called by `prepare.Preparer` in the worker, like every other part of its
section): the plan periods, the conferences, core groups, visits and the
child's voice, each a date and a kind, and the gaps the findings speak of:

- a review conference held late, where the review-chain rule (`review-chain-timely`)
  is not met: from the day the review was due to the day it was held (or the
  plan's end, or the as-of date);
- a stretch without a core group, where the core-group stretch rule
  (`no-long-stretch` over core groups) is not met: each stretch longer than its
  `max_gap_weeks`, from one core group to the next or to the plan's end;
- a conference or core group without a health professional, where the
  health-participation rule for that meeting type (`meeting-participation` with
  `@health` roles) is not met.

Gaps are marked only where the rule's finding is not met, so the drawing never
says more than the findings do (a rule not covered by the records marks nothing).

`svg` draws it once, as a self-contained SVG string (no id, no script, no
font to fetch; every text escaped): the HTML report inlines it, and the Word
reporter rasterises the same string to PNG (`png`, with CairoSVG: a small,
well-kept SVG renderer; where its Cairo library is missing the Word paper
shows the dates as a table instead). Hand-drawn rather than with a plotting
library on purpose: a national HTML run draws 50,000 of them in the workers,
and the goldens need the same bytes on every machine.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, timedelta

from cp_audit.report._text import clean
from cp_audit.results import pickled_as_tuple

LANES = ("plan", "conference", "core_group", "visit", "voice")
LANE_TITLES = {
    "plan": "Plans",
    "conference": "Conferences",
    "core_group": "Core groups",
    "visit": "Visits",
    "voice": "Child's voice",
}


@pickled_as_tuple
@dataclass(frozen=True, slots=True)
class Entry:
    """One dated entry: its lane, its day (a plan: its start), and what marks it."""

    lane: str  # one of LANES
    day: date
    end: date | None = None  # a plan's end (None: still open on the as-of date)
    label: str = ""  # a plan's category; a conference's type (icpc, rcpc, ...)
    flag: str = ""  # "no health professional"; a visit: "not seen"


@pickled_as_tuple
@dataclass(frozen=True, slots=True)
class Gap:
    """A stretch the findings speak of, drawn in its lane."""

    lane: str
    start: date
    end: date
    what: str  # "review late", "no core group for 9 weeks"


@pickled_as_tuple
@dataclass(frozen=True, slots=True)
class Chronology:
    as_of: date
    entries: tuple[Entry, ...]
    gaps: tuple[Gap, ...] = ()

    def lane(self, lane: str) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.lane == lane)

    @property
    def span(self) -> tuple[date, date] | None:
        days = [e.day for e in self.entries] + [g.start for g in self.gaps]
        if not days:
            return None
        ends = [e.end for e in self.entries if e.end is not None]
        return min(days), max([*days, *ends, *(g.end for g in self.gaps), self.as_of])


# ---------------------------------------------------------------------------
# The drawing

WIDTH = 640
_LEFT = 96  # the lanes' titles
_RIGHT = 12
_LANE = 20
_TOP = 6
_INK = "#1f2328"
_MUTED = "#5f6368"
_WORRY = "#a4161a"
_PLAN = "#c9d7e8"


def svg(chronology: Chronology, title: str) -> str:
    """The chronology as one SVG element: a lane per kind of entry on a time axis, the
    gaps dashed and labelled in red, a meeting without a health professional crossed."""
    span = chronology.span
    axis_y = _TOP + _LANE * len(LANES)
    height = axis_y + 44
    parts = [
        f'<svg class="chronology" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'font-family="Arial, Helvetica, sans-serif" font-size="11">',
        f"<title>{_e(title)}</title>",
    ]
    for index, lane in enumerate(LANES):
        y = _TOP + _LANE * index
        parts.append(
            f'<text x="0" y="{y + 15}" fill="{_INK}">{LANE_TITLES[lane]}</text>'
            f'<line x1="{_LEFT}" y1="{y + 11}" x2="{WIDTH - _RIGHT}" y2="{y + 11}" '
            f'stroke="#e3e6ea"/>'
        )
    if span is None:
        parts.append(f'<text x="{_LEFT}" y="{axis_y + 16}" fill="{_MUTED}">'
                     "No dated entries by the as-of date.</text></svg>")
        return "".join(parts)
    scale = _Scale(span[0], span[1])
    parts += _axis(scale, axis_y)
    for gap in chronology.gaps:
        parts.append(_gap(scale, gap))
    for entry in chronology.entries:
        parts.append(_entry(scale, entry))
    parts.append(_legend(axis_y + 34))
    parts.append("</svg>")
    return "".join(parts)


class _Scale:
    def __init__(self, start: date, end: date) -> None:
        self.start = start - timedelta(days=7)
        self.days = max((end - self.start).days + 7, 30)

    def x(self, day: date) -> float:
        width = WIDTH - _LEFT - _RIGHT
        return round(_LEFT + width * (day - self.start).days / self.days, 1)


def _lane_y(lane: str) -> int:
    return _TOP + _LANE * LANES.index(lane) + 11  # the lane's middle


def _axis(scale: _Scale, y: int) -> list[str]:
    parts = [f'<line x1="{_LEFT}" y1="{y}" x2="{WIDTH - _RIGHT}" y2="{y}" stroke="{_MUTED}"/>']
    months = max(1, scale.days // 30)
    step = 1 if months <= 12 else 3 if months <= 36 else 12
    day = date(scale.start.year, scale.start.month, 1)
    end = scale.start + timedelta(days=scale.days)
    while day <= end:
        if day >= scale.start and (day.month - 1) % step == 0:
            x = scale.x(day)
            label = day.strftime("%b %y") if step < 12 else str(day.year)
            parts.append(
                f'<line x1="{x}" y1="{y}" x2="{x}" y2="{y + 4}" stroke="{_MUTED}"/>'
                f'<text x="{x}" y="{y + 15}" fill="{_MUTED}" font-size="9" '
                f'text-anchor="middle">{label}</text>'
            )
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)  # the next month's 1st
    return parts


def _gap(scale: _Scale, gap: Gap) -> str:
    x1, x2 = scale.x(gap.start), scale.x(gap.end)
    y = _lane_y(gap.lane)
    return (
        f'<rect x="{x1}" y="{y - 9}" width="{max(x2 - x1, 2)}" height="18" fill="#fbe9e9" '
        f'stroke="{_WORRY}" stroke-dasharray="3 2"/>'
        f'<text x="{round((x1 + x2) / 2, 1)}" y="{y + 3}" fill="{_WORRY}" font-size="9" '
        f'text-anchor="middle">{_e(gap.what)}</text>'
    )


def _entry(scale: _Scale, entry: Entry) -> str:
    x = scale.x(entry.day)
    y = _lane_y(entry.lane)
    tip = f"<title>{_e(_entry_words(entry))}</title>"
    if entry.lane == "plan":
        x2 = scale.x(entry.end or scale.start + timedelta(days=scale.days - 7))
        open_end = "" if entry.end else f'<text x="{x2 + 2}" y="{y + 4}" fill="{_MUTED}">…</text>'
        return (
            f'<g><rect x="{x}" y="{y - 7}" width="{max(x2 - x, 2)}" height="14" fill="{_PLAN}" '
            f'stroke="{_INK}" stroke-width="0.6"/>{tip}'
            f'<text x="{x + 3}" y="{y + 4}" fill="{_INK}" font-size="9">'
            f"{_e(entry.label.replace('_', ' '))}</text>{open_end}</g>"
        )
    return f"<g>{_mark(entry.lane, x, y, entry.flag)}{tip}</g>"


def _mark(lane: str, x: float, y: float, flag: str = "") -> str:
    """An entry's mark: a shape per lane (so that grey print tells them apart)."""
    if lane == "conference":
        mark = f'<path d="M{x} {y - 7}L{x + 6} {y}L{x} {y + 7}L{x - 6} {y}Z" fill="{_INK}"/>'
    elif lane == "core_group":
        mark = f'<circle cx="{x}" cy="{y}" r="5" fill="{_INK}"/>'
    elif lane == "visit":
        fill, stroke = ("#ffffff", _MUTED) if flag else (_INK, _INK)
        mark = (f'<rect x="{x - 3}" y="{y - 6}" width="6" height="12" fill="{fill}" '
                f'stroke="{stroke}"/>')
    elif lane == "voice":
        mark = f'<path d="M{x} {y - 6}L{x + 6} {y + 5}L{x - 6} {y + 5}Z" fill="{_INK}"/>'
    else:  # a gap, in the legend
        mark = (f'<rect x="{x - 6}" y="{y - 6}" width="12" height="12" fill="#fbe9e9" '
                f'stroke="{_WORRY}" stroke-dasharray="3 2"/>')
    if flag == "no health professional":
        mark += (f'<path d="M{x - 7} {y - 7}L{x + 7} {y + 7}M{x + 7} {y - 7}L{x - 7} {y + 7}" '
                 f'stroke="{_WORRY}" stroke-width="2"/>')
    return mark


_LEGEND = (
    ("conference", "", "conference"),
    ("core_group", "", "core group"),
    ("visit", "", "visit"),
    ("visit", "not seen", "child not seen"),
    ("voice", "", "child's voice"),
    ("core_group", "no health professional", "no health professional"),
    ("gap", "", "a gap the findings name"),
)


def _legend(y: int) -> str:
    """The marks drawn, each with its words (shapes, not characters: every font has them)."""
    parts, x = [], 8.0
    for lane, flag, words in _LEGEND:
        parts.append(_mark(lane, x, y - 3, flag).replace('r="5"', 'r="4"'))
        parts.append(f'<text x="{x + 10}" y="{y + 1}" fill="{_MUTED}" font-size="9">{words}</text>')
        x += 22 + 5.2 * len(words)
    return "".join(parts)


def _entry_words(entry: Entry) -> str:
    words = LANE_TITLES[entry.lane].rstrip("s").lower()
    when = entry.day.isoformat()
    if entry.lane == "plan":
        until = entry.end.isoformat() if entry.end else "open"
        return f"plan ({entry.label}) {when} to {until}"
    kind = entry.label or words
    return f"{kind} {when}" + (f": {entry.flag}" if entry.flag else "")


def rows(chronology: Chronology) -> list[tuple[str, str, str]]:
    """The chronology as table rows (date, what, note): the Word paper's fallback."""
    found = [(e.day.isoformat(), _entry_words(e), e.flag) for e in chronology.entries]
    found += [(g.start.isoformat(), f"to {g.end.isoformat()}", g.what) for g in chronology.gaps]
    return sorted(found)


def png(svg_text: str, scale: float = 2.0) -> bytes | None:
    """The drawing as PNG for Word, or None where CairoSVG's Cairo library is missing."""
    try:
        import cairosvg  # only the Word paper needs it, and it loads a C library
    except (ImportError, OSError):
        return None
    data: bytes = cairosvg.svg2png(bytestring=svg_text.encode(), scale=scale)
    return data


def _e(value: str) -> str:
    return html.escape(clean(value), quote=True)
