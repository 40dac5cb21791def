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


@given(yaml_like)
def test_the_quick_shape_is_a_simple_shape(text):
    # The quick pattern may only prove what the full one would: a line it
    # passes, the full pattern passes too.
    lines = "\n" + text.replace("\r\n", "\n")
    if nesting._not_quick().search(lines) is None:
        assert nesting._not_simple().search(lines) is None


@pytest.mark.parametrize(
    "line",
    ["supports: [TN-1, TN-2]", "- {id: p1, name: \"Rachel O'Brien\", team: ward-7}  # a comment", "title: \"it's plain\""],
)
def test_one_level_flows_are_proved_by_the_quick_shape(line):
    assert nesting._not_quick().search("\n" + line) is None


@pytest.mark.parametrize("line", ["measures: [{name: m, unit: \"%\"}]", "aims: [[x]]"])
def test_two_level_flows_need_the_full_shape(line):
    assert nesting._not_quick().search("\n" + line) is not None
    assert nesting.every_line_simple(line)


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


# --- the same finding whichever parser counts ---------------------------------
#
# libyaml 0.2.6 (PyYAML 6.0.4) stops near 1,000 flow levels with an error of its
# own, before the event past our limit; 0.2.5 has no such limit. The exact count
# must give the same fault either way, so it is checked against PyYAML's own
# parser, which has no limit, and against a libyaml that stops early.

DEEP_TEXTS = {
    "flow sequences": "aims: " + "[" * 5_000 + "]" * 5_000 + "\n",
    "flow mappings": "aims: " + "{a: " * 5_000 + "1" + "}" * 5_000 + "\n",
    "block sequences": "aims:\n" + "- " * 5_000 + "x\n",
    "flow after a long block": "aims:\n" + "".join(f"  - k{n}: v\n" for n in range(200)) + "  - " + "[" * 3_000 + "\n",
    "carriage returns": "aims:\r  - x\r  - " + "[" * 3_000 + "]" * 3_000 + "\r",
}


def pure_python_fault(text: str):
    return nesting._count_levels(yaml.parse(text, Loader=yaml.SafeLoader))


@pytest.mark.parametrize("name", DEEP_TEXTS)
def test_the_exact_count_is_the_same_as_pure_python_parsers(name):
    text = DEEP_TEXTS[name]
    expected = pure_python_fault(text)
    assert expected is not None and f"more than {MAX_DEPTH} levels" in expected.message
    assert nesting.deepest_point(text) == expected


@pytest.mark.parametrize("name", DEEP_TEXTS)
def test_a_libyaml_that_stops_early_gives_the_same_fault(name, monkeypatch):
    text = DEEP_TEXTS[name]
    expected = pure_python_fault(text)
    real_parse = yaml.parse

    def libyaml_with_a_limit_of_its_own(stream, Loader):  # noqa: N803 - PyYAML's name
        if Loader is yaml.SafeLoader:
            return real_parse(stream, Loader=Loader)

        def events():
            depth = 0
            for event in real_parse(stream, Loader=Loader):
                if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                    depth += 1
                    if depth > 1_000 or (depth > 2 and event.start_mark.column > 900):
                        raise yaml.scanner.ScannerError(
                            "while increasing flow level", event.start_mark,
                            "exceeded maximum nesting depth", event.start_mark)
                yield event
        return events()

    monkeypatch.setattr(nesting.yaml, "parse", libyaml_with_a_limit_of_its_own)
    assert nesting.deepest_point(text) == expected


def test_a_syntax_error_without_deep_nesting_is_left_to_the_reader():
    assert nesting.deepest_point("aims: [[[ {a: b\n  - ]]\n" + "x: [" * 3 + "\n") is None
