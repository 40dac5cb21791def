"""`catchball init`: scaffold a goals repository."""

from __future__ import annotations

from typing import Annotated

import typer

from catchball.cli.app import app, command_errors


@app.command(
    epilog="Examples:\n\n  catchball init goals\n\n  catchball init my-trust/goals --force",
)
def init(
    folder: Annotated[str, typer.Argument(metavar="FOLDER", help="Where to create the goals repository.")] = "goals",
    force: Annotated[bool, typer.Option("--force", help="Overwrite files that already exist.")] = False,
) -> None:
    """Create a small, valid goals repository with comments explaining every field."""
    from catchball.scaffold import scaffold

    with command_errors():
        written = scaffold(folder, force=force)
    for path, replaced in written:
        typer.echo(f"{'overwrote' if replaced else 'created'} {path}")
    typer.echo(f"Next: catchball cascade {folder}")
