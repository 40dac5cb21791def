"""`--format markdown`: findings as GitHub-flavoured Markdown, for job summaries and PR comments.

    catchball check --format markdown goals >> "$GITHUB_STEP_SUMMARY"

A headline with the counts, then a table of findings. With `--diff REV`:
the findings the change introduces and resolves, the ones already there
(folded away), and the strategy drift since REV. Every piece of text from
the goals is escaped, so a title cannot break the table or inject markup.

GitHub drops a job summary over 1 MiB whole, and refuses a pull-request
comment over 65,536 characters; a trust of 20,000 staff has 6,000 findings
(1.3 MB of table). So the tables together hold at most TABLE_CHARACTERS:
when the rows do not all fit, a table lists errors first, then warnings,
then infos, each in file order, as many as fit, and a note under it says
how many there are and which command lists them all.
"""

from __future__ import annotations

import re
from typing import TextIO

from catchball.findings import visible
from catchball.metrics import scope_text, severity_counts
from catchball.formats.changes import DRIFT_ORDER, base_label, counts

MARK = {"error": "error", "warning": "warning", "info": "info"}
_RANK = {"error": 0, "warning": 1, "info": 2}  # the order rows are listed in when not all fit

# The rows of every table of one output: a comment's 65,536 characters, less
# room for the headline, notes and what a workflow adds around it.
TABLE_CHARACTERS = 60_000


class Room:
    """What is left of TABLE_CHARACTERS for the rows of the tables still to come."""

    def __init__(self, characters: int | None = None) -> None:
        self.left = TABLE_CHARACTERS if characters is None else characters

    def take(self, rows) -> tuple[list[int], list[str]]:
        """(the indexes, the text) of the rows that fit, from the iterable of (index, row) given, in turn."""
        taken, texts = [], []
        for index, row in rows:
            if len(row) + 1 > self.left:
                break
            self.left -= len(row) + 1
            taken.append(index)
            texts.append(row)
        return taken, texts


def cell(text: object) -> str:
    """Text safe inside a table cell: no markup, no column breaks, no raw HTML."""
    text = visible(str(text))
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([`*_\[\]])", r"\\\1", text)
    return text.replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>")


def findings_table(findings, room: Room, lists_all: str = "catchball check") -> list[str]:
    """The table of `findings`, as many rows as `room` leaves, and a note when some are left out."""
    if not findings:
        return ["None.", ""]
    # Rows are written in the order they are listed in when not all fit, so that
    # only those listed are written (a December day: 45,000 findings).
    ranked = sorted(range(len(findings)), key=lambda i: _RANK[findings[i].severity])
    taken, rows = room.take((i, _finding_row(findings[i])) for i in ranked)
    lines = ["| severity | rule | finding | where |", "|---|---|---|---|"]
    if len(taken) == len(findings):  # all fit: in file order, as always
        written = dict(zip(taken, rows))
        return lines + [written[i] for i in range(len(findings))] + [""]
    listed = f"The first {len(taken)} of {len(findings)} findings are listed here, errors first" if rows else \
        f"None of these {len(findings)} findings is listed here"
    note = f"*{listed}, to keep within what GitHub shows of a summary or comment: `{lists_all}` lists them all.*"
    return (lines + rows + ["", note, ""]) if rows else [note, ""]


def _finding_row(f) -> str:
    where = f.where() or "(repository)"
    return f"| {MARK[f.severity]} | {f.code} {f.name} | {cell(f.message)} | {cell(where)} |"


def scope(result) -> str:
    s = result.summary()
    return scope_text(s)


def drift_section(changes, room: Room) -> list[str]:
    lines = [f"### Strategy drift since {cell(changes.base)}", ""]
    if not changes.drift:
        return lines + ["No aim or objective was added, dropped, re-parented or changed.", ""]
    ordered = [
        d for element in ("aim", "objective")
        for d in sorted((d for d in changes.drift if d.element == element), key=lambda d: DRIFT_ORDER.index(d.kind))
    ]
    taken, rows = room.take(
        (i, f"| {d.kind} | {d.element} {cell(d.id)} | {cell(d.title or '')} | {cell(d.detail)} |")
        for i, d in enumerate(ordered)
    )
    if rows:
        lines += ["| change | element | title | detail |", "|---|---|---|---|", *rows, ""]
    if len(taken) < len(ordered):
        listed = f"The first {len(taken)} of {len(ordered)} changes are listed here, aims first" if rows else \
            f"None of these {len(ordered)} changes is listed here"
        lines += [
            f"*{listed}, to keep within what GitHub shows of a summary or comment: `catchball check --diff` lists"
            " them all.*",
            "",
        ]
    return lines


def emit(result, out: TextIO) -> None:
    changes = result.diff
    lines = ["## catchball check", ""]
    room = Room()  # shared by the tables, in the order they are written
    if changes is None:
        s = result.summary()
        headline = severity_counts(s['errors'], s['warnings'], s['infos'])
        lines += [f"**{headline}** in {scope(result)}.", ""]
        lines += findings_table(result.findings, room)
    else:
        lines += [
            f"Compared with {cell(base_label(changes))}: **{counts(changes.introduced)} introduced**, "
            f"{len(changes.resolved)} resolved, {len(changes.unchanged)} unchanged, in {scope(result)}.",
            "",
        ]
        if not changes.base_found:
            lines += [f"No goals at {cell(changes.base)}: every finding is new.", ""]
        every = "catchball check --diff"
        # The room goes to the tables by what matters most: the findings already there last.
        introduced = findings_table(changes.introduced, room, every)
        resolved = findings_table(changes.resolved, room, every)
        drift = drift_section(changes, room)
        lines += ["### Introduced by this change", ""] + introduced
        lines += ["### Resolved by this change", "", f"Shown where they were at {cell(changes.base)}.", ""]
        lines += resolved
        if not result.new_only and changes.unchanged:
            lines += [
                "<details>",
                f"<summary>Already there at {cell(changes.base)} ({len(changes.unchanged)})</summary>",
                "",
            ]
            lines += findings_table(changes.unchanged, room, every) + ["</details>", ""]
        lines += drift
    out.write("\n".join(lines).rstrip("\n") + "\n")
