"""The cache folder and its database: entries by key, one SQLite file, bounded.

The parse cache (load/cache.py) keeps each goals file's records here, and
the replay of a command run again on the same inputs (cli/replay.py) its
output. Both live in the user's cache folder, never in a goals repository,
so a repository cannot plant entries.

SQLite's locks make each write whole or absent to every other process, so
two runs, or a run's workers, writing at once never damage an entry. A
database that is not ours (not SQLite, damaged, another layout) is removed
and made afresh. The entries are kept under a size bound
(CATCHBALL_CACHE_MAX_MB, default 512) by removing the least recently used
after a run that wrote some. This module imports nothing of catchball's:
a replay must start without loading the model.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

try:
    import sqlite3
except ImportError:  # a Python built without SQLite (rare, but it happens): no cache, never a crash
    sqlite3 = None

DIR_VARIABLE = "CATCHBALL_CACHE_DIR"
OFF_VARIABLE = "CATCHBALL_NO_CACHE"
MAX_VARIABLE = "CATCHBALL_CACHE_MAX_MB"
DEFAULT_MAX_MB = 512
TOUCH_AFTER = 24 * 3600  # a hit older than this has its time refreshed (least recently used goes first)
KEEP_AFTER_SWEEP = 0.8  # a sweep brings the folder down to this share of the bound
DATABASE = "cache.sqlite3"  # in the cache folder: one SQLite database of entries
SCHEMA_VERSION = 1  # PRAGMA user_version of a database laid out as SCHEMA says
BUSY_SECONDS = 5.0  # how long a writer waits for another run's write to end before giving up the cache
WAL_LIMIT = 8 * 1024 * 1024  # the write-ahead log is cut back to this after a checkpoint


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


def usable_folder() -> Path | None:
    """The cache folder, made if need be; None when the cache is off or the folder cannot be written."""
    if not enabled_by_environment() or sqlite3 is None:
        return None
    folder = cache_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not os.access(folder, os.W_OK | os.X_OK):
            return None
    except OSError:
        return None
    return folder


SCHEMA = "CREATE TABLE entries (key TEXT PRIMARY KEY, used REAL NOT NULL, size INTEGER NOT NULL, value BLOB NOT NULL)"


def connect(path: Path) -> "sqlite3.Connection | None":
    """A connection to the cache database, made or remade as needed; None when it cannot be had.

    A file that is not our database (not SQLite, damaged, another schema,
    another version) is removed and made afresh: a cache is never trusted,
    only rebuilt.
    """
    for _ in range(2):
        try:
            os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))  # the user's alone (SQLite's own files follow it)
            db = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error):
            return None
        try:
            db.execute("PRAGMA trusted_schema = OFF")  # nothing in the file may run as code
            if _ours(db):
                _tune(db)
                return db
            # What was seen may be stale already: another run may have made
            # the table since. So the verdict (make it, keep it, or remove a
            # foreign file) is given under the write lock, one run at a time.
            db.execute("PRAGMA auto_vacuum = INCREMENTAL")  # only takes on an empty file
            db.execute("BEGIN IMMEDIATE")
            if db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
                db.execute(SCHEMA)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            ours = _ours(db)
            db.execute("COMMIT")
            if ours:
                _tune(db)
                return db
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                db.close()
                return None  # another run holds it past the timeout: no cache this run
        except sqlite3.Error:
            pass
        db.close()
        remove_database(path)
    return None


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.unlink(f"{path}{suffix}")
        except OSError:
            pass


def _ours(db: "sqlite3.Connection") -> bool:
    """The file holds exactly our one table (no triggers, views or other tables) at our version."""
    rows = db.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    table = [r for r in rows if r[0] == "table"]
    others = [r for r in rows if not (r[0] == "index" and r[1].startswith("sqlite_autoindex_entries"))]
    return (
        len(table) == 1 and table[0][2] == SCHEMA and others == table
        and db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    )


def _tune(db: "sqlite3.Connection") -> None:
    # WAL lets a run read while another writes; NORMAL syncs at checkpoints
    # only (a crash may lose the last entries, never damage the file). Where
    # WAL cannot be had (some network folders) SQLite keeps its own journal:
    # an error here is no reason to think the file damaged.
    for pragma in ("journal_mode = WAL", "synchronous = NORMAL", f"journal_size_limit = {WAL_LIMIT}"):
        try:
            db.execute(f"PRAGMA {pragma}")
        except sqlite3.Error:
            pass


def lookup(db: "sqlite3.Connection", key: str, decode):
    """decode(value) of the entry under key, or None (no entry, or decode found it damaged or foreign).

    An entry decoded last used more than TOUCH_AFTER ago is marked used now
    (the sweep removes the least recently used first). sqlite3.Error is
    the caller's: each cache has its own way of giving up.
    """
    row = db.execute("SELECT value, used FROM entries WHERE key = ?", (key,)).fetchone()
    found = decode(row[0]) if row is not None and type(row[0]) is bytes else None
    if found is not None and time.time() - number(row[1]) > TOUCH_AFTER:
        db.execute("UPDATE entries SET used = ? WHERE key = ?", (time.time(), key))
    return found


def put(db: "sqlite3.Connection", key: str, data) -> None:
    """Store data under key: one statement, one transaction, so SQLite's lock makes it whole or absent
    to every other process, whoever else is writing. sqlite3.Error is the caller's."""
    db.execute("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)", (key, time.time(), len(data), data))


def sweep(db: "sqlite3.Connection", max_bytes: int) -> None:
    """Remove the least recently used entries while they hold more than max_bytes; give the space back."""
    total = db.execute("SELECT coalesce(sum(size), 0) FROM entries").fetchone()[0]
    if total > max_bytes:
        goal = max_bytes * KEEP_AFTER_SWEEP
        doomed = []
        for key, size in db.execute("SELECT key, size FROM entries ORDER BY used"):
            if total <= goal:
                break
            doomed.append((key,))
            total -= size
        db.execute("BEGIN IMMEDIATE")
        db.executemany("DELETE FROM entries WHERE key = ?", doomed)
        db.execute("COMMIT")
        db.execute("PRAGMA incremental_vacuum")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def number(value) -> float:
    return value if type(value) in (int, float) else 0.0


def max_bytes() -> int:
    try:
        megabytes = float(os.environ.get(MAX_VARIABLE, "") or DEFAULT_MAX_MB)
    except ValueError:
        megabytes = DEFAULT_MAX_MB
    return max(0, int(megabytes * 1024 * 1024))
