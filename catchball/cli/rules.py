"""`catchball rules`: list the rules, or explain one."""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer

from catchball.cli.app import app, command_errors, fail
from catchball.cli.streams import JSON, write_document

RULES_FORMATS = ("text", "json", "markdown")


@app.command(
    epilog=(
        "Examples:\n\n"
        "  catchball rules\n\n"
        "  catchball rules CB201\n\n"
        "  catchball rules orphan --format markdown\n\n"
        "  catchball rules --format json > rules.json"
    ),
)
def rules(
    code: Annotated[
        Optional[str], typer.Argument(help="A rule code (CB201) or name (orphan) to explain.", show_default=False)
    ] = None,
    format: Annotated[
        str, typer.Option("--format", "-f", help=f"Output format: {', '.join(RULES_FORMATS)}.")
    ] = "text",
) -> None:
    """List every rule (code, name, default severity, what it flags), or explain one."""
    if format not in RULES_FORMATS:
        raise fail(f"unknown format {format!r}: choose one of {', '.join(RULES_FORMATS)}")
    from catchball.rules import docs
    from catchball.rules.registry import all_rules

    with command_errors():
        chosen = [docs.find_rule(code)] if code is not None else list(all_rules().values())
    if format == "json":
        records = [docs.record(r) for r in chosen]
        write_document(json.dumps(records[0] if code is not None else records, indent=2, ensure_ascii=False) + "\n", JSON)
    elif format == "markdown":
        typer.echo(docs.markdown(chosen[0], level=1) if code is not None else docs.rules_page(), nl=False)
    else:
        typer.echo(docs.explanation(chosen[0]) if code is not None else docs.listing(), nl=False)
