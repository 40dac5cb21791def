"""Imports flow one way: model -> load -> graph -> rules -> check -> formats/views/report -> cli.

docs/architecture.md shows the same table. Every catchball module is put in
one layer by LAYERS below (a new module with no entry fails
`test_every_module_has_a_layer`), every import, at the top of a file or
inside a function, points to its own layer or one below, and each module
imports on its own in a fresh interpreter (no cycle hides behind import
order).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "catchball"

# (layer, module or package prefix); the longest prefix that matches decides.
LAYERS = {
    # 0: values every layer uses
    "catchball": 0,  # the package itself: __version__
    "catchball.model": 0,
    "catchball.errors": 0,
    "catchball.links": 0,
    "catchball.spelling": 0,
    "catchball.findings": 0,
    "catchball.identity": 0,
    "catchball.rules.catalog": 0,  # the code table: data the reader needs too
    "catchball.asof": 0,  # the as-of day
    "catchball.spc": 0,  # pure: series in, chart out
    "catchball.icons": 0,  # Making Data Count's icons as words and symbols
    "catchball.measurement": 0,  # every measure's chart, from the model alone
    "catchball.chart": 0,  # an XmR chart as SVG: a picture of one value
    # 1: reading the goals
    "catchball.load": 1,
    "catchball.settings": 1,
    "catchball.goals_root": 1,  # which folder is the root when none is named (imports nothing of ours)
    "catchball.revision": 1,  # asks git which commit the goals are at (the report prints it; the replay compares it)
    "catchball.store": 1,  # the cache folder's database, for the parse cache and the replay (imports nothing of ours)
    "catchball.output": 1,  # refuses to write over a goals file, so it knows their names (load.discover)
    # 2: the cascade, and what is computed from it and the measures
    "catchball.graph": 2,
    "catchball.capability": 2,  # improvement capability: questions about the cascade, from the model alone
    # 3: the rules
    "catchball.rules": 3,
    # 4: a check and what is asked of its result
    "catchball.check": 4,
    "catchball.incremental": 4,  # a check after an edit: the changed files alone, the rest from the last run
    "catchball.diff": 4,
    "catchball.metrics": 4,
    "catchball.subjects": 4,
    "catchball.status": 4,
    "catchball.trace": 4,
    # 5: what people read (formats, views and the report never import each other)
    "catchball.formats": 5,
    "catchball.views": 5,
    "catchball.report": 5,
    "catchball.scaffold": 5,
    "catchball.jsonschema_export": 5,
    "catchball.workbook": 5,  # workbooks and CSV sheets out and back in (export, import)
    # 6: the command line
    "catchball.cli": 6,
    "catchball.__main__": 6,
}
SIBLINGS = ("catchball.formats", "catchball.views", "catchball.report")

# Third-party libraries kept to one place each.
CONFINED = {
    "typer": ("catchball.cli",),
    "click": ("catchball.cli",),
    "networkx": ("catchball.graph",),
    "jinja2": ("catchball.report.render",),
    "openpyxl": ("catchball.workbook",),
    "ruamel": ("catchball.workbook",),
    "rich": ("catchball.views.terminal", "catchball.cli.progress", "catchball.formats.text", "catchball.formats.changes"),
}


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def layer_of(module: str) -> int:
    best = max((prefix for prefix in LAYERS if module == prefix or module.startswith(prefix + ".")), key=len)
    return LAYERS[best]


def group_of(module: str) -> str | None:
    return next((s for s in SIBLINGS if module == s or module.startswith(s + ".")), None)


def imports(path: Path) -> list[tuple[str, int]]:
    """(module imported, line) for every import in the file, wherever it is."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, node.lineno))
    return found


def test_every_module_has_a_layer():
    for name in modules():
        assert any(name == p or name.startswith(p + ".") for p in LAYERS if p != "catchball") or name == "catchball", name


def test_every_import_points_down_the_layers():
    wrong = []
    for name, path in modules().items():
        for imported, line in imports(path):
            if not imported.startswith("catchball"):
                continue
            if layer_of(imported) > layer_of(name):
                wrong.append(f"{path.name}:{line}: {name} (layer {layer_of(name)}) imports {imported} (layer {layer_of(imported)})")
            mine, theirs = group_of(name), group_of(imported)
            if mine and theirs and mine != theirs:
                wrong.append(f"{path.name}:{line}: {name} imports its sibling {imported}")
    assert wrong == []


def test_libraries_are_confined():
    wrong = []
    for name, path in modules().items():
        for imported, line in imports(path):
            library = imported.split(".")[0]
            allowed = CONFINED.get(library)
            if allowed and not any(name == a or name.startswith(a + ".") for a in allowed):
                wrong.append(f"{name}:{line} imports {library}")
    assert wrong == []


def test_the_layer_check_sees_a_wrong_import(tmp_path):
    """The checker itself: an upward import is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from catchball.cli.app import app\n", encoding="utf-8")
    assert imports(bad) == [("catchball.cli.app", 2)]
    assert layer_of("catchball.cli.app") > layer_of("catchball.graph")
    assert layer_of("catchball.rules.catalog") == 0 and layer_of("catchball.rules.structure") == 3


@pytest.mark.parametrize("name", sorted(set(modules()) - {"catchball.__main__"}))
def test_each_module_imports_alone(name):
    done = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_the_main_module_runs_alone():
    """catchball.__main__ runs the CLI when imported, so it is run instead."""
    done = subprocess.run([sys.executable, "-m", "catchball", "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("catchball "), done
