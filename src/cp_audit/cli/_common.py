"""What the commands share: the audit folder and the standards they use, and how they fail.

Every command that reads the audit folder asks `audit_folder()` (one
`folder.resolve.find` for all); every command that uses standards asks
`standards_in_use()`. `guarded()` runs a command's body and turns the two
errors that stop a command before it reads any case into their messages and
exit 2: a `UsageError` (`cp-audit check: ...`) and an invalid standards file
(one `path: problem` line a problem, as `cp-audit standards check` prints).
`IsoDate` is the type of every date option (`--as-of`): a bad date says what is wrong
with it (`February 2025 has 28 days`, `use YYYY-MM-DD`), exit 2 as click's usage errors.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import click

from cp_audit.exitcodes import BAD_INPUT

if TYPE_CHECKING:  # imported when a command runs, so that --help stays fast
    from cp_audit.folder.resolve import AuditFolder
    from cp_audit.standards.spec import Standards, StandardsError

Request = TypeVar("Request")
F = TypeVar("F", bound=Callable[..., object])


def _case_ids(_: click.Context, __: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    from cp_audit.case.merging import valid_case_id

    for value in values:
        if valid_case_id(value) is None:
            raise click.BadParameter(f"{value!r} is not a case id")
    return values


def case_option(function: F) -> F:
    """`--case ID` (repeatable): the cases in this audit, over cp-audit.yaml's `cases_in_audit`."""
    return click.option(
        "--case",
        "cases",
        multiple=True,
        metavar="ID",
        callback=_case_ids,
        help="Only this case (repeatable; over cp-audit.yaml's cases_in_audit). "
        "The others read are left out and counted.",
    )(function)


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class IsoDate(click.ParamType[date, Any]):
    """A calendar date written YYYY-MM-DD; a bad one gets the reason, never a strptime format."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        text = str(value).strip()
        match = _ISO_DATE.fullmatch(text)
        if match is None:
            self.fail(f"{text} is not a date: use YYYY-MM-DD", param, ctx)
        year, month, day = (int(part) for part in match.groups())
        why = _impossible(year, month, day)
        if why:
            self.fail(f"{text} is not a date: {why}", param, ctx)
        return date(year, month, day)


def _impossible(year: int, month: int, day: int) -> str | None:
    """Why year-month-day is no day of the calendar, or None when it is one."""
    if year < 1:
        return "there is no year 0"
    if not 1 <= month <= 12:
        return f"there is no month {month} (months are 01 to 12)"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{calendar.month_name[month]} {year} has {days} days"
    return None


class UsageError(Exception):
    """A setting that stops the command before any case is read (exit 2)."""


def guarded(command: str, body: Callable[[Request], int], request: Request) -> int:
    """`body(request)`'s exit code; a usage error or invalid standards: the message, exit 2."""
    from cp_audit.meeting.history import HistoryError
    from cp_audit.meeting.session import NoHistoryError
    from cp_audit.standards.spec import StandardsError

    try:
        return body(request)
    except (UsageError, HistoryError, NoHistoryError) as exc:
        click.echo(f"cp-audit {command}: {exc}", err=True)
    except StandardsError as exc:  # a hand-written file (meeting.yaml too): a line a problem
        echo_problems(exc)
    return BAD_INPUT


def echo_problems(exc: StandardsError) -> None:
    for problem in exc.problems:
        click.echo(f"{exc.path}: {problem}", err=True)


def audit_folder(paths: Sequence[str] = (), *, lenient: bool = False) -> AuditFolder | None:
    """The run's audit folder (`folder.resolve.find`); a bad `cp-audit.yaml` is a usage error."""
    from cp_audit.folder import config, resolve

    try:
        return resolve.find(paths, lenient=lenient)
    except config.ConfigError as exc:
        raise UsageError(str(exc)) from None


def standards_in_use(given: str | None) -> Standards:
    """The standards given, else the current audit folder's, else the packaged default."""
    from cp_audit.folder import resolve
    from cp_audit.standards.spec import load

    folder = None if given else audit_folder()
    return load(resolve.standards_in_use(given, folder))
