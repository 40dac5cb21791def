"""`--format json`: the spec's one JSON document, keys in a stable order."""

from __future__ import annotations

import json
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

    The standard library's indenting encoder recurses once per level, so a
    trace of a `supports` chain 2,000 deep (legal: same-team support) would
    stop half-way with RecursionError. This one keeps its own stack.
    """
    pieces: list[str] = []
    stack: list[tuple] = [(iter((doc,)), False, -1)]  # (items, a dict's?, level); level -1: the document
    first = True
    while stack:
        items, is_dict, level = stack[-1]
        item = next(items, _END)
        if item is _END:
            stack.pop()
            if level >= 0:
                pieces.append("\n" + "  " * level + ("}" if is_dict else "]"))
            first = False
            continue
        if level >= 0:
            pieces.append(("\n" if first else ",\n") + "  " * (level + 1))
        first = False
        if is_dict:
            key, value = item
            pieces.append(_string(key if isinstance(key, str) else str(key)) + ": ")
        else:
            value = item
        if isinstance(value, (dict, list, tuple)) and value and _flat(value):
            pieces.append(_flat_text(value, "  " * (level + 1)))  # the usual case: a finding record
        elif isinstance(value, dict) and value:
            pieces.append("{")
            stack.append((iter(value.items()), True, level + 1))
            first = True
        elif isinstance(value, (list, tuple)) and value:
            pieces.append("[")
            stack.append((iter(value), False, level + 1))
            first = True
        else:
            pieces.append(_scalar(value))
        if len(pieces) > 4096:
            out.write("".join(pieces))
            pieces.clear()
    pieces.append("\n")
    out.write("".join(pieces))


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


def _flat_text(container, pad: str) -> str:
    inner = pad + "  "
    if isinstance(container, dict):
        lines = [f"{inner}{_string(k if isinstance(k, str) else str(k))}: {_scalar(v)}" for k, v in container.items()]
        return "{\n" + ",\n".join(lines) + "\n" + pad + "}"
    return "[\n" + ",\n".join(inner + _scalar(v) for v in container) + "\n" + pad + "]"


def _flat(container) -> bool:
    """No container inside (a line break in JSON text is always escaped, so lines can be moved in)."""
    values = container.values() if isinstance(container, dict) else container
    return not any(isinstance(v, (dict, list, tuple)) for v in values)
