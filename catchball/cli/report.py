"""`catchball report`: the alignment report as Markdown."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated, Optional

import typer

from catchball.cli.app import NoCacheOption, ForceOption, PathArgument, app, command_errors, fail, note, refuse_goals_output


@app.command(
    epilog=(
        "Examples:\n\n"
        "  catchball report goals -o alignment.md\n\n"
        "  catchball report --team surgery --no-people -o surgery-pack.md\n\n"
        "  catchball report --template board.md.j2 goals\n\n"
        '  catchball report >> "$GITHUB_STEP_SUMMARY"   (in a GitHub Actions step)'
    ),
)
def report(
    path: PathArgument = None,
    output: Annotated[
        Optional[str], typer.Option("--output", "-o", help="Write the report to this file (atomically) instead of stdout.")
    ] = None,
    team: Annotated[
        Optional[str],
        typer.Option("--team", help="A team pack: this team's branch only, each objective traced up and down."),
    ] = None,
    template: Annotated[
        Optional[str],
        typer.Option("--template", help="Render your own Jinja2 template file (sandboxed; see docs/templates.md)."),
    ] = None,
    no_people: Annotated[
        bool, typer.Option("--no-people", help="Leave out individual objectives and people's names.")
    ] = False,
    date: Annotated[
        Optional[str],
        typer.Option("--date", help="The date printed on the report, YYYY-MM-DD. Default: SOURCE_DATE_EPOCH, else today."),
    ] = None,
    force: ForceOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Write the alignment report as Markdown: headline, aims, coverage, cascade diagram, status, findings, orphans.

    Readable on GitHub and GitLab and printable as a board paper. Always exits 0 when it could be written.
    """
    report_day = None
    if date is not None:
        try:
            report_day = dt.date.fromisoformat(date)
        except ValueError:
            raise fail(f"--date must be a date like 2027-03-31, not {date!r}") from None
    from catchball.check import run_check
    from catchball.output import write_atomic
    from catchball.report import ReportOptions, build_context, render_report

    from catchball.cli.progress import reading_progress

    with command_errors(), reading_progress() as progress:
        result = run_check(path, progress=progress, cache=not no_cache)
        refuse_goals_output(output, result.goals, force)
        for message in result.notes:
            note(message)
        options = ReportOptions(team=team, people=not no_people, date=report_day)
        text = render_report(build_context(result, options), template)
        if output is None:
            sys.stdout.write(text)
        else:
            write_atomic(output, text)
