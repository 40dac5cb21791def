"""A progress bar on stderr while a large goals repository is read.

Shown only when stderr is a terminal and the run reads more than
MIN_FILES files, and never for machine formats: logs, pipes and CI stay
clean. The bar is transient (it disappears when reading is done) and is
redrawn from the loader's own callback, at most ten times a second, with no
refresh thread of its own (the loader may fork worker processes).
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Callable, Iterator, Optional

MIN_FILES = 200
REDRAW_SECONDS = 0.1

Progress = Callable[[int, int], None]


@contextmanager
def reading_progress(enabled: bool = True, console=None) -> Iterator[Optional[Progress]]:
    """A callback for run_check(progress=...), or None when no bar should be shown.

    `console` (a rich Console on stderr) is for tests; by default one is made
    only when stderr is a terminal, so rich is not even imported otherwise.
    """
    if not enabled:
        yield None
        return
    if console is None:
        import sys

        if not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty()):
            yield None
            return
        from rich.console import Console

        from catchball.cli.replay import unrecorded

        console = Console(file=unrecorded(sys.stderr))  # a bar is for the run that reads: never played back
    if not console.is_terminal:
        yield None
        return
    bar = _Bar(console)
    try:
        yield bar.update
    finally:
        bar.close()


class _Bar:
    def __init__(self, console) -> None:
        self.console = console
        self.progress = None
        self.task = None
        self.drawn_at = 0.0

    def update(self, done: int, total: int) -> None:
        if total <= MIN_FILES:
            return
        if self.progress is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.progress = Progress(
                TextColumn("reading goals"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=self.console,
                transient=True,
                auto_refresh=False,
            )
            self.progress.start()
            self.task = self.progress.add_task("read", total=total)
        now = time.monotonic()
        self.progress.update(self.task, completed=done)
        if done == total or now - self.drawn_at >= REDRAW_SECONDS:
            self.drawn_at = now
            self.progress.refresh()

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
