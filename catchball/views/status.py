"""`catchball status`: where the catchball round stands, team by team, and who holds the ball."""

from __future__ import annotations

from typing import Iterator

from catchball.model import CHALLENGED, PROPOSED
from catchball.status import STATUSES, RoundStatus, holder_label
from catchball.views.lines import STATUS_STYLE, WARN, Line, organisation_line

NAME_WIDTH = 56  # the team column never grows past this; longer names are cut with …
COLUMN = 12  # width of each count column
NARROW_COLUMN = 8  # on a narrow terminal (under 80 columns), with the short headings below
SHORT = {"proposed": "prop.", "challenged": "chall."}  # the long headings, in a narrow column
MIN_NAME = 14  # the team column is never narrower, even if the row then wraps
UNPLACED = "(team unknown)"


class StatusView:
    def __init__(self, result, status: RoundStatus, width: int | None = None) -> None:
        """`width`: the terminal's, so each table row fits on one line (None: no limit)."""
        self.width = width
        wide_enough = width is None or width >= NAME_WIDTH // 2 + len(STATUSES) * COLUMN
        self.column = COLUMN if wide_enough else NARROW_COLUMN
        self.result = result
        self.goals = result.goals
        self.status = status

    def lines(self) -> Iterator[Line]:
        yield from self.title()
        yield from self.table()
        yield from self.silent()
        yield from self.ball()

    def title(self) -> Iterator[Line]:
        yield organisation_line(self.goals.settings, "Catchball status")
        yield Line(0).add(f"Catchball status ({self.goals.display_root})", "dim")
        yield Line(0)

    # -- the table -------------------------------------------------------------

    def labels(self) -> list[str]:
        return ["  " * t.depth + f"{t.name or t.id} ({t.id})" for t in self.status.teams]

    def table(self) -> Iterator[Line]:
        labels = self.labels()
        width = min(max([len(label) for label in labels] + [len("Team"), len(UNPLACED)]), NAME_WIDTH)
        if self.width is not None:
            width = max(min(width, self.width - len(STATUSES) * self.column), MIN_NAME)
        header = Line(0).add("Team".ljust(width), "bold")
        for status in STATUSES:
            heading = status if self.column == COLUMN else SHORT.get(status, status)
            header.add(heading.rjust(self.column), "bold")
        yield header
        silent = {t.id for t in self.status.silent()}
        for label, team in zip(labels, self.status.teams):
            line = self.row(_cut(label, width), team.total)
            if team.id in silent:
                line.add("  no objectives yet", WARN)
            yield line
        if any(self.status.unplaced.values()):
            yield self.row(UNPLACED.ljust(width), self.status.unplaced)
        yield self.row("Total".ljust(width), self.status.totals, bold=True)
        yield Line(0)

    def row(self, label: str, counts: dict[str, int], bold: bool = False) -> Line:
        line = Line(0).add(label, "bold" if bold else None)
        for status in STATUSES:
            count = counts[status]
            text = (str(count) if count else "·").rjust(self.column)
            line.add(text, STATUS_STYLE.get(status) if count and status in (PROPOSED, CHALLENGED) else None)
        return line

    # -- after the table ------------------------------------------------------------

    def silent(self) -> Iterator[Line]:
        silent = self.status.silent()
        if not silent:
            yield Line(0).add("Every team has objectives.", "green")
            yield Line(0)
            return
        yield Line(0).add(f"No objectives yet ({len(silent)})", f"bold {WARN}")
        for team in silent:
            yield Line(1).add(f"{team.name or team.id} ({team.id})")
        yield Line(0)

    def ball(self) -> Iterator[Line]:
        holders = self.status.holders()
        waiting = len(self.status.waiting)
        if not holders:
            yield Line(0).add("Nobody holds the ball: no objective is proposed or challenged.", "green")
            return
        yield Line(0).add(f"Who holds the ball ({waiting} objective{'s' if waiting != 1 else ''} waiting)", "bold")
        for holder, objectives in holders:
            counts = []
            for status in (PROPOSED, CHALLENGED):
                n = sum(1 for o in objectives if o.status == status)
                if n:
                    counts.append(f"{n} {status}")
            yield Line(1).add(holder_label(self.goals, holder), "bold").add(f"  {', '.join(counts)}", "dim")
            for objective in objectives:
                yield (
                    Line(2)
                    .add(objective.id, "bold")
                    .add(f"  {objective.title or ''}  ")
                    .add(objective.status, STATUS_STYLE.get(objective.status))
                )


def _cut(label: str, width: int) -> str:
    return label.ljust(width) if len(label) <= width else label[: width - 1] + "…"
