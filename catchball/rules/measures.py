"""Measure rules (CB6xx): the data, and what its XmR chart says.

CB601 is found by the loader while it reads the data; it is registered here
so that it is documented, selectable and listed like every other rule. The
others read the charts of catchball.measurement, computed once per run
(and of those only what the last point says: `MeasureChart.last`).
None of them fires on a repository that records no data: CB602 only once
some measure has data, and the rest need data to say anything.
"""

from __future__ import annotations

from typing import Iterator

from catchball.findings import MEASURE, Finding, new_finding
from catchball.graph import Cascade
from catchball.measurement import MeasureChart, decimals, figure
from catchball.rules.registry import rule


def _subject(cascade: Cascade, chart: MeasureChart):
    return cascade.goals.goal(chart.element_id)


def _label(chart: MeasureChart) -> str:
    return f"{chart.element_kind} {chart.element_id}: measure {chart.measure.name!r}"


@rule("CB601")
def bad_data(cascade: Cascade) -> Iterator[Finding]:
    """Measure data that cannot be used.

    What it checks
    A measure's `data`, inline or in a CSV file: the file exists under the
    goals root (no `..`, no absolute path, no link outside), can be read as
    UTF-8 CSV with a header naming `period` (or `date`) and `value`; every
    value is a decimal number (`12.5` or `12.5%`; empty is a missing point);
    every period is a month (`2026-04`) or a date (`2026-04-07`), given once,
    and one series does not mix the two; every `measure` id in a CSV names a
    measure. The finding is at the CSV row (column 1), at line 1 for a
    missing column, at the inline entry, or at the `data` key when the whole
    value is wrong.

    Why it matters
    A chart drawn from half-read data would tell the board something the
    data does not say. A measure with bad data gets no chart, no icons and no
    other CB6xx finding until it is fixed.

    Example
        measures:
          - name: Hospital-onset C. difficile cases per month
            data:
              2026-04: 6
              2026-05: six       # not a number
              2026-5: 4          # not a month: write 2026-05

    How to fix
    Go to the line given and correct the value or period. Export CSV files
    as "CSV UTF-8" from a spreadsheet, keep the header row, and keep data
    files inside the goals repository.
    """
    return iter(())


@rule("CB602")
def no_data(cascade: Cascade) -> Iterator[Finding]:
    """A measure of an active aim or objective has no data yet.

    What it checks
    Once any measure in the repository records data (`data`, inline or in a
    CSV file), every measure of an active aim or objective should too.
    Repositories that record no data at all never get this finding.

    Why it matters
    A measure with a baseline and a target but no data cannot say whether
    the work is making a difference: the board sees a plan, not progress.

    Example
        measures:
          - name: Staff who would recommend us as a place to work
            baseline: 58
            target: 70
            # no data

    How to fix
    Add the measure's data as it is collected: inline under `data:`, or as
    rows of a CSV file named by `data: data/FILE.csv` (see docs/measures.md).
    """
    charts = cascade.measure_charts
    if not any(c.has_data for c in charts):
        return
    for chart in charts:
        if chart.active and not chart.has_data and not chart.fault:
            element = _subject(cascade, chart)
            yield new_finding("CB602", f"{_label(chart)} has no data yet", chart.element_id, element.span, MEASURE)


@rule("CB603")
def stale_data(cascade: Cascade) -> Iterator[Finding]:
    """A measure's last point ended more than `stale-after` days before the as-of date.

    What it checks
    For each measure of an active aim or objective with data: the end of its
    last period (a month ends on its last day) against the as-of date
    (today, or `--as-of`). The allowance is `spc: stale-after` in
    catchball.yaml, 62 days unless set.

    Why it matters
    A chart that stops in the summer tells a December board nothing about
    now. Old data looks like current performance unless someone says it is
    old.

    Example
        data:
          2026-06: 0.18
          2026-07: 0.17      # and the as-of date is 2026-12-01

    How to fix
    Add the latest data. If the measure is no longer collected, say so: drop
    it from `measures`. A `done` objective's measures are still judged (it
    is active, as the format says), so take off those it no longer reports.
    """
    goals = cascade.goals
    limit = goals.settings.stale_after
    for chart in cascade.measure_charts:
        if chart.active and chart.stale:
            last = chart.latest
            message = (
                f"{_label(chart)}: the last point is {last.period}, more than {limit} days before "
                f"{cascade.as_of.isoformat()}"
            )
            yield new_finding("CB603", message, chart.element_id, _subject(cascade, chart).span, MEASURE)


@rule("CB604")
def special_cause_concern(cascade: Cascade) -> Iterator[Finding]:
    """The last point of a measure shows special-cause variation of concern.

    What it checks
    The XmR chart of each measure of an active aim or objective (Making Data
    Count's rules: a point outside the process limits, a shift of 6 points
    on one side of the mean, a trend of 6 points rising or falling, two of
    three points beyond two sigma). The finding fires when the last point is
    flagged on the side that is worse for the measure's `direction`.

    Why it matters
    Something other than everyday variation is pushing the measure the wrong
    way, now. That is when an SPC chart asks the board to look, where a RAG
    rating would only turn red once the target is missed.

    Example
        measures:
          - name: Sickness absence
            unit: "%"
            direction: down
            data: data/sickness.csv   # the last six months all above the mean

    How to fix
    Find out what changed (catchball chart MEASURE -o chart.svg shows where
    the signal starts), and agree the response with the measure's owner. Once
    a change is made deliberately, mark the row where the new process starts
    with `recalculate` so the limits follow the new process.
    """
    for chart in cascade.measure_charts:
        if chart.active and chart.concern:
            last = chart.latest
            rules = sorted(chart.last.rules)
            message = (
                f"{_label(chart)}: the last point ({last.period}: {figure(last.value)}) shows special-cause "
                f"variation of concern ({', '.join(rules)})"
            )
            yield new_finding("CB604", message, chart.element_id, _subject(cascade, chart).span, MEASURE)


@rule("CB605")
def target_out_of_reach(cascade: Cascade) -> Iterator[Finding]:
    """The process, as it runs, will consistently miss the measure's target.

    What it checks
    The assurance of each measure of an active aim or objective with a
    direction and a target: the finding fires when the target lies beyond
    the process limits on the wrong side (below the lower limit for a
    measure that should go up, above the upper limit for one that should go
    down), which Making Data Count's assurance icon shows as "fail".

    Why it matters
    Doing the same thing harder will not reach the target: the process has to
    change. A board needs to hear that early, not at the deadline.

    Example
        measures:
          - name: Patients seen within 4 hours in ED
            unit: "%"
            target: 95
            direction: up
            data: data/ed-4-hours.csv   # limits 66% to 78%

    How to fix
    Agree with the owner what will change in the process (and record the
    objectives that will change it), or agree a target the organisation can
    reach with the board.
    """
    for chart in cascade.measure_charts:
        if chart.active and chart.assurance == "fail":
            last, places = chart.last, decimals(chart)
            message = (
                f"{_label(chart)}: the target {figure(chart.target)} is outside the process limits "
                f"({figure(last.lower, places)} to {figure(last.upper, places)}): as it runs, the process will "
                "consistently miss it"
            )
            yield new_finding("CB605", message, chart.element_id, _subject(cascade, chart).span, MEASURE)
