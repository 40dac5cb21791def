"""Machine and text formats for `catchball check`, chosen by name.

Each format is a small module with one function, `emit(result, out)`, that
writes the whole output for one CheckResult to a text stream.
"""

from __future__ import annotations

import importlib
from typing import Callable, TextIO

FORMAT_NAMES = ("text", "json", "github", "sarif", "junit", "gitlab", "markdown")

Emitter = Callable[..., None]


def emitter(name: str) -> Callable[[object, TextIO], None]:
    """The emit function of the format called `name` (imported on demand)."""
    if name not in FORMAT_NAMES:
        raise KeyError(name)
    return importlib.import_module(f"catchball.formats.{name}").emit
