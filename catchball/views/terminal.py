"""Printing view lines: colour on a terminal, plain text everywhere else.

On a terminal each line is wrapped to its width here, at spaces, with a
hanging indent under its own level of the tree (lines.wrap_line); rich is
told not to wrap again (soft_wrap), so the terminal never breaks an id or a
date and never starts a continuation at column 0. Piped or redirected, a
line stays one line (for grep and scripts) unless a width is given.
"""

from __future__ import annotations

import shutil
from typing import Iterable, TextIO

from rich.console import Console
from rich.text import Text

from catchball.views.lines import Line, wrap_line

BATCH = 2000  # lines per rich render: fast, and still streams on a huge cascade
MIN_WIDTH = 40  # narrower than this, wrapping would leave no room for text


def terminal_width(out: TextIO | None = None) -> int | None:
    """The width to wrap to: the terminal's when `out` is one, else None (do not wrap)."""
    console = Console(file=out)
    if not console.is_terminal:
        return None
    return max(console.width or shutil.get_terminal_size().columns, MIN_WIDTH)


def print_lines(lines: Iterable[Line], out: TextIO | None = None, width: int | None = None) -> None:
    """Print `lines` to `out`, wrapped to `width` (default: the terminal's; None off a terminal)."""
    console = Console(file=out, highlight=False, soft_wrap=True)
    if width is None and console.is_terminal:
        width = terminal_width(out)
    if not console.is_terminal or console.no_color:
        write = console.file.write
        if width is None:  # one row a line (a pipe, a file): the line's text as it is, in batches
            batch = []
            for line in lines:
                batch.append(line.text.rstrip(" "))
                if len(batch) >= BATCH:
                    batch.append("")
                    write("\n".join(batch))
                    batch = []
            if batch:
                batch.append("")
                write("\n".join(batch))
        else:
            for line in lines:
                for row in wrap_line(line, width):
                    write("".join(text for text, _ in row).rstrip(" ") + "\n")
        console.file.flush()
        return
    print_styled(console, lines, width)


def print_styled(console: Console, lines: Iterable[Line], width: int | None) -> None:
    """Print `lines` to a rich console in colour, wrapped to `width` (the tests record pictures with it)."""
    batch = Text()
    count = 0
    for line in lines:
        for row in wrap_line(line, width):
            for text, style in row:
                batch.append(text, style)
            batch.append("\n")
            count += 1
        if count >= BATCH:
            console.print(batch, end="")
            batch, count = Text(), 0
    console.print(batch, end="")
