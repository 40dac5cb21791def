"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run; `tool.driver.rules` lists every rule with its documentation (so a
viewer can explain a result without catchball), and each result points at
the element it is about.

Paths: inside a git repository, `artifactLocation.uri` is the finding's
file from the repository's top level, percent-encoded, relative to
`%SRCROOT%` (the repository root, which is what GitHub needs), wherever
catchball ran and however the path was given. Outside one it is the file
as catchball prints it, relative to `%SRCROOT%`, and an absolute path
becomes a `file://` URI with no base.

Findings without a place of their own (CB108 "no teams are defined") are
put at line 1 of catchball.yaml (see formats/placement.py): GitHub drops
results that name no file.

With `--diff`, each result carries `baselineState` ("new" or "unchanged").
"""

from __future__ import annotations

import os
from typing import TextIO
from urllib.parse import quote

from catchball import __version__
from catchball.findings import Finding
from catchball.formats.json import write as write_json
from catchball.formats.placement import RepositoryPaths, place
from catchball.links import REPOSITORY_URL, rule_url
from catchball.rules.docs import help_markdown, help_text, prose
from catchball.rules.registry import all_rules

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SOURCE_ROOT = "%SRCROOT%"


def artifact_location(path: str) -> dict:
    """A SARIF artifactLocation for a path as catchball prints it."""
    posix = path.replace(os.sep, "/")
    if os.path.isabs(path):
        return {"uri": "file://" + quote(posix if posix.startswith("/") else "/" + posix, safe="/:")}
    return {"uri": quote(posix, safe="/"), "uriBaseId": SOURCE_ROOT}


def rule_descriptor(rule) -> dict:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": prose(rule.sections["What it checks"])},
        "help": {"text": help_text(rule), "markdown": help_markdown(rule)},
        "helpUri": rule_url(rule.code, rule.name),
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"tags": [rule.family]},
    }


def result_record(
    result, f: Finding, rule_index: dict[str, int], baseline: dict | None, paths=None, locations: dict | None = None
) -> dict:
    """One SARIF result. `locations` keeps each file's artifactLocation, shared by the results in it."""
    record = {
        "ruleId": f.code,
        "ruleIndex": rule_index[f.code],
        "level": LEVEL[f.severity],
        "message": {"text": f.message},
    }
    file, line, column = place(result, f, paths)
    if file is not None:
        record["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": _location_of(file, locations),
                    "region": {"startLine": line, "startColumn": column},
                }
            }
        ]
    if baseline is not None:
        record["baselineState"] = baseline[id(f)]
    return record


def _location_of(file: str, locations: dict | None) -> dict:
    if locations is None:
        return artifact_location(file)
    known = locations.get(file)
    if known is None:
        known = locations[file] = artifact_location(file)
    return known


def document(result) -> dict:
    rules = list(all_rules().values())
    rule_index = {rule.code: i for i, rule in enumerate(rules)}
    paths = RepositoryPaths(result)
    locations: dict[str, dict] = {}  # a file -> its artifactLocation: percent-encoded once
    diff = result.diff
    baseline = None
    if diff is not None:
        baseline = {id(f): "new" for f in diff.introduced}
        baseline.update({id(f): "unchanged" for f in diff.unchanged})
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "catchball",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": REPOSITORY_URL,
                        "rules": [rule_descriptor(rule) for rule in rules],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [result_record(result, f, rule_index, baseline, paths, locations) for f in result.findings],
            }
        ],
    }


def emit(result, out: TextIO) -> None:
    write_json(document(result), out)
