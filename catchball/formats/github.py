"""`--format github`: GitHub Actions workflow commands, one per finding.

GitHub shows only the first ten annotations of each kind per step, so the
full list follows as plain lines for the log.
"""

from __future__ import annotations

from typing import TextIO

from catchball.findings import Finding, one_line
from catchball.formats.placement import RepositoryPaths
from catchball.metrics import severity_counts

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(f: Finding, paths=None) -> str:
    """The workflow command; `paths` (a RepositoryPaths) gives the file from the repository root."""
    props = []
    if f.file is not None:
        props.append(f"file={escape_property(paths(f.file) if paths is not None else f.file)}")
        props.append(f"line={f.line}")
        props.append(f"col={f.column}")
    props.append(f"title={escape_property(f'{f.code} {f.name}')}")
    return f"::{COMMAND[f.severity]} {','.join(props)}::{escape_data(f.message)}"


def emit(result, out: TextIO) -> None:
    paths = RepositoryPaths(result)
    for f in result.findings:
        out.write(command(f, paths) + "\n")
    for f in result.findings:
        where = f"{f.where()}: " if f.file is not None else ""
        out.write(f"{where}{f.code} [{f.severity}] {one_line(f.message)}\n")
    s = result.summary()
    out.write(f"catchball: {severity_counts(s['errors'], s['warnings'], s['infos'])}\n")
