#!/usr/bin/env python3
"""Time each stage of `catchball check` in one process, rule by rule.

    python benchmarks/stages.py benchmarks/out/staff-20000
    python benchmarks/stages.py benchmarks/out/staff-200000 --json stages.json

Loading is read in one process (CATCHBALL_WORKERS=1) and without the parse
cache unless --cache is given, so the figures are those of the work itself.
Used to check that every stage grows linearly: run it at two sizes and
compare (see docs/performance.md, "Linear stages"). With --steps, each
stage after loading is measured in Python lines executed instead of
seconds: a count that is the same on every run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import AS_OF_EPOCH  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root")
    parser.add_argument("--cache", action="store_true", help="read through the parse cache")
    parser.add_argument("--json", help="write the stage times to this file")
    parser.add_argument("--steps", action="store_true",
                        help="count the Python lines each stage after loading executes, not its time")
    args = parser.parse_args(argv)
    os.environ.setdefault("CATCHBALL_WORKERS", "1")
    os.environ["SOURCE_DATE_EPOCH"] = AS_OF_EPOCH  # as run.py: the calendar rules on one fixed day
    if not args.cache:
        os.environ["CATCHBALL_NO_CACHE"] = "1"
    stages: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        stages[name] = now - clock
        clock = now

    from catchball.findings import FindingCollector
    from catchball.graph import Cascade
    from catchball.load import load_goals
    from catchball.rules.registry import all_rules

    rules = all_rules()
    lap("imports")
    loaded = load_goals(args.root, freeze=True)  # as the CLI loads
    lap("load")
    steps = Steps() if args.steps else None
    if steps is not None:
        stages.clear()
        lap = steps.lap
        steps.start()
    cascade = Cascade(loaded.goals)
    lap("graph")
    collector = FindingCollector()
    for code, rule in rules.items():
        collector.extend(rule.check(cascade))
        lap(code)
    findings = collector.findings()
    lap("collect")
    if steps is not None:
        steps.stop()
        stages = steps.counts
    total = sum(stages.values())
    print(f"{args.root}: {len(loaded.goals.objectives):,} objectives, {len(findings):,} findings")
    unit = "lines" if steps is not None else "s"
    for name, value in stages.items():
        print(f"  {name:10} {value:12,} {unit}" if steps is not None else f"  {name:10} {value:8.3f} {unit}")
    print(f"  {'total':10} {total:12,} {unit}" if steps is not None else f"  {'total':10} {total:8.3f} {unit}")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(stages, out, indent=1)
    return 0


class Steps:
    """Python lines executed per stage (sys.settrace): the same count on every run, where times drift.

    A stage whose time grows more than its steps does so from the memory
    hierarchy (dicts of 640,000 entries outgrow the CPU's caches), not from
    more work. About twenty times slower than running untraced.
    """

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.lines = 0

    def _trace(self, frame, event, arg):
        return self._line

    def _line(self, frame, event, arg):
        if event == "line":
            self.lines += 1
        return self._line

    def start(self) -> None:
        sys.settrace(self._trace)

    def stop(self) -> None:
        sys.settrace(None)

    def lap(self, name: str) -> None:
        self.counts[name] = self.lines
        self.lines = 0


if __name__ == "__main__":
    sys.exit(main())
