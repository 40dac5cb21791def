"""Writing files safely: all or nothing, and never over a file we may not touch."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from catchball.errors import CatchballError
from catchball.load.discover import YAML_SUFFIXES, printable


def write_atomic(path: str | os.PathLike, text: str) -> None:
    """Write `text` to `path` so that readers see the old file or the new, never half.

    The text goes to a temporary file beside the target, is flushed to disk,
    then renamed over it. A missing folder, a read-only target or a full disk
    raise CatchballError and leave any previous file as it was.

    A symlink keeps pointing where it did: the file it names is replaced. A
    device or a pipe (`-o /dev/stdout`, a FIFO) cannot be replaced, and must
    never be (as root, renaming over /dev/full would delete the device): it
    is written to directly.
    """
    target = Path(path)
    try:
        kind = os.stat(target).st_mode
    except OSError:
        kind = None
    if kind is not None and not stat.S_ISREG(kind) and not stat.S_ISDIR(kind):
        _write_stream(target, text.encode("utf-8"))
        return
    escape = _link_out(target)
    if escape is not None:
        raise CatchballError(escape)
    if kind is not None and target.is_symlink():
        target = Path(os.path.realpath(target))
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise CatchballError(f"cannot write {target}: folder {folder} does not exist")
    if target.is_dir():
        raise CatchballError(f"cannot write {target}: it is a folder")
    # Root may write anything, so os.access alone would let `-o` replace a
    # file someone made read-only (chmod a-w) to protect it: no write bit
    # for anyone means read-only, for root too.
    if target.exists() and (not os.access(target, os.W_OK) or not target.stat().st_mode & 0o222):
        raise CatchballError(f"cannot write {target}: the file is read-only")
    data = text.encode("utf-8")
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise CatchballError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(temporary, target.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except OSError as exc:
        _remove_quietly(temporary)
        raise CatchballError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        _remove_quietly(temporary)
        raise


def _link_out(given: Path) -> str | None:
    """Why writing `given` would follow a symlink out of where it was aimed, or None.

    A pull request can commit `catchball.sarif` (or a folder on the way to
    it) as a symlink to any file the CI runner may write: a link is followed
    only to a file inside the current folder, or, for a path outside it,
    inside the folder the path names.
    """
    lexical = Path(os.path.abspath(given))
    real = Path(os.path.realpath(given))
    if real == lexical:
        return None
    here = Path(os.getcwd())
    base = here if lexical.is_relative_to(here) else lexical.parent
    real_base = Path(os.path.realpath(base))
    if real.is_relative_to(real_base):
        return None
    return (
        f"will not write {printable(str(given))}: a symlink on the way leads out of {printable(str(base))} "
        f"(to {printable(str(real))}); remove the link, or give the path of the file itself"
    )


def reads_as_goals(path: str | os.PathLike, root: Path) -> bool:
    """Whether `path` is (or would become) a file read from the goals root `root`."""
    real = Path(os.path.realpath(path))
    return real.name.endswith(YAML_SUFFIXES) and real.is_relative_to(Path(os.path.realpath(root)))


def _remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _write_stream(target: Path, data: bytes) -> None:
    try:
        with open(target, "wb") as handle:
            handle.write(data)
            handle.flush()
    except OSError as exc:
        raise CatchballError(f"cannot write {target}: {exc.strerror or exc}") from None
