"""Making a Plan's changes in the YAML text, keeping what people wrote around them.

ruamel.yaml reads each file as a round-trip document: comments, key order,
quoting, block or flow style and folded text survive, and only the keys
the import changes are rewritten (the example trust's files load and dump
back byte for byte). Each file's list indentation is measured from the
file itself, so a file written `- id:` at the margin stays that way.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from catchball.errors import CatchballError
from catchball.load.limits import LimitExceeded, read_bounded
from catchball.workbook.plan import Edit, NewElement, Plan

SETTINGS_FILE = "catchball.yaml"
# Where an objective's owner goes among its keys: after its title.
_OWNER_AFTER = "title"


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file the import writes: its path under the goals root, the text before (None: new) and after."""

    path: str
    before: str | None
    after: str

    def diff(self, display_root: str) -> str:
        shown = self.path if display_root in ("", ".") else f"{display_root.rstrip('/')}/{self.path}"
        before = self.before.splitlines(keepends=True) if self.before is not None else []
        lines = difflib.unified_diff(
            before, self.after.splitlines(keepends=True),
            fromfile="/dev/null" if self.before is None else f"a/{shown}", tofile=f"b/{shown}",
        )
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def file_changes(root: Path, plan: Plan) -> list[FileChange]:
    """The new text of every file the plan touches, in path order (nothing is written)."""
    by_file: dict[str, tuple[list[Edit], list[NewElement]]] = {}
    for edit in plan.edits:
        by_file.setdefault(edit.file, ([], []))[0].append(edit)
    for element in plan.new:
        by_file.setdefault(element.file, ([], []))[1].append(element)
    changes = _data_files(root, plan)
    if plan.settings:
        changes.append(FileChange(SETTINGS_FILE, None, _dump(_yaml(0), plan.settings)))
    for relative in sorted(by_file):
        edits, new = by_file[relative]
        path = root / relative
        before = _read(path, relative) if path.exists() else None
        after = _changed_text(relative, before, edits, new)
        if after != before:
            changes.append(FileChange(relative, before, after))
    return changes


def _data_files(root: Path, plan: Plan) -> list[FileChange]:
    """Series with notes or phase breaks go to a CSV file of their own (inline data holds numbers only)."""
    files = []
    taken: set[str] = set()
    owners = [(e.values["id"], e.values.get("measures", [])) for e in plan.new]
    owners += [(e.id, e.set.get("measures", [])) for e in plan.edits]
    for owner, measures in owners:
        for number, measure in enumerate(measures, 1):
            series = measure.get("data")
            if not isinstance(series, list) or not any(p[2] is not None or p[3] for p in series):
                continue
            stem = f"data/{_safe_name(owner)}-{_safe_name(measure.get('id') or str(number))}"
            path, n = f"{stem}.csv", 1
            while path in taken or (root / path).exists():
                n += 1
                path = f"{stem}-{n}.csv"
            taken.add(path)
            files.append(FileChange(path, None, _series_csv(series)))
            measure["data"] = path
    return files


def _series_csv(series: list[tuple]) -> str:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["period", "value", "note", "recalculate"])
    for period, value, note, recalculate in series:
        writer.writerow([period, "" if value is None else repr(value), note or "", "yes" if recalculate else ""])
    return out.getvalue()


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "-", text).lstrip(".") or "measure"


def _read(path: Path, relative: str) -> str:
    try:
        return read_bounded(path).decode("utf-8")  # a BOM stays in the text, and is written back
    except (OSError, LimitExceeded, UnicodeDecodeError) as exc:
        raise CatchballError(f"cannot edit {relative}: {exc}") from None


def _changed_text(relative: str, before: str | None, edits: list[Edit], new: list[NewElement]) -> str:
    if before is None:
        return _new_file(new)
    # ruamel writes "\n" and no byte-order mark: a file written with CRLF or
    # a BOM keeps them, so the diff shows only what the import changed.
    bom = "\ufeff" if before.startswith("\ufeff") else ""
    crlf = "\r\n" in before
    text = _edited_text(relative, before.removeprefix(bom).replace("\r\n", "\n"), edits, new)
    return bom + (text.replace("\n", "\r\n") if crlf else text)


def _edited_text(relative: str, before: str, edits: list[Edit], new: list[NewElement]) -> str:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    offset = _list_offset(before) if before else 2
    editor = _yaml(offset)
    if not before.strip():
        document = CommentedMap()
    else:
        try:
            document = editor.load(before)
        except Exception as exc:  # ruamel's errors have no common base we could name
            raise CatchballError(f"cannot edit {relative}: it is not valid YAML ({type(exc).__name__}); fix it first") from None
        if not isinstance(document, CommentedMap):
            raise CatchballError(f"cannot edit {relative}: it is not a mapping of goals; fix it first")
    for edit in edits:
        element = _find(document, edit, relative)
        for key in edit.remove:
            element.pop(key, None)
        for key, value in edit.set.items():
            element[key] = _node(key, value)
    for element in new:
        section = document.get(element.section)
        if not isinstance(section, CommentedSeq):
            section = CommentedSeq()
            document[element.section] = section
        section.append(_element(document, element))
    return _dump(editor, document)


def _new_file(new: list[NewElement]) -> str:
    """A file nobody has written yet: plain PyYAML, much faster than ruamel's round-trip dumper.

    Block style, ids lists in flow style (`supports: [TN-SAFE]`), text with
    line breaks as a literal block.
    """
    document: dict = {}
    owners = {e.owner for e in new}
    if len(owners) == 1 and new[0].owner is not None and new[0].owner[0] == "team":
        document["team"] = new[0].owner[1]  # a new team file says whose objectives it holds once
    for element in new:
        values = dict(element.values)
        if "measures" in values:
            values["measures"] = [_plain_measure(m) for m in values["measures"]]
        if "supports" in values:
            values["supports"] = _FlowList(values["supports"])
        if element.owner is not None and document.get(element.owner[0]) != element.owner[1]:
            values = _with_owner(values, element.owner)
        document.setdefault(element.section, []).append(values)
    return yaml.dump(document, Dumper=_NewFileDumper, sort_keys=False, allow_unicode=True, width=4096,
                     default_flow_style=False)


def _plain_measure(measure: dict) -> dict:
    data = measure.get("data")
    if isinstance(data, list):
        return {**measure, "data": {period: number for period, number, _, _ in data}}
    return measure


def _with_owner(values: dict, owner: tuple[str, str]) -> dict:
    out = {}
    for key, value in values.items():
        out[key] = value
        if key == _OWNER_AFTER:
            out[owner[0]] = owner[1]
    out.setdefault(owner[0], owner[1])
    return out


# libyaml's emitter when PyYAML has it: 3 times the pure-Python one on a
# 1,000-staff trust (2.2 s against 7 s), and it writes lists at their key's
# margin (`- id:`), which every YAML reader takes.
_NewFileDumper = type("_NewFileDumper", (getattr(yaml, "CSafeDumper", yaml.SafeDumper),), {})


class _FlowList(list):
    """`supports: [TN-SAFE, SURG-1]` on one line."""


def _represent_text(dumper, text: str):
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None)


def _represent_flow_list(dumper, value: list):
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_NewFileDumper.add_representer(_FlowList, _represent_flow_list)

_NewFileDumper.add_representer(str, _represent_text)


def _find(document, edit: Edit, relative: str):
    section = document.get(edit.section)
    for item in section or ():
        if getattr(item, "lc", None) is not None and item.lc.line == edit.line - 1:
            return item
    raise CatchballError(f"cannot edit {relative}: {edit.id} is no longer at line {edit.line}; was the file changed?")


def _element(document, element: NewElement):
    from ruamel.yaml.comments import CommentedMap

    mapping = CommentedMap()
    owner_key = None
    if element.owner is not None:
        kind, owner_id = element.owner
        if document.get(kind) != owner_id or (kind == "team" and document.get("person") is not None):
            owner_key = (kind, owner_id)
    for key, value in element.values.items():
        mapping[key] = _node(key, value)
        if owner_key is not None and key == _OWNER_AFTER:
            mapping[owner_key[0]] = owner_key[1]
            owner_key = None
    if owner_key is not None:
        mapping[owner_key[0]] = owner_key[1]
    return mapping


def _node(key: str, value):
    """A value as ruamel should write it: lists of ids in flow style, measures as block mappings."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    if key == "supports":
        seq = CommentedSeq(value)
        seq.fa.set_flow_style()
        return seq
    if key == "measures":
        seq = CommentedSeq()
        for measure in value:
            mapping = CommentedMap()
            for name, item in measure.items():
                mapping[name] = _node(name, item)
            seq.append(mapping)
        return seq
    if key == "data" and isinstance(value, list):  # inline: period -> number
        series = CommentedMap()
        for period, number, _, _ in value:
            series[period] = number
        return series
    if isinstance(value, str) and "\n" in value.rstrip("\n"):
        return LiteralScalarString(value)
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _yaml(offset: int):
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long title someone wrote on one line
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    return yaml


def _dump(yaml, document) -> str:
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def _list_offset(text: str) -> int:
    """How far a file indents its list dashes under a key: 2 for `  - id:`, 0 for `- id:`."""
    match = re.search(r"^[A-Za-z_][\w-]*:[ \t]*(#.*)?\n(?:[ \t]*(?:#.*)?\n)*( *)- ", text, re.M)
    return len(match.group(2)) if match else 2
