"""`--format text`: findings grouped by file, for people at a terminal.

Colour only on a terminal (rich decides; NO_COLOR is respected).
"""

from __future__ import annotations

from itertools import groupby
from typing import TextIO

from rich.console import Console
from rich.markup import escape

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def emit(result, out: TextIO) -> None:
    console = Console(file=out, highlight=False, soft_wrap=True)
    findings = result.findings
    for file, group in groupby(findings, key=lambda f: f.file):
        console.print(f"[bold]{escape(file or '(repository)')}[/]")
        for f in group:
            where = f"{f.file}:{f.line}:{f.column}" if f.file else "-"
            style = STYLE[f.severity]
            console.print(f"  {escape(where)} [{style}]{f.code}[/] {escape(f.message)} [dim]({f.name})[/]")
        console.print()
    s = result.summary()
    counts = f"{s['errors']} errors, {s['warnings']} warnings, {s['infos']} infos"
    scope = f"{s['files']} files, {s['aims']} aims, {s['teams']} teams, {s['people']} people, {s['objectives']} objectives"
    if not findings:
        console.print(f"[green]No findings.[/] Checked {scope}.")
    else:
        worst = "bold red" if s["errors"] else "yellow" if s["warnings"] else "cyan"
        console.print(f"[{worst}]{counts}[/] in {scope}.")
