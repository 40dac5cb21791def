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

import hashlib
import json
import math
import os
import sys
import tempfile
import time
from array import array
from dataclasses import dataclass
from pathlib import Path

from catchball import __version__
from catchball.load.reader import FileGoals
from catchball.load.records import pack, unpack
from catchball.spc import Series

DIR_VARIABLE = "CATCHBALL_CACHE_DIR"
OFF_VARIABLE = "CATCHBALL_NO_CACHE"
MAX_VARIABLE = "CATCHBALL_CACHE_MAX_MB"
DEFAULT_MAX_MB = 512
FORMAT = b"catchball-cache 2\n"  # first line of every entry; a new layout gets a new number
TOUCH_AFTER = 24 * 3600  # a hit older than this has its time refreshed (least recently used goes first)
KEEP_AFTER_SWEEP = 0.8  # a sweep brings the folder down to this share of the bound
STALE_TEMP = 3600  # temporary files this old are from a process that died mid-write

# What reading a file depends on besides its bytes and its path: the source of
# the code that reads it. A new catchball version changes __version__; an
# edited checkout (pip install -e) changes the source, so neither is served
# records read by other code.
_READING_CODE = (
    "load/reader.py", "load/plain.py", "load/values.py", "load/yaml_nodes.py", "load/fields.py", "load/limits.py",
    "load/nesting.py", "load/records.py", "load/cache.py", "model.py", "findings.py", "spelling.py",
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
        if not enabled_by_environment():
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
        self.put_record(key, pack(part))

    def put_record(self, key: str, record: list) -> None:
        """Store a file's record (load/records.py's pack) under key, atomically."""
        if self.working:
            self._put(key, encode_record(record, key))

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
# body = {"key": KEY, "record": RECORD}, RECORD being the file's records as
# load/records.py packs them (the same records worker processes send back).


def encode(part: FileGoals, key: str) -> bytes:
    """One entry's bytes: header, checksum, JSON body."""
    return encode_record(pack(part), key)


def encode_record(record: list, key: str) -> bytes:
    """The entry of a file's record (as load/records.py packs it)."""
    body = {"key": key, "record": record}
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=True).encode("utf-8")
    return FORMAT + hashlib.sha256(text).hexdigest().encode() + b"\n" + text


def decode(data: bytes, key: str, display_path: str) -> FileGoals | None:
    """The FileGoals in an entry, or None unless header, checksum, key, path and shape all hold."""
    text = _checked_body(data)
    if text is None:
        return None
    try:
        body = json.loads(text)
        if type(body) is not dict or body.get("key") != key:
            return None
        part = unpack(body["record"])
    except (KeyError, TypeError, ValueError, OverflowError, RecursionError):
        return None
    return part if part.file == display_path else None


def _checked_body(data: bytes) -> bytes | None:
    """An entry's JSON body, or None unless its header is ours and its checksum holds."""
    if not data.startswith(FORMAT):
        return None
    checksum, newline, text = data[len(FORMAT):].partition(b"\n")
    if not newline or hashlib.sha256(text).hexdigest().encode() != checksum:
        return None
    return text


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
