"""A view is a list of indented lines of styled segments, printed by `terminal`.

Keeping views as plain data makes them easy to test without a terminal and
cheap to print at scale (one write, not one rich render per element).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from catchball.findings import one_line

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SEVERITY_MARK = {"error": "✖", "warning": "▲", "info": "●"}
STATUS_STYLE = {
    "agreed": "green", "done": "bold green", "proposed": "cyan", "challenged": "yellow", "dropped": "dim", "retired": "dim",
}


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
