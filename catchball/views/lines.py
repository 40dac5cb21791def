"""A view is a list of indented lines of styled segments, printed by `terminal`.

Keeping views as plain data makes them easy to test without a terminal and
cheap to print at scale (one write, not one rich render per element).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from catchball.findings import visible

# A view line is one line: a title with a line break (written with a YAML
# escape) would break the layout, and a control character such as ESC would
# reach the terminal raw and could hide the rest of the line.
_BREAKS = re.compile("[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """`text` on one line: line breaks and tabs become a space, other control characters \\xNN."""
    if _UNSAFE.search(text) is None:
        return text
    return visible(_BREAKS.sub(" ", text))


SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SEVERITY_MARK = {"error": "✖", "warning": "▲", "info": "●"}
STATUS_STYLE = {"agreed": "green", "proposed": "cyan", "challenged": "yellow", "dropped": "dim", "retired": "dim"}


@dataclass(slots=True)
class Line:
    depth: int
    parts: list[tuple[str, str | None]] = field(default_factory=list)  # (text, rich style)

    def add(self, text: str, style: str | None = None) -> "Line":
        self.parts.append((one_line(text), style))
        return self

    @property
    def text(self) -> str:
        return "  " * self.depth + "".join(text for text, _ in self.parts)


def finding_line(depth: int, finding) -> Line:
    style = SEVERITY_STYLE[finding.severity]
    return (
        Line(depth)
        .add(f"{SEVERITY_MARK[finding.severity]} {finding.code} {finding.name}", style)
        .add(f": {finding.message}")
    )


def organisation_line(settings, fallback: str) -> Line:
    """The first line of a view: `Organisation · period` from catchball.yaml."""
    name = settings.organisation or fallback
    period = f" · {settings.period}" if settings.period else ""
    return Line(0).add(f"{name}{period}", "bold")
