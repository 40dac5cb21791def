"""`--format gitlab`: a GitLab Code Quality report (a JSON array of issues).

Each issue has `description`, `check_name` (the rule code), `fingerprint`,
`severity` and `location` (`path`, `lines.begin`). Severities map as
error -> major, warning -> minor, info -> info. The fingerprint is stable
across runs: it is built from the rule and the element id (or, for findings
without an id, the message and file), not the line, so editing other lines
or moving an element to another file does not make GitLab report it as new
(catchball/identity.py).
"""

from __future__ import annotations

from typing import TextIO

from catchball.formats.json import write as write_json
from catchball.formats.placement import place
from catchball.identity import fingerprints

SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def issues(result) -> list[dict]:
    records = []
    for f, fingerprint in zip(result.findings, fingerprints(result.findings)):
        file, line, _ = place(result, f)
        records.append(
            {
                "description": f"{f.code} {f.name}: {f.message}",
                "check_name": f.code,
                "fingerprint": fingerprint,
                "severity": SEVERITY[f.severity],
                "location": {"path": file or ".", "lines": {"begin": line}},
            }
        )
    return records


def emit(result, out: TextIO) -> None:
    write_json(issues(result), out)
