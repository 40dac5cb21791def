"""The `catchball` command line: parse options, call the library, choose an exit code.

Only this package imports typer. Each command lives in its own module and
imports what it needs when it runs, so `catchball --help` stays quick.
"""

from __future__ import annotations

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
