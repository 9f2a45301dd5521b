"""The `cp-audit` command line (`shared/cli-contract.md`): the registry of its commands.

One module a command (`check`, `validate`, `rules`, `explain`, `standards`,
`schema`, `init`, `convert`, `sample`, `template`, `moderate`, `compare`), each a
thin click command that parses its options into a request and calls the module's
`execute(request)`, which returns the exit
code (`exitcodes`). A new command is one module here and one line below.
What the commands share (the audit folder, the standards in use, how a
command fails) is in `_common`; the audit folder itself is found once, by
`folder.resolve`.

Command modules import what they need when they run, so `--help` and
`--version` stay fast. Bad input never gives a traceback: it is reported and
the exit code says so.
"""

from __future__ import annotations

import os
import sys

import click

from cp_audit import __version__
from cp_audit.cli import (
    check,
    compare,
    convert,
    explain,
    init,
    moderate,
    rules,
    sample,
    schema,
    standards,
    template,
    validate,
)
from cp_audit.exitcodes import BAD_INPUT


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="cp-audit")
def cli() -> None:
    """Multi-agency child protection case audits from exported case records."""


cli.add_command(check.command)
cli.add_command(validate.command)
cli.add_command(rules.command)
cli.add_command(explain.command)
cli.add_command(standards.command)
cli.add_command(schema.command)
cli.add_command(init.command)
cli.add_command(convert.command)
cli.add_command(sample.command)
cli.add_command(template.command)
cli.add_command(moderate.command)
cli.add_command(compare.command)


def _version_everywhere(group: click.Group) -> None:
    """`--version` on every command, not only on `cp-audit` itself (the CLI contract)."""
    for command in group.commands.values():
        click.version_option(__version__, "--version", prog_name="cp-audit")(command)
        if isinstance(command, click.Group):
            _version_everywhere(command)


_version_everywhere(cli)


def main() -> None:
    """The `cp-audit` console script."""
    try:
        cli(prog_name="cp-audit")
    except BrokenPipeError:  # e.g. `cp-audit validate cases | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(BAD_INPUT)
