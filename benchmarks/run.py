#!/usr/bin/env python3
"""Benchmark catchball against its floors on generated goals repositories.

    make bench          # 1,000 and 20,000 staff
    make bench-large    # 200,000 and 1,500,000 staff (minutes, ~2 GB of disk)
    python benchmarks/run.py --staff 20000 --repeat 3

For each size it generates a repository once (benchmarks/out/staff-N, reused
while the generator's output would be the same) and runs, each in its own
process, from interpreter start to exit:

- the floors: reading the bytes of every file, and the fastest parse
  available of the same files (rapidyaml, when installed; see floor.py);
- PyYAML's libyaml loader (yaml.load with CSafeLoader) on the same files;
- `catchball check`, `catchball cascade` and `catchball report` on the root,
  output to /dev/null;

and prints wall seconds, peak memory (the process's maximum resident set),
objectives per second and the ratio to the parse floor, then checks the
targets of the performance issue, each as a ratio measured in this run:

- 20,000 staff: check at least 5 times faster than the libyaml load, and
  within 4 times the parse floor; cascade and report within 2 times check;
  peak memory under 400 MB;
- 1,500,000 staff: check within 4 times the parse floor, under 8 GB;
- `catchball --version` within 6 times `python -c pass`.

Times are the best of --repeat runs (default 1 above 200,000 staff, else 3);
peak memory is the largest seen. Exit status 1 when a target fails.
catchball keeps no cache between runs, so every figure is that of a run on
a fresh checkout.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

PYTHON = sys.executable
CATCHBALL = [PYTHON, "-m", "catchball"]
FLOOR = [PYTHON, str(HERE / "floor.py")]
DEFAULT_OUT = HERE / "out"
STAMP = "benchmark.json"  # the generator's counts, beside the repository it describes
SEED, DEFECT_RATE = 1, 0.02


@dataclass
class Run:
    label: str
    seconds: float
    peak_mb: float
    objectives: int = 0
    exit_code: int = 0
    note: str = ""

    @property
    def rate(self) -> float:
        return self.objectives / self.seconds if self.seconds and self.objectives else 0.0


@dataclass
class Size:
    staff: int
    repo: Path
    stats: dict
    runs: dict[str, Run] = field(default_factory=dict)


def measure(label: str, argv: list[str], *, repeat: int, env: dict | None = None, objectives: int = 0) -> Run:
    """Best wall time and largest peak memory of `repeat` runs of argv, stdout discarded."""
    best, peak, code, note = None, 0.0, 0, ""
    for _ in range(repeat):
        start = time.perf_counter()
        with open(os.devnull, "wb") as sink:
            process = subprocess.Popen(argv, stdout=sink, stderr=subprocess.PIPE, env=env)
            stderr = process.stderr.read()
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            process.stderr.close()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
        peak = max(peak, _megabytes(usage.ru_maxrss))
        code = process.returncode
        if code not in (0, 1):
            note = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["failed"]
            note = f"exit {code}: {note[0][:80]}"
    return Run(label, best, peak, objectives, code, note)


def _megabytes(maxrss: int) -> float:
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def repository(out: Path, staff: int) -> tuple[Path, dict]:
    """The generated repository for `staff`, made once and reused."""
    repo = out / f"staff-{staff}"
    stamp = repo / ".." / f"staff-{staff}.{STAMP}"
    wanted = {"staff": staff, "seed": SEED, "defect_rate": DEFECT_RATE, "generator": _generator_digest()}
    if stamp.is_file() and repo.is_dir():
        saved = json.loads(stamp.read_text())
        if saved.get("key") == wanted:
            return repo, saved["stats"]
    print(f"generating {staff:,} staff into {repo} ...", file=sys.stderr, flush=True)
    if repo.exists():
        shutil.rmtree(repo)
    stats = generate(repo, staff, SEED, DEFECT_RATE)
    stamp.write_text(json.dumps({"key": wanted, "stats": stats}, indent=1))
    return repo, stats


def _generator_digest() -> str:
    import hashlib

    return hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()[:16]


def have_rapidyaml() -> bool:
    return subprocess.run([PYTHON, "-c", "import ryml"], capture_output=True).returncode == 0


def bench_size(size: Size, repeat: int, env: dict, parse_floor: str) -> None:
    repo, objectives = str(size.repo), size.stats["objectives"]
    runs = size.runs

    def run(key: str, label: str, argv: list[str], **kw) -> None:
        print(f"  {label} ...", file=sys.stderr, flush=True)
        runs[key] = measure(label, argv, repeat=repeat, env=env, objectives=objectives, **kw)

    run("read", "floor: read the bytes", FLOOR + ["read", repo])
    run("parse", f"floor: fastest parse ({parse_floor})", FLOOR + [parse_floor, repo])
    if size.staff <= 200_000:  # libyaml takes about 10 minutes at national scale
        run("csafe", "PyYAML libyaml load (CSafeLoader)", FLOOR + ["csafe", repo])
    run("check", "catchball check", CATCHBALL + ["check", repo])
    run("cascade", "catchball cascade", CATCHBALL + ["cascade", repo])
    run("report", "catchball report", CATCHBALL + ["report", repo])
    run("capability", "catchball capability", CATCHBALL + ["capability", repo])


def startup(repeat: int, env: dict) -> dict[str, Run]:
    return {
        "pass": measure("python -c pass", [PYTHON, "-c", "pass"], repeat=max(repeat, 5), env=env),
        "version": measure("catchball --version", CATCHBALL + ["--version"], repeat=max(repeat, 5), env=env),
    }


def print_table(size: Size) -> None:
    stats = size.stats
    print(
        f"\n{size.staff:,} staff: {stats['files']:,} files, {stats['bytes'] / 1e6:,.1f} MB, "
        f"{stats['objectives']:,} objectives, {stats['teams']:,} teams, {stats['people']:,} people"
    )
    floor = size.runs["parse"].seconds
    print(f"  {'':40} {'seconds':>8} {'peak MB':>8} {'objectives/s':>13} {'x floor':>8}")
    for run in size.runs.values():
        ratio = run.seconds / floor if floor else 0
        line = f"  {run.label:40} {run.seconds:8.2f} {run.peak_mb:8.0f} {run.rate:13,.0f} {ratio:8.2f}"
        print(line + (f"  ({run.note})" if run.note else ""))


def targets(sizes: list[Size], boot: dict[str, Run]) -> list[tuple[str, str, bool]]:
    """(target, measured, held) for every target that this run can judge."""
    results = []
    by_staff = {s.staff: s.runs for s in sizes}
    if 20_000 in by_staff:
        r = by_staff[20_000]
        check = r["check"].seconds
        if "csafe" in r:
            speedup = r["csafe"].seconds / check
            results.append(("20k: check >= 5x faster than libyaml load", f"{speedup:.1f}x", speedup >= 5))
        ratio = check / r["parse"].seconds
        results.append(("20k: check <= 4x parse floor", f"{ratio:.2f}x", ratio <= 4))
        for name in ("cascade", "report"):
            if r[name].note:
                results.append((f"20k: {name} <= 2x check", r[name].note, False))
                continue
            ratio = r[name].seconds / check
            results.append((f"20k: {name} <= 2x check", f"{ratio:.2f}x", ratio <= 2))
        if "capability" in r:
            ratio = r["capability"].seconds / check
            results.append(("20k: capability <= 1.2x check", f"{ratio:.2f}x", ratio <= 1.2))
        peak = max(r[name].peak_mb for name in ("check", "cascade", "report"))
        results.append(("20k: peak memory < 400 MB (check, cascade, report)", f"{peak:.0f} MB", peak < 400))
    if 1_500_000 in by_staff:
        r = by_staff[1_500_000]
        ratio = r["check"].seconds / r["parse"].seconds
        results.append(("1.5M: check <= 4x parse floor", f"{ratio:.2f}x", ratio <= 4))
        peak = r["check"].peak_mb
        results.append(("1.5M: check peak memory < 8 GB", f"{peak / 1024:.2f} GB", peak < 8 * 1024))
    ratio = boot["version"].seconds / boot["pass"].seconds
    results.append(("catchball --version <= 6x python -c pass", f"{ratio:.2f}x", ratio <= 6))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark catchball against its floors.")
    parser.add_argument("--staff", type=int, nargs="+", default=[1000, 20000], help="repository sizes")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where generated repositories are kept")
    parser.add_argument("--repeat", type=int, default=None, help="runs per measurement (best time is kept)")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = parser.parse_args(argv)

    env = dict(os.environ)
    env.pop("FORCE_COLOR", None)
    env["COLUMNS"] = "120"
    parse_floor = "ryml" if have_rapidyaml() else "csafe"
    if parse_floor != "ryml":
        print("rapidyaml is not installed: the parse floor falls back to libyaml", file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)

    sizes = []
    for staff in args.staff:
        repo, stats = repository(args.out, staff)
        size = Size(staff, repo, stats)
        repeat = args.repeat or (1 if staff > 200_000 else 3)
        print(f"{staff:,} staff:", file=sys.stderr, flush=True)
        bench_size(size, repeat, env, parse_floor)
        sizes.append(size)
    boot = startup(args.repeat or 3, env)

    print(f"catchball benchmark: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"best of {args.repeat or '1-3'} runs, "
          f"ratios against the parse floor measured in this run")
    for size in sizes:
        print_table(size)
    print(f"\nstartup: python -c pass {boot['pass'].seconds:.3f} s, "
          f"catchball --version {boot['version'].seconds:.3f} s")
    results = targets(sizes, boot)
    print("\ntargets:")
    for name, measured, held in results:
        print(f"  {'PASS' if held else 'FAIL'}  {name:52} {measured}")
    if args.json:
        args.json.write_text(json.dumps({
            "sizes": [{"staff": s.staff, "stats": {k: v for k, v in s.stats.items() if k != "defects"},
                       "runs": {k: vars(r) for k, r in s.runs.items()}} for s in sizes],
            "startup": {k: vars(r) for k, r in boot.items()},
            "targets": [{"target": n, "measured": m, "held": h} for n, m, h in results],
        }, indent=1))
    return 0 if all(held for _, _, held in results) else 1


if __name__ == "__main__":
    sys.exit(main())
