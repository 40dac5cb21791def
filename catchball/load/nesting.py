"""How deeply a YAML text nests, bounded before any parser composes it.

libyaml composes nodes by recursion in C: near 25,000 levels it overflows the
stack and the process dies (no exception to catch). Its scanner also slows
quadratically with the depth of flow collections: 40,000 `[` take 7 s, a
20 MB file of them would never end. So the depth is checked first, cheaply:

1. A proof by counting. Block collections nest only by indentation, so a
   block collection that starts at column c is at most 2(c + 1) deep (a
   sequence may sit at its parent key's indentation, nothing else may), and
   block collections start only in a line's leading run of spaces and
   `- ` / `? ` / `: ` indicators. Flow collections add at most two levels per
   `[` or `{` (a `key: value` entry in a flow sequence is a mapping of its
   own). Short leading runs and few brackets prove the bound.
2. A proof line by line. When every line holding a bracket or a quote is one
   of the simple shapes of a goals file (a flow of at most two levels closed
   on its line, quotes closed on their line, nothing that continues onto the
   next line), flow collections add at most four levels.
3. Otherwise libyaml's own parser events are counted (no composition, so no
   recursion), stopping at the first level past the limit. This is exact
   and costs about half a compose; ordinary files never get here.

The limit itself is MAX_DEPTH in catchball/load/limits.py.
"""

from __future__ import annotations

import functools
import re

import yaml

from catchball.load.limits import MAX_DEPTH
from catchball.load.yaml_nodes import LOADER, ParseFault

# Step 1 and 2: the longest leading run allowed, so that block nesting stays
# within half the limit: 2 * (LEADING_RUN + 1) <= MAX_DEPTH / 2.
LEADING_RUN = MAX_DEPTH // 4 - 1
FLOW_COUNTED = MAX_DEPTH - 2 * (LEADING_RUN + 1)  # room left for flow levels in step 1
FLOW_SIMPLE = 4  # flow levels a simple line can add in step 2

_BREAKS_OTHER_THAN_LF = ("\r", "\x85", "\u2028", "\u2029")  # YAML line breaks too

# --- step 1 -------------------------------------------------------------------

_LONG_RUN = re.compile(r"\n(?: |[-?:](?=[ \n]|\Z)){%d}" % (LEADING_RUN + 1))

# --- step 2: the shape of a simple line ----------------------------------------
#
# The pieces follow libyaml's scanner. Quoted scalars may not hold `[` or `{`
# here, so every bracket of a simple line is either structure the pattern
# sees, or inside a plain scalar of block context, where libyaml too reads it
# as text. Tabs and line breaks other than LF make a line not simple (step 3
# decides).

_X = r"\n\r\t\x85\u2028\u2029"  # never inside a simple line
_NS = rf"[^ {_X}]"
_INDICATORS = r",\[\]{}#&*!|>'\"%@`"
# Each repeated part is written as `normal* (special normal*)*`, where a
# special never starts with a normal character: one way only to match any
# text, so a failing line costs linear time, never exponential.
_BLOCK_PLAIN = (
    rf"(?:[^-?: {_INDICATORS}{_X}]|[-?:](?={_NS}))"
    rf"[^ :{_X}]*(?:(?::(?={_NS})| +(?=[^ :#{_X}]|:{_NS}))[^ :{_X}]*)*"
)
_FLOW_END = rf" ,\[\]{{}}{_X}"
_FLOW_PLAIN = (
    rf"(?:[^-?: {_INDICATORS}{_X}]|-(?=[^{_FLOW_END}]))"
    rf"[^{_FLOW_END}:]*(?:(?::(?=[^{_FLOW_END}?])| +(?=[^{_FLOW_END}:#]|:[^{_FLOW_END}?]))[^{_FLOW_END}:]*)*"
)
_QUOTED = (
    rf"""(?:"[^"\\\[{{{_X}]*(?:\\[^\[{{{_X}][^"\\\[{{{_X}]*)*\""""
    rf"""|'[^'\[{{{_X}]*(?:''[^'\[{{{_X}]*)*')"""
)
_PROPERTY = rf"[&!][^ ,\[\]{{}}{_X}]*"  # an anchor or a tag
_ALIAS = rf"\*[^ ,\[\]{{}}{_X}]+"
_FLOW_SCALAR = rf"(?:(?:{_PROPERTY} +)*(?:{_QUOTED}|{_FLOW_PLAIN}|{_ALIAS})|{_PROPERTY})"


def _entries(node: str, close: str) -> str:
    # A colon needs a space or the entry's end after it (`a:b` is one plain
    # scalar, as in libyaml), except right after a quoted key (`"a":1`); the
    # two cases never match the same text.
    entry = rf"(?:{_QUOTED} *:(?=[^ ,\]}}]){node}|{node}(?: *:(?=[ ,\]}}]) *(?:{node})?)?)"
    return rf" *(?:{entry} *(?:, *{entry} *)*(?:, *)?)?{close}"


_FLOW_INNER = rf"(?:{_FLOW_SCALAR}|\[{_entries(_FLOW_SCALAR, ']')}|\{{{_entries(_FLOW_SCALAR, '}')})"
_FLOW = rf"(?:\[{_entries(_FLOW_INNER, ']')}|\{{{_entries(_FLOW_INNER, '}')})"
_PREFIX = rf"(?: |-(?= |$)){{0,{LEADING_RUN}}}"
_KEY = rf"(?:{_BLOCK_PLAIN}|{_QUOTED}):(?= |$) *"
_VALUE = rf"(?:(?:{_PROPERTY} +)*(?:{_FLOW}|{_QUOTED}|{_BLOCK_PLAIN}|{_ALIAS}|[|>][-+0-9]*)|{_PROPERTY})"
_TAIL = r" *(?:(?<![^ \n])#[^\n\r\x85\u2028\u2029]*)?$"
_SIMPLE_LINE = rf"(?:---|\.\.\.|{_PREFIX}(?:{_KEY})?(?:{_VALUE})?){_TAIL}"
_SPECIAL = r"\[{\"'\t"  # lines without these cannot open a flow or a quote
# 100 kB of pattern takes 0.35 to 0.6 s to compile: only on first use, and
# only when the quick pattern below cannot decide.
_NOT_SIMPLE_PATTERN = rf"\n(?=[^\n{_SPECIAL}]*[{_SPECIAL}])(?!{_SIMPLE_LINE})"

# The quick pattern: the same simple line with flows of one level only (a
# goals file's `supports: [a, b]`). Every line it matches, the full pattern
# matches too, so "no line fails the quick one" proves step 2. It compiles
# in about 0.03 s, which every worker that reads one file by the exact route
# would otherwise pay half a second for.
_FLOW_ONE_LEVEL = rf"(?:\[{_entries(_FLOW_SCALAR, ']')}|\{{{_entries(_FLOW_SCALAR, '}')})"
_QUICK_VALUE = (
    rf"(?:(?:{_PROPERTY} +)*(?:{_FLOW_ONE_LEVEL}|{_QUOTED}|{_BLOCK_PLAIN}|{_ALIAS}|[|>][-+0-9]*)|{_PROPERTY})"
)
_QUICK_LINE = rf"(?:---|\.\.\.|{_PREFIX}(?:{_KEY})?(?:{_QUICK_VALUE})?){_TAIL}"
_NOT_QUICK_PATTERN = rf"\n(?=[^\n{_SPECIAL}]*[{_SPECIAL}])(?!{_QUICK_LINE})"


@functools.lru_cache(maxsize=1)
def _not_simple() -> re.Pattern:
    return re.compile(_NOT_SIMPLE_PATTERN, re.MULTILINE)


@functools.lru_cache(maxsize=1)
def _not_quick() -> re.Pattern:
    return re.compile(_NOT_QUICK_PATTERN, re.MULTILINE)

# --- step 3 -------------------------------------------------------------------

_Loader = LOADER
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def nesting_fault(text: str) -> ParseFault | None:
    """A fault when collections in `text` nest deeper than MAX_DEPTH, else None."""
    if within_limit_by_shape(text):
        return None
    return deepest_point(text)


def within_limit_by_shape(text: str) -> bool:
    """True when steps 1 or 2 prove the depth is within the limit (False: unknown)."""
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    if any(mark in text for mark in _BREAKS_OTHER_THAN_LF):
        return False
    lines = "\n" + text
    if _LONG_RUN.search(lines):
        return False
    if 2 * (text.count("[") + text.count("{")) <= FLOW_COUNTED:
        return True
    return every_line_simple(text)


def every_line_simple(text: str) -> bool:
    """Step 2: every line that holds a bracket, a quote or a tab has a simple shape."""
    lines = "\n" + text
    return _not_quick().search(lines) is None or _not_simple().search(lines) is None


def deepest_point(text: str) -> ParseFault | None:
    """Step 3: count levels in the parser's events, up to the first past the limit.

    A syntax error ends the count; composing the text stops at the same
    error, so nothing deeper is ever composed.

    libyaml 0.2.6 (PyYAML 6.0.4's wheels) has a nesting limit of its own,
    about 1,000 flow levels, which its scanner reaches while it looks ahead
    for a simple key, before it hands us the event past our limit. Its
    message and position differ from release to release, so when libyaml
    stops with an error, PyYAML's own parser (no limit of its own, the same
    grammar) counts the lines up to that error again: the finding is the same
    whichever libyaml is installed. Only a file with a syntax error pays for
    it, and only up to the line of that error.
    """
    try:
        return _count_levels(yaml.parse(text, Loader=_Loader))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        if _Loader is yaml.SafeLoader or mark is None:
            return None
        upto = _up_to_line(text, mark.line)
        try:
            return _count_levels(yaml.parse(upto, Loader=yaml.SafeLoader))
        except yaml.YAMLError:
            return None


def _up_to_line(text: str, line: int) -> str:
    """The text up to the end of its 0-based `line` (any YAML line break counts)."""
    end = len(text)
    for number, found in enumerate(_LINE_BREAK.finditer(text)):
        if number == line:
            end = found.end()
            break
    return text[:end]


def _count_levels(events) -> ParseFault | None:
    depth = 0
    for event in events:
        if isinstance(event, _OPEN):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                return ParseFault(
                    f"collections nest more than {MAX_DEPTH} levels deep: refused (a goals file needs six)",
                    mark.line + 1,
                    mark.column + 1,
                )
        elif isinstance(event, _CLOSE):
            depth -= 1
    return None
