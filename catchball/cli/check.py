"""`catchball check`: the CI gate."""

from __future__ import annotations

import io
import sys
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
    split_words,
)
from catchball.cli.streams import JSON, TEXT, XML, write_document
from catchball.formats import FORMAT_NAMES, emitter

CheckFormat = Literal[FORMAT_NAMES]  # click checks the value and lists the choices in --help

# How characters a non-UTF-8 stdout cannot hold are escaped, format by format.
DOCUMENT_KINDS = {"json": JSON, "sarif": JSON, "gitlab": JSON, "junit": XML}


@app.command(
    epilog=(
        "Examples:\n\n"
        "  catchball check goals\n\n"
        "  catchball check --format json goals > findings.json\n\n"
        "  catchball check --select CB2 --ignore CB206 --strict\n\n"
        "  catchball check --format github   (in a GitHub Actions step)\n\n"
        "  catchball check --format sarif --output catchball.sarif goals   (text to the log, SARIF to the file)\n\n"
        "  catchball check --diff origin/main --new-only goals   (fail only on what this change introduces)"
    ),
)
def check(
    path: PathArgument = None,
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = "text",
    select: Annotated[
        Optional[list[str]],
        typer.Option(
            "--select", metavar="RULES", help="Only these rules: codes, names or prefixes (CB2), comma-separated or repeated."
        ),
    ] = None,
    ignore: Annotated[
        Optional[list[str]],
        typer.Option(
            "--ignore", metavar="RULES", help="Skip these rules: codes, names or prefixes, comma-separated or repeated."
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings too, not only on errors.")] = False,
    output: Annotated[
        Optional[str],
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the output to this file (atomically) instead of stdout; the text report then goes to stderr.",
        ),
    ] = None,
    diff: Annotated[
        Optional[str],
        typer.Option(
            "--diff",
            metavar="REV",
            help="Also check the goals as they were at git revision REV; report the findings this change "
            "introduces and resolves, and the strategy drift.",
        ),
    ] = None,
    new_only: Annotated[
        bool,
        typer.Option("--new-only", help="With --diff: report and fail only on findings the change introduces."),
    ] = False,
    as_of: AsOfOption = None,
    force: ForceOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Check a goals repository against every rule; exit 0 clean, 1 with errors, 2 when it cannot run."""
    if new_only and diff is None:
        raise fail("--new-only needs --diff REV (the revision to compare with)")
    day = as_of_option(as_of)
    from catchball.output import write_atomic

    from catchball.cli.progress import reading_progress

    if diff is None and output is None:  # a run that writes a file or asks git is never played back
        replay.start(path)
    with command_errors():
        if diff is None:
            from catchball.check import run_check

            # A bar for people only: machine formats go to tools and logs.
            with reading_progress(enabled=format == "text") as progress:
                result = run_check(
                    path, select=split_words(select), ignore=split_words(ignore), progress=progress, as_of=day,
                    freeze=True, cache=not no_cache, incremental=True,
                )
        else:
            from catchball.diff import run_diff

            result = run_diff(
                path, diff, select=split_words(select), ignore=split_words(ignore), new_only=new_only, as_of=day,
                cache=not no_cache,
            )
        result.strict = strict
        refuse_goals_output(output, result.goals, force)
        for message in result.notes:
            note(message)
        buffer = io.StringIO()
        emitter(format)(result, buffer)
        if output is None:
            write_document(buffer.getvalue(), DOCUMENT_KINDS.get(format, TEXT))
        else:
            write_atomic(output, buffer.getvalue())
            if format != "text":
                # One run gives both: the file for the tool, the text for whoever reads the log.
                emitter("text")(result, sys.stderr)
    replay.finish()
    raise typer.Exit(result.exit_code())
