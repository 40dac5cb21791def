"""Mutation testing of the one-pass reader, catchball/load/plain.py, with no tool to install.

Each mutant is plain.py with one small change (an operator swapped, a
constant moved by one, a condition forced, a return emptied...). The
focused tests that hold plain.py to the exact route then run against it in a copy of
the worktree; a mutant they do not fail "survives" and is either
equivalent (no input can tell it from the original: the reason is written
in tests/mutation/equivalent.py) or a gap in the tests.

    nice -n 10 .venv/bin/python tests/mutation/run_mutants.py   (make mutate)

Options: --list prints the mutants and stops; --only 3,17 runs those
numbers; --timeout S kills a mutant's tests after S seconds (a mutant
that hangs counts as killed by timeout, reported apart). One process, one
mutant at a time: the machine is shared. Results go to
.mutation/results.jsonl and a summary table to stdout.

Why not mutmut: mutmut 2 crashed after 38 mutants here, and its default
test command ran every test the tree has for each mutant (15 s each).
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path("catchball/load/plain.py")

# The tests that compare plain.py with the exact route, quick and sharp ones
# first (pytest -x stops at the first failure, so most mutants die in a
# second), then the rest of tests/test_parse_paths.py and all of
# tests/test_loader.py. The parallel-reading tests compare two ways of
# calling the same reader and are left out.
FIRST = [
    "test_plain_goals_take_the_fast_route_and_agree_with_the_exact_route",
    "test_a_file_with_a_finding_is_refused_by_the_fast_route",
    "test_what_the_fast_route_does_not_read_is_refused",
    "test_text_libyaml_refuses_is_refused_by_the_fast_route",
    "test_generated_goals_agree_and_the_clean_ones_take_the_fast_route",
]
LEFT_OUT = ("parallel", "packed", "small_repositories")


def selection(tree: Path) -> list[str]:
    module = tree / "tests" / "test_parse_paths.py"
    names = [
        node.name
        for node in ast.parse(module.read_text(encoding="utf-8")).body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    ]
    ordered = [n for n in FIRST if n in names] + [n for n in names if n not in FIRST]
    chosen = [f"tests/test_parse_paths.py::{n}" for n in ordered if not any(w in n for w in LEFT_OUT)]
    return chosen + ["tests/test_loader.py"]


# -- the mutants ---------------------------------------------------------------------

_SWAP = {
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}


@dataclass(frozen=True)
class Mutant:
    number: int
    node: int  # the node's place in the walk below
    variant: str
    line: int
    where: str  # the function it is in
    statement: str  # the statement it is in (an `if`'s condition, not its body)
    before: str
    after: str
    occurrence: int = 1  # the same change in the same statement: the second, third...

    @property
    def key(self) -> str:
        """How tests/mutation/equivalent.py names it: stable while the code around it moves."""
        repeat = f" (#{self.occurrence})" if self.occurrence > 1 else ""
        return f"{self.where}: `{self.statement}`: {self.before} -> {self.after}{repeat}"


def _variants(node: ast.AST) -> list[str]:
    """The changes this node can take (names only; `_apply` makes them)."""
    if isinstance(node, ast.Compare):
        return [f"compare{i}" for i, op in enumerate(node.ops) if type(op) in _SWAP]
    if isinstance(node, ast.BoolOp):
        return ["boolop"]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return ["drop-not"]
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        return ["add-sub"]
    if isinstance(node, ast.Constant):
        if getattr(node, "docstring", False):
            return []
        if type(node.value) is int:
            return ["int+1", "int-1"]
        if type(node.value) is str:
            return ["str-empty" if node.value else "str-x"]
        return []
    if isinstance(node, ast.Slice):
        return [f"{side}{step}" for side in ("lower", "upper")
                if getattr(node, side) is not None and not isinstance(getattr(node, side), ast.Constant)
                for step in ("+1", "-1")]
    if isinstance(node, ast.Return) and node.value is not None and not (
        isinstance(node.value, ast.Constant) and node.value.value is None
    ):
        return ["return-none"]
    if isinstance(node, (ast.If, ast.IfExp)):
        return ["if-true", "if-false"]
    if isinstance(node, (ast.Break, ast.Continue)):
        return ["break-continue"]
    return []


def _apply(node: ast.AST, variant: str) -> ast.AST:
    node = copy.deepcopy(node)
    if variant.startswith("compare"):
        at = int(variant[len("compare"):])
        node.ops[at] = _SWAP[type(node.ops[at])]()
    elif variant == "boolop":
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif variant == "drop-not":
        return node.operand
    elif variant == "add-sub":
        node.op = ast.Sub() if isinstance(node.op, ast.Add) else ast.Add()
    elif variant in ("int+1", "int-1"):
        node.value += 1 if variant == "int+1" else -1
    elif variant == "str-empty":
        node.value = ""
    elif variant == "str-x":
        node.value = "X"
    elif variant[:5] in ("lower", "upper"):
        side, step = variant[:5], variant[5:]
        bound = getattr(node, side)
        setattr(node, side, ast.BinOp(bound, ast.Add() if step == "+1" else ast.Sub(), ast.Constant(1)))
    elif variant == "return-none":
        node.value = ast.Constant(None)
    elif variant in ("if-true", "if-false"):
        node.test = ast.Constant(variant == "if-true")
    elif variant == "break-continue":
        return ast.Continue() if isinstance(node, ast.Break) else ast.Break()
    return ast.fix_missing_locations(node)


class _Walk(ast.NodeTransformer):
    """One pre-order walk: lists the mutants (target None) or makes mutant `target`."""

    def __init__(self, target: tuple[int, str] | None = None) -> None:
        self.target = target
        self.count = 0
        self.found: list[tuple[int, str, ast.AST, str, str]] = []
        self.where = ["<module>"]
        self.statements: list[str] = []

    def visit(self, node):
        index = self.count
        self.count += 1
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body[0].value.docstring = True
        if isinstance(node, ast.ImportFrom):
            return node  # `from __future__ import annotations` and friends: nothing to mutate
        named = isinstance(node, (ast.FunctionDef, ast.ClassDef))
        if named:
            self.where.append(node.name if len(self.where) == 1 else f"{self.where[-1]}.{node.name}")
        statement = isinstance(node, ast.stmt)
        if statement:
            self.statements.append(_statement(node))
        if self.target is None:
            for variant in _variants(node):
                self.found.append((index, variant, node, self.where[-1], self.statements[-1] if self.statements else ""))
        result = self.generic_visit(node)
        if named:
            self.where.pop()
        if statement:
            self.statements.pop()
        if self.target is not None and self.target[0] == index:
            return _apply(result, self.target[1])
        return result


def _statement(node: ast.stmt) -> str:
    """A statement as one short line: the header of a compound one."""
    if isinstance(node, (ast.If, ast.While)):
        text = f"{'if' if isinstance(node, ast.If) else 'while'} {ast.unparse(node.test)}"
    elif isinstance(node, ast.For):
        text = f"for {ast.unparse(node.target)} in {ast.unparse(node.iter)}"
    elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        text = f"def {node.name}" if isinstance(node, ast.FunctionDef) else f"class {node.name}"
    else:
        text = ast.unparse(node)
    text = " ".join(text.split())
    return text if len(text) <= 70 else text[:67] + "..."


def _shown(node: ast.AST) -> str:
    text = ast.unparse(node) if not isinstance(node, (ast.If, ast.IfExp)) else f"if {ast.unparse(node.test)}"
    if isinstance(node, ast.Return):
        text = ast.unparse(node)
    text = " ".join(text.split())
    return text if len(text) <= 90 else text[:87] + "..."


def mutants(source: str) -> list[Mutant]:
    walk = _Walk()
    walk.visit(ast.parse(source))
    found = []
    seen: dict[tuple, int] = {}
    for number, (index, variant, node, where, statement) in enumerate(walk.found, start=1):
        after = _apply(node, variant)
        if isinstance(node, (ast.If, ast.IfExp)):
            after_text = f"if {ast.unparse(after.test)}"
        else:
            after_text = _shown(after)
        same = (where, statement, _shown(node), after_text)
        seen[same] = seen.get(same, 0) + 1
        found.append(Mutant(number, index, variant, getattr(node, "lineno", 0), *same, seen[same]))
    return found


def mutated_source(source: str, mutant: Mutant) -> str:
    walk = _Walk((mutant.node, mutant.variant))
    return ast.unparse(walk.visit(ast.parse(source))) + "\n"


# -- running them -----------------------------------------------------------------------


def copy_tree(into: Path) -> Path:
    """The tracked files of the worktree (as they are now), copied: mutants never touch the worktree."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout
    for name in files.decode().split("\0"):
        source = ROOT / name
        if name and source.is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name)
    return into


def write_atomically(path: Path, text: str) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".mutant-")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, path)


def run_tests(tree: Path, tests: list[str], timeout: float) -> tuple[str, float, str]:
    """("killed" | "survived" | "timeout", seconds, the first failing test)."""
    for stale in (tree / TARGET.parent / "__pycache__").glob("plain.*.pyc"):
        stale.unlink()  # same size, same second: Python would otherwise reuse the last mutant's bytecode
    env = dict(os.environ, PYTHONPATH=str(tree), HYPOTHESIS_PROFILE="mutation", CATCHBALL_NO_CACHE="1")
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", *tests]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=tree, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return "timeout", time.perf_counter() - started, ""
    seconds = time.perf_counter() - started
    text = output.decode("utf-8", "replace")
    failed = next((line.split()[1] for line in text.splitlines() if line.startswith(("FAILED ", "ERROR "))), "")
    if process.returncode == 0:
        return "survived", seconds, ""
    if process.returncode in (1, 2):  # 2: the mutant broke the import (collection error): killed too
        return "killed", seconds, failed or "collection"
    if process.returncode == 4 and "ImportError while loading conftest" in text:
        return "killed", seconds, "import"  # plain.py no longer imports (`__slots__ = ('',)`)
    raise SystemExit(f"pytest exited {process.returncode} on a mutant: is the selection right?\n{text[-2000:]}")


def equivalent_reasons() -> dict[str, str]:
    sys.path.insert(0, str(Path(__file__).parent))
    from equivalent import EQUIVALENT

    return EQUIVALENT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print the mutants and stop")
    parser.add_argument("--only", default="", help="comma-separated mutant numbers")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a mutant counts as hanging")
    parser.add_argument("--out", default=str(ROOT / ".mutation" / "results.jsonl"))
    options = parser.parse_args(argv)

    source = (ROOT / TARGET).read_text(encoding="utf-8")
    found = mutants(source)
    if options.list:
        for m in found:
            print(f"{m.number:4} line {m.line:4} {m.variant:14} {m.key}")
        print(f"{len(found)} mutants")
        return 0
    if options.only:
        wanted = {int(n) for n in options.only.split(",")}
        found = [m for m in found if m.number in wanted]
    reasons = equivalent_reasons()

    out = Path(options.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="catchball-mutants-") as folder:
        tree = copy_tree(Path(folder))
        tests = selection(tree)
        target = tree / TARGET
        write_atomically(target, source)
        state, seconds, _ = run_tests(tree, tests, options.timeout * 4)
        if state != "survived":
            raise SystemExit("the tests fail on the unchanged plain.py: fix them before mutating")
        print(f"unchanged plain.py: tests pass in {seconds:.1f} s; {len(found)} mutants", flush=True)
        results = []
        started = time.perf_counter()
        with out.open("w", encoding="utf-8") as log:
            for m in found:
                write_atomically(target, mutated_source(source, m))
                state, seconds, failed = run_tests(tree, tests, options.timeout)
                record = {"number": m.number, "line": m.line, "variant": m.variant, "key": m.key,
                          "state": state, "seconds": round(seconds, 2), "failed": failed}
                results.append(record)
                log.write(json.dumps(record) + "\n")
                log.flush()
                mark = {"killed": ".", "timeout": "T", "survived": "S"}[state]
                print(mark, end="" if m.number % 50 else f" {m.number}\n", flush=True)
        total = time.perf_counter() - started
    print()
    return summary(results, total, reasons)


def summary(results: list[dict], total: float, reasons: dict[str, str]) -> int:
    count = {state: sum(r["state"] == state for r in results) for state in ("killed", "timeout", "survived")}
    survivors = [r for r in results if r["state"] == "survived"]
    equivalent = [r for r in survivors if r["key"] in reasons]
    real = [r for r in survivors if r["key"] not in reasons]
    print("| mutants | killed | timed out | survived: equivalent | survived: real | s per mutant | total |")
    print("|---|---|---|---|---|---|---|")
    per = total / len(results) if results else 0.0
    print(f"| {len(results)} | {count['killed']} | {count['timeout']} | {len(equivalent)} | {len(real)} "
          f"| {per:.1f} | {total / 60:.1f} min |")
    for title, rows in (("Equivalent survivors", equivalent), ("Survivors with no explanation", real)):
        if rows:
            print(f"\n{title}:")
            for r in rows:
                reason = reasons.get(r["key"], "")
                print(f"- #{r['number']} line {r['line']}: `{r['key']}`" + (f": {reason}" if reason else ""))
    unused = sorted(set(reasons) - {r["key"] for r in results})
    if unused and len(results) > 0.9 * max(r["number"] for r in results):
        print("\nExplained in equivalent.py but no longer a survivor (remove them):")
        for key in unused:
            print(f"- `{key}`")
    return 1 if real else 0


if __name__ == "__main__":
    sys.exit(main())
