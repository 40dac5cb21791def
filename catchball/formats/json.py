"""`--format json`: the spec's one JSON document, keys in a stable order."""

from __future__ import annotations

import json
from itertools import repeat
from json.encoder import encode_basestring
from typing import TextIO

from catchball.findings import finding_record


def document(result) -> dict:
    return {
        "version": 1,
        "root": result.goals.display_root,
        "summary": result.summary(),
        "findings": [finding_record(f) for f in result.findings],
    }


def emit(result, out: TextIO) -> None:
    write(document(result), out)


def write(doc, out: TextIO) -> None:
    """`doc` as JSON with `json.dump(indent=2, ensure_ascii=False)`'s layout, and a newline.

    The standard library's indenting encoder is written in Python (its C
    encoder has no indent) and recurses once per level, so a trace of a
    `supports` chain 2,000 deep (legal: same-team support) would stop
    half-way with RecursionError. This one recurses for the first
    RECURSION_LEVELS levels, where every finding and SARIF result is, with
    a function per type of scalar; anything deeper is written with a stack
    of its own (_write_deep). SARIF of 45,000 findings took half the time
    it took with the stack at every level (docs/performance.md, the
    eleventh round).
    """
    pieces: list[str] = []
    _value(doc, 0, pieces, out)
    pieces.append("\n")
    out.write("".join(pieces))


RECURSION_LEVELS = 64  # far below Python's recursion limit; far above a finding or a SARIF result
_PIECES_HELD = 4096  # pieces of text kept before they are written out: a national trace is 100s of MB


def _value(value, level: int, pieces: list[str], out: TextIO) -> None:
    """Append `value` as text, its first line already placed, its other lines indented to `level`."""
    scalar = _SCALARS.get(type(value))
    if scalar is not None:
        pieces.append(scalar(value))
        return
    if not value or not isinstance(value, (dict, list, tuple)):
        pieces.append(_scalar(value))
        return
    if level >= RECURSION_LEVELS:
        _write_deep(value, level, pieces, out)
        return
    first = "\n" + "  " * (level + 1)
    later = "," + first
    if isinstance(value, dict):
        opening, closing = "{", "}"
        entries = zip(map(_key_text, value), value.values())
    else:
        opening, closing = "[", "]"
        entries = zip(repeat(""), value)  # in C: no Python frame an item
    pieces.append(opening)
    before = first
    for label, item in entries:
        scalar = _SCALARS.get(type(item))  # the usual case, in one piece: a finding's fields
        if scalar is not None:
            pieces.append(before + label + scalar(item))
        else:
            pieces.append(before + label)
            _value(item, level + 1, pieces, out)
        before = later
        if len(pieces) > _PIECES_HELD:
            out.write("".join(pieces))
            pieces.clear()
    pieces.append("\n" + "  " * level + closing)


def _key_text(key) -> str:
    return _string(key if isinstance(key, str) else str(key)) + ": "


def _write_deep(doc, base: int, pieces: list[str], out: TextIO) -> None:
    """Append the non-empty container `doc` at level `base`, keeping a stack instead of recursing."""
    stack: list[tuple] = [(iter((doc,)), False, base - 1)]  # (items, a dict's?, level); the first: `doc` alone
    first = True
    while stack:
        items, is_dict, level = stack[-1]
        item = next(items, _END)
        if item is _END:
            stack.pop()
            if len(stack) > 0:
                pieces.append("\n" + "  " * level + ("}" if is_dict else "]"))
            first = False
            continue
        if len(stack) > 1:
            pieces.append(("\n" if first else ",\n") + "  " * (level + 1))
        first = False
        if is_dict:
            key, value = item
            pieces.append(_string(key if isinstance(key, str) else str(key)) + ": ")
        else:
            value = item
        if isinstance(value, (dict, list, tuple)) and value:
            pieces.append("{" if isinstance(value, dict) else "[")
            stack.append((iter(value.items()) if isinstance(value, dict) else iter(value), isinstance(value, dict), level + 1))
            first = True
        else:
            pieces.append(_scalar(value))
        if len(pieces) > _PIECES_HELD:
            out.write("".join(pieces))
            pieces.clear()


_END = object()
_INFINITY = float("inf")
_string = encode_basestring  # ensure_ascii=False: the C function, when there is one


def _scalar(value) -> str:
    """One value as json.dumps writes it (an empty dict or list too)."""
    if isinstance(value, str):
        return _string(value)
    if value is None or isinstance(value, (bool, int)):
        return "null" if value is None else "true" if value is True else "false" if value is False else int.__repr__(value)
    if isinstance(value, float) and value == value and value not in (_INFINITY, -_INFINITY):
        return float.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


def _float(value: float) -> str:
    return float.__repr__(value) if value == value and value not in (_INFINITY, -_INFINITY) else _scalar(value)


# The text of a scalar by its exact type: one lookup, where _scalar asks isinstance in turn.
_SCALARS = {
    str: _string,
    int: int.__repr__,
    float: _float,
    bool: lambda value: "true" if value else "false",
    type(None): lambda value: "null",
}
