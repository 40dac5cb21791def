"""The stable table of rule codes: code -> (name, default severity), and selectors of codes.

A code is never reused: a retired rule keeps its line here, marked retired.
Every code here must be registered by exactly one rule module (checked at
import by catchball.rules.registry).

This module is data for every layer (the reader makes CB101 findings, the
settings name codes), so it imports nothing above the model: it sits in the
bottom layer although it lives beside the rules (docs/architecture.md).
"""

from __future__ import annotations

from typing import Iterable

from catchball.errors import SettingsError
from catchball.spelling import did_you_mean

CODES: dict[str, tuple[str, str]] = {
    "CB101": ("invalid-yaml", "error"),
    "CB102": ("invalid-field", "error"),
    "CB103": ("unknown-key", "warning"),
    "CB104": ("duplicate-id", "error"),
    "CB105": ("duplicate-key", "error"),
    "CB106": ("unknown-team", "error"),
    "CB107": ("unknown-person", "error"),
    "CB108": ("bad-org-tree", "error"),
    "CB201": ("orphan", "error"),
    "CB202": ("dangling-support", "error"),
    "CB203": ("support-cycle", "error"),
    "CB204": ("misaligned", "error"),
    "CB205": ("supports-inactive", "warning"),
    "CB206": ("skip-level", "warning"),
    "CB301": ("uncascaded-aim", "warning"),
    "CB302": ("silent-team", "warning"),
    "CB303": ("too-many-aims", "warning"),
    "CB304": ("too-many-objectives", "warning"),
    "CB401": ("unmeasured", "warning"),
    "CB402": ("unowned", "warning"),
    "CB403": ("due-after-target", "warning"),
    "CB404": ("incomplete-measure", "warning"),
    "CB501": ("challenged", "warning"),
    "CB502": ("proposed", "info"),
}

NAMES: dict[str, str] = {name: code for code, (name, _) in CODES.items()}


def match_codes(selector: str) -> set[str]:
    """Codes a selector names: a code (CB201), a name (orphan), a prefix (CB2), or ALL."""
    word = selector.strip()
    if word.upper() == "ALL":
        return set(CODES)
    if word in NAMES:
        return {NAMES[word]}
    upper = word.upper()
    return {code for code in CODES if code.startswith(upper)} if upper.startswith("CB") else set()


def resolve_selectors(selectors: Iterable[str], where: str) -> set[str]:
    """Codes for many selectors; an unknown one is an error naming `where`."""
    codes: set[str] = set()
    for selector in selectors:
        matched = match_codes(selector)
        if not matched:
            hint = did_you_mean(selector, list(CODES) + list(NAMES))
            raise SettingsError(f"{where}: unknown rule {selector!r}{hint}")
        codes |= matched
    return codes
