"""`catchball capability`: the skills escalator per team, and expertise against the aims."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Literal, Optional

import typer

from catchball.cli import replay
from catchball.cli.app import AsOfOption, NoCacheOption, PathArgument, app, as_of_option, command_errors, fail, note
from catchball.cli.streams import write_json


def _text(result, found, people: bool) -> None:
    from catchball.views.capability import CapabilityView
    from catchball.views.terminal import print_lines

    print_lines(CapabilityView(result, found, people=people).lines())


def _json(result, found, people: bool) -> None:
    from catchball.capability import capability_document

    write_json(capability_document(result, found, people=people))  # valid JSON on a stdout that is not UTF-8, too


CAPABILITY_FORMATS = {"text": _text, "json": _json}


@app.command(
    epilog=(
        "Examples:\n\n"
        "  catchball capability goals\n\n"
        "  catchball capability --depth 1 --no-people\n\n"
        "  catchball capability --team surgery --format json | jq '.aims[].covered_share'"
    ),
)
def capability(
    path: PathArgument = None,
    team: Annotated[Optional[str], typer.Option("--team", metavar="TEAM", help="Only this team's branch of the org tree.")] = None,
    depth: Annotated[
        Optional[int],
        typer.Option("--depth", metavar="LEVELS", min=0, help="Levels of teams to show below the root (or below --team)."),
    ] = None,
    no_people: Annotated[
        bool,
        typer.Option("--no-people", help="Name nobody: counts only (individual levels are personal data)."),
    ] = False,
    format: Annotated[Literal[tuple(CAPABILITY_FORMATS)], typer.Option("--format", "-f", help="Output format.")] = "text",
    as_of: AsOfOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Show improvement capability: per team, the people at or above each level of the skills escalator
    against catchball.yaml's targets, and the expertise in each aim's cascade. Always exits 0.
    """
    day = as_of_option(as_of)
    from catchball.capability import capability_of
    from catchball.check import run_check
    from catchball.spelling import did_you_mean

    from catchball.cli.progress import reading_progress

    replay.start(path)
    with command_errors(), reading_progress(enabled=format == "text") as progress:
        # CB701 and CB702 would compute what this command computes below, and
        # it shows no findings: leave them out rather than do the work twice.
        result = run_check(path, ignore=("CB7",), progress=progress, as_of=day, freeze=True, cache=not no_cache)
    goals = result.goals
    if team is not None and team not in goals.teams:
        raise fail(f"no team {team!r}{did_you_mean(team, goals.teams)}")
    for message in result.notes:
        note(message)
    found = capability_of(result.cascade, team)
    if depth is not None and found.teams:
        top = found.teams[0].depth
        found = dataclasses.replace(found, teams=tuple(t for t in found.teams if t.depth - top <= depth))
    CAPABILITY_FORMATS[format](result, found, not no_people)
    replay.finish()
