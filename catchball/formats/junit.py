"""`--format junit`: JUnit XML for Jenkins, GitLab and other test reporters.

The shape ruff writes: `<testsuites>` holding one `<testsuite>` per file,
with one `<testcase>` per finding. A finding that fails the run carries a
`<failure>` (its `type` is the severity): errors, and warnings with
`--strict`. The others are passing test cases with the message in
`<system-out>`, so the file agrees with the exit code: a run that exits 0
shows no failed test, and Jenkins does not mark the build unstable. Every file that was read gets a suite, and a file with
no findings a passing test case, so a clean repository shows green tests
instead of none.

The file is valid against the JUnit schema of Jenkins' xunit plugin
(junit-10.xsd; tests/schemas/): a test case carries only its name and class
name, so the file goes on its suite (`<testsuite file=..>`) and the line and
column into the failure or output text (docs/ci.md says why).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from catchball.findings import Finding
from catchball.formats.placement import place

# Characters XML 1.0 cannot hold even escaped (file names may contain them).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def class_name(file: str) -> str:
    """goals/objectives/surgery.yaml -> goals.objectives.surgery (how reporters group tests)."""
    stem = re.sub(r"\.ya?ml$", "", file)
    return ".".join(part for part in stem.replace("\\", "/").split("/") if part not in ("", "."))


def testcase(suite: ET.Element, file: str, f: Finding, line: int, column: int, fails: bool, classname: str) -> None:
    """One finding's test case; `classname` is the file's clean(class_name(file)), worked out once per file."""
    label = f"{f.code} {f.name}" + (f" ({f.id})" if f.id is not None else "")
    case = ET.SubElement(suite, "testcase", name=clean(label), classname=classname)
    detail = clean(f"{file}:{line}:{column}: {f.code} [{f.severity}] {f.message}")
    if not fails:
        ET.SubElement(case, "system-out").text = detail
    else:
        failure = ET.SubElement(case, "failure", message=clean(f.message), type=f.severity)
        failure.text = detail


# The suite of findings with no file to stand for (a repository with no
# catchball.yaml and no goals file): goals files end in .yaml, so no file has this name.
NO_FILE = "catchball"


def document(result) -> ET.Element:
    by_file: dict[str, list] = {}
    for file in result.goals.files:
        by_file.setdefault(file, [])
    for f in result.findings:
        file, line, column = place(result, f)
        by_file.setdefault(file or NO_FILE, []).append((f, line, column))
    root = ET.Element("testsuites", name="catchball")
    total = failed = 0
    for file in sorted(by_file):
        entries = by_file[file]
        failures = sum(1 for f, _, _ in entries if result.fails(f))
        tests = len(entries) or 1
        suite = ET.SubElement(
            root, "testsuite", name=clean(file), tests=str(tests), failures=str(failures), errors="0", skipped="0"
        )
        if file != NO_FILE:
            suite.set("file", clean(file))
        classname = clean(class_name(file))
        if not entries:
            ET.SubElement(suite, "testcase", name="no findings", classname=classname)
        for f, line, column in entries:
            testcase(suite, file, f, line, column, result.fails(f), classname)
        total += tests
        failed += failures
    if not by_file:
        suite = ET.SubElement(root, "testsuite", name="catchball", tests="1", failures="0", errors="0", skipped="0")
        ET.SubElement(suite, "testcase", name="no findings", classname="catchball")
        total = 1
    root.set("tests", str(total))
    root.set("failures", str(failed))
    root.set("errors", "0")
    return root


def emit(result, out: TextIO) -> None:
    root = document(result)
    ET.indent(root, space="  ")
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
