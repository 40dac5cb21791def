"""The synthetic goals repository generator (benchmarks/generate.py).

A small independent reading of the generated YAML recounts every deliberate
defect, so the counts the generator reports are the ones a checker must find.
"""

from __future__ import annotations

import gc
import hashlib
import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

GENERATOR = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
OBJECTIVE_KEYS = {"id", "title", "description", "supports", "owner", "due", "status",
                  "measures", "team", "person"}
STATUSES = {"proposed", "challenged", "agreed", "dropped"}


def _load_generator():
    # A script, not a package module: load it by path (registered, for dataclasses).
    spec = importlib.util.spec_from_file_location("benchmarks_generate", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def read_repo(root: Path) -> dict:
    """Aims, teams, people and objectives in read order (files sorted by path)."""
    gc.disable()  # most of PyYAML's load time is garbage collection (NOTES.md)
    try:
        return _read_repo(root)
    finally:
        gc.enable()


def _read_repo(root: Path) -> dict:
    repo = {"aims": [], "teams": [], "people": [], "objectives": [], "files": 0}
    for path in sorted(root.rglob("*.yaml"), key=lambda p: p.relative_to(root).as_posix()):
        repo["files"] += 1
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
        if path.name == "catchball.yaml" and path.parent == root:
            repo["settings"] = doc
            continue
        for key in ("aims", "teams", "people"):
            repo[key] += doc.get(key) or []
        for objective in doc.get("objectives") or []:
            if "person" not in objective and "team" not in objective:
                objective = {**objective, "team": doc["team"]}
            repo["objectives"].append(objective)
    return repo


def recount(repo: dict) -> Counter:
    """Count each defect kind the way catchball's rules would see it."""
    found = Counter()
    parent = {t["id"]: t.get("parent") for t in repo["teams"]}
    person_team = {p["id"]: p["team"] for p in repo["people"]}

    def ancestors(team):
        chain = []
        while team is not None:
            chain.append(team)
            team = parent[team]
        return chain  # team itself first, root last

    root = next(t for t, p in parent.items() if p is None)
    aims = {a["id"]: a for a in repo["aims"]}
    objectives, seen = {}, set(aims)
    for o in repo["objectives"]:
        if o["id"] in seen:
            found["duplicate-id"] += 1  # the second definition takes no further part
            continue
        seen.add(o["id"])
        objectives[o["id"]] = o

    def owner_team(o):
        return person_team[o["person"]] if "person" in o else o["team"]

    def target_team(t):
        return root if t in aims else owner_team(objectives[t])

    active = {i: o for i, o in objectives.items() if o.get("status") != "dropped"}
    for o in objectives.values():
        status = o.get("status", "agreed")
        if status in ("challenged", "proposed", "dropped"):
            found[status] += 1
        elif status not in STATUSES:
            found["invalid-status"] += 1
        if set(o) - OBJECTIVE_KEYS:
            found["unknown-key"] += 1
    for o in active.values():
        supports = o.get("supports") or []
        if any(t not in objectives and t not in aims for t in supports):
            found["dangling-support"] += 1
        own = ancestors(owner_team(o))
        links = [own.index(target_team(t)) if target_team(t) in own else -1
                 for t in supports if t in objectives or t in aims]
        found["misaligned"] += -1 in links
        found["skip-level"] += any(level >= 2 for level in links)
        if any(t in objectives and objectives[t].get("status") == "dropped" for t in supports):
            found["supports-dropped"] += 1
        if any(_after(o.get("due"), _due(t, aims, objectives)) for t in supports):
            found["due-after-target"] += 1
        if "team" in o:
            if not o.get("owner"):
                found["unowned"] += 1
            elif o["owner"] not in person_team:
                found["unknown-owner"] += 1
            if not o.get("measures"):
                found["unmeasured"] += 1
        if any("baseline" not in m for m in o.get("measures") or []):
            found["incomplete-measure"] += 1

    traced = {a for a, aim in aims.items() if aim.get("status", "active") != "retired"}
    changed = True
    while changed:
        changed = False
        for i, o in active.items():
            if i not in traced and any(t in traced for t in o.get("supports") or []):
                traced.add(i)
                changed = True
    found["orphan"] = len(set(active) - traced)  # incl. dangling and supports-dropped

    # Cycles: follow links between active objectives; each strongly connected
    # group with more than one member is one cycle.
    import networkx as nx
    graph = nx.DiGraph((i, t) for i, o in active.items()
                       for t in o.get("supports") or [] if t in active)
    found["support-cycle"] = sum(len(c) > 1 for c in nx.strongly_connected_components(graph))

    supported = {t for o in active.values() for t in o.get("supports") or []}
    found["uncascaded-aim"] = sum(a not in supported for a in traced & set(aims))
    busy, own_count = set(), Counter()
    for o in active.values():
        busy.add(owner_team(o))
        own_count[o.get("team") or o["person"]] += 1
    found["silent-team"] = sum(t not in busy for t in parent if t != root)
    limit = repo["settings"]["rules"]["max-objectives"]
    found["over-max-objectives"] = sum(n > limit for n in own_count.values())
    return found


def _due(target, aims, objectives):
    if target in aims:
        return max((m["by"] for m in aims[target].get("measures") or [] if m.get("by")),
                   default=None)
    return objectives[target].get("due") if target in objectives else None


def _after(due, target_due):
    return due is not None and target_due is not None and due > target_due


def digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("goals")
    stats = gen.generate(root, 1000)
    return root, stats, read_repo(root)


def test_counts_are_as_reported_and_plausible(generated):
    root, stats, repo = generated
    objectives = len(repo["objectives"])
    assert stats["files"] == repo["files"] == sum(1 for _ in root.rglob("*.yaml"))
    assert stats["bytes"] == sum(p.stat().st_size for p in root.rglob("*.yaml"))
    assert stats["people"] == len(repo["people"]) == 1000
    assert stats["teams"] == len(repo["teams"])
    assert stats["objectives"] == objectives
    assert 4 <= stats["aims"] == len(repo["aims"]) <= 5
    assert 40 <= stats["teams"] <= 70  # ~20 staff a team plus divisions and directorates
    # 3 per person (a silent team's people have none) and 3 to 7 per team.
    assert 2800 <= stats["individual_objectives"] <= 3000
    assert 3 * (stats["teams"] - 1) <= stats["team_objectives"] <= 5 * stats["teams"]
    assert 0.8e6 < stats["bytes"] < 1.5e6  # about 1.1 kB per person, as measured at 20k


def test_structure_is_valid(generated):
    _, _, repo = generated
    teams = {t["id"]: t for t in repo["teams"]}
    assert len(teams) == len(repo["teams"])
    assert [t for t in teams.values() if "parent" not in t] == [teams["board"]]
    assert all(t["parent"] in teams for t in teams.values() if "parent" in t)
    people = {p["id"]: p for p in repo["people"]}
    assert len(people) == len(repo["people"])
    assert all(p["team"] in teams for p in people.values())
    assert all(t["lead"] in people and people[t["lead"]]["team"] == t["id"]
               for t in teams.values())
    for o in repo["objectives"]:
        assert ("team" in o) != ("person" in o)
        assert o.get("team", "board") in teams and o.get("person", "p00001") in people
        assert isinstance(o["id"], str) and isinstance(o["title"], str)


def test_supports_resolve_except_deliberate_dangling(generated):
    _, stats, repo = generated
    known = {a["id"] for a in repo["aims"]} | {o["id"] for o in repo["objectives"]}
    dangling = [o["id"] for o in repo["objectives"]
                if any(t not in known for t in o.get("supports") or [])]
    assert len(dangling) == stats["defects"]["dangling-support"] > 0


def test_ids_unique_except_deliberate_duplicates(generated):
    _, stats, repo = generated
    ids = Counter(o["id"] for o in repo["objectives"])
    ids.update(a["id"] for a in repo["aims"])
    duplicates = sum(n - 1 for n in ids.values())
    assert duplicates == stats["defects"]["duplicate-id"] >= 1


def test_every_defect_kind_is_present_as_counted(generated):
    _, stats, repo = generated
    expected = Counter({k: n for k, n in stats["defects"].items() if k != "dropped"})
    expected["dropped"] = stats["defects"]["dropped"]
    # An objective whose only link dangles or reaches a dropped objective is an orphan too.
    expected["orphan"] += expected["dangling-support"] + expected["supports-dropped"]
    found = recount(repo)
    assert {k: found[k] for k in gen.DEFECT_RULES} == {k: expected[k] for k in gen.DEFECT_RULES}
    assert all(stats["defects"][k] >= 1 for k in gen.DEFECT_RULES)


def test_zero_rate_gives_a_clean_repository(tmp_path):
    stats = gen.generate(tmp_path, 1000, defect_rate=0)
    assert not any(stats["defects"].values())
    assert not +recount(read_repo(tmp_path))  # no positive count


def test_same_seed_same_bytes(generated, tmp_path):
    root, _, _ = generated
    gen.generate(tmp_path / "again", 1000)
    assert digest(tmp_path / "again") == digest(root)
    gen.generate(tmp_path / "other", 1000, seed=2)
    assert digest(tmp_path / "other") != digest(root)


def test_cli_refuses_a_non_empty_folder_without_force(tmp_path, capsys):
    out = tmp_path / "goals"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    assert gen.main(["--staff", "100", "--out", str(out)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert gen.main(["--staff", "200", "--out", str(out), "--force"]) == 0
    first = digest(out)
    assert gen.main(["--staff", "100", "--out", str(out), "--force"]) == 0
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert "100 people" in summary and "files" in summary and "MB" in summary
    assert (out / "notes.txt").read_text() == "keep me"  # only its own files are replaced
    assert digest(out) != first
    assert len(read_repo(out)["people"]) == 100  # nothing left over from the 200-staff run
