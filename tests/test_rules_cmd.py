"""`catchball rules`, and the rule documentation generated from the rules' docstrings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from catchball.rules.catalog import CODES
from catchball.rules.docs import readme_table, rules_page
from catchball.rules.registry import all_rules

PROJECT = Path(__file__).resolve().parent.parent


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def headings(markdown: str) -> list[str]:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(markdown)
    return [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]


def test_rules_lists_every_rule_on_one_line(cli):
    result = cli("rules")
    assert result.exit_code == 0
    lines = [line for line in result.stdout.splitlines() if line.startswith("CB")]
    assert [line.split()[0] for line in lines] == list(CODES)
    assert re.match(r"CB201\s+orphan\s+error\s+An active objective does not trace", lines[8])
    assert re.match(r"CB502\s+proposed\s+info\s+", lines[list(CODES).index("CB502")])
    assert re.match(r"CB702\s+aim-without-expertise\s+warning\s+", lines[-1])


@pytest.mark.parametrize("word", ["CB201", "cb201", "orphan"])
def test_rules_code_explains_one_rule(cli, word):
    result = cli("rules", word)
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("CB201 orphan  (default severity: error; family: alignment)")
    positions = [text.index(section) for section in ("What it checks", "Why it matters", "Example", "How to fix")]
    assert positions == sorted(positions)
    assert "    - id: W7-9\n      title: Repaint the day room" in text
    assert text.rstrip().endswith("docs/rules.md#cb201-orphan")


def test_unknown_rule_exits_2_with_a_suggestion(cli):
    result = cli("rules", "orphn")
    assert result.exit_code == 2
    assert result.stderr == "catchball: error: no rule 'orphn' (did you mean `orphan`?): `catchball rules` lists them all\n"


def test_rules_json(cli):
    every = json.loads(cli("rules", "--format", "json").stdout)
    assert [r["code"] for r in every] == list(CODES)
    one = json.loads(cli("rules", "CB402", "--format", "json").stdout)
    assert one["name"] == "unowned" and one["severity"] == "warning" and one["family"] == "quality"
    assert set(one) == {
        "code", "name", "severity", "family", "summary", "what_it_checks", "why_it_matters", "example", "how_to_fix",
        "url",
    }
    assert all(one[k] for k in one)


def test_rules_markdown_is_the_docs_page(cli):
    assert cli("rules", "--format", "markdown").stdout == rules_page()
    one = cli("rules", "skip-level", "--format", "markdown").stdout
    assert one.startswith("# CB206 skip-level\n") and "```yaml\n" in one


def test_unknown_rules_format_exits_2(cli):
    result = cli("rules", "--format", "html")
    assert result.exit_code == 2 and "unknown format 'html'" in result.stderr


def test_docs_rules_md_is_in_step_with_the_docstrings():
    checked_in = (PROJECT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert checked_in == rules_page(), "docs/rules.md is stale: python -m catchball.rules.docs > docs/rules.md"


def test_every_rule_has_a_section_whose_anchor_the_links_use():
    anchors = {github_slug(h) for h in headings(rules_page())}
    for rule in all_rules().values():
        assert f"{rule.code.lower()}-{rule.name}" in anchors


def test_readme_table_has_a_row_per_rule_linking_to_its_section():
    rows = [line for line in readme_table().splitlines() if line.startswith("| CB")]
    assert len(rows) == len(CODES)
    anchors = {github_slug(h) for h in headings(rules_page())}
    links = re.findall(r"\]\(docs/rules\.md#([^)]+)\)", readme_table())
    assert len(links) == len(CODES) and set(links) <= anchors
    assert "| CB204 | [misaligned](docs/rules.md#cb204-misaligned) | error | A `supports` link is not upward. |" in rows
