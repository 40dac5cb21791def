"""The examples of `report`, `trace`, `status` and `capability` in the README and docs are real output.

Each example is run again on the example goals and every line it shows
must appear in what the command prints today, in the same order and with
nothing in between unless a `…` or `...` line marks what an excerpt leaves
out. The git revision in a report's
header is the only thing that may differ. JSON examples, which shorten
records, are compared by their keys.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCS = ("README.md", "docs/commands.md", "docs/capability.md", "docs/measures.md")
COMMANDS = ("report", "trace", "status", "capability", "measures")
SKIPPED = {"…", "..."}
DAY_EPOCH = "1795392000"  # 2026-11-23, the date in the examples
_REVISION = re.compile(r" at revision `[0-9a-f]+`( with uncommitted changes)?")  # absent outside git
_FENCE = re.compile(r"^(`{3,4})(console|markdown)\n(.*?)\n\1$", re.S | re.M)


def examples() -> list[tuple[str, list[str], list[str]]]:
    """(document, command arguments, the lines shown) for each example of the three commands."""
    found = []
    for name in DOCS:
        text = (REPO / name).read_text(encoding="utf-8")
        for match in _FENCE.finditer(text):
            kind, body = match.group(2), match.group(3).split("\n")
            if kind == "markdown":  # the command is named just before the block: `catchball report ...`
                named = re.findall(r"`(catchball report [^`]*)`", text[max(match.start() - 400, 0):match.start()])
                if named:
                    found.append((name, shlex.split(named[-1])[1:], body))
                continue
            found += console_examples(name, body)
    return found


def console_examples(name: str, lines: list[str]) -> list[tuple[str, list[str], list[str]]]:
    """Split a console block into its commands; a report written with -o is shown by the `head` after it."""
    found, command, shown, written = [], None, [], None
    for line in lines + ["$ end"]:
        if not line.startswith("$ "):
            shown.append(line)
            continue
        if command is not None and shown:
            found.append((name, command, shown))
        command, shown = None, []
        words = shlex.split(line[2:])
        if words[:1] == ["catchball"] and words[1:2] and words[1] in COMMANDS:
            command = words[1:]
            if "-o" in command:
                at = command.index("-o")
                written = (command[at + 1], command[:at] + command[at + 2:])
                command = None
        elif words[:1] == ["head"] and written and words[-1] == written[0]:
            command, written = written[1], None
    return found


def assert_excerpt(shown, real, where: str) -> None:
    """`shown` is `real` shortened: "…" items mark left-out list items, a "..." key left-out fields."""
    if isinstance(shown, dict):
        assert isinstance(real, dict), where
        keys = [k for k in shown if k != "..."]
        if "..." not in shown:
            assert keys == list(real), where
        for key in keys:
            assert key in real, f"{where}.{key}"
            assert_excerpt(shown[key], real[key], f"{where}.{key}")
    elif isinstance(shown, list):
        assert isinstance(real, list), where
        position, gap = 0, False
        for item in shown:
            if item == "…":
                gap = True
                continue
            if gap:
                position = next((i for i in range(position, len(real)) if _matches(item, real[i])), None)
                assert position is not None, f"{where}: {item!r} not printed (or out of order)"
            else:
                assert position < len(real), f"{where}: {item!r} not printed"
                assert_excerpt(item, real[position], f"{where}[{position}]")
            position, gap = position + 1, False
        if not gap:
            assert position == len(real), f"{where}: {len(real) - position} more items printed than shown"
    else:
        assert shown == real, where


def _matches(shown, real) -> bool:
    try:
        assert_excerpt(shown, real, "")
    except AssertionError:
        return False
    return True


def ids(example) -> str:
    return f"{example[0]}: {' '.join(example[1])}"


EXAMPLES = examples()


def test_the_docs_have_examples_of_every_command():
    assert {args[0] for _, args, _ in EXAMPLES} == set(COMMANDS)


@pytest.mark.parametrize("example", EXAMPLES, ids=ids)
def test_an_example_matches_what_the_command_prints(example, cli, monkeypatch):
    _, args, shown = example
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY_EPOCH)
    result = cli(*args)
    printed = _REVISION.sub("", result.stdout + result.stderr)
    if "json" in args:
        assert_excerpt(json.loads("\n".join(shown)), json.loads(printed), "$")
        return
    lines = printed.split("\n")
    position, gap = 0, False
    for line in shown:
        if line.strip() in SKIPPED or (gap and not line.strip()):  # a gap runs on to the next line of text
            gap = True
            continue
        line = _REVISION.sub("", line)
        if gap:
            assert line in lines[position:], f"not printed (or out of order): {line!r}"
            position = lines.index(line, position)
        else:
            assert lines[position:position + 1] == [line], f"printed {lines[position:position + 1]}, shown {line!r}"
        position, gap = position + 1, False
