"""Finding the goals root and the goals files below it."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from catchball.errors import NoGoalsError
from catchball.findings import FORMAT_CHARACTERS, escape_character
from catchball.goals_root import SETTINGS_FILE, nearest_root

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(slots=True)
class GoalsRoot:
    """The goals root, how to show its paths, and what lies below it."""

    path: Path
    display: str  # the root as the user reaches it: given on the command line, or relative to cwd
    files: list[str] = field(default_factory=list)  # relative POSIX paths in read order
    skipped: list[str] = field(default_factory=list)  # notes on what was not read, and why
    _real: Path | None = field(default=None, repr=False, compare=False)  # real_path, once worked out

    @property
    def real_path(self) -> Path:
        """The root with every link resolved, what no link may lead out of (worked out once a run, not per file)."""
        if self._real is None:
            self._real = self.path.resolve()
        return self._real

    def display_path(self, relative: str) -> str:
        relative = printable(relative)
        return relative if self.display in ("", ".") else f"{self.display.rstrip('/')}/{relative}"

    @property
    def settings_file(self) -> Path:
        return self.path / SETTINGS_FILE


def printable(path: str) -> str:
    """A path as text every output can hold.

    A file name is bytes: os.walk keeps bytes that are not UTF-8 as lone
    surrogates, which JSON, XML and a UTF-8 stdout cannot carry. They are
    shown as U+FFFD, and control characters (a newline, an escape sequence)
    as \\xNN, invisible format characters (a bidi override) as \\uNNNN; the
    file is still read by its real name.
    """
    text = path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _CONTROL.sub(escape_character, text) if _CONTROL.search(text) else text


_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{FORMAT_CHARACTERS}]")


def find_root(given: str | None, cwd: Path | None = None) -> tuple[Path, str]:
    """The goals root and its display form.

    With no path: the nearest folder at or above cwd holding catchball.yaml,
    failing that ./goals.
    """
    cwd = cwd or Path.cwd()
    if given is not None:
        if not given.strip():  # Path("") is ".", which would then be shown as "/"
            raise NoGoalsError("an empty path: give a folder (the goals root), or leave the path out")
        path = Path(given)
        display = given.rstrip("/") or "/"
    else:
        path = nearest_root(cwd)
        display = os.path.relpath(path, cwd)
    display = printable(display)
    if not path.exists():
        if given is None:  # the user named no folder: say where catchball looked
            raise NoGoalsError(
                f"no goals root found: no {SETTINGS_FILE} here or in a folder above, and no folder {display} here "
                "(give the goals root folder as the path)"
            )
        raise NoGoalsError(f"no such folder: {display}")
    if not path.is_dir():
        raise NoGoalsError(f"not a folder: {display} (give the goals root folder)")
    return path, display


def discover(given: str | None, cwd: Path | None = None) -> GoalsRoot:
    """Every goals file below the root, sorted by relative path in byte order."""
    path, display = find_root(given, cwd)
    root = GoalsRoot(path, display)
    real_root = root.real_path
    found = []
    # os.walk does not follow symlinked folders, so a link loop cannot trap us.
    for folder, dirs, files in os.walk(path, onerror=lambda exc: root.skipped.append(_walk_error(exc, path))):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for d in dirs:
            if os.path.islink(os.path.join(folder, d)):
                root.skipped.append(f"{_rel(os.path.join(folder, d), path)}: a symlinked folder, not followed")
        for name in files:
            if name.startswith(".") or not name.endswith(YAML_SUFFIXES):
                continue
            full = os.path.join(folder, name)
            relative = _rel(full, path)
            if os.path.islink(full):
                try:
                    target = Path(full).resolve()
                except (OSError, RuntimeError):  # a symlink loop
                    root.skipped.append(f"{relative}: a symlink loop, not read")
                    continue
                if not target.is_relative_to(real_root):
                    root.skipped.append(f"{relative}: a symlink to outside the goals root, not followed")
                    continue
                if not target.is_file():
                    root.skipped.append(f"{relative}: a symlink that points to no file, not read")
                    continue
            found.append(relative)
    found.sort(key=lambda rel: rel.encode("utf-8", "surrogateescape"))
    # notes in path order too, not in the order the file system lists entries
    # (which follows the order they were created in)
    root.skipped.sort(key=lambda note: note.encode("utf-8", "surrogateescape"))
    root.files = found
    return root


def _rel(full: str, root: Path) -> str:
    return Path(os.path.relpath(full, root)).as_posix()


def _walk_error(exc: OSError, root: Path) -> str:
    where = _rel(exc.filename, root) if exc.filename else str(root)
    return f"{where}: cannot be listed ({exc.strerror or exc})"
