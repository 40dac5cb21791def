"""The rule registry: one Rule per stable code, documented in fixed sections.

A rule is a function from the cascade to findings, registered with
@rule(code). Its docstring holds the sections "What it checks", "Why it
matters", "Example" and "How to fix"; `catchball rules` and docs/rules.md
are generated from them.
"""

from __future__ import annotations

import importlib
import inspect
import re
from dataclasses import dataclass
from typing import Callable, Iterable

from catchball.rules.catalog import CODES

SECTIONS = ("What it checks", "Why it matters", "Example", "How to fix")
FAMILIES = ("structure", "alignment", "deployment", "quality", "conversation")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    summary: str
    sections: dict  # section title -> text
    check: Callable[..., Iterable]

    @property
    def family(self) -> str:
        return self.check.__module__.rsplit(".", 1)[-1]


_RULES: dict[str, Rule] = {}


def rule(code: str):
    """Register the decorated function as the rule for `code`."""

    def register(check):
        if code in _RULES:
            raise RuntimeError(f"rule {code} registered twice")
        name, severity = CODES[code]
        summary, sections = _parse_doc(inspect.getdoc(check) or "", code)
        _RULES[code] = Rule(code, name, severity, summary, sections, check)
        return check

    return register


def _parse_doc(doc: str, code: str) -> tuple[str, dict]:
    summary, _, body = doc.partition("\n")
    parts = re.split(r"^(%s):?\s*$" % "|".join(SECTIONS), body, flags=re.M)
    sections = {parts[i]: parts[i + 1].strip("\n") for i in range(1, len(parts) - 1, 2)}
    missing = [s for s in SECTIONS if not sections.get(s, "").strip()]
    if missing:
        raise RuntimeError(f"rule {code} lacks doc sections: {', '.join(missing)}")
    return summary.strip(), sections


def all_rules() -> dict[str, Rule]:
    """Every rule by code, in code order (imports the rule families once)."""
    if len(_RULES) < len(CODES):
        for family in FAMILIES:
            importlib.import_module(f"catchball.rules.{family}")
        unregistered = set(CODES) - set(_RULES)
        if unregistered:
            raise RuntimeError(f"codes without a rule: {sorted(unregistered)}")
    return {code: _RULES[code] for code in sorted(_RULES)}
