"""`catchball status`: where the catchball round stands."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from catchball.cli import replay
from catchball.cli.app import AsOfOption, NoCacheOption, PathArgument, app, as_of_option, command_errors, note
from catchball.cli.streams import write_json


def _text(result, state) -> None:
    from catchball.views.status import StatusView
    from catchball.views.terminal import print_lines, terminal_width

    print_lines(StatusView(result, state, terminal_width()).lines())


def _json(result, state) -> None:
    from catchball.status import status_document

    write_json(status_document(result, state))


STATUS_FORMATS = {"text": _text, "json": _json}


@app.command(
    epilog=(
        "Examples:\n\n"
        "  catchball status goals\n\n"
        "  catchball status --format json | jq '.ball[].label'"
    ),
)
def status(
    path: PathArgument = None,
    format: Annotated[Literal[tuple(STATUS_FORMATS)], typer.Option("--format", "-f", help="Output format.")] = "text",
    as_of: AsOfOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Show where the catchball round stands: each team's objectives by status, silent teams, who holds the ball.

    A proposed objective waits on the lead of the level above; a challenged one on its owner. Always exits 0.
    """
    day = as_of_option(as_of)
    from catchball.check import run_check
    from catchball.status import round_status

    from catchball.cli.progress import reading_progress

    replay.start(path)
    with command_errors(), reading_progress(enabled=format == "text") as progress:
        result = run_check(path, progress=progress, as_of=day, freeze=True, cache=not no_cache)
    for message in result.notes:
        note(message)
    STATUS_FORMATS[format](result, round_status(result.cascade))
    replay.finish()
