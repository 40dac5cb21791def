"""Printing view lines: colour on a terminal, plain text everywhere else."""

from __future__ import annotations

from typing import Iterable, TextIO

from rich.console import Console
from rich.text import Text

from catchball.views.lines import Line

BATCH = 2000  # lines per rich render: fast, and still streams on a huge cascade


def print_lines(lines: Iterable[Line], out: TextIO | None = None) -> None:
    console = Console(file=out, highlight=False, soft_wrap=True)
    if not console.is_terminal or console.no_color:
        write = console.file.write
        for line in lines:
            write(line.text + "\n")
        console.file.flush()
        return
    batch = Text()
    count = 0
    for line in lines:
        batch.append("  " * line.depth)
        for text, style in line.parts:
            batch.append(text, style)
        batch.append("\n")
        count += 1
        if count == BATCH:
            console.print(batch, end="")
            batch, count = Text(), 0
    console.print(batch, end="")
