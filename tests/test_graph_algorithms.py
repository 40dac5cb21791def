"""The cascade's own graph algorithms agree with networkx, and stay linear in shape."""

from __future__ import annotations

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

from catchball.graph import strongly_connected

_EDGES = st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), max_size=40)


def _links(nodes: int, edges) -> dict[str, list[str]]:
    links = {str(n): [] for n in range(nodes)}
    for a, b in edges:
        if a < nodes and b < nodes and str(b) not in links[str(a)]:
            links[str(a)].append(str(b))
    return links


@given(nodes=st.integers(1, 13), edges=_EDGES)
def test_strongly_connected_is_what_networkx_finds(nodes, edges):
    links = _links(nodes, edges)
    graph = nx.DiGraph()
    graph.add_nodes_from(links)
    graph.add_edges_from((a, b) for a, targets in links.items() for b in targets)
    mine = sorted(sorted(c) for c in strongly_connected(links))
    theirs = sorted(sorted(c) for c in nx.strongly_connected_components(graph))
    assert mine == theirs


def test_a_long_chain_and_a_long_cycle_need_no_deep_stack():
    n = 200_000
    chain = {str(i): [str(i + 1)] for i in range(n)}
    chain[str(n)] = []
    assert len(strongly_connected(chain)) == n + 1
    cycle = {str(i): [str((i + 1) % n)] for i in range(n)}
    groups = strongly_connected(cycle)
    assert len(groups) == 1 and len(groups[0]) == n


def test_support_cycles_found_beside_a_chain_above_them(check_repo):
    # A cycle whose members also support a long chain up to an aim: the chain
    # is left after peeling but is no cycle.
    chain = "\n".join(f"  - {{id: C{i}, title: c, supports: [C{i + 1}]}}" for i in range(50))
    files = {
        "objectives/x.yaml": "team: surgery\nobjectives:\n" + chain + "\n  - {id: C50, title: c, supports: [TN-SAFE]}\n"
        "  - {id: L1, title: l, supports: [L2, C0]}\n  - {id: L2, title: l, supports: [L1]}\n"
        "  - {id: S1, title: s, supports: [S1]}\n",
    }
    result = check_repo(files)
    cycles = [f.message for f in result.findings if f.code == "CB203"]
    assert cycles == [
        "objectives support each other in a cycle: L1, L2",
        "objectives support each other in a cycle: S1",
    ]


@given(
    supports=st.lists(st.lists(st.integers(-1, 11), max_size=3), min_size=1, max_size=12),
    dropped=st.sets(st.integers(0, 11)),
)
def test_ids_below_is_below_without_its_repeats(supports, dropped):
    # Random supports graphs over one aim (-1) and up to 12 objectives, cycles and dropped objectives included.
    from pathlib import Path

    from catchball.graph import Cascade
    from catchball.model import Aim, GoalSet, Objective, Span

    span = Span("f.yaml", 1, 1)
    goals = GoalSet(Path("."), ".", aims={"A": Aim("A", "aim", span)})
    for n, targets in enumerate(supports):
        ids = tuple("A" if t < 0 else f"O{t}" for t in targets)
        status = "dropped" if n in dropped else "agreed"
        goals.objectives[f"O{n}"] = Objective(f"O{n}", "o", span, team="t", supports=ids, status=status)
    cascade = Cascade(goals)
    for goal in ["A", *goals.objectives]:
        assert list(cascade.ids_below(goal)) == [step.id for step in cascade.below(goal) if not step.repeat]


def _counts_below_walking_up_from_each(cascade, counted) -> dict[str, int]:
    """The reference: each counted objective walks up on its own (as counts_below did before grouping)."""
    objectives = cascade.goals.objectives
    walked_on = {o.id for o in objectives.values() if o.active}
    totals: dict[str, int] = {}
    for objective in objectives.values():
        if not (objective.active and counted(objective)):
            continue
        seen, stack = {objective.id}, [objective.id]
        while stack:
            for target in cascade.targets(stack.pop()):
                if target not in seen:
                    seen.add(target)
                    totals[target] = totals.get(target, 0) + 1
                    if target in walked_on:
                        stack.append(target)
    return totals


@given(
    supports=st.lists(st.lists(st.integers(-1, 11), max_size=3), min_size=1, max_size=12),
    dropped=st.sets(st.integers(0, 11)),
    counted=st.sets(st.integers(0, 11)),
)
def test_counts_below_is_each_objective_walking_up_alone(supports, dropped, counted):
    from pathlib import Path

    from catchball.graph import Cascade
    from catchball.model import Aim, GoalSet, Objective, Span

    span = Span("f.yaml", 1, 1)
    goals = GoalSet(Path("."), ".", aims={"A": Aim("A", "aim", span)})
    for n, targets in enumerate(supports):
        ids = tuple(dict.fromkeys("A" if t < 0 else f"O{t}" for t in targets))
        goals.objectives[f"O{n}"] = Objective(f"O{n}", "o", span, team="t", supports=ids,
                                              status="dropped" if n in dropped else "agreed")
    cascade = Cascade(goals)
    chosen = {f"O{n}" for n in counted}
    rule = lambda objective: objective.id in chosen  # noqa: E731
    assert cascade.counts_below(rule) == _counts_below_walking_up_from_each(cascade, rule)
