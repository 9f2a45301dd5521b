"""`cp-audit init DIR`: start an audit folder (what it holds: `folder.init`)."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import click

from cp_audit.exitcodes import BAD_INPUT, OK


@dataclass(frozen=True)
class InitRequest:
    folder: str
    name: str | None = None


@click.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=str))
@click.option("--name", help="The audit's name (default: the folder's name).")
def command(folder: str, name: str | None) -> None:
    """Start an audit folder: cp-audit.yaml, standards.yaml, an empty cases/, a README, and
    an example case in examples/ (never read as one of the audit's cases)."""
    sys.exit(execute(InitRequest(folder=folder, name=name)))


def execute(request: InitRequest) -> int:
    import os
    from pathlib import Path

    from cp_audit.folder.init import InitError, init_folder

    try:
        created = init_folder(Path(request.folder), request.name)
    except InitError as exc:
        click.echo(f"cp-audit init: {exc}", err=True)
        return BAD_INPUT
    for path in created:
        click.echo(f"created {path}{os.sep if path.is_dir() else ''}")
    folder = Path(request.folder)
    click.echo(f"next: put the case records in {folder / 'cases'}, then run: "
               f"cd {request.folder} && cp-audit check")
    click.echo(f"an example case, kept out of the audit: cp-audit check {folder / 'examples'}")
    return OK
