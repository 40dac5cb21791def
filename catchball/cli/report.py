"""`catchball report`: the alignment report as Markdown."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated, Literal, Optional

import typer

from catchball.cli import replay
from catchball.cli.app import (
    AsOfOption,
    ForceOption,
    NoCacheOption,
    PathArgument,
    app,
    as_of_option,
    command_errors,
    fail,
    note,
    refuse_goals_output,
)


REPORT_FORMATS = ("markdown", "html")  # catchball.report.FORMATS: our template for each


@app.command(
    epilog=(
        "Examples:\n\n"
        "  catchball report goals -o alignment.md\n\n"
        "  catchball report --team surgery --no-people -o surgery-pack.md\n\n"
        "  catchball report --format html -o board.html   (the board pack: print it, or open it)\n\n"
        "  catchball report --section xmatrix\n\n"
        "  catchball report --template board.md.j2 goals\n\n"
        '  catchball report >> "$GITHUB_STEP_SUMMARY"   (in a GitHub Actions step)'
    ),
)
def report(
    path: PathArgument = None,
    output: Annotated[
        Optional[str],
        typer.Option("--output", "-o", metavar="FILE", help="Write the report to this file (atomically) instead of stdout."),
    ] = None,
    team: Annotated[
        Optional[str],
        typer.Option("--team", metavar="TEAM", help="A team pack: this team's branch only, each objective traced up and down."),
    ] = None,
    template: Annotated[
        Optional[str],
        typer.Option("--template", metavar="FILE", help="Render your own Jinja2 template file (sandboxed; see docs/templates.md)."),
    ] = None,
    no_people: Annotated[
        bool, typer.Option("--no-people", help="Leave out individual objectives and people's names.")
    ] = False,
    format: Annotated[
        Literal[REPORT_FORMATS],
        typer.Option(
            "--format", "-f", help="markdown (GitHub, GitLab) or html (the board pack: one file, printable on A4)."
        ),
    ] = "markdown",
    section: Annotated[
        Optional[str],
        typer.Option(
            "--section",
            metavar="SECTION",
            help="Print one section alone: headline, aims, xmatrix, matrix (coverage), status, findings, ...",
        ),
    ] = None,
    date: Annotated[
        Optional[str],
        typer.Option(
            "--date",
            metavar="DATE",
            help="The date printed on the report, YYYY-MM-DD. Default: --as-of, else SOURCE_DATE_EPOCH, else today.",
        ),
    ] = None,
    as_of: AsOfOption = None,
    force: ForceOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Write the board report: headline, each aim with its measures, line of sight and diagram, gaps, coverage,
    X-matrix, catchball status, and the findings in an appendix.

    Markdown for GitHub and GitLab, or with --format html the board pack: one self-contained file, no
    JavaScript, a page per aim when printed on A4. Always exits 0 when it could be written.
    """
    report_day = None
    if date is not None:
        try:
            report_day = dt.date.fromisoformat(date)
        except ValueError:
            raise fail(f"--date must be a date like 2027-03-31, not {date!r}") from None
    day = as_of_option(as_of)
    if report_day is None and as_of is not None:
        report_day = day  # a report as of a day is dated that day
    from catchball.check import hold_until_exit, run_check
    from catchball.output import write_atomic
    from catchball.report import ReportOptions, build_context, chart_files, render_report

    from catchball.cli.progress import reading_progress

    if output is None:  # charts and a file written beside the goals are never played back
        replay.start(path, template, revision=True)
    with command_errors(), reading_progress() as progress:
        result = run_check(path, progress=progress, as_of=day, freeze=True, cache=not no_cache)
        refuse_goals_output(output, result.goals, force)
        for message in result.notes:
            note(message)
        # A Markdown report written to a file links SVG charts written beside it (report-charts/
        # for report.md), which GitHub shows; on stdout, and in the HTML pack, they are inline.
        charts = f"{Path(output).stem}-charts" if output is not None and format == "markdown" else None
        options = ReportOptions(team=team, people=not no_people, date=report_day, section=section, chart_folder=charts)
        context = build_context(result, options)
        text = render_report(context, template, format=format, section=section)
        hold_until_exit(context, text)  # freed by the system at exit, not object by object (check.py)
        if output is None:
            sys.stdout.write(text)
            replay.finish()
        else:
            folder = Path(output).parent
            for relative, svg in chart_files(context).items():
                (folder / relative).parent.mkdir(parents=True, exist_ok=True)
                write_atomic(folder / relative, svg)
            write_atomic(output, text)
