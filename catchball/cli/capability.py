"""`catchball capability`: the skills escalator per team, and expertise against the aims."""

from __future__ import annotations

import dataclasses
import json
import sys
from typing import Annotated, Optional

import typer

from catchball.cli.app import PathArgument, app, command_errors, fail, note

CAPABILITY_FORMATS = ("text", "json")


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
    team: Annotated[Optional[str], typer.Option("--team", help="Only this team's branch of the org tree.")] = None,
    depth: Annotated[
        Optional[int],
        typer.Option("--depth", min=0, help="Levels of teams to show below the root (or below --team)."),
    ] = None,
    no_people: Annotated[
        bool,
        typer.Option("--no-people", help="Name nobody: counts only (individual levels are personal data)."),
    ] = False,
    format: Annotated[str, typer.Option("--format", "-f", help="Output format: text or json.")] = "text",
) -> None:
    """Show improvement capability: per team, the people at or above each level of the skills escalator
    against catchball.yaml's targets, and the expertise in each aim's cascade. Always exits 0.
    """
    if format not in CAPABILITY_FORMATS:
        raise fail(f"unknown format {format!r}: choose one of {', '.join(CAPABILITY_FORMATS)}")
    from catchball.capability import capability_document, capability_of
    from catchball.check import run_check
    from catchball.spelling import did_you_mean

    from catchball.cli.progress import reading_progress

    with command_errors(), reading_progress(enabled=format == "text") as progress:
        # CB701 and CB702 would compute what this command computes below, and
        # it shows no findings: leave them out rather than do the work twice.
        result = run_check(path, ignore=("CB7",), progress=progress)
    goals = result.goals
    if team is not None and team not in goals.teams:
        raise fail(f"no team {team!r}{did_you_mean(team, goals.teams)}")
    for message in result.notes:
        note(message)
    found = capability_of(result.cascade, team)
    if depth is not None and found.teams:
        top = found.teams[0].depth
        found = dataclasses.replace(found, teams=tuple(t for t in found.teams if t.depth - top <= depth))
    if format == "json":
        json.dump(capability_document(result, found, people=not no_people), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    from catchball.views.capability import CapabilityView
    from catchball.views.terminal import print_lines

    print_lines(CapabilityView(result, found, people=not no_people).lines())
