"""Which folder is the goals root when none is named: found without loading anything.

The nearest folder at or above the working folder that holds
catchball.yaml, failing that ./goals. The loader (load/discover.py) and the
replay (cli/replay.py, which must start without the loader) ask the same
question here.
"""

from __future__ import annotations

from pathlib import Path

SETTINGS_FILE = "catchball.yaml"


def nearest_root(cwd: Path) -> Path:
    """The nearest folder at or above cwd holding catchball.yaml, else cwd/goals (which may not exist)."""
    for folder in (cwd, *cwd.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    return cwd / "goals"
