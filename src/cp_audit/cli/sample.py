"""`cp-audit sample [PATH...] --size N`: choose the children of an audit (`audit-meeting.md`).

The cases are read as `validate` reads them (one run, `run.audit`); of each
valid case only its child's age on the as-of date and whether it has a plan
of the category, active on the date, come back. Eligible: a child with such a
plan (either filter absent: no such condition), aged under 18; a child of 18
or over, or of unknown age, is not eligible and is counted (an unborn child,
on a pre-birth plan, is in the 0–4 band). The N are spread over the age bands
0–4, 5–10 and 11–17 in proportion to the eligible children in each (largest
remainder), and drawn at random within each band: `random.Random(seed)` over
the sorted case ids, so the same seed on the same cases gives the same choice.
Without `--seed` a seed is drawn and printed, to choose the same again.

`--write` puts the chosen ids in the audit folder's `cp-audit.yaml` as
`cases_in_audit` (`folder.config.set_list`: a round-trip edit that keeps its comments).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

import click

from cp_audit.cli._common import IsoDate, UsageError, audit_folder, guarded
from cp_audit.exitcodes import BAD_INPUT, OK

if TYPE_CHECKING:
    from cp_audit.case.model import Case, CaseRecord
    from cp_audit.folder.resolve import AuditFolder

BANDS = (("0–4", 0, 4), ("5–10", 5, 10), ("11–17", 11, 17))
ADULT = 18


@dataclass(frozen=True)
class SampleRequest:
    paths: tuple[str, ...] = ()
    size: int = 10
    category: str | None = None
    active_on: date | None = None
    as_of: date | None = None
    seed: int | None = None
    write: bool = False
    jobs: int | None = None


# values.PlanCategory's values, written out so that --help imports no model (a test keeps
# them the same).
CATEGORIES = ("emotional_abuse", "neglect", "physical_abuse", "sexual_abuse", "multiple")
DATE = IsoDate()


@click.command("sample")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--size", required=True, type=click.IntRange(min=1), help="How many children.")
@click.option(
    "--category", type=click.Choice(CATEGORIES),
    help="Only children with a plan of this category (active on --active-on, if given).",
)
@click.option("--active-on", type=DATE, metavar="YYYY-MM-DD",
              help="Only children with a plan (of --category, if given) active on this date.")
@click.option("--as-of", type=DATE, metavar="YYYY-MM-DD",
              help="The date ages are counted on (default: cp-audit.yaml's, else today).")
@click.option("--seed", type=int, help="The same seed gives the same choice (default: drawn).")
@click.option("--write", is_flag=True,
              help="Put the chosen ids in the audit folder's cp-audit.yaml (cases_in_audit).")
@click.option("--jobs", "-j", type=click.IntRange(min=1),
              help="Processes to read files with (default: the number of cores).")
def command(
    paths: tuple[str, ...], size: int, category: str | None, active_on: date | None,
    as_of: date | None, seed: int | None, write: bool, jobs: int | None,
) -> None:
    """Choose SIZE children for an audit from the cases under PATHS.

    Eligible: a child with a plan of --category active on --active-on (each
    absent: no such condition), under 18 on the as-of date. The choice is
    spread over the age bands 0–4, 5–10 and 11–17 in proportion, at random
    but the same for the same --seed. Prints the choice and why; --write puts
    it in cp-audit.yaml's cases_in_audit. Exits 2 when an input was rejected.
    """
    request = SampleRequest(
        paths, size, category, active_on, as_of, seed, write, jobs,
    )
    sys.exit(execute(request))


def execute(request: SampleRequest) -> int:
    return guarded("sample", _sample, request)


# What comes back of each valid case: its age on the as-of date (None: unknown), and
# whether it has a plan that meets the filters.
Summary = tuple[int | None, bool]


def _summary(
    case: Case, _: tuple[CaseRecord, ...], *, as_of: date, category: str | None,
    active_on: date | None,
) -> Summary:
    has_plan = any(
        (category is None or plan.category == category)
        and (active_on is None or plan.start <= active_on <= (plan.end or active_on))
        for plan in case.plans
    )
    return case.age_on(as_of), has_plan or (category is None and active_on is None)


@dataclass
class Pool:
    """The cases read, sorted out: the eligible by band, the others by why."""

    bands: dict[str, list[str]] = field(default_factory=lambda: {b[0]: [] for b in BANDS})
    no_plan: int = 0
    adults: int = 0
    unknown_age: int = 0

    def add(self, case_id: str, summary: Summary) -> None:
        age, has_plan = summary
        if not has_plan:
            self.no_plan += 1
        elif age is None:
            self.unknown_age += 1
        elif age >= ADULT:
            self.adults += 1
        else:
            self.bands[_band(age)].append(case_id)

    @property
    def eligible(self) -> int:
        return sum(len(ids) for ids in self.bands.values())


def _band(age: int) -> str:
    return next((name for name, low, high in BANDS if low <= age <= high), BANDS[0][0])


def quotas(sizes: Sequence[int], size: int) -> list[int]:
    """`size` shared over groups of `sizes` in proportion, by largest remainder (ties: the
    earlier group); all of every group when `size` is at least their total."""
    total = sum(sizes)
    if size >= total:
        return list(sizes)
    exact = [size * n / total for n in sizes]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(len(sizes)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in by_remainder[: size - sum(shares)]:
        shares[i] += 1
    return shares


def choose(pool: Pool, size: int, seed: int) -> dict[str, list[str]]:
    """The chosen case ids of each band, drawn with `random.Random(seed)` from the sorted ids."""
    import random

    generator = random.Random(seed)
    names = list(pool.bands)
    shares = quotas([len(pool.bands[name]) for name in names], size)
    return {
        name: sorted(generator.sample(sorted(pool.bands[name]), share))
        for name, share in zip(names, shares, strict=True)
    }


def _sample(request: SampleRequest) -> int:
    from cp_audit.cli.validate import audit_request
    from cp_audit.report._text import printable
    from cp_audit.run.audit import run_audit

    folder = audit_folder(request.paths, lenient=bool(request.paths) and not request.write)
    if request.write and folder is None:
        raise UsageError("--write needs an audit folder (a folder with a cp-audit.yaml)")
    as_of = request.as_of or (folder.settings.as_of if folder else None) or date.today()
    summarise = partial(
        _summary, as_of=as_of, category=request.category, active_on=request.active_on
    )
    audit = audit_request(request.paths, folder, (), request.jobs, summarise)
    pool = Pool()
    # Every case read is a candidate: the folder's cases_in_audit is what this will replace.
    # The run's as-of date is the one the ages are counted on (and its data warnings use).
    result = run_audit(replace(audit, choice=None, as_of=as_of), None, pool.add)
    for problem in result.problems:
        click.echo(printable(str(problem)), err=True)
    seed = request.seed if request.seed is not None else _drawn_seed()
    chosen = choose(pool, request.size, seed)
    loaded = result.counts.cases_loaded
    click.echo("\n".join(explanation(request, pool, chosen, as_of, seed, loaded)))
    if request.write and folder is not None:
        _write(folder, chosen, request, seed)
    return BAD_INPUT if result.problems else OK


def _drawn_seed() -> int:
    import secrets

    return secrets.randbelow(1_000_000)


def explanation(
    request: SampleRequest, pool: Pool, chosen: dict[str, list[str]], as_of: date, seed: int,
    loaded: int,
) -> list[str]:
    """The choice and why, as the lines printed."""
    count = sum(len(ids) for ids in chosen.values())
    lines = [
        f"{count} of {pool.eligible} eligible children chosen (seed {seed}; ages on {as_of}).",
        f"Cases read: {loaded}. Eligible: {_condition(request)}, under {ADULT}.",
        f"Not eligible: {pool.no_plan} without such a plan, {pool.adults} aged {ADULT} or over,"
        f" {pool.unknown_age} of unknown age.",
    ]
    if count < request.size:
        lines.append(f"Fewer eligible children than --size {request.size}: all are chosen.")
    lines.append("Age band  eligible  chosen")
    for name, ids in chosen.items():
        lines.append(f"{name:<8}  {len(pool.bands[name]):>8}  {len(ids):>6}")
    for name, ids in chosen.items():
        lines.append(f"{name}: {', '.join(ids) if ids else '(none)'}")
    if request.write:
        lines.append("Written to cp-audit.yaml as cases_in_audit.")
    return lines


def _condition(request: SampleRequest) -> str:
    if request.category is None and request.active_on is None:
        return "every child read (no --category nor --active-on)"
    what = f"a plan of category {request.category}" if request.category else "a plan"
    return what + (f" active on {request.active_on}" if request.active_on else "")


_NOTE = "chosen by cp-audit sample"  # the comment above cases_in_audit, replaced each time


def _write(
    folder: AuditFolder, chosen: dict[str, list[str]], request: SampleRequest, seed: int
) -> None:
    from cp_audit.folder.config import ConfigError, set_list

    ids = sorted(case_id for ids in chosen.values() for case_id in ids)
    note = f"{_NOTE} --size {request.size} --seed {seed}"
    try:
        set_list(folder.config_file, "cases_in_audit", ids, note, replaces=_NOTE)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
