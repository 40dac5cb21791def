"""`catchball status`: where the catchball round stands."""

from __future__ import annotations

import io
from typing import Annotated

import typer

from catchball.cli.app import NoCacheOption, PathArgument, app, command_errors, fail, note
from catchball.cli.streams import JSON, write_document
from catchball.formats.json import write as write_json

STATUS_FORMATS = ("text", "json")


@app.command(
    epilog=(
        "Examples:\n\n"
        "  catchball status goals\n\n"
        "  catchball status --format json | jq '.ball[].label'"
    ),
)
def status(
    path: PathArgument = None,
    format: Annotated[str, typer.Option("--format", "-f", help="Output format: text or json.")] = "text",
    no_cache: NoCacheOption = False,
) -> None:
    """Show where the catchball round stands: each team's objectives by status, silent teams, who holds the ball.

    A proposed objective waits on the lead of the level above; a challenged one on its owner. Always exits 0.
    """
    if format not in STATUS_FORMATS:
        raise fail(f"unknown format {format!r}: choose one of {', '.join(STATUS_FORMATS)}")
    from catchball.check import run_check
    from catchball.status import round_status, status_document

    from catchball.cli.progress import reading_progress

    with command_errors(), reading_progress(enabled=format == "text") as progress:
        result = run_check(path, progress=progress, cache=not no_cache)
    for message in result.notes:
        note(message)
    state = round_status(result.cascade)
    if format == "json":
        buffer = io.StringIO()
        write_json(status_document(result, state), buffer)
        write_document(buffer.getvalue(), JSON)
        return
    from catchball.views.status import StatusView
    from catchball.views.terminal import print_lines

    print_lines(StatusView(result, state).lines())
