"""`catchball schema`: the JSON Schema of goals files, for editors."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from catchball.cli.app import app, command_errors, fail
from catchball.cli.streams import JSON, write_document


@app.command(
    epilog=(
        "Examples:\n\n"
        "  catchball schema > goals.schema.json\n\n"
        "  catchball schema --draft 7 --output goals.schema.json   (beside the goals folder)\n\n"
        "Then name the file in a first-line modeline of each goals file (the path is\n"
        "relative to that file: this one is for a file directly in goals/),\n\n"
        "  # yaml-language-server: $schema=../goals.schema.json\n\n"
        "or map it in VS Code's `yaml.schemas` setting (docs/editors.md)."
    ),
)
def schema(
    draft: Annotated[
        str,
        typer.Option("--draft", help="JSON Schema draft: 2020-12, or 7 for editors that support draft-07 best."),
    ] = "2020-12",
    output: Annotated[
        Optional[str], typer.Option("--output", "-o", help="Write the schema to this file (atomically) instead of stdout.")
    ] = None,
) -> None:
    """Print a JSON Schema of goals files (and catchball.yaml) so editors validate and complete them."""
    from catchball.jsonschema_export import schema_text

    try:
        text = schema_text(draft)
    except ValueError as exc:
        raise fail(str(exc)) from None
    if output is None:
        write_document(text, JSON)
        return
    from catchball.output import write_atomic

    with command_errors():
        write_atomic(output, text)
