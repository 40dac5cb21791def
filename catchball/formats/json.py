"""`--format json`: the spec's one JSON document, keys in a stable order."""

from __future__ import annotations

import json
from typing import TextIO

from catchball.findings import Finding


def finding_record(f: Finding) -> dict:
    return {
        "code": f.code,
        "name": f.name,
        "severity": f.severity,
        "message": f.message,
        "id": f.id,
        "file": f.file,
        "line": f.line,
        "column": f.column,
    }


def document(result) -> dict:
    return {
        "version": 1,
        "root": result.goals.display_root,
        "summary": result.summary(),
        "findings": [finding_record(f) for f in result.findings],
    }


def emit(result, out: TextIO) -> None:
    json.dump(document(result), out, indent=2, ensure_ascii=False)
    out.write("\n")
