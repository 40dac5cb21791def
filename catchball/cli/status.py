"""`catchball status`: where the catchball round stands."""

from __future__ import annotations

from typing import Annotated, Literal, Optional

import typer

from catchball.cli import replay
from catchball.cli.app import AsOfOption, NoCacheOption, PathArgument, app, as_of_option, command_errors, fail, note
from catchball.cli.streams import write_json


def _text(result, state, depth: int | None, team: str | None) -> None:
    from catchball.views.status import StatusView
    from catchball.views.terminal import print_lines, terminal_width

    print_lines(StatusView(result, state, terminal_width(), depth).lines())


def _json(result, state, depth: int | None, team: str | None) -> None:
    from catchball.status import status_document

    write_json(status_document(result, state, depth, team))


STATUS_FORMATS = {"text": _text, "json": _json}


@app.command(
    epilog=(
        "Examples:\n\n"
        "  catchball status goals\n\n"
        "  catchball status --depth 2\n\n"
        "  catchball status --team surgery\n\n"
        "  catchball status --format json | jq '.ball[].label'"
    ),
)
def status(
    path: PathArgument = None,
    team: Annotated[Optional[str], typer.Option("--team", metavar="TEAM", help="Only this team's branch of the org tree.")] = None,
    depth: Annotated[
        Optional[int],
        typer.Option(
            "--depth", metavar="LEVELS", min=0,
            help="Levels of teams to list below the top (or below --team); each team on the last counts the teams below it.",
        ),
    ] = None,
    format: Annotated[Literal[tuple(STATUS_FORMATS)], typer.Option("--format", "-f", help="Output format.")] = "text",
    as_of: AsOfOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Show where the catchball round stands: each team's objectives by status, silent teams, who holds the ball.

    A proposed objective waits on the lead of the level above; a challenged one on its owner. Always exits 0.
    """
    day = as_of_option(as_of)
    from catchball.check import run_check
    from catchball.spelling import did_you_mean
    from catchball.status import round_status

    from catchball.cli.progress import reading_progress

    replay.start(path)
    with command_errors(), reading_progress(enabled=format == "text") as progress:
        result = run_check(path, progress=progress, as_of=day, freeze=True, cache=not no_cache)
    cascade = result.cascade
    if team is not None and team not in result.goals.teams:
        raise fail(f"no team {team!r}{did_you_mean(team, result.goals.teams)}")
    for message in result.notes:
        note(message)
    state = round_status(cascade, cascade.branch(team) if team is not None else None)
    STATUS_FORMATS[format](result, state, depth, team)
    replay.finish()
