"""The parse cache: each goals file's records, keyed by what they were read from.

A second run over the same goals skips parsing: for each file we hash
catchball's reading code, the settings that affect reading, the path the
file is shown as and its bytes, and look that key up in the user's cache
folder (never in the goals repository, so a repository cannot plant
entries). The value is the file's FileGoals: its elements and its
file-local findings, exactly as reading would give them. A CSV file of
measure data read without a fault has an entry of its own, keyed by the
code that reads CSV files: its series by measure id (CsvSeries).

Entries are JSON (it runs no code on load, and measured no slower than
marshal here; docs/performance.md), one file each, behind a header that
names the format and a SHA-256 of the body. An entry that is truncated,
corrupt, foreign (another key's body) or of the wrong shape is a miss:
the file is read again and the entry rewritten. Entries are written to a
temporary file and moved into place with os.replace, so two processes
writing the same entry at once leave one whole entry. The folder is kept
under a size bound (CATCHBALL_CACHE_MAX_MB, default 512) by removing the
least recently used entries after a run that wrote some.

Any trouble with the cache folder (read-only, full, missing home) turns the
cache off for the run; a command never fails because of its cache.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import sys
import tempfile
import time
from array import array
from dataclasses import dataclass, fields
from pathlib import Path

from catchball import __version__
from catchball.findings import Finding
from catchball.load.reader import FileGoals
from catchball.model import Aim, Measure, Objective, Person, Span, Team, builder
from catchball.spc import Point, Series

DIR_VARIABLE = "CATCHBALL_CACHE_DIR"
OFF_VARIABLE = "CATCHBALL_NO_CACHE"
MAX_VARIABLE = "CATCHBALL_CACHE_MAX_MB"
DEFAULT_MAX_MB = 512
FORMAT = b"catchball-cache 1\n"  # first line of every entry; a new layout gets a new number
TOUCH_AFTER = 24 * 3600  # a hit older than this has its time refreshed (least recently used goes first)
KEEP_AFTER_SWEEP = 0.8  # a sweep brings the folder down to this share of the bound
STALE_TEMP = 3600  # temporary files this old are from a process that died mid-write

# What reading a file depends on besides its bytes and its path: the source of
# the code that reads it. A new catchball version changes __version__; an
# edited checkout (pip install -e) changes the source, so neither is served
# records read by other code.
_READING_CODE = (
    "load/reader.py", "load/plain.py", "load/values.py", "load/yaml_nodes.py", "load/fields.py", "load/limits.py",
    "load/nesting.py", "load/cache.py", "model.py", "findings.py", "spelling.py",
)
# What reading a CSV file of measure data into series depends on (its own
# entries, keyed apart from goals files' so that editing one reader keeps the
# other's entries). The byte order is in the key too: values are stored as raw doubles.
_SERIES_READING_CODE = (
    "load/measure_data.py", "load/series.py", "load/limits.py", "load/cache.py", "asof.py", "spc.py",
)
# Settings (catchball.yaml) that change what reading one file gives. None do
# today: every settings-dependent judgement is made by the rules, after the
# cache. A setting added here is part of every key.
READING_SETTINGS: tuple[str, ...] = ()


def cache_folder() -> Path:
    """Where entries live: CATCHBALL_CACHE_DIR, else the platform's user cache folder."""
    given = os.environ.get(DIR_VARIABLE, "").strip()
    if given:
        return Path(given).expanduser()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "catchball" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "catchball"
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "catchball"


def enabled_by_environment() -> bool:
    """False when CATCHBALL_NO_CACHE is set to anything but '' or 0."""
    return os.environ.get(OFF_VARIABLE, "").strip() in ("", "0")


class ParseCache:
    """Look up and store FileGoals by key in one cache folder."""

    def __init__(self, folder: Path, settings=None) -> None:
        self.folder = folder
        self.entries = folder / "entries"
        self.max_bytes = _max_bytes()
        self.written = 0
        self.hits = self.misses = 0  # in this process (workers count their own)
        self.prefix = _prefix(settings)
        self.series_prefix = _prefix(settings, _SERIES_READING_CODE, sys.byteorder)
        self.working = True

    @classmethod
    def open(cls, settings=None) -> "ParseCache | None":
        """The user's cache, or None when it is off or its folder cannot be made."""
        if not enabled_by_environment() or not STORABLE:
            return None
        folder = cache_folder()
        try:
            (folder / "entries").mkdir(parents=True, exist_ok=True, mode=0o700)
            if not os.access(folder / "entries", os.W_OK | os.X_OK):
                return None
        except OSError:
            return None
        return cls(folder, settings)

    def key(self, display_path: str, raw: bytes, prefix: bytes | None = None) -> str:
        digest = hashlib.sha256(self.prefix if prefix is None else prefix)
        path = display_path.encode("utf-8", "surrogateescape")
        digest.update(len(path).to_bytes(4, "little") + path)
        digest.update(raw)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.entries / key[:2] / key[2:]

    def get(self, key: str, display_path: str) -> FileGoals | None:
        """The FileGoals stored under key, or None (missing, damaged, foreign or of the wrong shape)."""
        return self._get(key, display_path, decode)

    def put(self, key: str, part: FileGoals) -> None:
        """Store part under key, atomically; a failure turns the cache off for the run."""
        if self.working:
            self._put(key, encode(part, key))

    def series_key(self, display_path: str, raw: bytes) -> str:
        """The key of a CSV file's series: its reading code, path and bytes."""
        return self.key(display_path, raw, self.series_prefix)

    def get_series(self, key: str, display_path: str) -> "CsvSeries | None":
        """The series of a CSV file stored under key, or None (missing, damaged, foreign or of the wrong shape)."""
        return self._get(key, display_path, decode_series)

    def put_series(self, key: str, table: "CsvSeries") -> None:
        """Store a CSV file's series under key, atomically; a failure turns the cache off for the run."""
        if self.working:
            self._put(key, encode_series(table, key))

    def _get(self, key: str, display_path: str, decoder):
        path = self._path(key)
        try:
            with open(path, "rb") as entry:
                data = entry.read()
            found = decoder(data, key, display_path)
        except (OSError, ValueError):
            found = None
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        _refresh(path)
        return found

    def _put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(exist_ok=True, mode=0o700)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                os.replace(temporary, path)
            except BaseException:
                _remove(temporary)
                raise
        except OSError:
            self.working = False
            return
        self.written += len(data)

    def sweep(self) -> None:
        """After a run that wrote entries: remove the least recently used until under the bound."""
        if not self.written:
            return
        try:
            sweep(self.entries, self.max_bytes)
        except OSError:
            pass


def sweep(entries: Path, max_bytes: int) -> None:
    """Remove dead temporary files, then the oldest entries while the folder is over max_bytes."""
    now = time.time()
    found, total = [], 0
    for shard in os.scandir(entries):
        if not shard.is_dir(follow_symlinks=False):
            continue
        for entry in os.scandir(shard.path):
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if entry.name.startswith(".tmp-"):
                if now - info.st_mtime > STALE_TEMP:
                    _remove(entry.path)
                continue
            found.append((info.st_mtime, info.st_size, entry.path))
            total += info.st_size
    if total <= max_bytes:
        return
    found.sort()
    goal = max_bytes * KEEP_AFTER_SWEEP
    for _, size, path in found:
        if total <= goal:
            break
        _remove(path)
        total -= size


def _max_bytes() -> int:
    try:
        megabytes = float(os.environ.get(MAX_VARIABLE, "") or DEFAULT_MAX_MB)
    except ValueError:
        megabytes = DEFAULT_MAX_MB
    return max(0, int(megabytes * 1024 * 1024))


def _prefix(settings, code: tuple[str, ...] | None = None, extra: str = ""):
    digest = hashlib.sha256(FORMAT + __version__.encode() + b"\0" + (extra.encode() + b"\0" if extra else b""))
    here = Path(__file__).resolve().parent.parent
    for name in _READING_CODE if code is None else code:
        try:
            digest.update((here / name).read_bytes())
        except OSError:
            digest.update(b"missing " + name.encode())
    reading = [(name, repr(getattr(settings, name, None))) for name in READING_SETTINGS]
    digest.update(json.dumps(reading).encode() + b"\0")
    return digest.digest()  # bytes, so that a ParseCache can be handed to forked workers


def _refresh(path: Path) -> None:
    try:
        if time.time() - os.stat(path).st_mtime > TOUCH_AFTER:
            os.utime(path)
    except OSError:
        pass


def _remove(path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


# -- the entry format ------------------------------------------------------------
#
# body = {"key": KEY, "file": PATH, "aims": [...], "teams": [...], "people": [...],
#         "objectives": [...], "findings": [...]}
# Each element is the list of its dataclass's fields in order. A span in the
# entry's own file is [line, column], elsewhere [file, line, column]; a date
# is its ordinal day number; a tuple is a list; measures are nested elements.


def _field_kinds(kind) -> tuple[str, ...]:
    """How each field of a model class is stored, from its annotation."""
    kinds = []
    for f in fields(kind):
        kind_name = _KIND_OF_TYPE.get(str(f.type).replace(" ", ""))
        if kind_name is None:
            raise TypeError(f"the parse cache cannot store {kind.__name__}.{f.name}: {f.type}")
        kinds.append(kind_name)
    return tuple(kinds)


_KIND_OF_TYPE = {
    "str": "str", "str|None": "str?", "int": "int", "int|None": "int?", "bool": "bool",
    "float|None": "number?", "dt.date|None": "date?", "Span": "span", "Span|None": "span?",
    "tuple[str,...]": "ids", "tuple[Measure,...]": "measures", "Series|tuple[Point,...]": "points",
}
_KINDS = {"aims": Aim, "teams": Team, "people": Person, "objectives": Objective}
try:
    _LAYOUT = {kind: _field_kinds(kind) for kind in (Aim, Team, Person, Objective, Measure, Finding)}
    STORABLE = True
except TypeError:  # a model field of a new type: run without a cache rather than store it wrong
    _LAYOUT, STORABLE = {}, False


def encode(part: FileGoals, key: str) -> bytes:
    """One entry's bytes: header, checksum, JSON body."""
    file = part.file
    body = {"key": key, "file": file}
    for section in _KINDS:
        body[section] = [_encode(element, file) for element in getattr(part, section)]
    body["findings"] = [_encode(finding, file) for finding in part.findings]
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=True).encode("utf-8")
    return FORMAT + hashlib.sha256(text).hexdigest().encode() + b"\n" + text


def decode(data: bytes, key: str, display_path: str) -> FileGoals | None:
    """The FileGoals in an entry, or None unless header, checksum, key, path and shape all hold."""
    text = _checked_body(data) if STORABLE else None
    if text is None:
        return None
    try:
        body = json.loads(text)
        if type(body) is not dict or body.get("key") != key or body.get("file") != display_path:
            return None
        part = FileGoals(display_path)
        for section, kind in _KINDS.items():
            setattr(part, section, [_decode(kind, values, display_path) for values in _list(body[section])])
        part.findings = [_decode(Finding, values, display_path) for values in _list(body["findings"])]
    except (KeyError, TypeError, ValueError, OverflowError, RecursionError):
        return None
    return part


def _checked_body(data: bytes) -> bytes | None:
    """An entry's JSON body, or None unless its header is ours and its checksum holds."""
    if not data.startswith(FORMAT):
        return None
    checksum, newline, text = data[len(FORMAT):].partition(b"\n")
    if not newline or hashlib.sha256(text).hexdigest().encode() != checksum:
        return None
    return text


def _encode(element, file: str) -> list:
    values = []
    for name, kind in _NAMED_LAYOUT[type(element)]:
        value = getattr(element, name)
        if value is None:
            pass
        elif kind in ("span", "span?"):
            value = [value.line, value.column] if value.file == file else [value.file, value.line, value.column]
        elif kind == "date?":
            value = value.toordinal()
        elif kind == "measures":
            value = [_encode(m, file) for m in value]
        elif kind == "ids":
            value = list(value)
        elif kind == "points":  # inline measure data: [period, value, recalculate, note]
            value = [[p.period, p.value, p.recalculate, p.note] for p in value]
        values.append(value)
    return values


_INTERNED = ("id", "team", "person", "parent", "owner", "lead")  # ids, as the reader interns them


class _Layout:
    """Where the fields of one model class that need converting back sit in its list."""

    def __init__(self, kind) -> None:
        how = _LAYOUT[kind]
        names = [f.name for f in fields(kind)]
        self.kind, self.size = kind, len(how)
        self.spans = [i for i, h in enumerate(how) if h in ("span", "span?")]
        self.dates = [i for i, h in enumerate(how) if h == "date?"]
        self.ids = [i for i, h in enumerate(how) if h == "ids"]
        self.measures = [i for i, h in enumerate(how) if h == "measures"]
        self.points = [i for i, h in enumerate(how) if h == "points"]
        self.interned = [i for i, h in enumerate(how) if h in ("str", "str?") and names[i] in _INTERNED]


_LAYOUTS = {kind: _Layout(kind) for kind in _LAYOUT}
_BUILD = {kind: builder(kind) for kind in _LAYOUT}  # the same frozen elements, faster made (model.builder)
_SPAN = builder(Span)
_NAMED_LAYOUT = {kind: tuple(zip((f.name for f in fields(kind)), how)) for kind, how in _LAYOUT.items()}


def _decode(kind, values, file: str):
    # The checksum has shown the entry is what catchball wrote; these checks
    # keep a damaged or foreign entry that passed it from building a wrong
    # element: the shape, and the type of every value that is converted
    # (sys.intern and date.fromordinal raise TypeError on anything else).
    layout = _LAYOUTS[kind]
    if type(values) is not list or len(values) != layout.size:
        raise ValueError("wrong shape")
    intern = sys.intern
    for i in layout.spans:
        span = values[i]
        if span is None:
            continue
        if type(span) is not list or not all(type(v) is int for v in span[-2:]):
            raise ValueError("not a span")
        if len(span) == 2:
            values[i] = _SPAN(file, span[0], span[1])
        elif len(span) == 3 and type(span[0]) is str:
            values[i] = _SPAN(span[0], span[1], span[2])
        else:
            raise ValueError("not a span")
    for i in layout.interned:
        if values[i] is not None:
            values[i] = intern(values[i])
    for i in layout.dates:
        if values[i] is not None:
            values[i] = dt.date.fromordinal(values[i])
    for i in layout.ids:
        values[i] = tuple(map(intern, _list(values[i])))
    for i in layout.measures:
        values[i] = tuple(_decode(Measure, m, file) for m in _list(values[i]))
    for i in layout.points:
        values[i] = Series.of([_point(p) for p in _list(values[i])])
    return _BUILD[kind](*values)


def _point(values) -> Point:
    period, value, recalculate, note = _list(values)
    if type(period) is not str or type(value) not in (int, float) or type(recalculate) is not bool \
            or not (note is None or type(note) is str):
        raise ValueError("not a point")
    return Point(period, float(value), recalculate, note)


def _list(value) -> list:
    if type(value) is not list:
        raise ValueError("not a list")
    return value


# -- CSV series entries ----------------------------------------------------------
#
# body = {"key": KEY, "csv": PATH, "by_measure": bool, "periods": [[PERIOD, ...], ...],
#         "series": [[MEASURE ID or null, index into periods, VALUES], ...]}
# VALUES is the hex of the doubles in this machine's byte order (part of the
# key). Only series read without a fault are stored (measure_data._read_quickly):
# a file with a fault is read again, to report it.


@dataclass(slots=True)
class CsvSeries:
    """A CSV file's series as read: by measure id (None without a `measure` column)."""

    file: str
    by_measure: bool
    series: dict[str | None, Series]


def encode_series(table: CsvSeries, key: str) -> bytes:
    """One CSV entry's bytes: header, checksum, JSON body."""
    periods: dict[tuple, int] = {}
    rows = []
    for measure_id, series in table.series.items():
        index = periods.setdefault(series.periods, len(periods))
        rows.append([measure_id, index, series.values.tobytes().hex()])
    body = {"key": key, "csv": table.file, "by_measure": table.by_measure, "periods": list(periods), "series": rows}
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return FORMAT + hashlib.sha256(text).hexdigest().encode() + b"\n" + text


def decode_series(data: bytes, key: str, display_path: str) -> CsvSeries | None:
    """The series in a CSV entry, or None unless header, checksum, key, path and shape all hold."""
    text = _checked_body(data)
    if text is None:
        return None
    try:
        body = json.loads(text)
        if type(body) is not dict or body.get("key") != key or body.get("csv") != display_path:
            return None
        by_measure = body["by_measure"]
        if type(by_measure) is not bool:
            return None
        periods = []
        for written in _list(body["periods"]):
            if not all(type(p) is str for p in _list(written)):
                return None
            periods.append(tuple(map(sys.intern, written)))
        series: dict[str | None, Series] = {}
        for row in _list(body["series"]):
            measure_id, index, hexed = _list(row)
            if not (measure_id is None or type(measure_id) is str) or type(index) is not int or index < 0 \
                    or type(hexed) is not str:
                return None
            values = array("d", bytes.fromhex(hexed))
            if not all(map(math.isfinite, values)):
                return None
            series[measure_id] = Series(periods[index], values)  # ValueError unless one value per period
    except (KeyError, TypeError, ValueError, IndexError, RecursionError):
        return None
    return CsvSeries(display_path, by_measure, series)
