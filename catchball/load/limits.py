"""The limits one goals file must keep within, and reading a file within them.

Anyone who can write to a goals repository can put anything in it, and
catchball runs in CI on every pull request, so every cost is bounded before
it is paid. Each limit is documented, with what happens past it, in
docs/limits.md; keep the two in step.
"""

from __future__ import annotations

import os
import stat

# A file larger than this is refused unread (CB101). Reading a 20 MB file
# takes about 2 s and 400 MB when it is plain YAML (plain.py), 11 s and 900 MB
# when libyaml composes it (measured, docs/limits.md): a CI runner can afford
# that; larger files should be split (one file per team).
MAX_FILE_BYTES = 20 * 1024 * 1024

# Collections nested deeper than this are refused (CB101). A goals file needs
# six levels; libyaml overflows the C stack near 25,000 levels and slows
# quadratically with the depth of flow collections ([[[[...), so depth is
# bounded before the parser sees the text (catchball/load/nesting.py).
MAX_DEPTH = 100

# Aliases may share nodes, but reading a file may visit at most its own size
# in characters plus this many nodes; past that it is an alias bomb (CB101).
ALIAS_ALLOWANCE = 10_000


# Unknown keys (CB103) listed one by one per file; past this, one more CB103
# says how many more there are. A file of 1,000,000 stray keys (12 MB) would
# otherwise make a million findings for every format to write (docs/limits.md).
MAX_UNKNOWN_KEYS = 1_000


class LimitExceeded(Exception):
    """A file is past one of the limits; the message says which, for the user."""


def read_bounded(path: str | os.PathLike, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    Raises LimitExceeded for a larger file (without reading it) or for
    something that is not a regular file (a pipe would block the run, a
    device never ends), and OSError when the file cannot be opened or read.
    """
    # O_NONBLOCK: opening a FIFO must not wait for a writer. It changes
    # nothing for regular files, the only kind we go on to read.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise LimitExceeded("not a regular file (a pipe, socket or device): not read")
        if info.st_size > limit:
            raise LimitExceeded(f"file is too large ({_megabytes(info.st_size)} > {_megabytes(limit)}): split it")
        chunks, size = [], 0
        while True:  # the file may grow while we read it: never take more than the limit
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise LimitExceeded(f"file is too large (more than {_megabytes(limit)}): split it")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
