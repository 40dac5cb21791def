"""`--format markdown`: findings as GitHub-flavoured Markdown, for job summaries and PR comments.

    catchball check --format markdown goals >> "$GITHUB_STEP_SUMMARY"

A headline with the counts, then a table of findings. With `--diff REV`:
the findings the change introduces and resolves, the ones already there
(folded away), and the strategy drift since REV. Every piece of text from
the goals is escaped, so a title cannot break the table or inject markup.
"""

from __future__ import annotations

import re
from typing import TextIO

from catchball.findings import visible
from catchball.metrics import scope_text, severity_counts
from catchball.formats.changes import DRIFT_ORDER, base_label, counts

MARK = {"error": "error", "warning": "warning", "info": "info"}


def cell(text: object) -> str:
    """Text safe inside a table cell: no markup, no column breaks, no raw HTML."""
    text = visible(str(text))
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([`*_\[\]])", r"\\\1", text)
    return text.replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>")


def findings_table(findings) -> list[str]:
    if not findings:
        return ["None.", ""]
    lines = ["| severity | rule | finding | where |", "|---|---|---|---|"]
    for f in findings:
        where = f"{f.file}:{f.line}:{f.column}" if f.file else "(repository)"
        lines.append(f"| {MARK[f.severity]} | {f.code} {f.name} | {cell(f.message)} | {cell(where)} |")
    return lines + [""]


def scope(result) -> str:
    s = result.summary()
    return scope_text(s)


def drift_section(changes) -> list[str]:
    lines = [f"### Strategy drift since {cell(changes.base)}", ""]
    if not changes.drift:
        return lines + ["No aim or objective was added, dropped, re-parented or changed.", ""]
    lines += ["| change | element | title | detail |", "|---|---|---|---|"]
    for element in ("aim", "objective"):
        items = sorted((d for d in changes.drift if d.element == element), key=lambda d: DRIFT_ORDER.index(d.kind))
        for d in items:
            lines.append(f"| {d.kind} | {element} {cell(d.id)} | {cell(d.title or '')} | {cell(d.detail)} |")
    return lines + [""]


def emit(result, out: TextIO) -> None:
    changes = result.diff
    lines = ["## catchball check", ""]
    if changes is None:
        s = result.summary()
        headline = severity_counts(s['errors'], s['warnings'], s['infos'])
        lines += [f"**{headline}** in {scope(result)}.", ""]
        lines += findings_table(result.findings)
    else:
        lines += [
            f"Compared with {cell(base_label(changes))}: **{counts(changes.introduced)} introduced**, "
            f"{len(changes.resolved)} resolved, {len(changes.unchanged)} unchanged, in {scope(result)}.",
            "",
        ]
        if not changes.base_found:
            lines += [f"No goals at {cell(changes.base)}: every finding is new.", ""]
        lines += ["### Introduced by this change", ""] + findings_table(changes.introduced)
        lines += ["### Resolved by this change", "", f"Shown where they were at {cell(changes.base)}.", ""]
        lines += findings_table(changes.resolved)
        if not result.new_only and changes.unchanged:
            lines += [
                "<details>",
                f"<summary>Already there at {cell(changes.base)} ({len(changes.unchanged)})</summary>",
                "",
            ]
            lines += findings_table(changes.unchanged) + ["</details>", ""]
        lines += drift_section(changes)
    out.write("\n".join(lines).rstrip("\n") + "\n")
