"""Both parse routes read every file the same: plain.py's fast route and libyaml.

The fast route (catchball/load/plain.py) reads the plain part of YAML and
gives up on anything else; whatever it accepts must come out exactly as
libyaml composes it (values as written, tags, 0-based marks), and every
file must give the same FileGoals (elements, spans, findings) whichever
route reads it. Checked on the example goals, the tests' repositories,
generated repositories, hand-picked edge cases and generated YAML.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catchball.load import load_goals, reader
from catchball.load.limits import MAX_DEPTH
from catchball.load.plain import MAPPING_NODES, SCALAR_NODES, NotPlain, compose_plain, resolve_plain

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import generate  # noqa: E402


def dump(node):
    """A node tree as nested tuples: class of node, tag, value, 0-based line and column."""
    mark = node.start_mark
    if isinstance(node, SCALAR_NODES):
        return ("scalar", node.tag, node.value, mark.line, mark.column, node.style or None)
    if isinstance(node, MAPPING_NODES):
        pairs = [(dump(k), dump(v)) for k, v in node.value]
        return ("map", node.tag, mark.line, mark.column, bool(node.flow_style), pairs)
    return ("seq", node.tag, mark.line, mark.column, bool(node.flow_style), [dump(v) for v in node.value])


def same_as_libyaml(text: str) -> bool:
    """True when the fast route accepts `text` (and then asserts it agrees with libyaml)."""
    try:
        fast = compose_plain(text)
    except NotPlain:
        return False
    slow = yaml.compose(text, Loader=yaml.CSafeLoader)  # must not raise: the fast route never accepts an error
    assert dump(fast) == dump(slow)
    return True


def read_both(raw: bytes, name: str = "f.yaml"):
    fast = reader.read_goals_file(raw, name)
    original = reader.compose_plain
    reader.compose_plain = _never_plain
    try:
        slow = reader.read_goals_file(raw, name)
    finally:
        reader.compose_plain = original
    return fast, slow


def _never_plain(text):
    raise NotPlain


def yaml_files(*roots: Path) -> list[Path]:
    return sorted(p for root in roots for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("generated") / "goals"
    generate(repo, 800, seed=7, defect_rate=0.05)
    return repo


def test_every_repository_file_reads_the_same_both_ways(generated):
    files = yaml_files(ROOT / "goals", ROOT / "tests" / "repos", generated)
    assert len(files) > 50
    accepted = 0
    for path in files:
        raw = path.read_bytes()
        fast, slow = read_both(raw, str(path))
        assert fast == slow, path
        accepted += same_as_libyaml(raw.decode("utf-8-sig"))
    # The generated files are all plain: the fast route must take them, or it is not doing its job.
    assert accepted >= len(files) - 10


def test_generated_repository_takes_the_fast_route(generated):
    for path in yaml_files(generated):
        assert same_as_libyaml(path.read_text(encoding="utf-8")), path


PLAIN_CASES = [
    "a: 1\n",
    "---\na: 1\n",
    "a:\nb: 1\n",
    "a:   \nb: ~\nc: null\nd: Null\n",
    "a: # nothing\nb: 1 # one\n",
    "a:\n- x\n- y\nb: 2\n",
    "a:\n  - x\n  - y\n",
    "- a\n- b\n",
    "- id: A\n  title: x\n- id: B\n",
    "objectives:\n  - id: X\n    supports: [A, B,C ,  D]\n    measures:\n      - name: m\n        baseline: -0.5\n",
    "a: []\nb: [ ]\nc: [1.10, no, 2027-03-31, 0x1F, 1_000]\n",
    "a: 'it''s'\nb: \"q: x # y\"\nc: '' # c\nd: \"\"\n",
    "a: http://x.org/a#b\nb: C# and F#\nc: 50%\nd: a ,b\n",
    "id: 1.10\nno: yes\nOn: off\n2027: x\n",
    "a: 2027-03-31 10:00:00\nb: 1e3\nc: .inf\nd: -.NaN\ne: +12\nf: 012\ng: 0b101\nh: 190:20:30\n",
    "a: Reach 95% [sic] {not} flow, here\n",
    "a: x\n\n\n# comment\n   # indented comment\nb: y\n",
    "a:\n    b:\n        c: 1\n    d: 2\n",
    "a: x\na: y\n",
    "a: \ufffd x\nb: caf\u00e9 \u2603 \U0001f600\n",
    "a: x\r\nb: y\r\n",
    "  a: 1\n  b: 2\n",
    "- - a\n",
    # Each of these killed a surviving mutant of plain.py (docs/architecture.md, "Fencing the fast reader"):
    "a: <<\n",  # the merge tag is a plain tag
    "- 50%\n- -12\n- -.5\n",  # a line at column 0 that starts with `-` and ends with `%` is no directive
    "--- \na: 1\n",  # `--- ` with a space after it still starts the document
    "- x # c\n- xy # c\n- x  # c\n- y \n",  # a comment and spaces after a list entry
    "- a#\n- a -\n",  # `#` and `-` inside a list entry
    "- a:\n- b:\n  c: 1\n",  # list entries that are mappings, a key with nothing after it first
]

FALLBACK_CASES = [
    "",
    "# only a comment\n",
    "a: &x 1\nb: *x\n",
    "<<: {a: 1}\n",
    "a: !!str 1\n",
    "a: !custom x\n",
    "a: |\n  text\n",
    "a: >\n  text\n",
    "a: {b: 1}\n",
    "a: [b, [c]]\n",
    "a: ['b']\n",
    "a: \"esc\\n\"\n",
    "a: 'multi\n  line'\n",
    "a: plain\n  continued\n",
    "a: 1\n---\nb: 2\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: 1\n...\n",
    "a:\tb\n",
    "a: b\rc: d\n",
    "? a\n: b\n",
    "a: b: c\n",
    "a: b:\n",
    "a: - b\n",
    "a: =\n",
    "-\n  a: 1\n",
    "- # c\n  a: 1\n",
    "a: 1\n b: 2\n",
    "a:\n  b: 1\n c: 2\n",
    "a: 1\n- b\n",
    "scalar\n",
    "a: @x\n",
    "a: `x`\n",
    "'a': 1\n",
    "a b: 1\n",
    "a: 1\n\x00",
    "a: \x85x\n",
    "a: \"\\tx\"\n",  # an escape at the start of a double-quoted scalar
    "- =\n",  # PyYAML's `value` tag in a list entry
    "- a:b: c\n",  # a mapping in a list entry whose key holds a colon
    "- a:b:\n",
]


@pytest.mark.parametrize("text", PLAIN_CASES)
def test_plain_cases_take_the_fast_route_and_agree_with_libyaml(text):
    if text == "- - a\n":
        assert not same_as_libyaml(text)  # a list in a list on one line is left to libyaml
        return
    assert same_as_libyaml(text)
    fast, slow = read_both(text.encode("utf-8"))
    assert fast == slow


@pytest.mark.parametrize("text", FALLBACK_CASES)
def test_other_yaml_goes_to_libyaml(text):
    # Only the refusal is checked here: after it both routes are libyaml, so comparing them would prove nothing.
    with pytest.raises(NotPlain):
        compose_plain(text)


# Text libyaml refuses that looks nearly plain: the fast route must give up on it
# (NotPlain), so the file gets libyaml's CB101 with its position, whichever route runs.
REFUSED_CASES = [
    "a:\n  - x\n  b: 1\n",  # a key level with the list items under `a`
    "a:\n    - x\n  b: 1\n",  # a key between `a` and its list
    "a:\n  b: 1\n   c: 2\n",  # a key deeper than its sibling
    "- a\nb: 1\n",  # a mapping after a top-level list
    "a:\n- x\n  b: 1\n",
    "a: \"x\\\"\n",  # the closing quote is escaped: the scalar never ends
    "a: \"x\"y\n",  # text straight after a quoted scalar
    "a: \"x\" y\n",
    "a: 'x'y\n",
    "a: [A]x\n",  # text straight after a flow list
    "  a: 1\nb: 2\n",  # a key left of the root mapping
]


def test_plain_nodes_hold_no_attribute_dict():
    """Millions of nodes at national scale: each kind keeps its fields in slots (a dict each would double them)."""
    root = compose_plain("a:\n  - x\n  - [y, z]\nb: 1\n")
    nodes = [root, root.value[0][0], root.value[0][1], root.value[0][1].value[1]]
    assert [hasattr(node, "__dict__") for node in nodes] == [False] * 4
    assert [type(n).__name__ for n in nodes] == ["PlainMapping", "PlainScalar", "PlainSequence", "PlainSequence"]


@pytest.mark.parametrize("text", REFUSED_CASES)
def test_text_libyaml_refuses_is_refused_by_the_fast_route(text):
    with pytest.raises(yaml.YAMLError):
        yaml.compose(text, Loader=yaml.CSafeLoader)
    with pytest.raises(NotPlain):
        compose_plain(text)
    finding = reader.read_goals_file(text.encode("utf-8"), "f.yaml").findings
    assert [f.code for f in finding] == ["CB101"]


def random_document(rnd) -> str:
    """A block-style document, sometimes with one line's indent moved by a column or two (often invalid)."""
    lines: list[str] = []

    def block(indent: int, level: int) -> None:
        for _ in range(rnd.randint(1, 4)):
            pad = " " * indent
            key = rnd.choice(["id", "a", "b", "title", "supports", "measures", "1", "no"])
            if rnd.random() < 0.45 and level < 4:
                lines.append(f"{pad}{key}:")
                if rnd.random() < 0.5:
                    step = rnd.choice([0, 2, 4])
                    for _ in range(rnd.randint(1, 3)):
                        lines.append(f"{pad}{' ' * step}- {rnd.choice(['x', 'k: v', 'id: A-1'])}")
                        for _ in range(rnd.randint(0, 2)):
                            lines.append(f"{pad}{' ' * (step + 2)}{rnd.choice(['k', 'm'])}: {rnd.choice(['1', 'v'])}")
                else:
                    block(indent + rnd.choice([1, 2, 4]), level + 1)
            else:
                lines.append(f"{pad}{key}: {rnd.choice(['x', '1.10', 'no', '[A, B]', 'a b', ''])}")

    block(0, 0)
    if rnd.random() < 0.4 and len(lines) > 1:
        where = rnd.randrange(1, len(lines))
        shift = rnd.choice([-2, -1, 1, 2])
        line = lines[where]
        lines[where] = line[-shift:] if shift < 0 and line.startswith(" " * -shift) else " " * max(shift, 0) + line
    return "\n".join(lines) + "\n"


def test_generated_documents_agree_and_mostly_take_the_fast_route():
    """The differential test proper: fast and libyaml compared on text where both really run.

    Shifted indents make much of the input invalid; the fast route must then
    give up (libyaml decides), never accept text that libyaml refuses. The
    share of input on the fast route is asserted so that a reader that gives
    up on everything cannot pass.
    """
    import random

    rnd = random.Random(20261201)
    fast_valid = slow_valid = refused = 0
    for _ in range(3000):
        text = random_document(rnd)
        try:
            expected = yaml.compose(text, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            expected = None
        try:
            fast = compose_plain(text)
        except NotPlain:
            fast = NotPlain
        if expected is None:
            assert fast is NotPlain, f"the fast route accepted text libyaml refuses: {text!r}"
            refused += 1
        elif fast is NotPlain:
            slow_valid += 1
        else:
            assert dump(fast) == dump(expected), text
            fast_valid += 1
    assert refused > 300  # the shifted indents do make invalid text
    assert fast_valid > 0.9 * (fast_valid + slow_valid), (fast_valid, slow_valid)


def test_depth_up_to_the_limit_takes_the_fast_route():
    """MAX_DEPTH open collections are read fast; one more is left to libyaml (and the nesting guard)."""
    def nested(levels: int) -> str:
        return "".join(" " * i + f"k{i}:\n" for i in range(levels - 1)) + " " * (levels - 1) + "x: 1\n"

    assert same_as_libyaml(nested(MAX_DEPTH))
    with pytest.raises(NotPlain):
        compose_plain(nested(MAX_DEPTH + 1))

    # A chain of `- k:` entries opens a list and then a mapping for each line:
    # under a list root the mappings land on even depths, under a mapping root on odd ones.
    def entries(lines: int, under_a_mapping: bool) -> str:
        return ("a:\n" if under_a_mapping else "") + "".join("  " * i + "- k:\n" for i in range(lines))

    assert MAX_DEPTH % 2 == 0
    assert same_as_libyaml(entries(MAX_DEPTH // 2, under_a_mapping=False))  # the last mapping at MAX_DEPTH
    with pytest.raises(NotPlain):
        compose_plain(entries(MAX_DEPTH // 2, under_a_mapping=True))  # the last mapping one past it


def test_a_key_as_long_as_libyaml_allows_takes_the_fast_route():
    """libyaml refuses an implicit key longer than 1,024 characters: up to that the fast route reads it."""
    assert same_as_libyaml("k" * 1024 + ": 1\n")
    with pytest.raises(NotPlain):
        compose_plain("k" * 1025 + ": 1\n")
    assert [f.code for f in reader.read_goals_file(("k" * 1025 + ": 1\n").encode(), "f.yaml").findings] == ["CB101"]


def test_resolve_plain_reads_the_empty_scalar_as_null():
    assert resolve_plain("") == "tag:yaml.org,2002:null"
    assert [resolve_plain(v) for v in ("~", "no", "1.10", "x")] == [
        "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:float", "tag:yaml.org,2002:str"
    ]


def test_depth_past_the_limit_goes_to_libyaml_and_its_guard():
    text = "".join(" " * i + f"k{i}:\n" for i in range(150)) + " " * 150 + "x: 1\n"
    with pytest.raises(NotPlain):
        compose_plain(text)
    fast, slow = read_both(text.encode("utf-8"))
    assert fast == slow and [f.code for f in fast.findings] == ["CB101"]


# -- generated YAML ------------------------------------------------------------------

KEYS = st.sampled_from(
    ["id", "title", "team", "person", "supports", "status", "due", "measures", "name", "baseline", "target",
     "by", "direction", "owner", "notes", "aims", "teams", "objectives", "people", "parent", "1", "no", "x.y"]
)
SCALARS = st.one_of(
    st.sampled_from(
        ["A-1", "1.10", "no", "yes", "~", "null", "", "2027-03-31", "2027-02-30", "12", "-3", "-.5", "0x1F",
         "1_000", "1,000", "agreed", "dropped", "=", "<<", ".inf", "a b", "a #b", "a# b", "a: b", "a:b", "x:",
         "- x", "-x", "'q'", "\"q\"", "'it''s'", "[A, B]", "[A,B]", "[]", "[ A ]", "[A, 'B']", "{a: 1}",
         "&a x", "*a", "!!str x", "|", ">", "@x", "%x", "?x", "? x", "#c", "caf\u00e9", "x  ", "\ttab"]
    ),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
)


@st.composite
def documents(draw, depth=0):
    lines = []

    def block(indent: int, level: int) -> None:
        for _ in range(draw(st.integers(1, 4))):
            pad = " " * indent
            if draw(st.booleans()) and level < 4:
                lines.append(f"{pad}{draw(KEYS)}:")
                if draw(st.booleans()):
                    step = draw(st.sampled_from([0, 2, 4]))
                    for _ in range(draw(st.integers(1, 3))):
                        lines.append(f"{pad}{' ' * step}- {draw(KEYS)}: {draw(SCALARS)}")
                        for _ in range(draw(st.integers(0, 2))):
                            lines.append(f"{pad}{' ' * (step + 2)}{draw(KEYS)}: {draw(SCALARS)}")
                else:
                    block(indent + draw(st.sampled_from([1, 2, 4])), level + 1)
            else:
                sep = draw(st.sampled_from([": ", ":  ", ":", ": # c\n" + pad + "  - ", " : "]))
                lines.append(f"{pad}{draw(KEYS)}{sep}{draw(SCALARS)}")
            if draw(st.integers(0, 9)) == 0:
                lines.append(draw(st.sampled_from(["", "# c", "  # c", "---", "..."])))

    block(0, 0)
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


# 400 examples, except in the mutation run, which takes its profile's fixed few (tests/conftest.py).
MUTATION_RUN = os.environ.get("HYPOTHESIS_PROFILE") == "mutation"


@settings(max_examples=settings.default.max_examples if MUTATION_RUN else 400, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_yaml_reads_the_same_both_ways(text):
    try:
        same_as_libyaml(text)
    except yaml.YAMLError as exc:  # pragma: no cover - a failure says the fast route accepted an error
        pytest.fail(f"the fast route accepted text libyaml refuses: {exc}")
    fast, slow = read_both(text.encode("utf-8"))
    assert fast == slow


# -- parallel reading --------------------------------------------------------------


def test_parallel_workers_give_what_one_process_gives(generated, monkeypatch):
    monkeypatch.setenv("CATCHBALL_WORKERS", "1")
    serial = load_goals(str(generated))
    monkeypatch.setenv("CATCHBALL_WORKERS", "2")
    parallel = load_goals(str(generated))
    assert parallel.goals.files == serial.goals.files
    for table in ("aims", "teams", "people", "objectives"):
        assert list(getattr(parallel.goals, table).items()) == list(getattr(serial.goals, table).items())
    assert parallel.findings == serial.findings
    assert parallel.notes == serial.notes


def test_small_repositories_are_read_in_this_process(tmp_path, monkeypatch):
    from catchball.load.discover import discover
    from catchball.load.parallel import worker_count

    monkeypatch.delenv("CATCHBALL_WORKERS", raising=False)
    (tmp_path / "a.yaml").write_text("teams:\n  - {id: board, name: Board}\n")
    root = discover(str(tmp_path))
    assert worker_count(root, root.files) == 1


def test_packed_records_round_trip(generated):
    from catchball.load.parallel import pack, unpack

    for path in yaml_files(generated)[:40]:
        part = reader.read_goals_file(path.read_bytes(), str(path))
        assert unpack(pack(part)) == part
