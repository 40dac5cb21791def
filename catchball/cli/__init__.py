"""The `catchball` command line: parse options, call the library, choose an exit code.

Only this package imports typer. Each command lives in its own module and
imports what it needs when it runs, so `catchball --help` stays quick.
"""

from __future__ import annotations

import os
import sys

from catchball import __version__


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        # Answered before typer is imported (0.1 s of the 0.13 s it took):
        # scripts and installers ask for the version on every run.
        print(f"catchball {__version__}")
        return
    from catchball.cli import replay

    replay.run(sys.argv[1:], lambda: _app()(prog_name="catchball"))


def entry() -> None:
    """The `catchball` program: main(), then the process ends without freeing what it loaded.

    Python frees every object at exit, one by one: a tenth of a second for
    a large trust's goals (about 5% of a cold check at 20,000 staff), spent
    on memory the system takes back at once. So once the output is flushed
    the process ends at once (os._exit), as mypy does, unless a profiler or
    coverage tool is watching, which writes what it saw at exit. Nothing is lost: the
    cache database commits each write as it is made, and every file is
    written (atomically) before the command returns. main() itself returns
    as usual, for whoever calls it from Python.
    """
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = _exit_status(exc.code)
    try:
        sys.stdout.flush()
    except (OSError, ValueError):  # the reader went away before the last of the output (`| head`)
        from catchball.cli import streams

        streams.silence_stdout()
        sys.stderr.write(f"catchball: error: {streams.BROKEN_PIPE}\n")
        code = 2
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    if _watched():
        sys.exit(code)  # a profiler or coverage writes what it saw at exit: let it
    os._exit(code)


def _watched() -> bool:
    """Whether a profiler, debugger or coverage tool runs in this process (it works at the normal exit)."""
    return sys.gettrace() is not None or sys.getprofile() is not None or "coverage" in sys.modules


def _exit_status(code) -> int:
    """The status Python gives for SystemExit(code): 0 for None, the number, else 1 after printing it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    try:
        sys.stderr.write(f"{code}\n")
    except (OSError, ValueError):
        pass
    return 1


def _app():
    from catchball.cli.app import app
    from catchball.cli import capability, check, cascade, init, measures, report, rules, schema, status, trace, workbook  # noqa: F401  (they register their commands)

    # Importing the submodule `app` set this package's `app` to the module;
    # the name means the Typer app, as it did when it was imported eagerly.
    globals()["app"] = app
    return app


def __getattr__(name: str):
    # `from catchball.cli import app` (the tests, and anyone embedding the
    # CLI) gets the app with every command registered.
    if name == "app":
        return _app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
