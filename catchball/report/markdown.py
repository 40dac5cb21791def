"""Escaping text from the goals for the place it lands in Markdown.

Titles, names and messages are the user's text: a `|` must not split a table
cell, a newline must not end a table row or start a new block, a leading `#`
must not make a heading, and HTML must not pass through. These are the
template filters `md` (inline text) and `cell` (a table cell), plus `number`
and `percent` for figures.
"""

from __future__ import annotations

import re

from catchball.findings import visible
from catchball.metrics import percent  # noqa: F401  (a template filter; shared with the terminal views)

# Characters that start inline markup (emphasis, code, links, strike-through,
# GitHub math) anywhere in a line: backslash-escaped.
_INLINE = {c: "\\" + c for c in "`*_[]|~$#"}
# HTML and entities: written as entities, so no tag or entity passes through.
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD = str.maketrans({"\\": "\\\\", **_INLINE, **_HTML})
# In a table cell a backslash before a pipe escapes it, however many there are
# (GFM does not count them), so a backslash from the text becomes an entity.
_CELL = str.maketrans({"\\": "&#92;", **_INLINE, **_HTML})
# At the start of a line these begin a block: list item, setext underline,
# thematic break, ordered list ("1." or "1)").
_BLOCK_START = re.compile(r"^(?:([-+=])|(\d+)([.)]))")


def _words(value) -> str:
    """The text on one line: every run of whitespace, newlines included, becomes one space.

    Other control characters (an escape sequence in a title) are shown as
    \\xNN, as in finding messages: printed to a CI log they would act.
    """
    if value is None:
        return ""
    return visible(" ".join(str(value).split()))


def md(value) -> str:
    """Inline Markdown text, safe anywhere a line's text goes (headings, list items, paragraphs)."""
    text = _words(value).translate(_MD)
    return _BLOCK_START.sub(_escape_block, text)


def cell(value) -> str:
    """Text safe inside a GFM table cell: line breaks become <br>, nothing else escapes the cell."""
    if value is None:
        return ""
    lines = [_words(line).translate(_CELL) for line in str(value).splitlines()]
    return "<br>".join(line for line in lines if line)


def _escape_block(match: re.Match) -> str:
    marker, digits, delimiter = match.groups()
    return "\\" + marker if marker else digits + "\\" + delimiter


def number(value) -> str:
    """A measure's figure as written: 0.19, 62, 7.5 (no trailing .0); "?" when missing."""
    if value is None:
        return "?"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


