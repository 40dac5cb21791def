"""Walks of the cascade on deep goals: a same-team `supports` chain and an org tree, each 2,000 deep.

Both are legal goals. Every walk is a loop over its own stack, so no command
may stop with RecursionError (it did at 600 levels), and a team pack lists
each of its objectives once, so its size grows with the chain, not with its
square (issue 11: 55 s and 2.4 GB at 2,000).
"""

from __future__ import annotations

import json
import sys

import pytest

from catchball.check import run_check
from tests.deep import write_chain, write_org_tree

DEPTH = 2000


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    return write_chain(tmp_path_factory.mktemp("chain") / "goals", DEPTH)


@pytest.fixture(scope="module")
def org(tmp_path_factory):
    return write_org_tree(tmp_path_factory.mktemp("org") / "goals", DEPTH)


def deep_json(text: str):
    """json.loads itself recurses once a level: give it room for this document only."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(20_000)
    try:
        return json.loads(text)
    finally:
        sys.setrecursionlimit(limit)


def depth_of(below: list) -> int:
    depth = 0
    while below:
        assert len(below) == 1
        depth += 1
        below = below[0]["supporters"]
    return depth


def test_the_cascade_of_a_deep_chain_shows_every_step(cli, chain):
    result = cli("cascade", chain)
    assert result.exit_code == 0, result.output
    assert f"C{DEPTH}  Step {DEPTH}" in result.stdout
    assert "Line of sight 2000/2000 active objectives trace to True North" in result.stdout


def test_the_cascade_of_a_deep_org_tree_shows_every_team(cli, org):
    result = cli("cascade", org)
    assert result.exit_code == 0, result.output
    assert f"Team {DEPTH} (T{DEPTH})" in result.stdout
    depth_limited = cli("cascade", "--depth", "3", org).stdout
    assert "O2  Step 2" in depth_limited and "O3  Step 3" not in depth_limited
    assert "… 1 more objective below (raise --depth)" in depth_limited


def test_the_cascade_of_a_deep_branch(cli, org):
    result = cli("cascade", "--team", f"T{DEPTH - 1}", org)
    assert result.exit_code == 0, result.output
    assert f"O{DEPTH}" in result.stdout and f"O{DEPTH - 1}" in result.stdout and "O0" in result.stdout


@pytest.mark.parametrize("fixture", ["chain", "org"])
def test_trace_up_a_deep_chain(cli, request, fixture):
    root = request.getfixturevalue(fixture)
    bottom = f"C{DEPTH}" if fixture == "chain" else f"O{DEPTH}"
    text = cli("trace", bottom, root)
    assert text.exit_code == 0, text.output
    assert "TN" in text.stdout
    document = cli("trace", bottom, "--format", "json", root)
    assert document.exit_code == 0, document.output
    trace = deep_json(document.stdout)
    (path,) = trace["paths"]
    assert len(path) == DEPTH + 1 if fixture == "chain" else DEPTH + 2
    assert path[0]["id"] == bottom and path[-1]["id"] == "TN"


@pytest.mark.parametrize("fixture", ["chain", "org"])
def test_trace_down_from_the_aim_of_a_deep_chain(cli, request, fixture):
    root = request.getfixturevalue(fixture)
    document = cli("trace", "TN", "--format", "json", root)
    assert document.exit_code == 0, document.output
    trace = deep_json(document.stdout)
    levels = DEPTH if fixture == "chain" else DEPTH + 1
    assert trace["supporters"] == levels
    assert depth_of(trace["below"]) == levels
    text = cli("trace", "TN", root)
    assert text.exit_code == 0, text.output


def test_status_of_a_deep_org_tree(cli, org):
    result = cli("status", "--format", "json", org)
    assert result.exit_code == 0, result.output
    teams = {t["id"]: t for t in json.loads(result.stdout)["teams"]}
    assert teams[f"T{DEPTH}"]["depth"] == DEPTH
    assert cli("status", org).exit_code == 0


def test_status_of_a_deep_chain(cli, chain):
    result = cli("status", "--format", "json", chain)
    assert result.exit_code == 0, result.output


def test_a_team_pack_lists_a_deep_chain_once(cli, chain, tmp_path):
    """Each of the team's objectives has its own entry; a path up or a tree below stops at the next one."""
    result = cli("report", "--team", "board", chain)
    assert result.exit_code == 0, result.output
    report = result.stdout
    assert f"- C{DEPTH - 1} (its own entry goes on up) → C{DEPTH}" in report
    assert f"**C{DEPTH}** Step {DEPTH}" in report
    assert "(its own entry)" in report
    half = cli("report", "--team", "board", write_chain(tmp_path / "half", DEPTH // 2)).stdout
    assert len(report) < 2.2 * len(half)  # linear: twice the chain, about twice the report


def test_a_team_pack_on_a_deep_org_tree(cli, org):
    top = cli("report", "--team", "T0", org)
    assert top.exit_code == 0, top.output
    # the tree below O0 is listed 30 levels deep, then counted
    assert "**O30** Step 30" in top.stdout
    assert "(1 more below it, not listed: `catchball trace O30` shows them)" in top.stdout
    assert "**O31**" not in top.stdout
    bottom = cli("report", "--team", f"T{DEPTH}", org)
    assert bottom.exit_code == 0, bottom.output
    assert f"- TN (One aim) → O0 → O1" in bottom.stdout


def test_the_cascade_class_walks_a_deep_chain_in_linear_steps(chain):
    """The walks hold no Python frames per level: they run with a recursion limit far below the depth."""
    result = run_check(str(chain))
    cascade = result.cascade
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(__import__("inspect").stack()) + 60)
    try:
        below = list(cascade.below("TN"))
        paths, dead_ends = cascade.paths_up(f"C{DEPTH}")
        up = cascade.way_up([f"C{DEPTH}"])
        distances = cascade.distances_below("TN")
        limited = list(cascade.below("TN", depth=10))
    finally:
        sys.setrecursionlimit(limit)
    assert [b.depth for b in below] == list(range(1, DEPTH + 1))
    assert len(paths) == 1 and len(paths[0]) == DEPTH + 1 and dead_ends == []
    assert up == {f"C{n}" for n in range(1, DEPTH + 1)} | {"TN"}
    assert distances[f"C{DEPTH}"] == DEPTH
    assert [b.depth for b in limited] == list(range(1, 11)) and limited[-1].more == 1


def test_the_cascade_class_walks_a_deep_org_tree(org):
    cascade = run_check(str(org)).cascade
    assert cascade.branch("T0") == [f"T{n}" for n in range(DEPTH + 1)]
    assert cascade.team_chain(f"T{DEPTH}") == [f"T{n}" for n in range(DEPTH - 1, -1, -1)]
    groups = cascade.team_at_depth(5)
    assert groups[f"T{DEPTH}"] == "T5" and groups["T3"] == "T3"
