"""Each aim's measures for the report: its own and its cascade's, with icons, charts and a roll-up.

Plain data for the templates (docs/templates.md, `aims[].measures_below`
and `aims[].rollup`). The roll-up counts measures, never averages them: a
falls rate and a sickness absence percentage cannot be added, but "3 of 7
show improvement" can be read by anyone.
"""

from __future__ import annotations

import re

from catchball import icons
from catchball.measurement import decimals, figure
from catchball.spc import Series

MAX_CHARTS = 12  # SPC charts drawn per aim (the aim's own measures first, then by level); the rest as a table row
_SLUG = re.compile(r"[^A-Za-z0-9_.-]+")


def chart_slug(name: str) -> str:
    """A file name for a measure's chart: its id, or ELEMENT-N (":" is not safe in every file system)."""
    return _SLUG.sub("-", name).strip("-.") or "measure"


def measure_entry(chart, element_title: str | None, owner_name: str | None, level: int) -> dict:
    """One measure as the report shows it."""
    if not chart.has_data and not chart.fault:  # most of a large trust's measures: nothing to work out
        return _no_data_entry(chart, element_title, owner_name, level)
    return _entry(chart, element_title, owner_name, level)


def _entry(chart, element_title: str | None, owner_name: str | None, level: int) -> dict:
    # From the last point only: the full chart of every measure is drawn for the
    # first MAX_CHARTS of each aim, not for the tens of thousands in a table.
    measure = chart.measure
    latest = chart.latest
    variation = icons.VARIATION.get(chart.variation) if chart.variation else None
    assurance = icons.ASSURANCE.get(chart.assurance) if chart.assurance else None
    points = measure.points
    values = (list(points.values[-24:]) if isinstance(points, Series) else [p.value for p in points[-24:]]) \
        if chart.has_data and not chart.fault else []
    places = decimals(chart) if latest is not None and latest.value % 1 else None
    return {
        "name": measure.name,
        "key": chart.name,
        "unit": measure.unit,
        "element": chart.element_id,
        "element_title": element_title,
        "level": level,  # 0: the aim's own measure, 1: of an objective supporting it directly, ...
        "owner": owner_name,
        "baseline": measure.baseline,
        "target": measure.target,
        "by": measure.by.isoformat() if measure.by else None,
        "has_data": chart.has_data and not chart.fault,
        "fault": chart.fault,
        "latest": {"period": latest.period, "value": figure(latest.value, places, measure.unit)} if latest else None,
        "run_chart": chart.run_chart,
        "variation": chart.variation,
        "variation_words": variation[0] if variation else None,
        "variation_symbol": variation[1] if variation else None,
        "variation_colour": variation[2] if variation else None,
        "assurance": chart.assurance,
        "assurance_words": assurance[0] if assurance else None,
        "assurance_symbol": assurance[1] if assurance else None,
        "assurance_colour": assurance[2] if assurance else None,
        "sparkline": icons.sparkline(values) if values else "",
        "svg": None,  # filled for the first MAX_CHARTS measures with a chart
        "chart_path": None,  # with -o: where the SVG is written, relative to the report
    }


def _no_data_entry(chart, element_title: str | None, owner_name: str | None, level: int) -> dict:
    """measure_entry for a measure with no data: the same keys, in the same order."""
    measure = chart.measure
    return {
        "name": measure.name, "key": chart.name, "unit": measure.unit, "element": chart.element_id,
        "element_title": element_title, "level": level, "owner": owner_name, "baseline": measure.baseline,
        "target": measure.target, "by": measure.by.isoformat() if measure.by else None, "has_data": False,
        "fault": False, "latest": None, "run_chart": False, "variation": None, "variation_words": None,
        "variation_symbol": None, "variation_colour": None, "assurance": None, "assurance_words": None,
        "assurance_symbol": None, "assurance_colour": None, "sparkline": "", "svg": None, "chart_path": None,
    }


def rollup(entries: list[dict]) -> dict:
    """Counts, and the sentence: "3 of 7 measures under this aim show improvement, 1 shows concern, ..."."""
    total = len(entries)
    improvement = sum(1 for e in entries if (e["variation"] or "").startswith("improvement"))
    concern = sum(1 for e in entries if (e["variation"] or "").startswith("concern"))
    failing = sum(1 for e in entries if e["assurance"] == "fail")
    passing = sum(1 for e in entries if e["assurance"] == "pass")
    no_data = sum(1 for e in entries if not e["has_data"])
    parts = []
    if improvement or not (concern or failing or no_data):
        parts.append(f"{improvement} of {total} measure{'s' if total != 1 else ''} under this aim "
                     f"show{'s' if improvement == 1 else ''} improvement")
    else:
        parts.append(f"of {total} measure{'s' if total != 1 else ''} under this aim, none shows improvement")
    if concern:
        parts.append(f"{concern} show{'s' if concern == 1 else ''} concern")
    if failing:
        parts.append(f"{failing} will not meet {'its' if failing == 1 else 'their'} target as the process runs")
    if passing:
        parts.append(f"{passing} will consistently meet {'its' if passing == 1 else 'their'} target")
    if no_data:
        parts.append(f"{no_data} {'has' if no_data == 1 else 'have'} no data")
    sentence = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    sentence = sentence[0].upper() + sentence[1:] + "."
    return {
        "measures": total,
        "improvement": improvement,
        "concern": concern,
        "fail": failing,
        "pass": passing,
        "no_data": no_data,
        "text": sentence if total else "No measures under this aim yet.",
    }
