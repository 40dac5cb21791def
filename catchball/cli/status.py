"""`catchball status`: where the catchball round stands."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from catchball.cli.app import AsOfOption, PathArgument, app, as_of_option, command_errors, fail, note

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
    as_of: AsOfOption = None,
) -> None:
    """Show where the catchball round stands: each team's objectives by status, silent teams, who holds the ball.

    A proposed objective waits on the lead of the level above; a challenged one on its owner. Always exits 0.
    """
    if format not in STATUS_FORMATS:
        raise fail(f"unknown format {format!r}: choose one of {', '.join(STATUS_FORMATS)}")
    day = as_of_option(as_of)
    from catchball.check import run_check
    from catchball.status import round_status, status_document

    from catchball.cli.progress import reading_progress

    with command_errors(), reading_progress(enabled=format == "text") as progress:
        result = run_check(path, progress=progress, as_of=day)
    for message in result.notes:
        note(message)
    state = round_status(result.cascade)
    if format == "json":
        json.dump(status_document(result, state), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    from catchball.views.status import StatusView
    from catchball.views.terminal import print_lines

    print_lines(StatusView(result, state).lines())
