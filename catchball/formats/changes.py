"""Formats for `catchball check --diff REV`: what the change introduces and resolves.

`text` shows the introduced findings, the resolved ones (where they were at
REV), the unchanged ones (only their number with --new-only), and the
strategy drift. `json` is the usual v1 document (its `findings` and
`summary` cover what `--new-only` keeps) plus a `diff` key. `markdown`
handles a diff itself; the other formats (github, sarif, junit, gitlab)
show the findings the result keeps, all of them or only the introduced ones
with --new-only.
"""

from __future__ import annotations

from typing import Callable, TextIO

from rich.console import Console
from rich.markup import escape

from catchball.findings import finding_record, one_line, visible
from catchball.metrics import severity_counts
from catchball.formats import emitter as plain_emitter
from catchball.formats.json import document as json_document
from catchball.formats.json import write as write_json

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
DRIFT_ORDER = ("added", "dropped", "re-parented", "changed")


def base_label(changes) -> str:
    return f"{changes.base} ({changes.commit[:10]})"


def counts(findings) -> str:
    n = {s: sum(1 for f in findings if f.severity == s) for s in STYLE}
    return severity_counts(n['error'], n['warning'], n['info'])


def emit_text(result, out: TextIO) -> None:
    changes = result.diff
    console = Console(file=out, highlight=False, soft_wrap=True)

    def findings(title: str, items, style: str, note: str = "") -> None:
        console.print(f"[{style}]{escape(title)} ({len(items)})[/]{escape(note)}")
        for f in items:
            where = f"{f.file}:{f.line}:{f.column}" if f.file else "-"
            message = escape(one_line(f.message))
            console.print(f"  {escape(where)} [{STYLE[f.severity]}]{f.code}[/] {message} [dim]({f.name})[/]")
        console.print()

    console.print(f"[bold]Compared with {escape(base_label(changes))}[/]")
    if not changes.base_found:
        console.print(f"No goals at {escape(changes.base)}: every finding is new.")
    console.print()
    findings("Introduced by this change", changes.introduced, "bold")
    findings("Resolved by this change", changes.resolved, "bold green", f", shown where they were at {changes.base}")
    if result.new_only:
        console.print(f"[dim]Unchanged: {len(changes.unchanged)} findings were already there at {escape(changes.base)}.[/]")
        console.print()
    else:
        findings(f"Already there at {changes.base}", changes.unchanged, "dim")
    drift_text(console, changes)
    line = (
        f"{counts(changes.introduced)} introduced; {len(changes.resolved)} resolved; "
        f"{len(changes.unchanged)} unchanged."
    )
    worst = "bold red" if any(f.severity == "error" for f in changes.introduced) else "green"
    console.print(f"[{worst}]{escape(line)}[/]")


def drift_text(console: Console, changes) -> None:
    console.print(f"[bold]Strategy drift since {escape(changes.base)} ({len(changes.drift)})[/]")
    if not changes.drift:
        console.print("  none: no aim or objective was added, dropped, re-parented or changed")
    width = max((len(d.kind) for d in changes.drift), default=0)
    for element in ("aim", "objective"):
        items = [d for d in changes.drift if d.element == element]
        items.sort(key=lambda d: DRIFT_ORDER.index(d.kind))
        for d in items:
            title = f"  {d.title}" if d.title else ""
            # Titles and ids come straight from the goals: no escape sequences, no line breaks.
            shown = visible(one_line(f"{d.id}{title}: {d.detail}"))
            console.print(f"  {d.kind:<{width}}  {element} {escape(shown)}")
    console.print()


def diff_record(changes) -> dict:
    return {
        "base": changes.base,
        "commit": changes.commit,
        "base_found": changes.base_found,
        "introduced": [finding_record(f) for f in changes.introduced],
        "resolved": [finding_record(f) for f in changes.resolved],
        "unchanged": len(changes.unchanged),
        "drift": [d.record() for d in changes.drift],
    }


def emit_json(result, out: TextIO) -> None:
    doc = json_document(result)
    doc["diff"] = diff_record(result.diff)
    write_json(doc, out)


DIFF_EMITTERS: dict[str, Callable[[object, TextIO], None]] = {"text": emit_text, "json": emit_json}


def emitter(name: str) -> Callable[[object, TextIO], None]:
    """The emit function for a diff result in format `name`."""
    return DIFF_EMITTERS.get(name) or plain_emitter(name)
