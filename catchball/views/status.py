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
SHORT_NOTES_BELOW = 100  # columns
MIN_NAME = 14  # the team column is never narrower, even if the row then wraps
UNPLACED = "(team unknown)"


class StatusView:
    def __init__(self, result, status: RoundStatus, width: int | None = None, depth: int | None = None) -> None:
        """`width`: the terminal's, so each table row fits on one line (None: no limit). `depth`:
        the levels of teams the table lists below its top, the last counting the teams below it
        (None: every team)."""
        self.width = width
        self.result = result
        self.goals = result.goals
        self.status = status
        self.rows = status.rows(depth)
        # The short forms of what a row says beside its name (" +3", "none yet") under 100
        # columns, where the long ones leave a name no room in a row of five counts and a note.
        self.narrow = width is not None and width < SHORT_NOTES_BELOW
        self.notes = self.row_notes()
        # Wide count columns where they leave half a name column, and room for a row's note
        # ("no objectives yet") on its line: a row that wraps reads as another team.
        note = max(map(len, self.notes.values()), default=0)
        wide_enough = width is None or width >= NAME_WIDTH // 2 + len(STATUSES) * COLUMN + note
        self.column = COLUMN if wide_enough else NARROW_COLUMN

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
        top = self.status.top
        return ["  " * max(t.depth - top, 0) + f"{t.name or t.id} ({t.id})" for t in self.status.teams]

    def below(self, i: int) -> str:
        """What a row that counts the teams below its team says of them."""
        below = self.rows.below[i]
        if not below:
            return ""
        return f" +{below}" if self.narrow else f" + {below} team{'s' if below != 1 else ''} below"

    def table(self) -> Iterator[Line]:
        rows = self.rows
        labels = self.labels()
        shown = [i for i, listed in enumerate(rows.listed) if listed]
        notes = self.notes
        tail = max([len(self.below(i)) for i in shown], default=0)  # "+ 12 teams below" takes no room from names
        width = min(max([len(labels[i] + self.below(i)) for i in shown] + [len("Team"), len(UNPLACED)]), NAME_WIDTH + tail)
        if self.width is not None:
            # the note after a row ("no objectives yet") stays on the row's line: a wrapped row reads as another team
            room = self.width - len(STATUSES) * self.column - max([len(n) for n in notes.values()], default=0)
            width = max(min(width, room), MIN_NAME)
        header = Line(0).add("Team".ljust(width), "bold")
        for status in STATUSES:
            heading = status if self.column == COLUMN else SHORT.get(status, status)
            header.add(heading.rjust(self.column), "bold")
        yield header
        for i in shown:
            line = self.row(_cut(labels[i], width, self.below(i)), rows.counts[i])
            if i in notes:
                line.add(notes[i], WARN)
            yield line
        if any(self.status.unplaced.values()):
            yield self.row(UNPLACED.ljust(width), self.status.unplaced)
        yield self.row("Total".ljust(width), self.status.totals, bold=True)
        yield Line(0)

    def row_notes(self) -> dict[int, str]:
        """What follows a row's counts: that its team, or some of the teams it counts, have no
        objectives yet (each is named under the table too)."""
        rows, silent = self.rows, {t.id for t in self.status.silent()}
        notes = {}
        for i, team in enumerate(self.status.teams):
            quiet = (team.id in silent) + rows.below_silent[i]
            if rows.listed[i] and rows.below[i] and quiet:
                notes[i] = f"  {quiet} none yet" if self.narrow else f"  {quiet} with no objectives yet"
            elif rows.listed[i] and team.id in silent:
                notes[i] = "  none yet" if self.narrow else "  no objectives yet"
        return notes

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


def _cut(label: str, width: int, tail: str = "") -> str:
    """`label` and `tail` in `width` columns, the label cut with … where they do not fit (the tail kept whole)."""
    if len(label) + len(tail) <= width:
        return (label + tail).ljust(width)
    room = max(width - len(tail), 2)
    return label[: room - 1] + "…" + tail
