"""What makes two findings "the same finding" across runs and revisions.

Lines move when files are edited and elements move between files, so a
finding is known by its rule and the id of the element it is about. A
finding with no element id (a YAML syntax error, an unknown top-level key)
is known by its rule and message instead. `catchball check --diff` matches
findings by this key, and the GitLab fingerprint is built from it.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Iterable

from catchball.findings import Finding


def finding_key(f: Finding) -> tuple[str, str, str]:
    """(code, "id", element id) or (code, "message", message)."""
    if f.id is not None:
        return (f.code, "id", f.id)
    return (f.code, "message", f.message)


def fingerprints(findings: Iterable[Finding]) -> list[str]:
    """A stable, unique hex fingerprint for each finding, in the same order.

    The key above, plus an occurrence number so that two findings with the
    same key (rare: one id defined three times) still differ. Findings
    without an id also take their file, since the same message in two
    files is two problems.
    """
    seen: Counter = Counter()
    result = []
    for f in findings:
        parts = finding_key(f)
        if f.id is None:
            parts += (f.file or "",)
        seen[parts] += 1
        text = "\0".join(("catchball/v1", *parts, str(seen[parts])))
        result.append(hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest())
    return result
