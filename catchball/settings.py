"""catchball.yaml: the organisation's settings, strictly checked.

A fault here means the command cannot run as asked, so it is a
SettingsError (exit 2), except an unknown key, which is a CB103 finding.
"""

from __future__ import annotations

import os
import re
from fractions import Fraction
from pathlib import Path

import yaml

from catchball.errors import SettingsError
from catchball.findings import Finding, FindingCollector
from catchball.load import yaml_nodes as Y
from catchball.load.limits import LimitExceeded, read_bounded
from catchball.load.nesting import nesting_fault
from catchball.load.reader import is_null as _is_null
from catchball.load.values import misread_number, not_decimal_kind, resolve_plain
from catchball.model import IMPROVEMENT_LEVELS, Settings, Span
from catchball.rules.catalog import CODES, resolve_selectors
from catchball.spc import SpcSettings
from catchball.spelling import did_you_mean

TOP_KEYS = ("organisation", "period", "rules", "spc", "capability")
RULE_KEYS = ("max-aims", "max-objectives", "ignore", "severity")
SPC_KEYS = ("minimum-points", "shift", "trend", "fix-limits-after", "stale-after")
# The ranges the spec allows: (key, smallest, largest or None).
SPC_RANGES = {
    "minimum-points": (2, None),
    "shift": (6, 8),
    "trend": (6, 8),
    "fix-limits-after": (2, None),
    "stale-after": (0, None),
}
SEVERITY_WORDS = ("error", "warning", "info")
CAPABILITY_KEYS = ("targets",)
# A share as written: a decimal number of per cent, `%` optional (`10%`, `10`, `0.1%`).
_SHARE = re.compile(r"\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*%?\s*")


def read_settings(path: Path, display: str) -> tuple[Settings, list[Finding]]:
    """Settings from catchball.yaml (defaults when the file is absent)."""
    # absent, or a folder (read as a folder of goals files): the defaults. A
    # pipe, socket or device goes on to read_bounded, which refuses it (exit 2).
    if not os.path.lexists(path) or path.is_dir():
        return Settings(), []
    if path.is_symlink() and not _inside_root(path):
        # as for goals files: a link out of the goals root could show the start
        # of any file the CI runner can read in a settings error in its log
        raise SettingsError(f"{display}: a symlink to outside the goals root, not followed: copy the settings in")
    try:
        raw = read_bounded(path)
    except OSError as exc:
        raise SettingsError(f"{display}: cannot be read ({exc.strerror or exc})") from None
    except LimitExceeded as exc:
        raise SettingsError(f"{display}: {exc}") from None
    text = Y.decode(raw)
    root = text if isinstance(text, Y.ParseFault) else (nesting_fault(text) or Y.compose(text))
    if isinstance(root, Y.ParseFault):
        raise SettingsError(f"{display}:{root.line}:{root.column}: {root.message}")
    if root is None:
        return Settings(), []
    bad = Y.unsafe_tag(root)
    if bad is not None:
        raise SettingsError(f"{_where(display, bad)}: tag {bad.tag!r} is not allowed")
    return _SettingsReader(display).read(root)


def _inside_root(link: Path) -> bool:
    try:
        return link.resolve().is_relative_to(link.parent.resolve())
    except (OSError, RuntimeError):  # a symlink loop: read_bounded says so
        return True


def _where(display: str, node: yaml.Node) -> str:
    return f"{display}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"


class _SettingsReader:
    def __init__(self, display: str) -> None:
        self.display = display
        self.collector = FindingCollector()

    def fail(self, node: yaml.Node, message: str):
        raise SettingsError(f"{_where(self.display, node)}: {message}")

    def mapping(self, node: yaml.Node, what: str, known: tuple) -> dict:
        if not isinstance(node, Y.MappingNode):
            self.fail(node, f"{what} must be a mapping")
        result = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, Y.ScalarNode) else None
            if key not in known:
                span = Span(self.display, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                hint = did_you_mean(str(key), known)
                self.collector.add("CB103", f"unknown key `{key}` in {what}{hint}", None, span)
                continue
            if key in result:  # which value was meant is not ours to guess in the settings
                self.fail(key_node, f"`{key}` is given twice in {what} (first on line {first_line[key]}): keep one")
            result[key] = value_node
            first_line[key] = key_node.start_mark.line + 1
        return result

    def read(self, root: yaml.Node) -> tuple[Settings, list[Finding]]:
        top = self.mapping(root, "catchball.yaml", TOP_KEYS)
        values = {}
        for key in ("organisation", "period"):
            if key in top and not _is_null(top[key]):
                values[key] = self.text(top[key], key)
        if "rules" in top and not _is_null(top["rules"]):
            rules = self.mapping(top["rules"], "`rules`", RULE_KEYS)
            for key, field in (("max-aims", "max_aims"), ("max-objectives", "max_objectives")):
                if key in rules and not _is_null(rules[key]):
                    values[field] = self.limit(rules[key], key)
            if "ignore" in rules and not _is_null(rules["ignore"]):
                values["ignore"] = self.ignore(rules["ignore"])
            if "severity" in rules and not _is_null(rules["severity"]):
                values["severity"] = self.severity(rules["severity"])
        if "spc" in top and not _is_null(top["spc"]):
            values.update(self.spc(top["spc"]))
        if "capability" in top and not _is_null(top["capability"]):
            values["capability_targets"] = self.capability(top["capability"])
        return Settings(**values), self.collector.findings()

    def spc(self, node: yaml.Node) -> dict:
        """The `spc` block: the chart's settings, and CB603's `stale-after` in days."""
        given = self.mapping(node, "`spc`", SPC_KEYS)
        numbers = {}
        for key, value_node in given.items():
            if _is_null(value_node):
                continue
            low, high = SPC_RANGES[key]
            number = self.whole_number(value_node, f"spc: {key}")
            if number < low or (high is not None and number > high):
                allowed = f"{low} to {high}" if high is not None else f"{low} or more"
                self.fail(value_node, f"`spc: {key}` must be {allowed}, not {number}")
            numbers[key] = number
        values = {}
        chart = {
            field: numbers[key]
            for key, field in (
                ("minimum-points", "minimum_points"), ("shift", "shift"), ("trend", "trend"),
                ("fix-limits-after", "fix_limits_after"),
            )
            if key in numbers
        }
        if chart:
            values["spc"] = SpcSettings(**chart)
        if "stale-after" in numbers:
            values["stale_after"] = numbers["stale-after"]
        return values

    def capability(self, node: yaml.Node) -> tuple[tuple[str, Fraction], ...]:
        """`capability: targets:` -> (level, per cent) in escalator order; the block alone switches CB7xx on."""
        block = self.mapping(node, "`capability`", CAPABILITY_KEYS)
        targets = block.get("targets")
        if targets is None or _is_null(targets):
            return ()
        if not isinstance(targets, Y.MappingNode):
            self.fail(targets, "`capability: targets` must map improvement levels to shares, e.g. `practitioner: 10%`")
        given: dict[str, Fraction] = {}
        for key_node, value_node in targets.value:
            level = key_node.value if isinstance(key_node, Y.ScalarNode) else None
            if level not in IMPROVEMENT_LEVELS:
                hint = did_you_mean(str(level), IMPROVEMENT_LEVELS)
                self.fail(key_node, f"capability targets: unknown improvement level {level!r}{hint}: "
                          f"the levels are {', '.join(IMPROVEMENT_LEVELS)}")
            if level in given:
                self.fail(key_node, f"capability targets: {level} is given twice: keep one")
            given[level] = self.share(value_node, level)
        return tuple((level, given[level]) for level in IMPROVEMENT_LEVELS if level in given)

    def share(self, node: yaml.Node, level: str) -> Fraction:
        written = node.value if isinstance(node, Y.ScalarNode) else "…"
        match = _SHARE.fullmatch(written) if isinstance(node, Y.ScalarNode) and node.tag != Y.BOOL else None
        if match is None:
            self.fail(node, f"capability target for {level} must be a share of headcount in per cent "
                      f"(`10%` or `10`), not {written!r}")
        share = Fraction(match.group(1))  # exact: Fraction reads decimal text without rounding
        if share > 100:
            self.fail(node, f"capability target for {level} must be 100% or less, not {written!r}")
        return share

    def text(self, node: yaml.Node, key: str) -> str:
        if not isinstance(node, Y.ScalarNode):
            self.fail(node, f"`{key}` must be text")
        return node.value

    def whole_number(self, node: yaml.Node, key: str) -> int:
        written = node.value if isinstance(node, Y.ScalarNode) else "…"
        # `!!int _` claims a type its text does not have; a 5,000-digit number
        # is past what Python converts (and what anyone means)
        if not (isinstance(node, Y.ScalarNode) and node.tag == Y.INT and resolve_plain(written) == Y.INT):
            self.fail(node, f"`{key}` must be a whole number, not {_shown(written)}")
        if misread_number(node.tag, written):  # `1:8` is 68 and `010` is 8 in YAML 1.1: never silently
            self.fail(
                node, f"`{key}` {_shown(written)} reads as a YAML 1.1 {not_decimal_kind(written)} number: "
                "write a decimal number",
            )
        if len(written) > 18:
            self.fail(node, f"`{key}` must be a whole number of at most 18 digits, not {_shown(written)}")
        try:
            return yaml.constructor.SafeConstructor().construct_yaml_int(node)
        except (ValueError, ArithmeticError, IndexError):
            self.fail(node, f"`{key}` must be a whole number, not {_shown(written)}")

    def limit(self, node: yaml.Node, key: str) -> int:
        number = self.whole_number(node, key)
        if number < 1:
            self.fail(node, f"`{key}` must be 1 or more, not {number}")
        return number

    def ignore(self, node: yaml.Node) -> tuple[str, ...]:
        items = node.value if isinstance(node, Y.SequenceNode) else [node]
        words = []
        for item in items:
            if not isinstance(item, Y.ScalarNode):
                self.fail(item, "`ignore` must be a list of rule codes")
            words.append(item.value)
        return tuple(sorted(resolve_selectors(words, f"{_where(self.display, node)}: ignore")))

    def severity(self, node: yaml.Node) -> tuple[tuple[str, str], ...]:
        if not isinstance(node, Y.MappingNode):
            self.fail(node, "`severity` must map rule codes to error, warning or info")
        overrides = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, Y.ScalarNode):
                self.fail(key_node, "`severity` must map rule codes to error, warning or info")
            code = key_node.value
            if code not in CODES:
                hint = did_you_mean(str(code), CODES)
                self.fail(key_node, f"severity: unknown rule code {code!r}{hint}")
            if any(code == seen for seen, _ in overrides):
                self.fail(key_node, f"severity: {code} is given twice: keep one")
            if not isinstance(value_node, Y.ScalarNode) or value_node.value not in SEVERITY_WORDS:
                word = value_node.value if isinstance(value_node, Y.ScalarNode) else "…"
                self.fail(value_node, f"severity of {code} must be error, warning or info, not {word!r}")
            word = value_node.value
            overrides.append((code, word))
        return tuple(overrides)


def _shown(text: str) -> str:
    return repr(text) if len(text) <= 40 else repr(text[:40] + "…")
