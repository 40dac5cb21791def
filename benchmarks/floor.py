#!/usr/bin/env python3
"""The floors catchball is measured against: read, or parse, every goals file.

    python benchmarks/floor.py read   REPO   # read the bytes of every file
    python benchmarks/floor.py ryml   REPO   # the fastest parse available: rapidyaml
    python benchmarks/floor.py csafe  REPO   # PyYAML's libyaml loader (yaml.load, CSafeLoader)

Each runs as its own process so benchmarks/run.py measures it exactly as it
measures a catchball command: from interpreter start to exit, wall time and
peak memory. The files are the ones catchball reads (*.yaml and *.yml below
the root, hidden ones skipped), read one at a time. Nothing is kept: each
parsed tree is dropped before the next file is read, as a parser that feeds
a program would.
"""

from __future__ import annotations

import os
import sys


def goal_files(root: str) -> list[str]:
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(
            os.path.join(folder, name)
            for name in files
            if not name.startswith(".") and name.endswith((".yaml", ".yml"))
        )
    found.sort()
    return found


def read_all(files: list[str]) -> int:
    total = 0
    for path in files:
        with open(path, "rb") as handle:
            total += len(handle.read())
    return total


def parse_ryml(files: list[str]) -> int:
    import ryml

    nodes = 0
    for path in files:
        with open(path, "rb") as handle:
            nodes += ryml.parse_in_arena(handle.read()).size()
    return nodes


def load_csafe(files: list[str]) -> int:
    import yaml

    count = 0
    for path in files:
        with open(path, "rb") as handle:
            count += yaml.load(handle.read(), Loader=yaml.CSafeLoader) is not None
    return count


MODES = {"read": read_all, "ryml": parse_ryml, "csafe": load_csafe}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in MODES:
        print(f"usage: floor.py {{{','.join(MODES)}}} REPO", file=sys.stderr)
        return 2
    MODES[argv[0]](goal_files(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
