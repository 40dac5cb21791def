"""`catchball measures` and `catchball chart`: the data of every measure, and one measure's XmR chart."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from catchball.cli import replay
from catchball.cli.app import AsOfOption, NoCacheOption, PathArgument, app, as_of_option, command_errors, fail, note

MEASURES_FORMATS = ("text", "json")


@app.command(
    epilog=(
        "Examples:\n\n"
        "  catchball measures goals\n\n"
        "  catchball measures --aim TN-SAFE goals\n\n"
        "  catchball measures --team surgery --as-of 2026-12-01\n\n"
        "  catchball measures --format json | jq '.measures[] | select(.variation == \"concern-high\")'"
    ),
)
def measures(
    path: PathArgument = None,
    aim: Annotated[Optional[str], typer.Option("--aim", help="Only this aim and the objectives under it.")] = None,
    team: Annotated[
        Optional[str], typer.Option("--team", help="Only the aims and objectives of this team's branch of the org tree.")
    ] = None,
    element: Annotated[
        Optional[str], typer.Option("--element", metavar="ID", help="Only this aim or objective and what supports it.")
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="Output format: text or json.")] = "text",
    as_of: AsOfOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Show every measure in cascade order: latest value, sparkline, mean and limits, MDC icons, signals.

    Measures with no data yet are listed at the end. Always exits 0, or 2 when it cannot run.
    """
    if format not in MEASURES_FORMATS:
        raise fail(f"unknown format {format!r}: choose one of {', '.join(MEASURES_FORMATS)}")
    day = as_of_option(as_of)
    from catchball.check import run_check
    from catchball.measurement import measures_document
    from catchball.spelling import did_you_mean
    from catchball.views.measures import MeasuresOptions, in_cascade_order

    from catchball.cli.progress import reading_progress

    replay.start(path)
    with command_errors(), reading_progress(enabled=format == "text") as progress:
        # Only the rules the charts need: the measures command shows data, `check` judges it.
        # Every chart is drawn whole, by the workers that read the CSV files where they can.
        # Frozen (load_goals): the cyclic collector would rescan what was loaded while the
        # charts and records are built (a second at 20,000 staff).
        result = run_check(
            path, progress=progress, as_of=day, select=["CB601"], whole_charts=True, freeze=True, cache=not no_cache
        )
    goals = result.goals
    if aim is not None and aim not in goals.aims:
        raise fail(f"no aim {aim!r}{did_you_mean(aim, goals.aims)}")
    if team is not None and team not in goals.teams:
        raise fail(f"no team {team!r}{did_you_mean(team, goals.teams)}")
    if element is not None and goals.goal(element) is None:
        raise fail(f"no aim or objective {element!r}{did_you_mean(element, [*goals.aims, *goals.objectives])}")
    for message in result.notes:
        note(message)
    options = MeasuresOptions(aim=aim, team=team, element=element)
    charts = result.cascade.measure_charts
    if format == "json":
        if aim or team or element:  # the document keeps file order: cascade order only picks the measures
            kept = {id(chart) for _, chart in in_cascade_order(result.cascade, charts, options)}
            charts = tuple(chart for chart in charts if id(chart) in kept)
        write_document(measures_document(goals, result.cascade.as_of, charts), sys.stdout)
        replay.finish()
        return
    shown = in_cascade_order(result.cascade, charts, options)
    from catchball.views.measures import MeasuresView
    from catchball.views.terminal import print_lines

    print_lines(MeasuresView(result, shown).lines())
    replay.finish()


@app.command(
    epilog=(
        "Examples:\n\n"
        "  catchball chart falls-harm goals -o falls-harm.svg\n\n"
        "  catchball chart TN-SAFE:2 goals -o charts/tn-safe-2.svg   (a measure without an id: ELEMENT:N)\n\n"
        "  catchball chart falls-harm > falls-harm.svg"
    ),
)
def chart(
    measure: Annotated[
        str,
        typer.Argument(
            metavar="MEASURE",
            help="The measure's id, or ELEMENT:N for the Nth measure of an aim or objective (TN-SAFE:2).",
            show_default=False,
        ),
    ],
    path: PathArgument = None,
    output: Annotated[
        Optional[str], typer.Option("--output", "-o", help="Write the SVG to this file (atomically) instead of stdout.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the output file even when it is not an SVG chart.")
    ] = False,
    as_of: AsOfOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Draw one measure's XmR chart as an SVG, in Making Data Count's style. Exits 0, or 2 for an unknown measure."""
    day = as_of_option(as_of)
    from catchball.chart import render_svg
    from catchball.check import run_check
    from catchball.measurement import find_measure
    from catchball.output import write_atomic
    from catchball.spc import xmr
    from catchball.spelling import did_you_mean

    if output is None:
        replay.start(path)
    with command_errors():
        result = run_check(path, as_of=day, select=["CB601"], freeze=True, cache=not no_cache)
        charts = result.cascade.measure_charts
        found = find_measure(charts, measure)
        if found is None:
            names = [c.name for c in charts]
            raise fail(f"no measure {measure!r}{did_you_mean(measure, names)} (a measure id, or ELEMENT:N such as TN-SAFE:1)")
        for message in result.notes:
            note(message)
        if found.fault:
            raise fail(f"measure {found.name} has bad data (CB601): `catchball check` says where; no chart until it is fixed")
        spc_chart = found.chart if found.chart is not None else xmr((), found.direction, found.target)
        title = f"{found.measure.name} ({found.element_id})"
        svg = render_svg(
            spc_chart, title=title, unit=found.measure.unit, target=found.target, direction=found.direction
        )
        if output is None:
            sys.stdout.write(svg)
            replay.finish()
            return
        if not force and _not_a_chart(Path(output)):
            raise fail(f"{output} exists and is not an SVG: not overwritten (use --force)")
        write_atomic(output, svg)


def write_document(document: dict, out) -> None:
    """The JSON document, one measure a line: json's indented encoder is pure Python, and at
    national scale the document has a million measures; each record is encoded in C."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    out.write("{\n")
    for key, value in document.items():
        if key != "measures":
            out.write(f"  {encode(key)}: {encode(value)},\n")
    records = document["measures"]
    out.write('  "measures": [' + ("\n" if records else ""))
    for number, record in enumerate(records, 1):
        out.write("    " + encode(record) + (",\n" if number < len(records) else "\n  "))
    out.write("]\n}\n")


def _not_a_chart(target: Path) -> bool:
    """True for an existing regular file that does not start like an SVG (a goals file, say)."""
    try:
        if not target.is_file():
            return False
        with open(target, "rb") as handle:
            start = handle.read(256).lstrip()
    except OSError:
        return False  # write_atomic says why it cannot write
    return not (start.startswith(b"<svg") or start.startswith(b"<?xml"))
