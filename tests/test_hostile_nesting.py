"""The depth bound of catchball/load/nesting.py, checked against libyaml itself.

The loader refuses deep nesting before libyaml composes (libyaml's composer
recurses in C and kills the process near 25,000 levels). Its cheap proofs
must never promise less depth than libyaml then finds: hypothesis throws
YAML-like text at them and counts libyaml's real levels.
"""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from catchball.load import nesting
from catchball.load.limits import MAX_DEPTH

TOKENS = [
    "\n", "\n", "\n  ", "\n- ", " ", "  ", "- ", "-", "? ", "?", ": ", ":", "a", "b c", "key: ", "k:",
    "[", "[", "]", "]", "{", "{", "}", "}", ", ", ",", "'", "'", '"', '"', "''", "\\", '\\"', "#", " #",
    "&x ", "*x", "!t ", "|", ">", "---", "...", "\t", "%", "\r\n", "1",
]
yaml_like = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)


def libyaml_depth(text: str) -> int:
    """The deepest level libyaml reaches before the end or its first error."""
    depth = deepest = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                deepest = max(deepest, depth)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass
    return deepest


def leading_run(text: str) -> int:
    """The longest run of spaces and `- ` / `? ` / `: ` indicators that starts a line."""
    longest = 0
    for line in text.replace("\r\n", "\n").split("\n"):
        run = 0
        while run < len(line) and (line[run] == " " or (line[run] in "-?:" and line[run + 1 : run + 2] in (" ", ""))):
            run += 1
        longest = max(longest, run)
    return longest


def only_lf_breaks(text: str) -> bool:
    return not re.search(r"\r(?!\n)|[\x85\u2028\u2029]", text)


@given(yaml_like)
def test_counting_proof_holds(text):
    if not only_lf_breaks(text):
        return
    openers = text.count("[") + text.count("{")
    assert libyaml_depth(text) <= 2 * (leading_run(text) + 1) + 2 * openers


@given(yaml_like)
def test_simple_line_proof_holds(text):
    if not only_lf_breaks(text) or not nesting.every_line_simple(text.replace("\r\n", "\n")):
        return
    assert libyaml_depth(text) <= 2 * (leading_run(text) + 1) + nesting.FLOW_SIMPLE


@given(yaml_like)
def test_the_guard_never_lets_a_deep_text_through(text):
    deep = text * 30  # repetition builds depth from any opening pattern
    if nesting.within_limit_by_shape(deep):
        assert libyaml_depth(deep) <= MAX_DEPTH


def test_the_proofs_leave_room_for_each_other():
    assert 2 * (nesting.LEADING_RUN + 1) + nesting.FLOW_COUNTED <= MAX_DEPTH
    assert 2 * (nesting.LEADING_RUN + 1) + nesting.FLOW_SIMPLE <= MAX_DEPTH


@pytest.mark.parametrize(
    "text",
    [
        "aims:\n  - id: A\n    supports: [TN-1, TN-2]\n    measures: [{name: m, unit: \"%\", baseline: 1}]\n",
        "people:\n  - {id: p1, name: \"Rachel O'Brien\", team: ward-7}  # a comment\n",
        "team: t\nobjectives:\n  - id: O'Neil-1\n    title: Don't stop [see note] {x}\n    supports: 'TN'\n",
        "aims: []\nteams: {}\n",
    ],
)
def test_goals_shaped_files_are_proved_without_the_parser(text):
    assert nesting.every_line_simple(text)


@pytest.mark.parametrize(
    "text",
    [
        "aims: [[[x]]]\n",  # three flow levels
        "aims: [a,\n  b]\n",  # a flow that goes on to the next line
        "title: 'it goes\n  on'\n",  # a quote that goes on
        'aims: ["]", ["]", ["]"]]\n',  # brackets inside quotes
        "aims:\t[x]\n",
    ],
)
def test_other_shapes_go_to_the_exact_count(text):
    assert not nesting.every_line_simple(text)
