"""The report is valid GitHub-flavoured Markdown, whatever the goals say.

Reports are parsed with markdown-it-py (CommonMark plus GFM tables). Hostile
text (pipes, newlines, HTML, a leading `#`, ...) is put in every title and
name, and the report must keep exactly the block structure it has with
plain text: same headings, lists, tables, fences; no HTML but our `<br>`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from catchball.check import run_check
from catchball.report import ReportOptions, build_context, render_report
from catchball.report.markdown import cell, md, number, percent
from tests.conftest import HEALTHY, write_repo
from tests.test_report_mermaid import validate_mermaid

EXAMPLE = Path(__file__).resolve().parent.parent / "goals"
CI_SAMPLE = Path(__file__).resolve().parent / "repos" / "ci-sample"

# -- parsing helpers ----------------------------------------------------------------


def parse(text: str):
    return MarkdownIt("commonmark").enable("table").enable("strikethrough").parse(text)


def inline_text(token) -> str:
    """What a reader sees of an inline token: text, code, and <br> as a newline."""
    out = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "text_special"):
            out.append(child.content)
        elif child.type == "softbreak":
            out.append(" ")
        elif child.type == "html_inline" and child.content == "<br>":
            out.append("\n")
    return "".join(out)


def tables(tokens) -> list[list[list[str]]]:
    """Each table as rows of cell texts (header first)."""
    found, table, row = [], None, None
    for token in tokens:
        if token.type == "table_open":
            table = []
        elif token.type == "table_close":
            found.append(table)
            table = None
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            table.append(row)
        elif token.type == "inline" and row is not None and table is not None:
            row.append(inline_text(token))
    return found


def headings(tokens) -> list[tuple[str, str]]:
    return [(tokens[i].tag, inline_text(tokens[i + 1])) for i, t in enumerate(tokens) if t.type == "heading_open"]


def fences(tokens) -> list[tuple[str, str]]:
    return [(t.info, t.content) for t in tokens if t.type == "fence"]


def block_shape(tokens) -> list[str]:
    """The block structure: token types and tags, without the text."""
    return [f"{t.type}:{t.tag}" for t in tokens if t.type != "inline"]


_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def check_gfm_rows(text: str) -> int:
    """Every table line has as many cell separators as its header (GFM: a pipe after a backslash is text).

    Returns the number of tables seen.
    """
    count, expected = 0, None
    for line in text.split("\n"):
        if not line.startswith("|"):
            expected = None
            continue
        pipes = len(_UNESCAPED_PIPE.findall(line))
        if expected is None:
            expected, count = pipes, count + 1
        assert pipes == expected, f"row has {pipes - 1} cells, header {expected - 1}: {line!r}"
    return count


def check_report(text: str) -> list:
    """Structural checks every report must pass; returns the tokens."""
    tokens = parse(text)
    assert not [t for t in tokens if t.type == "html_block"], "HTML block in the report"
    for token in tokens:
        for child in token.children or []:
            assert child.type != "html_inline" or child.content == "<br>", child.content
    header_cells = [len(table[0]) for table in tables(tokens)]
    assert check_gfm_rows(text) == len(header_cells)
    for table in tables(tokens):
        assert all(len(row) == len(table[0]) for row in table)
    mermaid = [content for info, content in fences(tokens) if info == "mermaid"]
    # One diagram per aim with support, each under its aim's heading.
    assert len(mermaid) == text.count("**Line of sight**:")
    for diagram in mermaid:
        validate_mermaid(diagram.rstrip("\n"))
    return tokens


def report(root, **options) -> str:
    result = run_check(str(root))
    options.setdefault("revision", False)
    return render_report(build_context(result, ReportOptions(**options)))


# -- filters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("plain words", "plain words"),
        ("# heading", "\\# heading"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("1. first", "1\\. first"),
        ("12) twelfth", "12\\) twelfth"),
        ("===", "\\==="),
        ("a | b", "a \\| b"),
        ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
        ("A & B", "A &amp; B"),
        ("`code` *em* _em_ [l](u) ~~s~~ $x$", "\\`code\\` \\*em\\* \\_em\\_ \\[l\\](u) \\~\\~s\\~\\~ \\$x\\$"),
        ("back\\slash", "back\\\\slash"),
        ("two\nlines\r\n  here", "two lines here"),
        (None, ""),
        (2027, "2027"),
    ],
)
def test_md_filter(text, expected):
    assert md(text) == expected


def test_md_filter_text_reads_back_as_written():
    hostile = "# Cut | waits <b>now</b> & `always` 1. [x](y) \\ $1m"
    tokens = parse(f"Before {md(hostile)}\n\n{md(hostile)}\n")
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"] * 2
    assert inline_text(tokens[1]) == f"Before {hostile}"
    assert inline_text(tokens[4]) == hostile


def test_cell_filter_keeps_one_row_and_one_cell():
    hostile = "a | b\\|c\nsecond line <i>x</i> \\"
    text = f"| A | B |\n|---|---|\n| {cell(hostile)} | {cell('x')} |\n"
    assert check_gfm_rows(text) == 1
    (table,) = tables(parse(text))
    assert table == [["A", "B"], ["a | b\\|c\nsecond line <i>x</i> \\", "x"]]
    assert cell(None) == "" and "\n" not in cell("a\n\nb")


def test_number_and_percent():
    assert [number(v) for v in (0.19, 62, 62.0, 7.5, 1234567.0, None, 0.1 + 0.2)] == [
        "0.19", "62", "62", "7.5", "1234567", "?", "0.30000000000000004",
    ]
    assert [percent(v) for v in (1, 0.996, 0.5, 0, None)] == ["100%", "99%", "50%", "0%", "?"]


# -- whole reports ---------------------------------------------------------------------------


def test_the_example_report_is_valid_gfm_with_every_aim_and_orphan():
    result = run_check(str(EXAMPLE))
    text = render_report(build_context(result, ReportOptions(revision=False)))
    tokens = check_report(text)
    titles = [title for tag, title in headings(tokens)]
    for aim in result.goals.aims.values():
        if aim.active:
            assert f"{aim.id}: {aim.title}" in titles
    orphans = [o for o in result.goals.objectives.values() if o.active and not result.cascade.traces(o.id)]
    assert orphans and text.index("## Not connected to True North") < text.index(f"**{orphans[0].id}**", text.index("## Not connected"))
    sections = [title for tag, title in headings(tokens) if tag == "h2"]
    assert sections == [
        "Headline", "True North aims", "Not connected to True North", "Overdue", "Coverage", "X-matrix",
        "Catchball status", "Appendix: findings",
    ]
    aims = [a.id for a in result.goals.aims.values() if a.active]
    coverage = next(t for t in tables(tokens) if t[0][0] in ("Aim", "Team"))
    # 9 top-level teams and 5 aims: the matrix turns, teams down the side and aims across.
    assert coverage[0] == ["Team", *aims, "Total"]
    assert [row[0] for row in coverage[1:-1]] == [
        result.goals.teams[t].name for t in result.cascade.org.children[result.cascade.org.root]
    ]
    assert text.index("## True North aims") < text.index("## Appendix: findings") < text.index("rule CB")
    assert "rule CB" not in text[: text.index("## Appendix: findings")]  # rule codes only in the appendix


@pytest.mark.parametrize("options", [{}, {"people": False}, {"team": "surgery"}, {"team": "ward-7", "people": False}])
def test_reports_on_other_repositories_are_valid(options, tmp_path):
    root = write_repo(tmp_path / "goals", HEALTHY)
    text = report(root, **options)
    check_report(text)
    assert "TN-SAFE" in text


def test_the_ci_sample_report_is_valid():
    if not CI_SAMPLE.is_dir():
        pytest.skip("tests/repos/ci-sample is not there")
    result = run_check(str(CI_SAMPLE))
    text = render_report(build_context(result, ReportOptions(revision=False)))
    check_report(text)
    orphans = [o.id for o in result.goals.objectives.values() if o.active and not result.cascade.traces(o.id)]
    for orphan in orphans:
        assert f"**{md(orphan)}**" in text.split("## Not connected to True North")[1]


def test_a_generated_trust_report_is_valid(tmp_path):
    generate = pytest.importorskip("benchmarks.generate").generate
    generate(tmp_path / "goals", 600, seed=3, defect_rate=0.05)
    result = run_check(str(tmp_path / "goals"))
    text = render_report(build_context(result, ReportOptions(revision=False)))
    tokens = check_report(text)
    titles = [title for tag, title in headings(tokens)]
    for aim in result.goals.aims.values():
        if aim.active:
            assert f"{aim.id}: {aim.title}" in titles
    section = text.split("## Not connected to True North")[1]
    orphans = [o.id for o in result.goals.objectives.values() if o.active and not result.cascade.traces(o.id)]
    assert orphans, "the generator's defects include orphans"
    for orphan in orphans:
        assert f"**{md(orphan)}**" in section


# -- hostile text ----------------------------------------------------------------------------

NASTY = [
    "Pipes | in | the | title",
    "Line one\nLine two",
    "<script>alert('x')</script>",
    "# Not a heading",
    "- not a list",
    "1. not a list either",
    "> not a quote",
    "---",
    "`code` and *stars* and _under_ and [link](http://example.com)",
    "end",
    'A "quoted" title & more',
    "back\\slash at the end\\",
    "$5m and $3m",
    "<!-- comment -->",
    "| leading pipe",
    "<img src=x onerror=alert(1)>",
]


def goals_with_titles(names: list[str]) -> dict:
    """HEALTHY with every title, name and text field taken from `names` (cycled)."""
    pick = iter(names * 4)

    def q() -> str:
        return json.dumps(next(pick), ensure_ascii=False)

    return {
        "catchball.yaml": f"organisation: {q()}\nperiod: {q()}\n",
        "true-north.yaml": f"""
            aims:
              - id: TN-SAFE
                title: {q()}
                dimension: {q()}
                owner: ceo
                description: {q()}
                measures:
                  - {{name: {q()}, unit: {q()}, baseline: 1, target: 0, by: 2029-03-31}}
              - id: TN-CARE
                title: {q()}
        """,
        "org.yaml": f"""
            teams:
              - {{id: board, name: {q()}}}
              - {{id: surgery, name: {q()}, parent: board, lead: dd}}
              - {{id: ward-7, name: {q()}, parent: surgery, lead: wm}}
              - {{id: ward-9, name: {q()}, parent: surgery}}
        """,
        "people.yaml": f"""
            people:
              - {{id: ceo, name: {q()}, team: board}}
              - {{id: dd, name: {q()}, team: surgery}}
              - {{id: wm, name: {q()}, team: ward-7}}
              - {{id: sn, name: {q()}, team: ward-7}}
        """,
        "objectives/surgery.yaml": f"""
            team: surgery
            objectives:
              - {{id: SURG-1, title: {q()}, supports: [TN-SAFE], owner: dd, status: proposed,
                 measures: [{{name: {q()}, baseline: 1, target: 0}}]}}
              - {{id: SURG-2, title: {q()}, owner: dd, measures: [{{name: {q()}, baseline: 1, target: 0}}]}}
        """,
        "objectives/ward-7.yaml": f"""
            team: ward-7
            objectives:
              - {{id: W7-1, title: {q()}, supports: SURG-1, owner: wm, status: challenged,
                 measures: [{{name: {q()}, baseline: 1, target: 2}}]}}
        """,
        "objectives/people/ward-7.yaml": f"""
            person: sn
            objectives:
              - {{id: P-SN-1, title: {q()}, supports: [W7-1]}}
              - {{id: P-SN-2, title: {q()}, supports: [W7-9]}}
        """,
    }


@pytest.mark.parametrize("options", [{}, {"team": "surgery"}, {"people": False}])
def test_hostile_text_cannot_change_the_structure(tmp_path, options):
    plain = [f"Plain words {i}" for i in range(len(NASTY))]
    nice = report(write_repo(tmp_path / "plain", goals_with_titles(plain)), **options)
    nasty = report(write_repo(tmp_path / "nasty", goals_with_titles(NASTY)), **options)
    nice_tokens, nasty_tokens = check_report(nice), check_report(nasty)
    assert block_shape(nasty_tokens) == block_shape(nice_tokens)
    assert len(headings(nasty_tokens)) == len(headings(nice_tokens))
    assert [len(t[0]) for t in tables(nasty_tokens)] == [len(t[0]) for t in tables(nice_tokens)]
    # and the text is still there, as text
    seen = "\n".join(inline_text(t) for t in nasty_tokens if t.type == "inline")
    for name in ("Pipes | in | the | title", "<script>alert('x')</script>", "# Not a heading", 'A "quoted" title & more'):
        assert name in seen


def test_hostile_text_in_tables_stays_in_its_cell(tmp_path):
    names = ["Team | with | pipes", "Two\nlines", "<b>bold</b>", "back\\", "# hash"]
    files = goals_with_titles(NASTY)
    files["org.yaml"] = "teams:\n" + "".join(
        f"  - {{id: {tid}, name: {json.dumps(name)}{', parent: ' + parent if parent else ''}}}\n"
        for tid, name, parent in zip(
            ["board", "surgery", "ward-7", "ward-9", "spare"], names, [None, "board", "surgery", "surgery", "board"]
        )
    )
    text = report(write_repo(tmp_path / "goals", files))
    tokens = check_report(text)
    status = next(t for t in tables(tokens) if t[0][0] == "Team")
    assert [row[0].replace("\u2003", "") for row in status[1:6]] == [
        "Team | with | pipes",
        "Two\nlines",
        "<b>bold</b>",
        "back\\ (no objectives yet)",
        "# hash (no objectives yet)",
    ]
    coverage = next(t for t in tables(tokens) if t[0][0] == "Aim")
    assert coverage[0] == ["Aim", "Two\nlines", "# hash", "Total"]
