"""The loader: ids as written, typed values, positions, YAML features, discovery."""

from __future__ import annotations

import datetime as dt

import pytest

from catchball.errors import NoGoalsError
from catchball.load import load_goals
from catchball.load.reader import read_goals_file
from catchball.check import run_check
from tests.conftest import HEALTHY, block


def read(text: str):
    return read_goals_file(block(text).encode("utf-8"), "f.yaml")


def test_ids_and_text_are_kept_as_written():
    part = read(
        """
        aims:
          - {id: 2027, title: yes, owner: no}
          - {id: 1.10, title: 3.0}
          - {id: 2026-01-01, title: null-ish, dimension: ~}
          - {id: 1e3, title: On}
        """
    )
    assert [a.id for a in part.aims] == ["2027", "1.10", "2026-01-01", "1e3"]
    assert [a.title for a in part.aims] == ["yes", "3.0", "null-ish", "On"]
    assert part.aims[0].owner == "no"
    assert part.aims[2].dimension is None  # null counts as absent
    assert part.findings == []


def test_typed_values_are_read_where_the_format_expects_them():
    part = read(
        """
        team: t
        objectives:
          - id: A
            title: T
            due: 2027-03-31
            measures:
              - {name: m, baseline: 1_000, target: "0.5", by: "2027-01-31", direction: up}
        """
    )
    [objective] = part.objectives
    assert objective.due == dt.date(2027, 3, 31)
    measure = objective.measures[0]
    assert (measure.baseline, measure.target, measure.by) == (1000, 0.5, dt.date(2027, 1, 31))
    assert part.findings == []


def test_element_positions_are_one_based_at_the_mapping():
    part = read(
        """
        # comment
        teams:
          - id: board
            name: Board
          -   id: x
              name: X
        """
    )
    assert [(t.span.line, t.span.column) for t in part.teams] == [(3, 5), (5, 7)]


def test_bom_is_accepted():
    part = read_goals_file(b"\xef\xbb\xbfteams:\n  - {id: board, name: Board}\n", "f.yaml")
    assert [t.id for t in part.teams] == ["board"] and part.findings == []


def test_anchors_aliases_and_merge_keys_work():
    part = read(
        """
        team: t
        objectives:
          - &base
            id: A
            title: First
            owner: jo
            measures: &m [{name: m, baseline: 1, target: 2}]
          - <<: *base
            id: B
            measures: *m
        """
    )
    a, b = part.objectives
    assert (b.id, b.title, b.owner) == ("B", "First", "jo")
    assert b.measures[0].name == "m"
    assert part.findings == []


def test_two_documents_are_cb101():
    part = read("aims: []\n---\nteams: []\n")
    [finding] = part.findings
    assert finding.code == "CB101" and "more than one YAML document" in finding.message


def test_duplicate_key_inside_a_measure_carries_the_element_id():
    part = read(
        """
        aims:
          - id: TN
            title: T
            measures:
              - name: a
                name: b
        """
    )
    [finding] = part.findings
    assert (finding.code, finding.id, finding.line) == ("CB105", "TN", 6)
    assert part.aims[0].measures[0].name == "b"


def test_flow_mapping_comma_gets_a_hint():
    part = read("aims:\n  - {id: A, title: T, measures: [{name: m, unit: per 1,000 bed days}]}\n")
    [finding] = part.findings
    assert finding.code == "CB103" and "quote text" in finding.message


def test_element_without_id_is_reported_and_left_out():
    part = read("teams:\n  - name: No id\n")
    assert part.teams == []
    assert [(f.code, f.id, f.line) for f in part.findings] == [("CB102", None, 2)]


def test_discovery_skips_hidden_and_non_yaml_and_sorts_by_bytes(make_repo):
    root = make_repo(
        {
            ".hidden/x.yaml": "aims: [{id: H, title: hidden}]\n",
            ".dot.yaml": "aims: [{id: D, title: dot}]\n",
            "notes.txt": "not yaml",
            "Z.yml": "aims: []\n",
        }
    )
    loaded = load_goals(str(root))
    relative = [f.split("goals/", 1)[1] for f in loaded.goals.files]
    assert relative == sorted(relative, key=lambda p: p.encode())
    assert "Z.yml" in relative and relative.index("Z.yml") < relative.index("objectives/surgery.yaml")
    assert "H" not in loaded.goals.aims and "D" not in loaded.goals.aims


def test_goals_root_found_from_catchball_yaml_above(make_repo):
    root = make_repo()
    loaded = load_goals(None, cwd=root / "objectives" / "people")
    assert loaded.goals.root == root and loaded.goals.display_root == "../.."


def test_no_path_and_no_goals_root_says_where_catchball_looked(tmp_path):
    # With no path given, "no such folder: goals" named a folder the user never mentioned.
    with pytest.raises(NoGoalsError) as raised:
        load_goals(None, cwd=tmp_path)
    message = str(raised.value)
    assert message.startswith("no goals root found: no catchball.yaml here or in a folder above, and no folder goals")
    assert "give the goals root folder as the path" in message


def test_unknown_key_with_nothing_close_names_the_known_keys(make_repo):
    # The spec: CB103's message suggests the closest known key; with none close, it names them all.
    ward = HEALTHY["objectives/ward-7.yaml"].replace("owner: wm\n", "owner: wm\n    zzqx: 1\n    titel: typo\n", 1)
    result = run_check(str(make_repo({"objectives/ward-7.yaml": ward})))
    (finding,) = [f for f in result.findings if f.code == "CB103"]
    assert "unknown key `zzqx` in objective W7-1 (known keys: `id`, `title`, `team`, `person`, `supports`" in finding.message
    assert "unknown key `titel` in objective W7-1 (did you mean `title`?)" in finding.message


def test_loading_as_a_library_leaves_the_collector_alone(make_repo):
    """gc.freeze and gc.disable are the CLI's choice (its process ends after one command), not a side effect of load_goals."""
    import gc

    from catchball.check import run_check

    before = gc.get_freeze_count()
    run_check(str(make_repo()))
    assert gc.get_freeze_count() == before and gc.isenabled()
    try:
        run_check(str(make_repo()), freeze=True)
        assert gc.get_freeze_count() > before and not gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()
