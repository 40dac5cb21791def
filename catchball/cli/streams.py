"""stdout and stderr as they really are: maybe not UTF-8, maybe closed.

A Windows redirect (`catchball check -f json > findings.json`) gives a
cp1252 stream, a CI step may give ascii, and `| head` closes the pipe
early. None of these may crash a command or pass for "errors found".
"""

from __future__ import annotations

import codecs
import io
import os
import re
import sys
from typing import TextIO

# Document kinds, for write_document: how a character the stream cannot
# encode is written so that the document stays valid and means the same.
JSON = "json"  # \uXXXX escapes (valid anywhere in a JSON text: only strings hold non-ASCII)
XML = "xml"  # &#N; character references
TEXT = "text"  # \xNN, \uXXXX, \UXXXXXXXX: visible, like control characters

BROKEN_PIPE = "the output was closed before all of it was written (broken pipe)"  # exit 2, like any failure


def prepare() -> None:
    """Make stdout and stderr escape what their encoding cannot hold, instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        if not is_utf8(stream) and getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # a closed or detached stream: nothing will be written
                pass


def write_document(text: str, kind: str, out: TextIO | None = None) -> None:
    """Write a whole output document; characters `out` cannot encode are escaped as `kind` allows."""
    out = sys.stdout if out is None else out
    if not is_utf8(out):
        text = escape_for(text, kind, getattr(out, "encoding", None) or "ascii")
    out.write(text)


def write_json(doc) -> None:
    """A JSON document (a trace, the round's status) on stdout, valid JSON whatever its encoding."""
    from catchball.formats.json import write

    buffer = io.StringIO()
    write(doc, buffer)
    write_document(buffer.getvalue(), JSON)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def escape_for(text: str, kind: str, encoding: str) -> str:
    """`text` with each character `encoding` cannot encode escaped the way `kind` allows."""
    if kind == JSON:
        # JSON readers expect UTF-8: plain ASCII with escapes is the same document in every encoding
        return _NON_ASCII.sub(_json_escape, text)
    errors = "xmlcharrefreplace" if kind == XML else "backslashreplace"
    return text.encode(encoding, errors).decode(encoding)


def _json_escape(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def is_utf8(stream) -> bool:
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return False
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def silence_stdout() -> None:
    """After a broken pipe: send whatever is still buffered for stdout nowhere.

    Python flushes stdout once more at exit; on a closed pipe that flush
    fails again and prints a warning (the recipe in Python's signal docs).
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real file descriptor (a test runner's buffer)
        pass
