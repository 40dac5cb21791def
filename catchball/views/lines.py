"""A view is a list of indented lines of styled segments, printed by `terminal`.

Keeping views as plain data makes them easy to test without a terminal and
cheap to print at scale (one write, not one rich render per element).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from catchball.findings import one_line

# Colours readable on dark and light themes alike: no blue (dark blue vanishes on a
# dark background), no yellow (it vanishes on a white one: WARN, an orange, instead),
# no white or black; "dim" only for text that can be missed.
WARN = "dark_orange"
SEVERITY_STYLE = {"error": "bold red", "warning": f"bold {WARN}", "info": "cyan"}
SEVERITY_MARK = {"error": "✖", "warning": "▲", "info": "●"}
PERSON_MARK = "○"  # a geometric shape every terminal font has (👤 needs an emoji font)
PERSON_STYLE = "italic"
# A space the wrap never breaks at ("due 2027-03-31"), printed as a space. It
# is NUL, which no goals text can hold (YAML, our CSV reader and workbooks'
# XML all refuse it), so a no-break space the user wrote is shown as written.
GLUE = "\x00"
HANG = 4  # a wrapped line's continuation starts this many columns right of its own level
STATUS_STYLE = {
    "agreed": "green", "done": "bold green", "proposed": "cyan", "challenged": WARN, "dropped": "dim", "retired": "dim",
}


def glued_line(text: str) -> str:
    """one_line(text), keeping the GLUE in it (one_line would show it as `\\x00`)."""
    if GLUE not in text:
        return one_line(text)
    if text.replace(GLUE, "").isprintable():  # what one_line leaves as it is, piece by piece (the common case)
        return text
    return GLUE.join(map(one_line, text.split(GLUE)))


@dataclass(slots=True)
class Line:
    depth: int
    parts: list[tuple[str, str | None]] = field(default_factory=list)  # (text, rich style)

    def add(self, text: str, style: str | None = None) -> "Line":
        self.parts.append((glued_line(text), style))
        return self

    def keep(self, text: str, style: str | None = None) -> "Line":
        """Add `text` that a wrap never breaks: words that only make sense together."""
        return self.add(text.replace(" ", GLUE), style)

    @property
    def text(self) -> str:
        return ("  " * self.depth + "".join([text for text, _ in self.parts])).replace(GLUE, " ")  # a list joins faster


def finding_line(depth: int, finding) -> Line:
    style = SEVERITY_STYLE[finding.severity]
    return (
        Line(depth)
        .add(f"{SEVERITY_MARK[finding.severity]} {finding.code} {finding.name}", style)
        .add(f": {finding.message}")
    )


def organisation_line(settings, fallback: str) -> Line:
    """The first line of a view: `Organisation · period` from catchball.yaml."""
    name = settings.organisation or fallback
    period = f" · {settings.period}" if settings.period else ""
    return Line(0).add(f"{name}{period}", "bold")


_SPACES = re.compile(r"( +)")
# Spaces never broken at: before a date ("due 2027-03-31", "by 2029-03-31"), and after a
# one-character mark ("~ common cause", "○ Laura Hughes"), which means nothing alone.
_GLUED = re.compile(r" (?=\d{4}-\d{2}(?:-\d{2})?\b)|(?:(?<=^[^\w\s])|(?<= [^\w\s])) (?=\S)")

Segment = tuple[str, "str | None"]


def wrap_line(line: Line, width: int | None) -> list[list[Segment]]:
    """`line` as rows of styled segments, none wider than `width` (None: one row).

    Breaks only at spaces, so an id, a date or a word is never split; each
    continuation row starts HANG columns right of the line's own indent, so
    the tree's shape survives. Only a word wider than a whole continuation
    row (a pasted URL) is split, at the row's end, and continues below.
    """
    indent = "  " * line.depth
    if width is None or len(line.text) <= width:
        return [[(indent, None), *((text.replace(GLUE, " "), style) for text, style in line.parts)]]
    hang = indent + " " * HANG
    if len(hang) > width // 2:  # a very deep line keeps at least half the width for its text
        hang = " " * (width // 2)
    rows: list[list[Segment]] = [[(indent, None)]]
    used = len(indent)
    for spaces, word in _words(line.parts):
        size = sum(len(text) for text, _ in word)
        if len(rows) > 1 or used > len(indent):  # not the line's first word
            if used + len(spaces) + size <= width:
                rows[-1].append((spaces, None))
                used += len(spaces)
            else:
                rows.append([(hang, None)])
                used = len(hang)
        for text, style in word:  # overflows only when the word is wider than a whole row
            while used + len(text) > width:
                room = width - used
                rows[-1].append((text[:room], style))
                text = text[room:]
                rows.append([(hang, None)])
                used = len(hang)
            rows[-1].append((text, style))
            used += len(text)
    return rows


def _words(parts: list[Segment]):
    """(the spaces before it, the word as styled pieces) for each word of the line."""
    spaces, word = "", []
    for text, style in parts:
        for i, piece in enumerate(_SPACES.split(_GLUED.sub(GLUE, text))):
            if i % 2:  # a run of spaces ends the word before it
                if word:
                    yield spaces, word
                    spaces, word = "", []
                spaces += piece
            elif piece:
                word.append((piece.replace(GLUE, " "), style))
    if word:
        yield spaces, word
