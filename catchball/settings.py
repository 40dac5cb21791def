"""catchball.yaml: the organisation's settings, strictly checked.

A fault here means the command cannot run as asked, so it is a
SettingsError (exit 2), except an unknown key, which is a CB103 finding.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from catchball.errors import SettingsError
from catchball.findings import Finding, FindingCollector
from catchball.load import yaml_nodes as Y
from catchball.load.limits import LimitExceeded, read_bounded
from catchball.load.nesting import nesting_fault
from catchball.load.plain import resolve_plain
from catchball.model import Settings, Span
from catchball.rules.catalog import CODES, resolve_selectors
from catchball.spelling import did_you_mean

TOP_KEYS = ("organisation", "period", "rules")
RULE_KEYS = ("max-aims", "max-objectives", "ignore", "severity")
SEVERITY_WORDS = ("error", "warning", "info")


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
        return Settings(**values), self.collector.findings()

    def text(self, node: yaml.Node, key: str) -> str:
        if not isinstance(node, Y.ScalarNode):
            self.fail(node, f"`{key}` must be text")
        return node.value

    def limit(self, node: yaml.Node, key: str) -> int:
        written = node.value if isinstance(node, Y.ScalarNode) else "…"
        # `!!int _` claims a type its text does not have; a 5,000-digit number
        # is past what Python converts (and what anyone means)
        if not (isinstance(node, Y.ScalarNode) and node.tag == Y.INT and resolve_plain(written) == Y.INT):
            self.fail(node, f"`{key}` must be a whole number, not {_shown(written)}")
        if len(written) > 18:
            self.fail(node, f"`{key}` must be a whole number of at most 18 digits, not {_shown(written)}")
        try:
            number = yaml.constructor.SafeConstructor().construct_yaml_int(node)
        except (ValueError, ArithmeticError, IndexError):
            self.fail(node, f"`{key}` must be a whole number, not {_shown(written)}")
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


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, Y.ScalarNode) and (node.tag == Y.NULL or node.value == "")
