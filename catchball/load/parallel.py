"""Reading many goals files on every core, merged in read order all the same.

Each file is read on its own (reader.py: bytes in, FileGoals out), so a
large repository is shared out among worker processes. The workers send
back compact records (tuples of strings and numbers, the span's file said
once per file), because pickling the model's frozen dataclasses costs more
than reading the YAML: at 20,000 staff it made two processes slower than
one (measured; docs/performance.md).

Workers are forked, so they start in milliseconds with everything already
imported; where fork is not the safe default (macOS, Windows) files are read
in this process. Small repositories are read here too: below MIN_FILES files
or MIN_BYTES bytes the start-up is not worth it. CATCHBALL_WORKERS sets the
number of processes (1 reads everything here).
"""

from __future__ import annotations

import os
import sys
from dataclasses import fields
from typing import Callable, Iterator

from catchball.errors import FileBug
from catchball.findings import Finding
from catchball.load.discover import GoalsRoot
from catchball.load.reader import FileGoals
from catchball.model import Aim, Measure, Objective, Person, Span, Team

MIN_FILES = 64
MIN_BYTES = 2 * 1024 * 1024
MAX_WORKERS = 8
WORKERS_VARIABLE = "CATCHBALL_WORKERS"

ReadOne = Callable[[GoalsRoot, str], FileGoals]


def worker_count(root: GoalsRoot, files: list[str]) -> int:
    """How many processes should read these files (1: read them here)."""
    wanted = os.environ.get(WORKERS_VARIABLE, "").strip()
    if wanted:
        try:
            return max(1, min(int(wanted), 64))
        except ValueError:
            pass
    if not sys.platform.startswith("linux") or len(files) < MIN_FILES:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if cores < 2:
        return 1
    size = 0
    for relative in files:
        try:
            size += os.stat(root.path / relative).st_size
        except OSError:
            continue
        if size >= MIN_BYTES:
            return min(cores, MAX_WORKERS)
    return 1


def read_parallel(root: GoalsRoot, files: list[str], workers: int, read_one: ReadOne) -> Iterator[FileGoals]:
    """FileGoals of each file, in the order given, read by `workers` forked processes."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    chunk = max(1, min(32, len(files) // (workers * 8)))
    with context.Pool(workers, initializer=_start, initargs=(root, read_one)) as pool:
        for packed in pool.imap(_read_packed, files, chunksize=chunk):
            yield unpack(packed)


_ROOT: GoalsRoot | None = None
_READ_ONE: ReadOne | None = None


def _start(root: GoalsRoot, read_one: ReadOne) -> None:
    global _ROOT, _READ_ONE
    _ROOT, _READ_ONE = root, read_one


def _read_packed(relative: str) -> tuple:
    try:
        return pack(_READ_ONE(_ROOT, relative))
    except Exception as exc:
        # Sent back as a FileBug: the parent reports the file and, with --debug,
        # this process's traceback (the bare exception would lose both).
        import traceback

        raise FileBug(_ROOT.display_path(relative), f"{type(exc).__name__}: {exc}", traceback.format_exc()) from None


# -- compact records ---------------------------------------------------------------

_KINDS = (Aim, Team, Person, Objective, Measure)
_FIELDS = {kind: tuple(f.name for f in fields(kind)) for kind in _KINDS}
_FINDING_FIELDS = tuple(f.name for f in fields(Finding))


def pack(part: FileGoals) -> tuple:
    """FileGoals as nested tuples of plain values (cheap to pickle)."""
    file = part.file
    return (
        file,
        [_pack(e, file) for e in part.aims],
        [_pack(e, file) for e in part.teams],
        [_pack(e, file) for e in part.people],
        [_pack(e, file) for e in part.objectives],
        [tuple(getattr(f, name) for name in _FINDING_FIELDS) for f in part.findings],
    )


def unpack(packed: tuple) -> FileGoals:
    file, aims, teams, people, objectives, findings = packed
    return FileGoals(
        file,
        [_unpack(Aim, values, file) for values in aims],
        [_unpack(Team, values, file) for values in teams],
        [_unpack(Person, values, file) for values in people],
        [_unpack(Objective, values, file) for values in objectives],
        [Finding(*values) for values in findings],
    )


def _pack(element, file: str) -> tuple:
    values = []
    for name in _FIELDS[type(element)]:
        value = getattr(element, name)
        if name == "span":
            value = (value.line, value.column) if value.file == file else value
        elif name == "measures":
            value = tuple(_pack(m, file) for m in value)
        values.append(value)
    return tuple(values)


_SPAN_AT = {kind: names.index("span") for kind, names in _FIELDS.items()}
_MEASURES_AT = {kind: names.index("measures") for kind, names in _FIELDS.items() if "measures" in names}


# Ids come back from a worker as new strings each time they are written (an
# objective's team, person, supports); one string per id saves about a
# gigabyte at national scale, as the reader's interning does in one process.
_ID_FIELDS = {kind: [i for i, name in enumerate(names) if name in ("id", "team", "person", "parent")]
              for kind, names in _FIELDS.items()}
_SUPPORTS_AT = _FIELDS[Objective].index("supports")


def _unpack(kind, values: tuple, file: str):
    values = list(values)
    for at in _ID_FIELDS[kind]:
        if values[at] is not None:
            values[at] = sys.intern(values[at])
    if kind is Objective and values[_SUPPORTS_AT]:
        values[_SUPPORTS_AT] = tuple(map(sys.intern, values[_SUPPORTS_AT]))
    at = _SPAN_AT[kind]
    span = values[at]
    if type(span) is tuple:
        values[at] = Span(file, span[0], span[1])
    at = _MEASURES_AT.get(kind)
    if at is not None and values[at]:
        values[at] = tuple(_unpack(Measure, m, file) for m in values[at])
    return kind(*values)
