"""Practice tools used for the child's needs.

For every need of the child (`child.needs`) that `needs_to_tools` lists, some
`tools` entry names one of that need's tools. A tools entry counts when it is
undated or dated on or before the as-of date. Not applicable when the child
has none of the listed needs.

Options:

- `needs_to_tools` (default
  `{neglect: [graded_care_profile_2, gcp2], domestic_abuse: [dash, dash_ric]}`):
  each need and the tools that answer it.

Passing:

```yaml
child: {age_years: 7, needs: [domestic_abuse]}
tools: [{name: dash, date: 2021-11-10, by: police_officer}]
```

Failing (neglect, and no Graded Care Profile 2):

```yaml
child: {age_years: 4, needs: [neglect]}
tools: [{name: dash, date: 2021-11-10}]
```
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from cp_audit.case.model import Tool
from cp_audit.case.values import Token
from cp_audit.checks.base import CaseView, CheckOptions, Context, Tokens, fmt
from cp_audit.results import CheckResult

ID = "tools-for-needs"


def _default() -> dict[str, Tokens]:
    return {
        "neglect": ("graded_care_profile_2", "gcp2"),
        "domestic_abuse": ("dash", "dash_ric"),
    }


class Options(CheckOptions):
    needs_to_tools: Annotated[
        dict[Token, Annotated[Tokens, Field(min_length=1)]], Field(min_length=1)
    ] = Field(default_factory=_default)


def _tool_label(tool: Tool) -> str:
    when = fmt(tool.date) if tool.date else "(undated)"
    by = f" by {tool.by}" if tool.by else ""
    return f"{tool.name} {when}{by}"


def parts(options: Options) -> frozenset[str]:
    """The parts it reads (`case.coverage`): the child's needs and the tools."""
    return frozenset({"needs", "tools"})


def check(view: CaseView, options: Options, ctx: Context) -> CheckResult:
    needs = [need for need in options.needs_to_tools if need in view.case.child.needs]
    if not needs:
        return CheckResult.not_applicable(
            "the child has none of the needs " + ", ".join(options.needs_to_tools)
        )
    tools: tuple[Tool, ...] = view.tools
    missing: list[str] = []
    found: list[str] = []
    for need in needs:
        names = options.needs_to_tools[need]
        used = [tool for tool in tools if tool.name in names]
        if used:
            found.append(f"{need}: " + ", ".join(_tool_label(t) for t in used))
        else:
            missing.append(f"{need}: no {' or '.join(names)} tool by {fmt(view.as_of)}")
    if missing:
        return CheckResult.not_met(*missing, *found)
    return CheckResult.met(*found)
