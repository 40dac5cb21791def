"""Mermaid for the report: one left-to-right flowchart per aim, safe to paste into GitHub.

What is drawn is decided in report.aim_tree (at most 30 boxes and 5
columns, linear in the cascade); here it is only written out. GitHub draws
at most 500 edges and 50,000 characters of Mermaid (fixed limits): an aim's
diagram has at most 31 boxes and a few dozen links, far below both.

Node ids are n0, n1, ...; every label is quoted and escaped, so no title can
end a statement, close a label or be read as the keyword `end`. Boxes with
an error finding are drawn in the `error` class, with a warning in `warning`.
"""

from __future__ import annotations

import re

from catchball.findings import visible
from catchball.report.aim_tree import LABEL_CHARS, wrap_title

CLASS_BATCH = 40  # node ids per `class` statement

_LIST_MARKER = re.compile(r"^(\d{1,9}[.)]|[-+*])(?: |$)")
_LABEL = str.maketrans({'"': "#quot;", "#": "#35;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;"})

CLASS_DEFS = (
    "classDef aim fill:#e8eaf6,stroke:#3949ab,stroke-width:2px",
    "classDef error fill:#fdecea,stroke:#c62828,stroke-width:2px",
    "classDef warning fill:#fff8e1,stroke:#f9a825",
)


def label(text: str | None) -> str:
    """One line of a node label with Mermaid's entity codes (aim_tree wraps titles into lines).

    Mermaid 11 reads node text as Markdown, and a list it cannot draw shows as
    "Unsupported markdown: list" (mermaid-js/mermaid#5824): a label starting
    like a list item ("1. ", "- ") gets a no-break space after the marker.
    """
    words = visible(" ".join((text or "").split()))
    words = _LIST_MARKER.sub("\\1\u00a0", words)
    return words.translate(_LABEL)


def aim_mermaid(tree) -> str:
    """One aim's diagram (report.aim_tree.AimTree) as a left-to-right Mermaid flowchart.

    Each box: its id or team in bold, the title wrapped on words (one <br/> a
    line, so Mermaid never cuts a word), then its team and notes in italics.
    """
    ids = {box.key: f"n{i}" for i, box in enumerate(tree.boxes)}
    lines = ["flowchart LR"]
    for box in tree.boxes:
        parts = [f"<b>{label(line)}</b>" for line in box.heading] + [label(line) for line in box.lines]
        parts += [f"<i>{label(line)}</i>" for line in box.team]
        if box.note:
            parts += [f"<i>{label(line)}</i>" for line in wrap_title(box.note, LABEL_CHARS, 2)]
        text = "<br/>".join(parts)
        shape = f'(["{text}"])' if box.kind == "aim" else f'["{text}"]'
        lines.append(f"{ids[box.key]}{shape}")
    for supported, supporting, count in tree.links:
        arrow = f" -->|{count}| " if count > 1 else " --> "
        lines.append(f"{ids[supported]}{arrow}{ids[supporting]}")
    classes = {"aim": [ids[tree.aim]], "error": [], "warning": [], "team": []}
    for box in tree.boxes:
        if box.severity:
            classes[box.severity].append(ids[box.key])
        elif box.kind in ("team", "more"):
            classes["team"].append(ids[box.key])
    lines += [d for d in CLASS_DEFS] + ["classDef team fill:#f5f5f5,stroke:#616161"]
    for name, nodes in classes.items():
        for start in range(0, len(nodes), CLASS_BATCH):
            lines.append(f"class {','.join(nodes[start:start + CLASS_BATCH])} {name}")
    return "\n".join(lines)
