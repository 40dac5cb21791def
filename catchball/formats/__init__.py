"""Machine and text formats for `catchball check`, chosen by name from one table.

Each format is a small module with one function, `emit(result, out)`, that
writes the whole output for one CheckResult to a text stream. A result of
`--diff` (its `diff` set) is shown by the same table: `text` and `json`
have a diff layout of their own (formats/changes.py), `markdown` and
`sarif` read `result.diff` themselves, and the others show the findings
the result keeps. The modules are imported when a format is used, so
`catchball --help` stays quick; each import is written out here, so grep
and an editor see them.
"""

from __future__ import annotations

from typing import Callable, TextIO

Emit = Callable[[object, TextIO], None]


def _text(result, out: TextIO) -> None:
    if result.diff is not None:
        from catchball.formats.changes import emit_text as emit
    else:
        from catchball.formats.text import emit
    emit(result, out)


def _json(result, out: TextIO) -> None:
    if result.diff is not None:
        from catchball.formats.changes import emit_json as emit
    else:
        from catchball.formats.json import emit
    emit(result, out)


def _github(result, out: TextIO) -> None:
    from catchball.formats.github import emit

    emit(result, out)


def _sarif(result, out: TextIO) -> None:
    from catchball.formats.sarif import emit

    emit(result, out)


def _junit(result, out: TextIO) -> None:
    from catchball.formats.junit import emit

    emit(result, out)


def _gitlab(result, out: TextIO) -> None:
    from catchball.formats.gitlab import emit

    emit(result, out)


def _markdown(result, out: TextIO) -> None:
    from catchball.formats.markdown import emit

    emit(result, out)


FORMATS: dict[str, Emit] = {
    "text": _text,
    "json": _json,
    "github": _github,
    "sarif": _sarif,
    "junit": _junit,
    "gitlab": _gitlab,
    "markdown": _markdown,
}
FORMAT_NAMES = tuple(FORMATS)


def emitter(name: str) -> Emit:
    """The emit function of the format called `name` (KeyError for an unknown one)."""
    return FORMATS[name]
