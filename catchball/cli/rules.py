"""`catchball rules`: list the rules, or explain one."""

from __future__ import annotations

import json
from typing import Annotated, Literal, Optional

import typer

from catchball.cli.app import app, command_errors
from catchball.cli.streams import JSON, write_document


def _text(chosen, one: bool) -> str:
    from catchball.rules import docs

    return docs.explanation(chosen[0]) if one else docs.listing()


def _json(chosen, one: bool) -> str:
    from catchball.rules import docs

    records = [docs.record(r) for r in chosen]
    return json.dumps(records[0] if one else records, indent=2, ensure_ascii=False) + "\n"


def _markdown(chosen, one: bool) -> str:
    from catchball.rules import docs

    return docs.markdown(chosen[0], level=1) if one else docs.rules_page()


RULES_FORMATS = {"text": _text, "json": _json, "markdown": _markdown}


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
        Optional[str], typer.Argument(metavar="RULE", help="A rule code (CB201) or name (orphan) to explain.", show_default=False)
    ] = None,
    format: Annotated[Literal[tuple(RULES_FORMATS)], typer.Option("--format", "-f", help="Output format.")] = "text",
) -> None:
    """List every rule (code, name, default severity, what it flags), or explain one."""
    from catchball.rules import docs
    from catchball.rules.registry import all_rules

    with command_errors():
        chosen = [docs.find_rule(code)] if code is not None else list(all_rules().values())
    text = RULES_FORMATS[format](chosen, code is not None)
    if format == "json":
        write_document(text, JSON)  # valid JSON on a stdout that is not UTF-8, too
    else:
        typer.echo(text, nl=False)
