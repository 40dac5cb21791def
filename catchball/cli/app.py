"""The Typer application, its global options, and turning errors into exit code 2."""

from __future__ import annotations

import errno
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer
import typer.core
from typer.core import TyperGroup
from typer.exceptions import Abort, Exit, TyperException

from catchball import __version__

EXIT_ERROR = 2
DEBUG_VARIABLE = "CATCHBALL_DEBUG"
ISSUES_URL = "https://github.com/catchball-dev/catchball/issues"


class GatedGroup(TyperGroup):
    """The last line of defence: no command ever ends in a traceback or exits 1 for a crash.

    Exit 1 means "errors found" to a CI gate, and the recipes in docs/ci.md
    accept it, so a crash must be exit 2, the code for "could not run",
    with one line saying it is a bug in catchball (and which file was being
    read). `--debug` or CATCHBALL_DEBUG=1 adds the traceback.
    """

    def invoke(self, ctx):
        from catchball.cli import streams

        streams.prepare()
        try:
            try:
                return super().invoke(ctx)
            finally:
                # Output still buffered is written here, where a closed pipe can still be told.
                sys.stdout.flush()
        except (Exit, Abort, TyperException):  # exit codes, usage errors, Ctrl-C: typer's own
            raise
        except OSError as exc:
            if exc.errno != errno.EPIPE or exc.filename is not None:  # a pipe we were given by name is -o's
                _report_bug(exc)
                raise typer.Exit(EXIT_ERROR) from None
            streams.silence_stdout()
            raise fail(streams.BROKEN_PIPE) from None
        except Exception as exc:
            _report_bug(exc)
            raise typer.Exit(EXIT_ERROR) from None


def _report_bug(exc: BaseException) -> None:
    from catchball.errors import FileBug, file_being_read
    from catchball.findings import one_line

    file = exc.file if isinstance(exc, FileBug) else file_being_read()
    summary = str(exc) if isinstance(exc, FileBug) else f"{type(exc).__name__}: {exc}"
    where = f" while reading {file}" if file else ""
    debug = _debugging()
    hint = "" if debug else f"; run again with --debug (or {DEBUG_VARIABLE}=1) for the traceback"
    if debug:
        import traceback

        sys.stderr.write(exc.detail if isinstance(exc, FileBug) else "".join(traceback.format_exception(exc)))
    sys.stderr.write(
        one_line(f"catchball: error: internal error{where} (a bug in catchball, please report it at "
                 f"{ISSUES_URL}): {summary[:300]}{hint}") + "\n"
    )
    try:
        sys.stderr.flush()
    except OSError:
        pass


_DEBUG = {"on": False}


def _debugging() -> bool:
    return _DEBUG["on"] or os.environ.get(DEBUG_VARIABLE, "").strip() not in ("", "0")


app = typer.Typer(
    cls=GatedGroup,
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
    debug: Annotated[
        bool,
        typer.Option("--debug", help=f"On an internal error, print the traceback too (or set {DEBUG_VARIABLE}=1)."),
    ] = False,
) -> None:
    """Check and show a Hoshin Kanri strategy cascade kept as YAML."""
    _DEBUG["on"] = debug


def fail(message: str) -> typer.Exit:
    """Print one line on stderr; return the exit to raise (code 2)."""
    from catchball.findings import one_line

    # names and text from the goals or the user's files travel in messages: never raw control or bidi characters
    sys.stderr.write(f"catchball: error: {one_line(message)}\n")
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


def refuse_goals_output(output: str | None, goals, force: bool) -> None:
    """`-o` onto a goals file (or where one would be read) replaces the goals: only with --force."""
    from catchball.load.discover import YAML_SUFFIXES, printable

    real = Path(os.path.realpath(output)) if output is not None else None
    if real is not None and not force and real.name.endswith(YAML_SUFFIXES) and real.is_relative_to(os.path.realpath(goals.root)):

        raise fail(
            f"will not write {printable(output)}: it is a goals file (or would be read as one) under "
            f"{goals.display_root}; write elsewhere, or add --force to replace it"
        )


ForceOption = Annotated[
    bool, typer.Option("--force", help="Let --output replace a file in the goals root (a goals file is refused without it).")
]

NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Read every file, without the parse cache (or set CATCHBALL_NO_CACHE=1; see README, Performance).",
    ),
]

PathArgument = Annotated[
    Optional[str],
    typer.Argument(
        metavar="PATH",
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


# Help names every value in words (PATH, FILE, TEAM, text|json): an argument
# already shows its name, and Typer would add its Python type (`PATH <str>`).
if hasattr(typer.core, "TyperArgument"):
    typer.core.TyperArgument.display_type_rich = lambda self, ctx: None
