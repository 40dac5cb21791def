"""The report's Mermaid flowchart: strictly valid, and always within GitHub's limits.

There is no Mermaid parser for Python, so `validate_mermaid` checks the
subset of the flowchart grammar the report may use, line by line.
"""

from __future__ import annotations

import re

import pytest

from catchball.check import run_check
from catchball.report.mermaid import MAX_CHARACTERS, MAX_EDGES, OBJECTIVES, TEAMS, cascade_diagram, label
from catchball.subjects import FindingIndex
from tests.conftest import write_repo

GITHUB_MAX_EDGES = 500
GITHUB_MAX_CHARACTERS = 50_000

# A label: quoted, no quote, newline or raw angle bracket inside except our own <br/>;
# every # starts one of the entity codes we write.
_LABEL = r'"(?:[^"#<>\n]|<br/>|#(?:quot|lt|gt|amp|35|96);)*"'
NODE = re.compile(rf"^(n\d+)(?:\[{_LABEL}\]|\(\[{_LABEL}\]\))$")
EDGE = re.compile(r"^(n\d+) -->(?:\|(\d+)\|)? (n\d+)$")
CLASS_DEF = re.compile(r"^classDef ([a-z]+) [a-z-]+:[#\w]+(?:,[a-z-]+:[#\w]+)*$")
CLASS = re.compile(r"^class (n\d+(?:,n\d+)*) ([a-z]+)$")


def validate_mermaid(text: str) -> dict:
    """Raise AssertionError unless `text` is a flowchart in the report's subset; return its counts."""
    lines = text.split("\n")
    assert lines[0] == "flowchart TD", lines[0]
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
    good = 'flowchart TD\nn1(["A"])\nn2["B<br/>c #quot;d#quot;"]\nn1 --> n2\nclassDef aim fill:#fff\nclass n1 aim'
    assert validate_mermaid(good) == {"nodes": 2, "edges": 1}
    for bad in (
        'flowchart TD\nn1["a "quoted" b"]',
        'flowchart TD\nn1["<script>"]',
        'flowchart TD\nn1["a"]\nn1 --> n2',
        'flowchart TD\nn1["a"]\nend',
        'flowchart TD\nn1["a #1 b"]',
        'flowchart TD\nn1[a]',
    ):
        with pytest.raises(AssertionError):
            validate_mermaid(bad)


def test_labels_are_escaped_and_cut():
    assert label('Say "end" & <b>#1</b> `x`') == "Say #quot;end#quot; #amp; #lt;b#gt;#35;1#lt;/b#gt; #96;x#96;"
    assert label("a\nb\r\nc") == "a b c"
    long = label("x" * 200)
    assert len(long) == 60 and long.endswith("…")
    assert label(None) == ""


def test_a_label_never_starts_like_a_markdown_list_item():
    # Mermaid 11 reads node text as Markdown and draws a list as "Unsupported markdown: list".
    for text in ("1. First", "12) Twelfth", "- dash", "* star", "+ plus", "1.", "-"):
        assert not re.match(r"(\d{1,9}[.)]|[-+*])( |$)", label(text)), text
    assert label("1. First") == "1.\u00a0First"
    assert label("1.5 per cent") == "1.5 per cent" and label("-dash") == "-dash"


def diagram_for(root, **limits):
    result = run_check(str(root))
    return result, cascade_diagram(result.cascade, FindingIndex(result.findings, result.goals), **limits)


def test_small_cascade_is_drawn_objective_by_objective(make_repo):
    result, diagram = diagram_for(make_repo({
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
                owner: wm
                measures: [{name: X, baseline: 1, target: 2}]
        """,
    }))
    assert diagram.mode == OBJECTIVES
    counts = validate_mermaid(diagram.text)
    # TN-SAFE, SURG-1, W7-1, W7-2 (the orphan); the individual P-SN-1 is not drawn
    assert counts == {"nodes": 4, "edges": 2} == {"nodes": diagram.nodes, "edges": diagram.edges}
    lines = diagram.text.splitlines()
    assert 'n1(["TN-SAFE<br/>Zero avoidable harm"])' in lines
    assert "n1 --> n2" in lines and "n2 --> n3" in lines
    assert 'n4["W7-2<br/>A #quot;quoted#quot; #lt;b#gt;title#lt;/b#gt; | with #35; and #96;ticks#96;"]' in lines
    assert "class n4 error" in lines  # the orphan is highlighted
    assert "P-SN-1" not in diagram.text


def big_flat_repo(tmp_path, objectives: int, title: str = "t", supports: str = "TN-SAFE"):
    """One division owning `objectives` team objectives, each supporting the aim."""
    lines = ["team: surgery", "objectives:"]
    lines += [f"  - {{id: S-{i}, title: '{title}', supports: {supports}, owner: dd}}" for i in range(objectives)]
    return write_repo(tmp_path / "goals", {
        "true-north.yaml": "aims:\n  - {id: TN-SAFE, title: Zero avoidable harm}\n",
        "org.yaml": "teams:\n  - {id: board, name: Board}\n  - {id: surgery, name: Surgery, parent: board}\n",
        "objectives/surgery.yaml": "\n".join(lines) + "\n",
    })


def test_too_many_edges_switches_to_one_node_per_team(tmp_path):
    result, diagram = diagram_for(big_flat_repo(tmp_path, MAX_EDGES + 1))
    assert diagram.mode == TEAMS and diagram.levels == 1
    validate_mermaid(diagram.text)
    lines = diagram.text.splitlines()
    assert f'n3["Surgery<br/>{MAX_EDGES + 1} objectives"]' in lines
    assert f"n1 -->|{MAX_EDGES + 1}| n3" in lines
    just_under = diagram_for(big_flat_repo(tmp_path / "small", MAX_EDGES))[1]
    assert just_under.mode == OBJECTIVES and just_under.edges == MAX_EDGES
    validate_mermaid(just_under.text)


def test_too_many_characters_switches_too(tmp_path):
    # no edges at all (they support nothing), but 600 long labels
    result, diagram = diagram_for(big_flat_repo(tmp_path, 600, title="a long title " * 10, supports="[]"))
    assert diagram.mode == TEAMS
    assert validate_mermaid(diagram.text)["edges"] == 0
    assert '["Surgery<br/>600 objectives, 600 not connected"]' in diagram.text


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
    return write_repo(tmp_path / "goals", {
        "true-north.yaml": "aims:\n  - {id: TN-SAFE, title: Zero avoidable harm}\n",
        "org.yaml": "\n".join(teams) + "\n",
        "objectives/all.yaml": "\n".join(objectives) + "\n",
    })


def test_a_wide_org_is_merged_into_its_top_level_teams(tmp_path):
    # 3 divisions x 150 wards: 453 objective edges, and 453 team edges with every ward drawn
    result, diagram = diagram_for(deep_repo(tmp_path, 3, 150))
    assert diagram.mode == TEAMS and diagram.levels == 1
    counts = validate_mermaid(diagram.text)
    assert counts == {"nodes": 5, "edges": 3}  # the aim, the board and three divisions
    assert '["Division 0<br/>151 objectives in 151 teams"]' in diagram.text


def test_a_flat_org_too_wide_to_draw_keeps_what_fits_and_counts_the_rest(tmp_path):
    teams = ["teams:", "  - {id: board, name: Board}"]
    objectives = ["objectives:"]
    for t in range(600):
        teams.append(f"  - {{id: t{t}, name: 'Team {t}', parent: board}}")
        objectives.append(f"  - {{id: O{t}, title: t, supports: TN-SAFE, team: t{t}}}")
    root = write_repo(tmp_path / "goals", {
        "true-north.yaml": "aims:\n  - {id: TN-SAFE, title: Zero avoidable harm}\n",
        "org.yaml": "\n".join(teams) + "\n",
        "objectives/all.yaml": "\n".join(objectives) + "\n",
    })
    result, diagram = diagram_for(root)
    counts = validate_mermaid(diagram.text)
    assert diagram.mode == TEAMS and diagram.levels == 1
    assert counts["edges"] <= MAX_EDGES and len(diagram.text) <= MAX_CHARACTERS
    assert counts["edges"] == MAX_EDGES  # as many teams as fit
    more = 601 - (counts["nodes"] - 2)  # teams, less those drawn (nodes: the aim, the "more" node)
    assert f'["… and {more} more teams"]' in diagram.text


def test_limits_can_be_tightened(make_repo):
    result, diagram = diagram_for(make_repo(), max_edges=1)
    assert diagram.mode == TEAMS and diagram.edges <= 1
    validate_mermaid(diagram.text)


def test_a_team_pack_draws_its_branch_and_the_line_up(check_repo):
    result = check_repo()
    diagram = cascade_diagram(result.cascade, FindingIndex(result.findings, result.goals), scope={"ward-7"})
    validate_mermaid(diagram.text)
    assert [line.split("<br/>")[0] for line in diagram.text.splitlines()[1:4]] == [
        'n1(["TN-SAFE', 'n2["SURG-1', 'n3["W7-1',
    ]
