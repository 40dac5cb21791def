"""Deep goals for the walk tests: a long same-team `supports` chain, and a deep org tree."""

from __future__ import annotations

from pathlib import Path


def write_chain(root: Path, depth: int) -> Path:
    """One team whose objectives C1 <- C2 <- ... <- C<depth> form a `supports` chain up to aim TN."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "catchball.yaml").write_text("organisation: Deep Trust\nperiod: 2026/27\n", encoding="utf-8")
    (root / "true-north.yaml").write_text("aims:\n  - {id: TN, title: One aim, owner: ceo}\n", encoding="utf-8")
    (root / "org.yaml").write_text("teams:\n  - {id: board, name: Board, lead: ceo}\n", encoding="utf-8")
    (root / "people.yaml").write_text("people:\n  - {id: ceo, name: Chief Executive, team: board}\n", encoding="utf-8")
    lines = ["team: board", "objectives:"]
    for n in range(1, depth + 1):
        target = "TN" if n == 1 else f"C{n - 1}"
        lines.append(f"  - {{id: C{n}, title: Step {n}, supports: {target}, owner: ceo}}")
    (root / "board.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def write_org_tree(root: Path, depth: int) -> Path:
    """Teams T0 (the root) <- T1 <- ... <- T<depth>, each with one objective supporting its parent's."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "catchball.yaml").write_text("organisation: Deep Trust\nperiod: 2026/27\n", encoding="utf-8")
    (root / "true-north.yaml").write_text("aims:\n  - {id: TN, title: One aim, owner: ceo}\n", encoding="utf-8")
    teams = ["teams:", "  - {id: T0, name: Team 0, lead: ceo}"]
    teams += [f"  - {{id: T{n}, name: Team {n}, parent: T{n - 1}}}" for n in range(1, depth + 1)]
    (root / "org.yaml").write_text("\n".join(teams) + "\n", encoding="utf-8")
    (root / "people.yaml").write_text("people:\n  - {id: ceo, name: Chief Executive, team: T0}\n", encoding="utf-8")
    lines = ["objectives:"]
    for n in range(0, depth + 1):
        target = "TN" if n == 0 else f"O{n - 1}"
        lines.append(f"  - {{id: O{n}, team: T{n}, title: Step {n}, supports: {target}}}")
    (root / "objectives.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root
