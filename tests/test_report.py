"""`catchball report`: the context a template sees, and the command end to end."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from catchball import __version__
from catchball.check import run_check
from catchball.errors import CatchballError
from catchball.metrics import headline
from catchball.report import ReportOptions, build_context, render_report, report_date
from tests.conftest import HEALTHY

EXAMPLE = Path(__file__).resolve().parent.parent / "goals"
DAY = dt.date(2026, 11, 23)


def context_for(root, **options):
    options.setdefault("revision", False)
    options.setdefault("date", DAY)
    return build_context(run_check(str(root)), ReportOptions(**options))


def test_the_context_is_plain_data(make_repo):
    context = context_for(make_repo(), team="surgery")
    assert json.loads(json.dumps(context)) == context  # only JSON types: no model objects, no dates


def test_the_context_keys_are_the_documented_ones(make_repo):
    context = context_for(make_repo())
    assert list(context) == [
        "version", "catchball", "organisation", "period", "date", "root", "revision", "scope", "headline",
        "aims", "retired_aims", "matrix", "xmatrix", "status", "findings", "orphans", "overdue", "team",
    ]
    documented = (Path(__file__).resolve().parent.parent / "docs" / "templates.md").read_text(encoding="utf-8")
    for key in context:
        assert f"`{key}`" in documented, key
    for section in ("headline", "scope", "xmatrix", "status", "findings", "orphans"):
        for key in context[section]:
            assert f"`{key}`" in documented, f"{section}.{key}"
    for key in context["aims"][0]:
        assert f"`{key}`" in documented, f"aims[].{key}"
    for key in context["aims"][0]["diagram"]:
        assert f"`{key}`" in documented, f"aims[].diagram.{key}"
    for key in context["xmatrix"]["matrices"][0]:
        assert f"`{key}`" in documented, f"xmatrix.matrices[].{key}"


def test_headline_matches_the_cascade_footer_numbers(check_repo):
    result = check_repo({"objectives/extra.yaml": "team: ward-7\nobjectives:\n  - {id: X-1, title: Orphan, owner: wm}\n"})
    numbers = build_context(result, ReportOptions(revision=False))["headline"]
    h = headline(result)
    assert (numbers["active_objectives"], numbers["traced_objectives"]) == (h.active_objectives, h.traced_objectives)
    assert (numbers["teams_below"], numbers["teams_engaged"]) == (h.teams_below_root, h.engaged_teams)
    assert (numbers["aims"], numbers["aims_supported"]) == (h.active_aims, h.supported_aims)
    assert (numbers["errors"], numbers["warnings"]) == (h.errors, h.warnings)
    assert numbers["orphans"] == 1 and numbers["traced_share"] == 3 / 4
    assert (numbers["teams"], numbers["people"], numbers["individual_objectives"]) == (3, 4, 1)


def test_aim_section_numbers(make_repo):
    (aim,) = context_for(make_repo())["aims"]
    assert aim["id"] == "TN-SAFE" and aim["owner_name"] == "Chief Executive" and aim["team"] == "board"
    assert aim["measures"] == [{
        "name": "Falls with harm per 1,000 bed days", "unit": None, "baseline": 0.19, "target": 0.11,
        "by": "2029-03-31", "direction": None,
    }]
    # SURG-1 -> W7-1 -> P-SN-1: three levels, down to people; owners dd and wm, person sn
    assert (aim["objectives"], aim["direct_supporters"], aim["levels"], aim["reaches_people"]) == (3, 1, 3, True)
    assert (aim["teams"], aim["people"]) == (2, 3)
    assert aim["top_teams"] == [{"id": "surgery", "name": "Surgical Division", "objectives": 3}]


def test_coverage_matrix_counts_each_branch(make_repo):
    root = make_repo({
        "org.yaml": HEALTHY["org.yaml"] + "  - id: finance\n    name: Finance\n    parent: board\n",
        "true-north.yaml": HEALTHY["true-north.yaml"] + "  - {id: TN-VALUE, title: Value, measures: [{name: m, baseline: 1, target: 0}]}\n",
        "objectives/finance.yaml": "team: finance\nobjectives:\n  - {id: FIN-1, title: Save, supports: [TN-VALUE, TN-SAFE]}\n",
    })
    matrix = context_for(root)["matrix"]
    assert matrix["columns"] == [{"id": "surgery", "name": "Surgical Division"}, {"id": "finance", "name": "Finance"}]
    assert matrix["rows"] == [
        {"aim": "TN-SAFE", "title": "Zero avoidable harm", "cells": [3, 1], "total": 4},
        {"aim": "TN-VALUE", "title": "Value", "cells": [0, 1], "total": 1},
    ]


def test_board_objectives_get_their_own_column(make_repo):
    root = make_repo({"objectives/board.yaml": "team: board\nobjectives:\n  - {id: B-1, title: B, supports: TN-SAFE}\n"})
    matrix = context_for(root)["matrix"]
    assert [c["id"] for c in matrix["columns"]] == ["board", "surgery"]
    assert matrix["rows"][0]["cells"] == [1, 3]


def test_findings_are_grouped_by_team_errors_first(make_repo):
    root = make_repo({
        "objectives/extra.yaml": """
            objectives:
              - {id: X-1, title: Orphan of ward 7, team: ward-7, owner: wm}
              - {id: X-2, title: Unmeasured in surgery, team: surgery, supports: TN-SAFE, owner: dd}
        """,
    })
    findings = context_for(root)["findings"]
    groups = [(g["team"], [f["code"] for f in g["findings"]]) for g in findings["groups"]]
    assert groups == [("ward-7", ["CB201", "CB401"]), ("surgery", ["CB401"])]
    first = findings["groups"][0]["findings"][0]
    assert list(first) == ["code", "name", "severity", "message", "id", "file", "line", "column"]
    assert (findings["errors"], findings["warnings"], findings["hidden"]) == (1, 2, 0)


def test_findings_of_objectives_with_an_unknown_team_are_not_filed_under_files_and_settings(make_repo):
    root = make_repo({
        "objectives/extra.yaml": """
            objectives:
              - {id: X-1, title: Lost, team: nowhere, owner: dd, supports: SURG-1, measures: [{name: m, baseline: 1, target: 2}]}
        """,
        "broken.yaml": "aims: [\n",
    })
    groups = [(g["team"], g["name"], [f["code"] for f in g["findings"]]) for g in context_for(root)["findings"]["groups"]]
    assert groups == [(None, "Team unknown", ["CB106"]), (None, "Files and settings", ["CB101"])]


def test_orphans_by_team_in_org_order(make_repo):
    root = make_repo({
        "objectives/extra.yaml": """
            objectives:
              - {id: X-1, title: Ward orphan, team: ward-7, owner: wm, measures: [{name: m, baseline: 1, target: 2}]}
              - {id: X-2, title: Division orphan, team: surgery, owner: dd, measures: [{name: m, baseline: 1, target: 2}]}
              - {id: X-3, title: Personal orphan, person: sn}
        """,
    })
    orphans = context_for(root)["orphans"]
    assert orphans["count"] == 3
    assert [(g["team"], [o["id"] for o in g["objectives"]]) for g in orphans["groups"]] == [
        ("surgery", ["X-2"]), ("ward-7", ["X-1", "X-3"]),
    ]
    hidden = context_for(root, people=False)["orphans"]
    assert hidden["count"] == 3 and hidden["hidden"] == 1
    assert [o["id"] for o in hidden["groups"][1]["objectives"]] == ["X-1"]


def test_no_people_leaves_out_names_and_individual_objectives(make_repo):
    root = make_repo({"objectives/people/ward-7.yaml": HEALTHY["objectives/people/ward-7.yaml"].replace(
        "supports: [W7-1]", "supports: [W7-9]")})
    full = render_report(context_for(root))
    assert "Staff Nurse" in full and "P-SN-1" in full and "Chief Executive" in full
    context = context_for(root, people=False)
    text = render_report(context)
    for name in ("Chief Executive", "Divisional Director", "Ward Manager", "Staff Nurse", "P-SN-1", "ceo", "sn"):
        assert name not in text.replace("Trust", ""), name
    assert "Individual objectives and people's names are left out" in text
    assert "2 findings about people or individual objectives left out." in text
    assert context["headline"]["people"] == 4  # counts stay; only names go
    assert context["scope"]["people"] is False


def test_no_people_leaves_names_out_of_findings_shown_under_elements(make_repo):
    # CB107 quotes the name as written; it sits on the aim, under the aim's section and in paths.
    root = make_repo({"true-north.yaml": HEALTHY["true-north.yaml"].replace("owner: ceo", "owner: Sarah Secret")})
    assert "Sarah Secret" in render_report(context_for(root))
    for team in (None, "ward-7"):
        context = context_for(root, people=False, team=team)
        assert "Sarah Secret" not in json.dumps(context), team
        assert "Sarah Secret" not in render_report(context), team


def test_no_people_does_not_name_individual_objectives_on_paths_or_in_messages(make_repo):
    # A ward objective may support a person's objective one level up; one that supports a
    # dropped individual objective gets a CB205 whose message names it.
    root = make_repo({
        "objectives/extra.yaml": """
            objectives:
              - {id: P-DD-1, person: dd, title: Secret divisional pledge, supports: SURG-1}
              - {id: P-SN-2, person: sn, title: Dropped nurse pledge, supports: W7-1, status: dropped}
              - id: W7-2
                team: ward-7
                owner: wm
                title: Ward supports the director
                supports: [P-DD-1]
                measures: [{name: m, baseline: 1, target: 2}]
              - id: W7-3
                team: ward-7
                owner: wm
                title: Ward supports a dropped one
                supports: [W7-1, P-SN-2]
                measures: [{name: m, baseline: 1, target: 2}]
        """,
    })
    full = render_report(context_for(root, team="ward-7"))
    assert "P-DD-1" in full and "P-SN-2" in full
    for team in (None, "ward-7"):
        context = context_for(root, people=False, team=team)
        text = render_report(context)
        for hidden in ("P-DD-1", "P-SN-2", "pledge"):
            assert hidden not in json.dumps(context), (team, hidden)
            assert hidden not in text, (team, hidden)
    pack = render_report(context_for(root, people=False, team="ward-7"))
    assert "SURG-1 → an individual objective → W7-2" in pack
    assert "Stops short: W7-3 supports an individual objective, which is dropped" in pack
    assert "finding about people or individual objectives left out" in pack


def test_team_pack_context(make_repo):
    context = context_for(make_repo(), team="ward-7")
    pack = context["team"]
    assert (pack["id"], pack["name"], pack["lead_name"]) == ("ward-7", "Ward 7", "Ward Manager")
    assert pack["above"] == [{"id": "board", "name": "Trust Board"}, {"id": "surgery", "name": "Surgical Division"}]
    (objective,) = pack["objectives"]
    assert objective["id"] == "W7-1"
    assert [[step["id"] for step in path] for path in objective["paths"]] == [["W7-1", "SURG-1", "TN-SAFE"]]
    assert [node["id"] for node in objective["below"]] == ["P-SN-1"]
    assert context["scope"] == {
        "team": "ward-7", "team_name": "Ward 7", "root": "ward-7", "root_name": "Ward 7", "people": True,
    }
    assert context["headline"]["teams"] == 1 and context["headline"]["active_objectives"] == 2
    assert [t["id"] for t in context["status"]["teams"]] == ["ward-7"]
    assert context["status"]["teams"][0]["depth"] == 0
    text = render_report(context)
    assert text.startswith("# Team pack: Ward 7\n\nTest Trust · Trust Board › Surgical Division › **Ward 7** (ward-7)")
    assert "- TN-SAFE (Zero avoidable harm) → SURG-1 → W7-1\n" in text
    assert "  - " not in text.split("**Supported by**")[1].split("##")[0]  # P-SN-1 has nothing below
    assert "- **P-SN-1** Assess every patient I admit (Staff Nurse, due 2026-12-31, agreed)" in text


def test_unknown_team_is_an_error(make_repo):
    with pytest.raises(CatchballError, match="no team 'ward-77' \\(did you mean `ward-7`\\?\\)"):
        context_for(make_repo(), team="ward-77")


def test_report_date(monkeypatch):
    assert report_date(DAY) == DAY
    assert report_date(None, {"SOURCE_DATE_EPOCH": "1800000000"}) == dt.date(2027, 1, 15)
    assert report_date(None, {}) == dt.date.today()
    with pytest.raises(CatchballError, match="SOURCE_DATE_EPOCH"):
        report_date(None, {"SOURCE_DATE_EPOCH": "next tuesday"})


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        check=True, capture_output=True, text=True,
    ).stdout.strip()


def test_revision_from_git(make_repo):
    root = make_repo()
    assert context_for(root, revision=True)["revision"] is None  # not a git repository
    git(root, "init", "-q")
    assert context_for(root, revision=True)["revision"] is None  # no commit yet
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "goals")
    commit = git(root, "rev-parse", "--short", "HEAD")
    assert context_for(root, revision=True)["revision"] == {"commit": commit, "dirty": False}
    (root / "objectives" / "surgery.yaml").write_text(HEALTHY["objectives/surgery.yaml"] + "# edited\n")
    context = context_for(root, revision=True)
    assert context["revision"] == {"commit": commit, "dirty": True}
    assert f"at revision `{commit}` with uncommitted changes" in render_report(context)


def test_revision_without_git(make_repo, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert context_for(make_repo(), revision=True)["revision"] is None


# -- the command ------------------------------------------------------------------------------


def test_report_command_writes_markdown_to_stdout(cli, make_repo):
    result = cli("report", "--date", "2026-11-23", make_repo())
    assert result.exit_code == 0
    assert result.stdout.startswith("# Board report: Test Trust\n\n2026/27 · 2026-11-23 · made from the goals in `")
    assert "```mermaid\nflowchart LR\n" in result.stdout


def test_report_command_output_file(cli, make_repo, tmp_path):
    target = tmp_path / "report.md"
    target.write_text("old report")
    result = cli("report", "-o", target, "--date", "2026-11-23", make_repo())
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("# Board report: Test Trust")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report.md")] == []  # no temporary left
    missing = cli("report", "-o", tmp_path / "no" / "such" / "report.md", make_repo())
    assert missing.exit_code == 2 and "folder" in missing.stderr


def test_report_command_source_date_epoch(cli, make_repo, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert "2026/27 · 2027-01-15 · made from" in cli("report", make_repo()).stdout
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    result = cli("report", make_repo())
    assert result.exit_code == 2 and "SOURCE_DATE_EPOCH" in result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["--date", "23/11/2026"], "--date must be a date like 2027-03-31"),
        (["--team", "surgeon"], "no team 'surgeon' (did you mean `surgery`?)"),
        (["--template", "no-such.md.j2"], "no such template file: no-such.md.j2"),
    ],
)
def test_report_command_errors_exit_2(cli, make_repo, args, message):
    result = cli("report", *args, make_repo())
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_report_command_team_pack_and_no_people(cli, make_repo):
    result = cli("report", "--team", "surgery", "--no-people", make_repo())
    assert result.exit_code == 0
    assert result.stdout.startswith("# Team pack: Surgical Division\n")
    assert "Staff Nurse" not in result.stdout and "P-SN-1" not in result.stdout


def test_report_on_the_example_goals(cli):
    result = cli("report", EXAMPLE)
    assert result.exit_code == 0
    assert "### TN-EQUITY: Close the gap in access and outcomes for our most deprived communities" in result.stdout
    assert "- **DIG-3** Move the staff intranet to SharePoint Online" in result.stdout
    assert "at revision `" in result.stdout  # goals/ lives in this git repository


GOLDEN = """\
# Board report: Test Trust

2026/27 · 2026-11-23 · made from the goals in `goals`

## Headline

- **1 True North aim**, 1 with objectives supporting it.
- **3 of 3 active objectives (100%)** trace to True North.
- **2 of 2 teams** below Trust Board (100%) have objectives of their own (3 teams in all, counting Trust Board).
- **4 people**, 1 individual objective.
- **Checks**: nothing to fix.

## True North aims

### TN-SAFE: Zero avoidable harm

owner Chief Executive

| Measure | Baseline | Target | By |
|---|---:|---:|---|
| Falls with harm per 1,000 bed days | 0.19 | 0.11 | 2029-03-31 |

**Line of sight**: 3 objectives from 2 teams and 3 people support this aim, 1 of them directly; the cascade is 3 levels deep, down to individual objectives.
Supported by Surgical Division (3).


```mermaid
flowchart LR
n0(["<b>TN-SAFE</b><br/>Zero avoidable harm"])
n1["<b>SURG-1</b><br/>Cut falls with harm on<br/>surgical wards by 30%<br/><i>Surgical Division</i>"]
n2["<b>W7-1</b><br/>Falls risk assessment<br/>for every admission<br/><i>Ward 7</i><br/><i>1 individual objective</i>"]
n0 --> n1
n1 --> n2
classDef aim fill:#e8eaf6,stroke:#3949ab,stroke-width:2px
classDef error fill:#fdecea,stroke:#c62828,stroke-width:2px
classDef warning fill:#fff8e1,stroke:#f9a825
classDef team fill:#f5f5f5,stroke:#616161
class n0 aim
```

## Not connected to True North

None: every active objective traces to True North.

## Coverage

Objectives supporting each aim, by top-level team (the team and everything below it). An empty cell is a gap worth discussing.

| Aim | Surgical Division | Total |
|---|---:|---:|
| TN-SAFE Zero avoidable harm | 3 | 3 |

## X-matrix

Made from the `supports` links. ● strong: one link joins the two; ○ weak: linked through one objective between.


**Annual objectives against True North**

| Annual objective | TN-SAFE |
|---|:---:|
| **SURG-1** Cut falls with harm on surgical wards by 30% | ● |

**Improvement priorities against annual objectives**

| Improvement priority | SURG-1 |
|---|:---:|
| **W7-1** Falls risk assessment for every admission | ● |

**Measures and owners**

| Measure | Of | Owner | TN-SAFE |
|---|---|---|:---:|
| Falls with harm | SURG-1 | Divisional Director | ● |
| Admissions assessed (%) | W7-1 | Ward Manager | ○ |


## Catchball status

| Team | Proposed | Challenged | Agreed | Done | Dropped |
|---|---:|---:|---:|---:|---:|
| Trust Board |  |  |  |  |  |
| &emsp;Surgical Division |  |  | 1 |  |  |
| &emsp;&emsp;Ward 7 |  |  | 2 |  |  |
| **Total** | 0 | 0 | 3 | 0 | 0 |

Nobody holds the ball: no objective is proposed or challenged.

## Appendix: findings

None: the goals pass every check.

---

Made with catchball {version} from goals on 2026-11-23.
"""


def test_golden_report(make_repo, monkeypatch):
    root = make_repo()
    monkeypatch.chdir(root.parent)
    context = build_context(run_check(None), ReportOptions(date=DAY, revision=False))
    assert render_report(context) == GOLDEN.replace("{version}", __version__)


BROKEN = {
    "no teams": {"org.yaml": "teams: []\n", "people.yaml": None},
    "two roots": {"org.yaml": HEALTHY["org.yaml"] + "  - {id: other, name: Other}\n"},
    "parent cycle": {
        "org.yaml": "teams:\n  - {id: board, name: B}\n  - {id: surgery, name: S, parent: ward-7}\n"
        "  - {id: ward-7, name: W, parent: surgery}\n",
    },
    "unknown team": {"objectives/ghost.yaml": "team: ghost\nobjectives:\n  - {id: G-1, title: G, supports: TN-SAFE, status: challenged}\n"},
    "invalid yaml": {"objectives/bad.yaml": "objectives: [\n"},
    "no aims": {"true-north.yaml": "aims: []\n"},
    "unknown person": {"objectives/people/ward-7.yaml": "person: nobody\nobjectives:\n  - {id: P-1, title: x, supports: W7-1, status: proposed}\n"},
    "support cycle": {"objectives/ward-7.yaml": "team: ward-7\nobjectives:\n  - {id: W7-1, title: a, supports: W7-2}\n  - {id: W7-2, title: b, supports: W7-1}\n"},
    "no titles": {"objectives/ward-7.yaml": "team: ward-7\nobjectives:\n  - {id: W7-1, supports: SURG-1}\n"},
    "no people": {"people.yaml": None},
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_goals_still_report_trace_and_status(cli, make_repo, name):
    """Problems in the goals are shown, never a traceback; the report stays valid Markdown."""
    from tests.test_report_markdown import check_report

    root = make_repo(BROKEN[name])
    report = cli("report", root)
    assert report.exit_code == 0
    check_report(report.stdout)
    for args in (["report", "--no-people"], ["status"], ["status", "-f", "json"], ["trace", "SURG-1"], ["trace", "SURG-1", "-f", "json"]):
        result = cli(*args, root)
        assert result.exit_code == 0, (args, result.output)
    for team in ("surgery", "ward-7"):
        result = cli("report", "--team", team, root)
        assert result.exit_code in (0, 2) and "Traceback" not in result.output
        if result.exit_code == 0:
            check_report(result.stdout)


def _many_orphans(make_repo, surgery: int = 190, ward: int = 150):
    lines = ["objectives:"]
    lines += [f"  - {{id: S-{i}, title: Surgery orphan {i}, team: surgery, owner: dd}}" for i in range(surgery)]
    lines += [f"  - {{id: W-{i}, title: Ward orphan {i}, team: ward-7, owner: wm}}" for i in range(ward)]
    return make_repo({"objectives/extra.yaml": "\n".join(lines) + "\n"})


def test_the_templates_list_the_first_findings_and_orphans_and_the_context_keeps_them_all(make_repo):
    context = context_for(_many_orphans(make_repo))
    findings = context["findings"]
    every = [f for g in findings["groups"] for f in g["findings"]]
    assert len(every) == findings["total"] > 600  # each orphan is unlinked (CB201) and unmeasured (CB401)
    assert (findings["listed"], findings["limit"]) == (300, 300)
    listed = [g["listed"] for g in findings["groups"]]
    sizes = [len(g["findings"]) for g in findings["groups"]]
    cut = next(i for i, (n, size) in enumerate(zip(listed, sizes)) if n < size)
    assert listed[:cut] == sizes[:cut] and sum(listed) == 300 and not any(listed[cut + 1:])
    orphans = context["orphans"]
    assert (orphans["count"], orphans["listed"], orphans["limit"]) == (340, 200, 200)
    assert [(g["team"], g["listed"], len(g["objectives"])) for g in orphans["groups"]] == [
        ("surgery", 190, 190), ("ward-7", 10, 150),
    ]


def test_the_markdown_report_lists_300_findings_and_200_orphans_and_says_so(make_repo):
    context = context_for(_many_orphans(make_repo))
    text = render_report(context)
    orphans, appendix = text.split("## Not connected to True North")[1], text.split("## Appendix: findings")[1]
    orphans = orphans.split("\n## ")[0]
    assert sum(1 for line in orphans.splitlines() if line.startswith("- **")) == 200
    assert "- *and 140 more*" in orphans
    assert "*The first 200 of 340 are listed here, team by team: `catchball check --select CB201` lists them all.*" in orphans
    items = [line for line in appendix.splitlines() if line.startswith("- **")]
    assert len(items) == 300
    total = context["findings"]["total"]
    assert f"*The first 300 of {total} findings are listed here, teams with errors first: `catchball check` lists them all.*" in appendix
    assert sum(1 for line in appendix.splitlines() if line.startswith("- *and ")) == 1  # the group the cut falls in


def test_the_html_board_pack_lists_300_findings_and_200_orphans(make_repo):
    text = render_report(context_for(_many_orphans(make_repo)), format="html")
    assert text.count('<li><span class="tag ') == 300
    orphans = text.split("<h2>Not connected to True North</h2>")[1].split("<h2>")[0]
    assert orphans.count("<li><b>") == 200
    assert '<li class="note">and 140 more</li>' in orphans
    assert "The first 200 of 340 are listed here" in orphans


def test_a_small_report_lists_everything_and_says_nothing_of_a_limit(make_repo):
    root = _many_orphans(make_repo, surgery=3, ward=2)
    context = context_for(root)
    assert context["findings"]["listed"] == context["findings"]["total"] and context["orphans"]["listed"] == 5
    for text in (render_report(context), render_report(context, format="html")):
        assert "The first" not in text and "more</li>" not in text and "- *and " not in text
        assert "longest overdue" not in text


def test_the_templates_list_the_200_longest_overdue_objectives_and_say_how_many_there_are(make_repo):
    lines = ["objectives:"]
    lines += [f"  - {{id: L-{i:03}, title: Late {i}, team: ward-7, owner: wm, supports: W7-1, due: 2026-{1 + i % 10:02}-01}}"
              for i in range(230)]
    context = context_for(make_repo({"objectives/late.yaml": "\n".join(lines) + "\n"}))
    overdue = context["overdue"]
    assert len(overdue) == 230  # the context keeps them all, longest overdue first
    assert [o["due"] for o in overdue] == sorted(o["due"] for o in overdue)
    markdown = render_report(context).split("## Overdue")[1].split("\n## ")[0]
    rows = [line for line in markdown.splitlines() if line.startswith("| **")]
    assert [row.split("**")[1] for row in rows] == [o["id"] for o in overdue[:200]]
    assert "*The 200 longest overdue of 230 are listed here: `catchball check --select CB405` lists them all.*" in markdown
    html = render_report(context, format="html").split("<h2>Overdue</h2>")[1].split("</table>")
    assert html[0].count("<tr><td><b>") == 200
    assert html[1].startswith('\n<p class="note">The 200 longest overdue of 230 are listed here:')


def _many_teams(make_repo):
    """Three directorates of 80 wards under Surgery: 246 teams. Each ward's lead holds the ball for
    its one challenged objective, but every tenth ward, which is silent."""
    teams, people, objectives = [HEALTHY["org.yaml"].rstrip("\n")], [HEALTHY["people.yaml"].rstrip("\n")], ["objectives:"]
    for k in range(3):
        teams.append(f"  - {{id: dir-{k}, name: Directorate {k}, parent: surgery}}")
        for w in range(80):
            teams.append(f"  - {{id: d{k}-w{w}, name: Ward {k}-{w}, parent: dir-{k}, lead: l{k}-{w}}}")
            people.append(f"  - {{id: l{k}-{w}, name: Lead {k}-{w}, team: d{k}-w{w}}}")
            if w % 10:
                objectives.append(f"  - {{id: O-{k}-{w}, title: Ward {k}-{w} falls, team: d{k}-w{w}, supports: SURG-1, status: challenged}}")
    return make_repo({
        "org.yaml": "\n".join(teams) + "\n",
        "people.yaml": "\n".join(people) + "\n",
        "objectives/wards.yaml": "\n".join(objectives) + "\n",
    })


def test_the_status_table_lists_the_levels_that_fit_and_counts_the_teams_below_in_their_rows(make_repo):
    status = context_for(_many_teams(make_repo))["status"]
    assert len(status["teams"]) == 246  # the context keeps every team
    assert (status["depth"], status["teams_listed"], status["teams_limit"]) == (2, 6, 200)
    rows = {t["id"]: t for t in status["teams"] if t["listed"]}
    assert list(rows) == ["board", "surgery", "ward-7", "dir-0", "dir-1", "dir-2"]
    for k in range(3):
        row = rows[f"dir-{k}"]
        assert (row["below"], row["below_silent"], row["silent"]) == (80, 8, True)
        assert row["branch"]["challenged"] == 72 and row["objectives"]["challenged"] == 0
    assert rows["ward-7"]["branch"] == rows["ward-7"]["objectives"] and rows["ward-7"]["below"] == 0
    assert status["more"]["teams"] == 0
    for state in status["statuses"]:  # the rows add up to the total
        assert sum(t["branch"][state] for t in rows.values()) + status["unplaced"][state] == status["totals"][state]


def test_the_markdown_and_html_status_show_the_rows_that_fit_and_the_first_200_waiting(make_repo):
    context = context_for(_many_teams(make_repo))
    status = context["status"]
    waiting = [b for b in status["ball"] if b["objectives"]]
    assert sum(1 for b in status["ball"] if "-w" in (b["team"] or "")) == 216  # a ward lead each
    assert status["ball_shown"] == 200 and sum(b["listed"] for b in status["ball"]) == 200
    assert [b["shown"] for b in waiting] == [True] * 200 + [False] * (len(waiting) - 200)
    text = render_report(context).split("## Catchball status")[1].split("\n## ")[0]
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| Team |")]
    assert len(rows) == 6 + 1  # and the total
    assert "| &emsp;&emsp;Directorate 1 and the 80 teams below it (9 of the 81 with no objectives yet) |  | 72 |" in text
    assert "*The table lists the top 3 levels of the organisation; a team on the last of them counts the teams below it in its row. `catchball status` lists every team.*" in text
    assert sum(1 for line in text.splitlines() if line.startswith("- ")) == 200
    assert f"*200 of the {len(status['ball'])} who hold the ball are listed here, the top of the organisation first: `catchball status` lists them all.*" in text
    assert "No objectives yet: Directorate 0, Ward 0-0, Ward 0-10, Ward 0-20, " in text
    html = render_report(context, format="html").split("<h2>Catchball status</h2>")[1].split("</section>")[0]
    assert html.count('<td class="status-team"') == 6
    assert "Directorate 2 and the 80 teams below it <span class=\"tag warning\">9 of the 81 with no objectives yet</span>" in html
    assert html.split("<h3>Who holds the ball</h3>")[1].count("<li>") == 200
    assert f"200 of the {len(status['ball'])} who hold the ball are listed here" in html


def test_a_small_status_table_lists_every_team_as_before(make_repo):
    status = context_for(make_repo())["status"]
    assert status["depth"] is None and status["teams_listed"] == len(status["teams"]) == 3
    assert all(t["listed"] and t["branch"] == t["objectives"] and t["below"] == 0 for t in status["teams"])
    assert status["ball_shown"] == len(status["ball"])
    text = render_report(context_for(make_repo()))
    assert "levels of the organisation" not in text and "who hold the ball are listed" not in text


def test_a_team_packs_status_names_the_command_for_its_branch(make_repo):
    text = render_report(context_for(_many_teams(make_repo), team="surgery")).split("## Catchball status")[1]
    assert "`catchball status --team surgery` lists them all.*" in text  # 216 holders: past the 200 listed
