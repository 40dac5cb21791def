"""`catchball trace`: line of sight for one aim or objective."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from catchball.cli import replay
from catchball.cli.app import AsOfOption, NoCacheOption, PathArgument, app, as_of_option, command_errors, fail, note
from catchball.cli.streams import write_json


def _text(result, sight) -> None:
    from catchball.views.terminal import print_lines
    from catchball.views.trace import TraceView

    print_lines(TraceView(result, sight).lines())


def _json(result, sight) -> None:
    from catchball.trace import trace_document

    write_json(trace_document(result, sight))


TRACE_FORMATS = {"text": _text, "json": _json}


@app.command(
    epilog=(
        "Examples:\n\n"
        "  catchball trace P-LH-1 goals\n\n"
        "  catchball trace TN-SAFE   (everything that supports an aim)\n\n"
        "  catchball trace W9-3 --format json | jq '.paths | length'"
    ),
)
def trace(
    goal_id: Annotated[str, typer.Argument(metavar="ID", help="The id of an aim or objective.", show_default=False)],
    path: PathArgument = None,
    format: Annotated[Literal[tuple(TRACE_FORMATS)], typer.Option("--format", "-f", help="Output format.")] = "text",
    as_of: AsOfOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Show the line of sight of an aim or objective: every path up to True North, and everything below it.

    Findings on any element shown appear in place. Exits 0, or 2 for an unknown id.
    """
    day = as_of_option(as_of)
    from catchball.check import run_check
    from catchball.spelling import did_you_mean
    from catchball.trace import line_of_sight

    from catchball.cli.progress import reading_progress

    replay.start(path)
    with command_errors(), reading_progress(enabled=format == "text") as progress:
        result = run_check(path, progress=progress, as_of=day, freeze=True, cache=not no_cache)
    goals = result.goals
    if goals.goal(goal_id) is None:
        raise fail(f"no aim or objective {goal_id!r}{_hint(goals, goal_id, did_you_mean)}")
    for message in result.notes:
        note(message)
    TRACE_FORMATS[format](result, line_of_sight(result.cascade, goal_id))
    replay.finish()


def _hint(goals, goal_id: str, did_you_mean) -> str:
    if goal_id in goals.teams:
        return f" ({goal_id} is a team: try `catchball cascade --team {goal_id}` or `catchball status`)"
    if goal_id in goals.people:
        return f" ({goal_id} is a person: trace one of their objectives)"
    return did_you_mean(goal_id, [*goals.aims, *goals.objectives])
