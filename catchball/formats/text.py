"""`--format text`: findings grouped by file, for people at a terminal.

Colour only on a terminal (rich decides; NO_COLOR is respected). One line
per finding: a line break in a message (a key written with "\\n") becomes a
space, so it cannot split a finding or fake a line of its own.
"""

from __future__ import annotations

from itertools import groupby
from typing import TextIO

from rich.console import Console
from rich.markup import escape

from catchball.findings import SEVERITY_STYLE, one_line
from catchball.metrics import scope_text, severity_counts

BATCH = 1000  # lines per rich print


def emit(result, out: TextIO) -> None:
    console = Console(file=out, highlight=False, soft_wrap=True)
    findings = result.findings
    lines = []
    for file, group in groupby(findings, key=lambda f: f.file):
        lines.append(f"[bold]{escape(file or '(repository)')}[/]")
        for f in group:
            where = f.where() or "-"
            style = SEVERITY_STYLE[f.severity]
            lines.append(f"  {escape(where)} [{style}]{f.code}[/] {escape(one_line(f.message))} [dim]({f.name})[/]")
        lines.append("")
    s = result.summary()
    counts = severity_counts(s['errors'], s['warnings'], s['infos'])
    scope = scope_text(s)
    if not findings:
        lines.append(f"[green]No findings.[/] Checked {scope}.")
    else:
        worst = "bold red" if s["errors"] else "yellow" if s["warnings"] else "cyan"
        lines.append(f"[{worst}]{counts}[/] in {scope}.")
    # In batches: one print per line costs 0.3 ms each, one print of a
    # national-scale report holds every rendered segment in memory at once.
    for start in range(0, len(lines), BATCH):
        console.print(*lines[start : start + BATCH], sep="\n")
