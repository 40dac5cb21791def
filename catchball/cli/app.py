"""The Typer application, its global options, and turning errors into exit code 2."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Annotated, Iterator, Optional

import typer

from catchball import __version__

EXIT_ERROR = 2

app = typer.Typer(
    name="catchball",
    help=(
        "Check and show a Hoshin Kanri strategy cascade kept as YAML.\n\n"
        "True North aims, the org tree and every team's and person's objectives live in a "
        "goals repository; catchball checks that each objective has a line of sight to a "
        "board aim and shows where the cascade is broken.\n\n"
        "Examples:\n\n"
        "\b\n"
        "  catchball cascade goals                 the cascade, aim by aim\n"
        "  catchball check goals                   the CI gate (exit 1 on errors)\n"
        "  catchball init my-trust/goals           start a goals repository\n"
        "  catchball report goals -o alignment.md  a board report in Markdown\n"
        "  catchball trace P-LH-1 goals            one objective's line of sight\n"
        "  catchball status goals                  where the catchball round stands\n"
        "  catchball capability goals              improvement skills against the aims\n"
        "  catchball rules CB201                   explain a rule\n"
        "  catchball schema > goals.schema.json    a JSON Schema for editors\n"
        "  catchball export --team ed -o ed.xlsx   a team's catchball pack (a workbook)\n"
        "  catchball import ed.xlsx goals          read it back, checked row by row"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"catchball {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        Optional[bool],
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = None,
) -> None:
    """Check and show a Hoshin Kanri strategy cascade kept as YAML."""


def fail(message: str) -> typer.Exit:
    """Print one line on stderr; return the exit to raise (code 2)."""
    sys.stderr.write(f"catchball: error: {message}\n")
    return typer.Exit(EXIT_ERROR)


@contextmanager
def command_errors() -> Iterator[None]:
    """Turn CatchballError into one stderr line and exit code 2."""
    from catchball.errors import CatchballError

    try:
        yield
    except CatchballError as exc:
        raise fail(str(exc)) from None


def split_words(values: Optional[list[str]]) -> list[str]:
    """Options given as `--ignore CB2 --ignore CB402,orphan` -> one list of words."""
    words = []
    for value in values or []:
        words.extend(w.strip() for w in value.split(",") if w.strip())
    return words


def note(message: str) -> None:
    """A human note on stderr (never mixed into machine output)."""
    sys.stderr.write(f"catchball: {message}\n")


PathArgument = Annotated[
    Optional[str],
    typer.Argument(
        help="The goals root folder. Default: the nearest folder at or above here with catchball.yaml, else ./goals.",
        show_default=False,
    ),
]


AsOfOption = Annotated[
    Optional[str],
    typer.Option(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="Judge the calendar (overdue objectives, stale data) as on this day. "
        "Default: SOURCE_DATE_EPOCH's day, else today.",
        show_default=False,
    ),
]


def as_of_option(text: Optional[str]):
    """The --as-of day (a date), or exit 2 with one line when it is not a date."""
    from catchball.asof import as_of_day
    from catchball.errors import CatchballError

    try:
        return as_of_day(text)
    except CatchballError as exc:
        raise fail(str(exc)) from None
