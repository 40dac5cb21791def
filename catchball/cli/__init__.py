"""The `catchball` command line: parse options, call the library, choose an exit code.

Only this package imports typer. Each command lives in its own module and
imports what it needs when it runs, so `catchball --help` stays quick.
"""

from __future__ import annotations

from catchball.cli.app import app
from catchball.cli import capability, check, cascade, init, measures, report, rules, schema, status, trace, workbook  # noqa: F401  (they register their commands)


def main() -> None:
    app(prog_name="catchball")
