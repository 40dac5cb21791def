"""`catchball measures`: every measure in cascade order, with its data and MDC icons.

Aim by aim: the aim's measures, then those of the objectives under it (depth
first, each objective once, where it is first reached). Measures of
elements no active aim reaches follow, then bad data and, at the end, the
measures with no data yet. Icons are words and symbols (catchball.icons);
colour only repeats them, and only on a terminal.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Iterable, Iterator

from catchball import icons
from catchball.measurement import OBJECTIVE, MeasureChart, decimals, figure
from catchball.views.lines import WARN, Line, organisation_line

RECENT = 6  # signals are listed when they reach one of the last RECENT points; the chart shows them all
WIDTH = 80  # long names and titles wrap with a hanging indent within this width


@dataclass(frozen=True)
class MeasuresOptions:
    aim: str | None = None  # only this aim and its cascade
    team: str | None = None  # only aims and objectives of this team's branch
    element: str | None = None  # only this aim or objective and what supports it


def in_cascade_order(cascade, charts: Iterable[MeasureChart], options: MeasuresOptions) -> list[tuple[str | None, MeasureChart]]:
    """(the aim a measure is shown under, or None, measure) in cascade order, filtered by `options`."""
    goals = cascade.goals
    by_element: dict[str, list[MeasureChart]] = {}
    for chart in charts:
        by_element.setdefault(chart.element_id, []).append(chart)
    ordered: list[tuple[str | None, str]] = []
    placed: set[str] = set()
    roots = [options.element] if options.element else [options.aim] if options.aim else [a for a in goals.aims if goals.aims[a].active]
    for root in roots:
        heading = root if root in goals.aims else None
        if root not in placed:
            placed.add(root)
            ordered.append((heading, root))
        for step in cascade.below(root):
            if step.id not in placed:
                placed.add(step.id)
                ordered.append((heading, step.id))
    if not (options.element or options.aim):
        # the rest (retired aims, objectives no active aim reaches) in file order, as `charts` are
        ordered += [(None, e) for e in by_element if e not in placed]
    branch = _branch(cascade, options.team)
    shown = []
    for heading, element_id in ordered:
        if branch is not None and _owner_team(cascade, element_id) not in branch:
            continue
        shown += [(heading, chart) for chart in by_element.get(element_id, ())]
    return shown


def _owner_team(cascade, element_id: str) -> str | None:
    return cascade.owner_team(element_id)


def _branch(cascade, team_id: str | None) -> set[str] | None:
    return None if team_id is None else set(cascade.branch(team_id))


def variation_words(icon: str | None) -> tuple[str, str, str] | None:
    return icons.VARIATION.get(icon) if icon else None


def assurance_words(icon: str | None) -> tuple[str, str, str] | None:
    return icons.ASSURANCE.get(icon) if icon else None


def icon_parts(line: Line, chart: MeasureChart, short: bool = False) -> Line:
    """The two icons, symbol and words, coloured by MDC's colours (colour is only ever a repeat).

    `short` (a cascade or trace line) drops the side from the words: the arrow says it.
    """
    variation = variation_words(chart.variation)
    if variation is not None:
        words, symbol, colour = variation
        line.add(f"{symbol} {words.split(' (')[0] if short else words}", f"bold {colour}")
    assurance = assurance_words(chart.assurance)
    if assurance is not None:
        words, symbol, colour = assurance
        line.add(("  " if short else "  ·  ") if variation else "").add(f"{symbol} {words}", f"bold {colour}")
    return line


def latest_text(chart: MeasureChart) -> str:
    latest = chart.latest
    if latest is None:
        return "no data yet"
    return f"{latest.period}: {figure(latest.value, decimals(chart) if latest.value % 1 else None, chart.measure.unit)}"


def recent_signals(chart: MeasureChart) -> list[str]:
    """The last phase's signals that reach the last RECENT points, one text per rule and side."""
    from catchball.spc import last_phase_signals

    if chart.chart is None or chart.chart.run_chart:
        return []
    points = chart.measure.points
    recent = {p.period for p in points[-RECENT:]}
    groups: dict[tuple[str, str], list[str]] = {}
    for signal in last_phase_signals(chart.chart):
        groups.setdefault((signal.rule, signal.side), []).append(signal.period)
    texts = []
    for (rule, side), periods in groups.items():
        if periods[-1] not in recent:
            continue
        count = len(periods)
        where = periods[0] if count == 1 else f"{count} points, {periods[0]} to {periods[-1]}"
        texts.append(f"{rule} {side} ({where})")
    return texts


class MeasuresView:
    def __init__(self, result, charts: list[tuple[str | None, MeasureChart]]) -> None:
        self.result = result
        self.goals = result.goals
        self.charts = charts

    def lines(self) -> Iterator[Line]:
        yield organisation_line(self.goals.settings, "Measures")
        yield Line(0).add(f"Measures as of {self.result.cascade.as_of.isoformat()} ({self.goals.display_root})", "dim")
        yield Line(0)
        with_data = [(h, c) for h, c in self.charts if c.has_data]
        faulty = [c for _, c in self.charts if c.fault]
        waiting = [c for _, c in self.charts if not c.has_data and not c.fault]
        if not self.charts:
            yield Line(0).add("No measures here.", "dim")
            return
        heading = element = object()
        for aim_id, chart in with_data:
            if aim_id != heading:
                if heading is not element:
                    yield Line(0)
                heading = aim_id
                yield from self.heading(aim_id)
            if chart.element_id != element:
                element = chart.element_id
                if chart.element_kind == OBJECTIVE:
                    yield from self.element_lines(chart)
            yield from self.measure_lines(chart)
        if with_data:
            yield Line(0)
        if faulty:
            yield Line(0).add(f"Bad data ({len(faulty)}): fix it first, `catchball check` says where", "bold red")
            for chart in faulty:
                yield from self.short_lines(chart)
            yield Line(0)
        if waiting:
            yield Line(0).add(f"No data yet ({len(waiting)})", "bold")
            for chart in waiting:
                yield from self.short_lines(chart)
            yield Line(0)
        yield from self.footer(with_data)

    def heading(self, aim_id: str | None) -> Iterator[Line]:
        if aim_id is None:
            yield Line(0).add("Not under an active aim", "bold")
            return
        aim = self.goals.aims[aim_id]
        yield from wrapped(0, f"◆ {aim.id}  ", aim.title or "", "bold", first_style="bold magenta")

    def element_lines(self, chart: MeasureChart) -> Iterator[Line]:
        objective = self.goals.objectives[chart.element_id]
        yield from wrapped(1, f"{objective.id}  ", objective.title or "", None, first_style="bold")

    def owner(self, chart: MeasureChart) -> str | None:
        person = self.goals.people.get(chart.owner) if chart.owner else None
        return person.name if person is not None and person.name else chart.owner

    def measure_lines(self, chart: MeasureChart) -> Iterator[Line]:
        depth = 2 if chart.element_kind == OBJECTIVE else 1
        measure, unit = chart.measure, chart.measure.unit
        yield from wrapped(depth, "▸ ", measure.name, "italic")
        facts = [chart.name]
        owner = self.owner(chart)
        if owner:
            facts.append(owner)
        if chart.target is not None:
            arrow = {"up": " ↑", "down": " ↓"}.get(chart.direction or "", "")
            by = f" by {measure.by.isoformat()}" if measure.by else ""
            facts.append(f"target {figure(chart.target, unit=unit)}{arrow}{by}")
        yield Line(depth + 1).add(" · ".join(facts), "dim")
        values = [p.value for p in measure.points]
        yield Line(depth + 1).add(icons.sparkline(values[-24:]), "cyan").add(f"  latest {latest_text(chart)}")
        spc_chart = chart.chart
        if spc_chart.run_chart:
            minimum = self.goals.settings.spc.minimum_points
            yield Line(depth + 1).add(f"{len(values)} points: a run chart until there are {minimum} (no limits or icons yet)", "dim")
        else:
            places = decimals(chart)
            line = Line(depth + 1).add(
                f"mean {figure(spc_chart.mean, places, unit)} · limits {figure(spc_chart.lower, places, unit)} "
                f"to {figure(spc_chart.upper, places, unit)}  "
            )
            yield icon_parts(line, chart)
            signals = recent_signals(chart)
            for number, signal in enumerate(signals):  # one a line: a signal is never split
                yield Line(depth + 1).add("signals: " if number == 0 else " " * 9, "dim").add(signal)
        if chart.stale:
            yield Line(depth + 1).add(f"stale: the last point ended more than {self.goals.settings.stale_after} days ago", WARN)

    def short_lines(self, chart: MeasureChart) -> Iterator[Line]:
        """`TN-CARE:2  Incomplete RTT pathways…`, or `cdiff (TN-SAFE)  …`, wrapped under the name."""
        name = chart.name if chart.measure.id is None else f"{chart.name} ({chart.element_id})"
        yield from wrapped(1, f"{name}  ", chart.measure.name, None, first_style="bold")

    def footer(self, with_data: list) -> Iterator[Line]:
        counts: dict[str, int] = {}
        for _, chart in with_data:
            if chart.variation:
                kind = chart.variation.split("-")[0]
                counts[kind] = counts.get(kind, 0) + 1
        fails = sum(1 for _, c in with_data if c.assurance == "fail")
        total = len(self.charts)
        yield Line(0).add("─" * 60, "dim")
        line = Line(0).add("Measures ", "bold").add(f"{total}: {len(with_data)} with data")
        parts = [
            f"{counts[kind]} {label}"
            for kind, label in (("improvement", "improving"), ("concern", "of concern"), ("neither", "changing"))
            if counts.get(kind)
        ]
        if fails:
            parts.append(f"{fails} will not meet the target as the process runs")
        if parts:
            line.add(" · " + " · ".join(parts))
        yield line


def wrapped(depth: int, lead: str, text: str, style: str | None, first_style: str | None = None) -> Iterator[Line]:
    """`lead` then `text`, wrapped within WIDTH with the continuation under the text."""
    room = max(WIDTH - 2 * depth - len(lead), 20)
    parts = textwrap.wrap(text, room) or [""]
    yield Line(depth).add(lead, first_style or style).add(parts[0], style)
    for part in parts[1:]:
        yield Line(depth).add(" " * len(lead) + part, style)


def charts_by_place(result) -> dict[tuple[str, int], MeasureChart]:
    """(element id, 1-based index) -> chart, for views that show measures in place; empty with no data at all."""
    charts = result.cascade.measure_charts
    if not any(c.has_data or c.fault for c in charts):
        return {}
    return {(c.element_id, c.index): c for c in charts}


def add_summary(line: Line, chart: MeasureChart | None) -> Line:
    """The latest value and the icons, appended to a measure's line (cascade, trace)."""
    if chart is None:
        return line
    if chart.fault:
        return line.add("  bad data (CB601)", "bold red")
    if not chart.has_data:
        return line
    line.add(f"  · {latest_text(chart)}", "bold")
    if chart.run_chart:  # from the last point: a cascade shows tens of thousands, and draws no chart
        return line.add(" (run chart)", "dim")
    line.add("  ")
    return icon_parts(line, chart, short=True)
