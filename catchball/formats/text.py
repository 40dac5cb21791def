"""`--format text`: findings grouped by file, for people at a terminal.

Colour only on a terminal (rich decides; NO_COLOR is respected). One line
per finding: a line break in a message (a key written with "\\n") becomes a
space, so it cannot split a finding or fake a line of its own.
"""

from __future__ import annotations

from itertools import groupby
from typing import TextIO

from rich.console import Console
from rich.control import strip_control_codes
from rich.text import Text

from catchball.findings import SEVERITY_STYLE, one_line
from catchball.metrics import scope_text, severity_counts

BATCH = 1000  # lines per rich print


def emit(result, out: TextIO) -> None:
    # emoji=False: a message quoting `:fire:` from the goals is shown as written.
    console = Console(file=out, highlight=False, soft_wrap=True, emoji=False)
    lines = list(_lines(result))
    if console.color_system is None:
        # No colour system (a pipe, a file, a CI log): rich would print the text
        # without its styles, at about 0.1 ms a line, a second for a large
        # trust's findings. The same characters, written directly.
        for start in range(0, len(lines), BATCH):
            out.write("".join(_plain(console, parts) for parts in lines[start : start + BATCH]))
        return
    # In batches: one print per line costs 0.3 ms each, one print of a
    # national-scale report holds every rendered segment in memory at once.
    for start in range(0, len(lines), BATCH):
        console.print(*(Text.assemble(*parts) for parts in lines[start : start + BATCH]), sep="\n")


def _lines(result):
    """Each line of the output as (text, style) parts: styled Text, never markup to parse."""
    findings = result.findings
    for file, group in groupby(findings, key=lambda f: f.file):
        yield ((file or "(repository)", "bold"),)
        for f in group:
            yield (
                (f"  {f.where() or '-'} ", ""),
                (f.code, SEVERITY_STYLE[f.severity]),
                (f" {one_line(f.message)} ", ""),
                (f"({f.name})", "dim"),
            )
        yield ()
    s = result.summary()
    counts = severity_counts(s['errors'], s['warnings'], s['infos'])
    scope = scope_text(s)
    if not findings:
        yield ("No findings.", "green"), (f" Checked {scope}.", "")
    else:
        worst = "bold red" if s["errors"] else "yellow" if s["warnings"] else "cyan"
        yield (counts, worst), (f" in {scope}.", "")


def _plain(console: Console, parts) -> str:
    """One line as rich prints it without colour: control codes dropped, tabs expanded by rich."""
    text = "".join(piece for piece, _ in parts)
    if "\t" in text:  # tab stops count cells, as rich measures them
        with console.capture() as captured:
            console.print(Text.assemble(*parts))
        return captured.get()
    return strip_control_codes(text) + "\n"
