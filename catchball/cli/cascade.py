"""`catchball cascade`: the main view."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from catchball.cli import replay
from catchball.cli.app import AsOfOption, NoCacheOption, PathArgument, app, as_of_option, command_errors, fail, note


@app.command(
    epilog=(
        "Examples:\n\n"
        "  catchball cascade goals\n\n"
        "  catchball cascade --aim TN-SAFE --depth 2\n\n"
        "  catchball cascade --team surgery --no-people"
    ),
)
def cascade(
    path: PathArgument = None,
    aim: Annotated[Optional[str], typer.Option("--aim", metavar="AIM", help="Show only this True North aim.")] = None,
    team: Annotated[Optional[str], typer.Option("--team", metavar="TEAM", help="Show only this team's branch of the org tree.")] = None,
    depth: Annotated[
        Optional[int],
        typer.Option(
            "--depth",
            metavar="LEVELS",
            min=1,
            help="Levels of objectives to show below each aim (with --team, levels of that branch: "
            "the objectives above it are always shown).",
        ),
    ] = None,
    no_people: Annotated[bool, typer.Option("--no-people", help="Leave out individual objectives.")] = False,
    as_of: AsOfOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Show the cascade aim by aim down the org tree, with every problem where it sits. Always exits 0."""
    day = as_of_option(as_of)
    from catchball.check import run_check
    from catchball.spelling import did_you_mean
    from catchball.views.cascade import CascadeOptions, CascadeView
    from catchball.views.terminal import print_lines

    from catchball.cli.progress import reading_progress

    replay.start(path)
    with command_errors(), reading_progress() as progress:
        result = run_check(path, progress=progress, as_of=day, freeze=True, cache=not no_cache)
    goals = result.goals
    if aim is not None and aim not in goals.aims:
        raise fail(f"no aim {aim!r}{did_you_mean(aim, goals.aims)}")
    if team is not None and team not in goals.teams:
        raise fail(f"no team {team!r}{did_you_mean(team, goals.teams)}")
    for message in result.notes:
        note(message)
    options = CascadeOptions(aim=aim, team=team, depth=depth, people=not no_people)
    print_lines(CascadeView(result, options).lines())
    replay.finish()
