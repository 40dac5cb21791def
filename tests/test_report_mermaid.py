"""The report's per-aim Mermaid flowcharts: strictly valid, within GitHub's limits, and readable.

There is no Mermaid parser for Python, so `validate_mermaid` checks the
subset of the flowchart grammar the report may use, line by line (the
browser tests in test_board_browser.py render them with Mermaid itself).
"""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catchball.check import run_check
from catchball.report.aim_tree import LABEL_CHARS, LABEL_LINES, MAX_LEVELS, MAX_NODES, OBJECTIVES, TEAMS, aim_tree, wrap_title
from catchball.report.mermaid import aim_mermaid, label
from tests.conftest import write_repo

GITHUB_MAX_EDGES = 500
GITHUB_MAX_CHARACTERS = 50_000

# A label: quoted, no quote, newline or raw angle bracket inside except our own <br/>, <b>, <i>;
# every # starts one of the entity codes we write.
_LABEL = r'"(?:[^"#<>\n]|<br/>|</?[bi]>|#(?:quot|lt|gt|amp|35|96);)*"'
NODE = re.compile(rf"^(n\d+)(?:\[{_LABEL}\]|\(\[{_LABEL}\]\))$")
EDGE = re.compile(r"^(n\d+) -->(?:\|(\d+)\|)? (n\d+)$")
CLASS_DEF = re.compile(r"^classDef ([a-z]+) [a-z-]+:[#\w]+(?:,[a-z-]+:[#\w]+)*$")
CLASS = re.compile(r"^class (n\d+(?:,n\d+)*) ([a-z]+)$")


def validate_mermaid(text: str) -> dict:
    """Raise AssertionError unless `text` is a flowchart in the report's subset; return its counts."""
    lines = text.split("\n")
    assert lines[0] == "flowchart LR", lines[0]
    nodes: set[str] = set()
    classes: set[str] = set()
    edges = 0
    for number, line in enumerate(lines[1:], 2):
        if match := NODE.match(line):
            assert match.group(1) not in nodes, f"line {number}: node defined twice: {line}"
            nodes.add(match.group(1))
        elif match := EDGE.match(line):
            start, end = match.group(1), match.group(3)
            assert start in nodes and end in nodes, f"line {number}: edge between undefined nodes: {line}"
            edges += 1
        elif match := CLASS_DEF.match(line):
            classes.add(match.group(1))
        elif match := CLASS.match(line):
            assert match.group(2) in classes, f"line {number}: class used before classDef: {line}"
            assert set(match.group(1).split(",")) <= nodes, f"line {number}: class on undefined node: {line}"
        else:
            raise AssertionError(f"line {number} is not a node, edge or class statement: {line!r}")
        assert line.strip() != "end"
    assert edges <= GITHUB_MAX_EDGES, f"{edges} edges"
    assert len(text) <= GITHUB_MAX_CHARACTERS, f"{len(text)} characters"
    return {"nodes": len(nodes), "edges": edges}


def test_validator_rejects_what_would_break_a_diagram():
    good = 'flowchart LR\nn1(["<b>A</b>"])\nn2["B<br/><i>c</i> #quot;d#quot;"]\nn1 --> n2\nclassDef aim fill:#fff\nclass n1 aim'
    assert validate_mermaid(good) == {"nodes": 2, "edges": 1}
    for bad in (
        'flowchart LR\nn1["a "quoted" b"]',
        'flowchart LR\nn1["<script>"]',
        'flowchart LR\nn1["a"]\nn1 --> n2',
        'flowchart LR\nn1["a"]\nend',
        'flowchart LR\nn1["a #1 b"]',
        'flowchart LR\nn1[a]',
    ):
        with pytest.raises(AssertionError):
            validate_mermaid(bad)


def test_labels_are_escaped_and_never_cut():
    assert label('Say "end" & <b>#1</b> `x`') == "Say #quot;end#quot; #amp; #lt;b#gt;#35;1#lt;/b#gt; #96;x#96;"
    assert label("a\nb\r\nc") == "a b c"
    assert label("x" * 200) == "x" * 200  # aim_tree wraps titles into lines; a label is one of them
    assert label(None) == ""


def test_a_label_never_starts_like_a_markdown_list_item():
    # Mermaid 11 reads node text as Markdown and draws a list as "Unsupported markdown: list".
    for text in ("1. First", "12) Twelfth", "- dash", "* star", "+ plus", "1.", "-"):
        assert not re.match(r"(\d{1,9}[.)]|[-+*])( |$)", label(text)), text
    assert label("1. First") == "1.\u00a0First"
    assert label("1.5 per cent") == "1.5 per cent" and label("-dash") == "-dash"


@given(st.lists(st.text(st.characters(whitelist_categories=("L", "N", "P", "S")), min_size=1, max_size=30), max_size=40))
def test_titles_wrap_on_words_and_are_never_cut_mid_word(words):
    title = " ".join(words)
    lines = wrap_title(title)
    assert len(lines) <= LABEL_LINES
    shown = " ".join(lines).removesuffix(" …").split()
    assert shown == title.split()[: len(shown)]  # whole words, in order: none is cut
    if not lines or not lines[-1].endswith(" …"):
        assert shown == title.split()
    for line in lines:  # only a word longer than a line makes one longer
        assert len(line.removesuffix(" …")) <= LABEL_CHARS or " " not in line.removesuffix(" …")


def no_severity(goal_ids, team_ids):
    return None


def tree_of(root, aim="TN-SAFE", **options):
    result = run_check(str(root))
    return aim_tree(result.cascade, aim, no_severity, **options)


def test_a_small_aim_is_drawn_objective_by_objective_left_to_right(make_repo):
    root = make_repo({
        "objectives/ward-7.yaml": """
            team: ward-7
            objectives:
              - id: W7-1
                title: 'end'
                supports: SURG-1
                owner: wm
                measures: [{name: X, baseline: 1, target: 2}]
              - id: W7-2
                title: 'A "quoted" <b>title</b> | with # and `ticks`'
                supports: SURG-1
                owner: wm
                measures: [{name: X, baseline: 1, target: 2}]
        """,
    })
    result = run_check(str(root))
    tree = aim_tree(result.cascade, "TN-SAFE", lambda g, t: "error" if "W7-2" in g else None)
    assert tree.mode == OBJECTIVES and [b.key for b in tree.boxes] == ["TN-SAFE", "SURG-1", "W7-1", "W7-2"]
    text = aim_mermaid(tree)
    assert validate_mermaid(text) == {"nodes": 4, "edges": 3}
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    assert 'n0(["<b>TN-SAFE</b><br/>Zero avoidable harm"])' in lines
    assert "n0 --> n1" in lines and "n1 --> n2" in lines and "n1 --> n3" in lines
    assert 'n3["<b>W7-2</b><br/>A #quot;quoted#quot;<br/>#lt;b#gt;title#lt;/b#gt; | with #35;<br/>and #96;ticks#96;<br/><i>Ward 7</i>"]' in lines
    assert "class n3 error" in lines
    assert "P-SN-1" not in text  # individual objectives are counted, not drawn
    assert tree.boxes[2].note == "1 individual objective"


def big_flat_repo(tmp_path, objectives: int, title: str = "t", supports: str = "TN-SAFE"):
    """One division owning `objectives` team objectives, each supporting the aim."""
    lines = ["team: surgery", "objectives:"]
    lines += [f"  - {{id: S-{i}, title: '{title}', supports: {supports}, owner: dd}}" for i in range(objectives)]
    return write_repo(tmp_path / "goals", {
        "true-north.yaml": "aims:\n  - {id: TN-SAFE, title: Zero avoidable harm}\n",
        "org.yaml": "teams:\n  - {id: board, name: Board}\n  - {id: surgery, name: Surgery, parent: board}\n",
        "objectives/surgery.yaml": "\n".join(lines) + "\n",
    })


def test_above_the_node_limit_one_box_per_team_with_counts(tmp_path):
    at_limit = tree_of(big_flat_repo(tmp_path / "a", MAX_NODES))
    assert at_limit.mode == OBJECTIVES and len(at_limit.boxes) == MAX_NODES + 1
    over = tree_of(big_flat_repo(tmp_path / "b", MAX_NODES + 1))
    assert over.mode == TEAMS and len(over.boxes) == 2
    assert over.boxes[1].heading == ("Surgery",) and over.boxes[1].note == f"{MAX_NODES + 1} objectives"
    text = aim_mermaid(over)
    validate_mermaid(text)
    assert f"n0 -->|{MAX_NODES + 1}| n1" in text.splitlines()


def chain_repo(tmp_path, length: int):
    """One team's objectives in a same-team chain below the aim: legal, and as deep as you like."""
    lines = ["team: surgery", "objectives:", "  - {id: C0, title: t, supports: TN-SAFE}"]
    lines += [f"  - {{id: C{i}, title: t, supports: C{i - 1}}}" for i in range(1, length)]
    return write_repo(tmp_path / "goals", {
        "true-north.yaml": "aims:\n  - {id: TN-SAFE, title: Zero avoidable harm}\n",
        "org.yaml": "teams:\n  - {id: board, name: Board}\n  - {id: surgery, name: Surgery, parent: board}\n",
        "objectives/surgery.yaml": "\n".join(lines) + "\n",
    })


def test_deeper_than_four_levels_is_counted_in_the_box_above(tmp_path):
    tree = tree_of(chain_repo(tmp_path, 10))
    assert tree.mode == OBJECTIVES and tree.levels == MAX_LEVELS
    assert [b.key for b in tree.boxes] == ["TN-SAFE", "C0", "C1", "C2", "C3"]
    assert tree.folded == 6 and tree.boxes[-1].note == "+ 6 below"
    validate_mermaid(aim_mermaid(tree))


def org_repo(tmp_path, teams: list[str], objectives: list[str]):
    """One aim, the org tree and the objectives given as YAML lines."""
    return write_repo(tmp_path / "goals", {
        "true-north.yaml": "aims:\n  - {id: TN-SAFE, title: Zero avoidable harm}\n",
        "org.yaml": "\n".join(teams) + "\n",
        "objectives/all.yaml": "\n".join(objectives) + "\n",
    })


def deep_repo(tmp_path, divisions: int, wards: int):
    """Divisions under the board, wards under each division, one objective each, linked up the tree."""
    teams = ["teams:", "  - {id: board, name: Board}"]
    objectives = ["objectives:"]
    for d in range(divisions):
        teams.append(f"  - {{id: div-{d}, name: 'Division {d}', parent: board}}")
        objectives.append(f"  - {{id: D{d}, title: t, supports: TN-SAFE, team: div-{d}}}")
        for w in range(wards):
            teams.append(f"  - {{id: ward-{d}-{w}, name: 'Ward {d}.{w}', parent: div-{d}}}")
            objectives.append(f"  - {{id: W{d}-{w}, title: t, supports: D{d}, team: ward-{d}-{w}}}")
    return org_repo(tmp_path, teams, objectives)


def test_a_wide_org_is_merged_into_its_top_level_teams(tmp_path):
    tree = tree_of(deep_repo(tmp_path, 3, 150))
    assert tree.mode == TEAMS and tree.team_depth == 1
    assert [b.heading for b in tree.boxes[1:]] == [("Division 0",), ("Division 1",), ("Division 2",)]
    assert tree.boxes[1].note == "151 objectives (with teams below)"
    assert validate_mermaid(aim_mermaid(tree)) == {"nodes": 4, "edges": 3}


def test_a_flat_org_too_wide_to_draw_keeps_the_first_teams_and_counts_the_rest(tmp_path):
    teams = ["teams:", "  - {id: board, name: Board}"]
    objectives = ["objectives:"]
    for t in range(600):
        teams.append(f"  - {{id: t{t}, name: 'Team {t}', parent: board}}")
        objectives.append(f"  - {{id: O{t}, title: t, supports: TN-SAFE, team: t{t}}}")
    tree = tree_of(org_repo(tmp_path, teams, objectives))
    assert tree.mode == TEAMS and len(tree.boxes) == MAX_NODES + 1
    assert tree.boxes[-1].heading == (f"… and {600 - MAX_NODES + 1} more teams",)
    assert tree.more_teams == 600 - MAX_NODES + 1
    counts = validate_mermaid(aim_mermaid(tree))
    assert counts["nodes"] == MAX_NODES + 1


def org_chain_repo(tmp_path, depth: int):
    """An org tree `depth` teams deep, each team's objective supporting its parent team's."""
    teams = ["teams:", "  - {id: t0, name: Team 0}"]
    objectives = ["objectives:", "  - {id: O0, title: t, supports: TN-SAFE, team: t0}"]
    for i in range(1, depth):
        teams.append(f"  - {{id: t{i}, name: 'Team {i}', parent: t{i - 1}}}")
        objectives.append(f"  - {{id: O{i}, title: t, supports: O{i - 1}, team: t{i}}}")
    return org_repo(tmp_path, teams, objectives)


def test_a_deep_org_tree_costs_time_in_proportion(tmp_path):
    """Issue 11: the old diagram took 0.9 s at 400 teams deep and 5.9 s at 800 (cubic)."""
    # Counted in Python function calls, not timed: the count is the same on
    # every run, where a timing on a shared machine is not.
    calls = {}
    for depth in (500, 2000):
        result = run_check(str(org_chain_repo(tmp_path / str(depth), depth)))
        counted = [0]

        def count(frame, event, arg):
            if event == "call":
                counted[0] += 1

        sys.setprofile(count)
        try:
            tree = aim_tree(result.cascade, "TN-SAFE", no_severity)
            aim_mermaid(tree)
        finally:
            sys.setprofile(None)
        calls[depth] = counted[0]
        assert tree.mode == TEAMS and tree.levels <= MAX_LEVELS + 1
        validate_mermaid(aim_mermaid(tree))
    # Four times the teams: linear work is 4 times the calls; quadratic would be 16, cubic 64.
    assert calls[2000] < calls[500] * 6, calls


def test_a_team_pack_draws_its_branch_and_the_line_up(check_repo):
    result = check_repo()
    tree = aim_tree(result.cascade, "TN-SAFE", no_severity, scope={"ward-7"})
    assert [b.key for b in tree.boxes] == ["TN-SAFE", "SURG-1", "W7-1"]
    validate_mermaid(aim_mermaid(tree))
