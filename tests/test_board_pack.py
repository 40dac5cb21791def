"""The board pack's parts without a browser: the X-matrix from the links, the roll-up, HTML escaping,
sections, charts beside a Markdown report, and what --team and --no-people leave out."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catchball.check import run_check
from catchball.report import ReportOptions, build_context, render_report
from catchball.report.measures import rollup
from catchball.report.tree_svg import smallest_text_px
from catchball.report.xmatrix import MAX_ANNUAL, STRONG, WEAK

EXAMPLE = Path(__file__).resolve().parent.parent / "goals"


@pytest.fixture(scope="module")
def example():
    result = run_check(str(EXAMPLE))
    return result, build_context(result, ReportOptions(revision=False))


# -- the X-matrix ----------------------------------------------------------------------------


def test_the_example_x_matrix_has_every_aim_objective_priority_and_link(example):
    """Checked against the goals: every link between the lists is marked, and only those."""
    result, context = example
    goals, cascade = result.goals, result.cascade
    aims = [a.id for a in goals.aims.values() if a.active]
    team_objectives = {o.id for o in goals.objectives.values() if o.active and not o.is_individual}
    annual = [o for o in team_objectives if set(cascade.targets(o)) & set(aims)]
    assert len(annual) > MAX_ANNUAL  # so the example has one matrix per aim
    matrices = context["xmatrix"]["matrices"]
    assert context["xmatrix"]["per_aim"] and [m["aims"][0]["id"] for m in matrices] == aims
    seen_annual, seen_priorities, links = set(), set(), set()
    for matrix in matrices:
        aim = matrix["aims"][0]["id"]
        rows = [o["id"] for o in matrix["annual"]]
        assert set(rows) == {o for o in annual if aim in cascade.targets(o)}
        assert matrix["left_out"]["annual"] == matrix["left_out"]["priorities"] == 0
        seen_annual |= set(rows)
        for o, marks in zip(rows, matrix["aim_annual"]):
            assert marks == [STRONG]  # each annual objective of this matrix supports its aim
            links.add((o, aim))
        priorities = [p["id"] for p in matrix["priorities"]]
        expected = {p for p in team_objectives - set(rows) if set(cascade.targets(p)) & set(rows)}
        assert set(priorities) == expected
        seen_priorities |= set(priorities)
        for p, marks in zip(priorities, matrix["annual_priorities"]):
            for o, mark in zip(rows, marks):
                direct = o in cascade.targets(p)
                through = any(o in cascade.targets(m) for m in cascade.targets(p))
                assert mark == (STRONG if direct else WEAK if through else None), (p, o)
                if direct:
                    links.add((p, o))
    assert seen_annual == set(annual)
    priorities_all = {p for p in team_objectives - set(annual) if set(cascade.targets(p)) & set(annual)}
    assert seen_priorities == priorities_all
    direct_links = sum(1 for o in annual for t in cascade.targets(o) if t in aims)
    direct_links += sum(1 for p in priorities_all for t in cascade.targets(p) if t in annual)
    assert len(links) == direct_links  # a priority under two aims is in both matrices: counted once


def test_the_x_matrix_svg_has_a_label_for_every_row_and_column_and_a_mark_for_every_link(example):
    _, context = example
    for matrix in context["xmatrix"]["matrices"]:
        svg = matrix["svg"]
        marks = sum(1 for grid in ("aim_annual", "annual_priorities", "priority_measures", "aim_measures")
                    for row in matrix[grid] for m in row if m)
        assert svg.count(">●<") + svg.count(">○<") == marks
        for item in matrix["annual"] + matrix["priorities"] + matrix["aims"]:
            assert f">{item['id']} " in svg


def test_section_xmatrix_prints_it_alone(cli):
    result = cli("report", "--section", "xmatrix", EXAMPLE)
    assert result.exit_code == 0
    assert result.stdout.startswith("## X-matrix\n")
    assert "## Headline" not in result.stdout and "## Coverage" not in result.stdout
    assert "| **SURG-1** Reduce falls with harm on surgical wards by 25% | ● |" in result.stdout
    bad = cli("report", "--section", "nothing", EXAMPLE)
    assert bad.exit_code == 2 and "no section 'nothing'" in bad.stderr


# -- the roll-up -------------------------------------------------------------------------------


def entry(variation=None, assurance=None, has_data=True):
    return {"variation": variation, "assurance": assurance, "has_data": has_data}


def test_the_roll_up_counts_and_says_so_in_words():
    entries = [entry("improvement-low"), entry("improvement-high"), entry("improvement-low", "fail"),
               entry("concern-high", "fail"), entry("common-cause"), entry("common-cause"), entry(has_data=False)]
    summary = rollup(entries)
    assert summary["text"] == (
        "3 of 7 measures under this aim show improvement, 1 shows concern, "
        "2 will not meet their target as the process runs and 1 has no data."
    )
    assert (summary["improvement"], summary["concern"], summary["fail"], summary["no_data"]) == (3, 1, 2, 1)
    assert rollup([])["text"] == "No measures under this aim yet."


@given(st.lists(st.tuples(
    st.sampled_from([None, "common-cause", "improvement-high", "improvement-low", "concern-high", "concern-low"]),
    st.sampled_from([None, "pass", "fail", "hit-or-miss"]),
    st.booleans(),
)))
def test_the_roll_up_never_counts_more_than_there_are(items):
    summary = rollup([entry(v, a, d) for v, a, d in items])
    assert summary["measures"] == len(items)
    assert summary["improvement"] + summary["concern"] <= len(items)
    assert summary["no_data"] == sum(1 for *_, d in items if not d)
    assert str(len(items)) in summary["text"] or not items


def test_the_example_report_has_a_measures_section_per_aim(example):
    _, context = example
    text = render_report(context)
    safe = text[text.index("### TN-SAFE"):text.index("### TN-CARE")]
    assert "**Measures**: 1 of 34 measures under this aim shows improvement" in safe
    assert "| Inpatient falls with moderate or severe harm (per 1,000 occupied bed days) | TN-SAFE · Sarah Adeyemi | 2026-11: 0.14 | ▇█▆▅▄▆▄▃▆▆▆▄▆▆▃▂▂▅▂▁▃▂▃▁ | I↓ improvement (low) | F fail |" in safe


def test_measures_waiting_for_data_are_named_ten_at_most_then_counted(example, cli):
    _, context = example
    safe_aim = next(a for a in context["aims"] if a["id"] == "TN-SAFE")
    waiting = [m for m in safe_aim["measures_below"] if not m["has_data"] and m["level"]]
    assert len(waiting) == 29  # the example has more than ten: the cap applies
    text = render_report(context)
    line = next(t for t in text.splitlines() if t.startswith("No data yet for 29 more measures"))
    first_ten = "; ".join(f"{m['name']} ({m['element']})" for m in waiting[:10])
    assert line == (f"No data yet for 29 more measures in the cascade: {first_ten}; "
                    "and 19 more (`catchball measures --aim TN-SAFE` lists them all).")
    html = cli("report", "--format", "html", EXAMPLE).stdout
    assert "; and 19 more (<code>catchball measures --aim TN-SAFE</code> lists them all).</p>" in html


def test_with_o_the_charts_are_written_beside_the_report_and_linked(cli, tmp_path):
    target = tmp_path / "out" / "report.md"
    target.parent.mkdir()
    assert cli("report", "-o", target, EXAMPLE).exit_code == 0
    text = target.read_text(encoding="utf-8")
    links = re.findall(r"\]\((report-charts/[^)]+\.svg)\)", text)
    assert "report-charts/falls-harm.svg" in links
    for link in set(links):
        svg = (target.parent / link).read_text(encoding="utf-8")
        assert svg.startswith("<svg") or svg.startswith("<?xml")
    assert "▇█▆▅" not in text  # charts, not sparklines


# -- HTML ---------------------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.sections = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "section":
            self.sections.append(dict(attrs).get("class", ""))


def test_the_html_pack_is_one_page_per_aim_with_no_script_and_a_strict_policy(example):
    _, context = example
    text = render_report(context, format="html")
    parser = _Tags()
    parser.feed(text)
    assert "script" not in parser.tags and "link" not in parser.tags and "img" not in parser.tags
    assert parser.sections.count("aim-page") == len(context["aims"])
    assert "Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"" in text
    assert "@page { size: A4;" in text and "break-before: page" in text
    assert text.count('<svg xmlns="http://www.w3.org/2000/svg" class="cascade"') == sum(1 for a in context["aims"] if a["objectives"])


def test_goals_text_is_escaped_in_html(make_repo):
    root = make_repo({
        "objectives/ward-7.yaml": """
            team: ward-7
            objectives:
              - id: W7-1
                title: '<script>alert(1)</script> & "quotes"'
                supports: SURG-1
                owner: wm
                measures: [{name: '<b>x</b>', baseline: 1, target: 2}]
        """,
    })
    text = render_report(build_context(run_check(str(root)), ReportOptions(revision=False)), format="html")
    assert "<script>" not in text and "<b>x</b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in text


def test_team_and_no_people_apply_to_the_html_pack(cli, make_repo):
    root = make_repo()
    everyone = cli("report", "--format", "html", root).stdout
    assert "Staff Nurse" in everyone or "Ward Manager" in everyone
    private = cli("report", "--format", "html", "--no-people", root).stdout
    for name in ("Staff Nurse", "Ward Manager", "Divisional Director", "Chief Executive"):
        assert name not in private
    team = cli("report", "--format", "html", "--team", "ward-7", root).stdout
    assert "Team pack: Ward 7" in team and ">SURG-1<" in team and "W7-1" in team
    assert "<b>Up to True North</b>: TN-SAFE (Zero avoidable harm) → SURG-1 → W7-1</p>" in team


def test_a_user_html_template_extends_ours_and_is_escaped(make_repo, tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    path = folder / "mine.html.j2"
    path.write_text(
        '{% extends "catchball/report.html.j2" %}{% block footer %}<p>ours: {{ organisation ~ "<i>" }}</p>{% endblock %}',
        encoding="utf-8",
    )
    context = build_context(run_check(str(make_repo())), ReportOptions(revision=False))
    text = render_report(context, str(path))
    assert text.startswith("<!DOCTYPE html>") and "<p>ours: Test Trust&lt;i&gt;</p>" in text


def test_unknown_format_is_exit_2(cli):
    result = cli("report", "--format", "pdf", EXAMPLE)
    assert result.exit_code == 2 and "'pdf' is not one of 'markdown', 'html'" in result.stderr


def test_every_example_diagram_reads_at_900_px_by_its_own_layout(example):
    _, context = example
    for aim in context["aims"]:
        assert aim["diagram"]["text_px"] >= 10, aim["id"]


def test_a_measure_with_no_data_has_the_same_entry_by_the_short_route(example):
    from catchball.report.measures import _entry, _no_data_entry

    result, _ = example
    waiting = [c for c in result.cascade.measure_charts if not c.has_data and not c.fault]
    assert len(waiting) > 20
    for chart in waiting:
        short = _no_data_entry(chart, "title", "owner", 2)
        assert list(short.items()) == list(_entry(chart, "title", "owner", 2).items())


def _measured_objectives(make_repo, count: int):
    lines = ["objectives:"]
    for i in range(count):
        lines += [
            f"  - id: M-{i:02}",
            f"    title: Measured {i}",
            "    team: ward-7",
            "    owner: wm",
            "    supports: W7-1",
            "    measures:",
            f"      - name: Measure {i:02}",
            "        baseline: 10",
            "        target: 5",
            "        data: {" + ", ".join(f"2026-{month:02}: {10 - month % 3}" for month in range(1, 13)) + "}",
        ]
    return make_repo({"objectives/measured.yaml": "\n".join(lines) + "\n"})


@pytest.mark.parametrize("format", ["markdown", "html"])
def test_an_aim_s_measure_table_shows_50_rows_then_says_how_many_there_are(make_repo, format):
    result = run_check(str(_measured_objectives(make_repo, 60)))
    context = build_context(result, ReportOptions(revision=False))
    aim = next(a for a in context["aims"] if a["id"] == "TN-SAFE")
    tabled = [m for m in aim["measures_below"] if m["has_data"] or m["level"] == 0]
    assert len(tabled) > 60 and aim["measures_below"][:len(tabled)] == tabled  # the table's rows come first
    text = render_report(context, format=format)
    if format == "markdown":
        part = text[text.index("### TN-SAFE"):text.index("**Line of sight**")]
        rows = [line for line in part.splitlines() if line.startswith("| ") and not line.startswith("| Measure |")]
        note = (f"*The table shows 50 of these {len(tabled)} measures, the aim's own and those nearest to it first: "
                "`catchball measures --aim TN-SAFE` lists them all.*")
    else:
        part = text[text.index('<section class="aim-page" id="aim-TN-SAFE">'):]
        part = part[part.index("<h3>Measures</h3>"):part.index("</table>")]
        rows = re.findall(r"<tr><td>", part)
        note = (f'<p class="note">The table shows 50 of these {len(tabled)} measures, the aim\'s own and those nearest '
                "to it first: <code>catchball measures --aim TN-SAFE</code> lists them all.</p>")
    assert len(rows) == 50
    assert note in text
    assert [m["key"] for m in tabled[:50]] == [m["key"] for m in aim["measures_below"][:50]]


def test_an_aim_s_measure_table_of_50_rows_or_fewer_says_nothing_of_a_limit(make_repo):
    context = build_context(run_check(str(_measured_objectives(make_repo, 3))), ReportOptions(revision=False))
    for format in ("markdown", "html"):
        assert "The table shows" not in render_report(context, format=format)
