"""The rules' own documentation, rendered for people and tools.

Every text here comes from the rules' docstrings (registry.Rule.sections),
so `catchball rules`, docs/rules.md, the README's rule table and the SARIF
rule descriptions cannot disagree. Regenerate docs/rules.md with

    python -m catchball.rules.docs > docs/rules.md

(a test fails when the checked-in page is out of step).
"""

from __future__ import annotations

import sys
import textwrap

from catchball.errors import CatchballError
from catchball.links import rule_anchor, rule_url
from catchball.rules.catalog import NAMES
from catchball.rules.registry import FAMILIES, SECTIONS, Rule, all_rules
from catchball.spelling import did_you_mean

FAMILY_TITLES = {
    "structure": "Structure (CB1xx): the files can be read and every reference resolves",
    "alignment": "Alignment (CB2xx): every objective has a line of sight up to True North",
    "deployment": "Deployment (CB3xx): the aims are cascaded and the organisation has focus",
    "quality": "Quality (CB4xx): objectives can be measured and someone owns them",
    "conversation": "Conversation (CB5xx): where the catchball conversation stands",
    "measures": "Measures (CB6xx): the data shows whether we are getting better",
    "capability": "Capability (CB7xx): improvement skills where the plan needs them",
}


def find_rule(word: str) -> Rule:
    """The rule a code (CB201, cb201) or name (orphan) names; CatchballError otherwise."""
    rules = all_rules()
    code = word.strip().upper()
    if code in rules:
        return rules[code]
    if word.strip() in NAMES:
        return rules[NAMES[word.strip()]]
    hint = did_you_mean(word, list(rules) + list(NAMES))
    raise CatchballError(f"no rule {word!r}{hint}: `catchball rules` lists them all")


def example(rule: Rule) -> str:
    """The Example section without its indentation."""
    return textwrap.dedent(rule.sections["Example"]).strip("\n")


def prose(text: str) -> str:
    """A docstring section as one paragraph per blank-line-separated block."""
    paragraphs = [" ".join(line.strip() for line in block.splitlines()) for block in text.strip().split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


# -- for the terminal ---------------------------------------------------------


def listing(rules: dict[str, Rule] | None = None) -> str:
    """One line per rule: code, name, default severity, summary."""
    rules = all_rules() if rules is None else rules
    width = max(len(r.name) for r in rules.values())
    lines = [f"{'code':<6} {'name':<{width}} {'default':<8} fires when"]
    for r in rules.values():
        lines.append(f"{r.code:<6} {r.name:<{width}} {r.severity:<8} {r.summary}")
    lines.append("")
    lines.append("catchball rules CODE explains one rule (what it checks, why it matters, an example, how to fix).")
    return "\n".join(lines) + "\n"


def explanation(rule: Rule, width: int = 88) -> str:
    """The whole documentation of one rule as plain text, like `ruff rule`."""
    out = [f"{rule.code} {rule.name}  (default severity: {rule.severity}; family: {rule.family})", ""]
    out += textwrap.wrap(rule.summary, width) + [""]
    for section in SECTIONS:
        out.append(section)
        if section == "Example":
            out += ["    " + line if line else "" for line in example(rule).splitlines()]
        else:
            for paragraph in prose(rule.sections[section]).split("\n\n"):
                out += textwrap.wrap(paragraph, width, initial_indent="  ", subsequent_indent="  ")
                out.append("")
            out.pop()
        out.append("")
    out.append(f"More: {rule_url(rule.code, rule.name)}")
    return "\n".join(out) + "\n"


# -- Markdown -------------------------------------------------------------


def markdown(rule: Rule, level: int = 3) -> str:
    """One rule as a Markdown section (heading `### CB201 orphan`)."""
    hashes = "#" * level
    parts = [
        f"{hashes} {rule.code} {rule.name}",
        f"*Default severity: {rule.severity}.* {rule.summary}",
        f"**What it checks.** {prose(rule.sections['What it checks'])}",
        f"**Why it matters.** {prose(rule.sections['Why it matters'])}",
        f"**Example.**\n\n```yaml\n{example(rule)}\n```",
        f"**How to fix.** {prose(rule.sections['How to fix'])}",
    ]
    return "\n\n".join(parts) + "\n"


def help_text(rule: Rule) -> str:
    """The four sections as plain text (SARIF `help.text`)."""
    blocks = [rule.summary]
    for section in SECTIONS:
        body = example(rule) if section == "Example" else prose(rule.sections[section])
        blocks.append(f"{section}:\n{body}")
    return "\n\n".join(blocks)


def help_markdown(rule: Rule) -> str:
    """The four sections as Markdown without the heading (SARIF `help.markdown`)."""
    return markdown(rule).split("\n\n", 1)[1].rstrip("\n") + f"\n\n[Documentation]({rule_url(rule.code, rule.name)})"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def table(rules: dict[str, Rule] | None = None) -> str:
    """The rule table for the README and docs/rules.md: code, name, default, what it flags."""
    rules = all_rules() if rules is None else rules
    lines = ["| code | name | default | fires when |", "|---|---|---|---|"]
    for r in rules.values():
        name = f"[{r.name}](docs/rules.md#{rule_anchor(r.code, r.name)})"
        lines.append(f"| {r.code} | {name} | {r.severity} | {_cell(r.summary)} |")
    return "\n".join(lines) + "\n"


def readme_table() -> str:
    """The README's rule table (links relative to the project root)."""
    return table()


def rules_page() -> str:
    """docs/rules.md: the table, then every rule by family."""
    rules = all_rules()
    local_table = table(rules).replace("](docs/rules.md#", "](#")
    out = [
        "# Rules",
        "",
        "<!-- Generated from the rules' docstrings by `python -m catchball.rules.docs > docs/rules.md`."
        " Do not edit by hand. -->",
        "",
        f"catchball has {len(rules)} rules. Each has a stable code that is never reused, a name you may use "
        "instead of the code (`--select orphan`), and a default severity that `catchball.yaml` may change "
        "(`rules: {severity: {CB206: error}}`). `catchball rules` lists them and `catchball rules CODE` "
        "explains one in the terminal.",
        "",
        "Select rules with `--select` and `--ignore` (codes, names or prefixes such as `CB2`), or switch "
        "them off for the whole repository with `rules: {ignore: [...]}` in `catchball.yaml`.",
        "",
        "```console",
        "$ catchball rules",
        *listing(rules).splitlines()[:3],
        "...",
        "$ catchball rules orphan",
        *explanation(rules["CB201"]).splitlines()[:3],
        "...",
        "$ catchball rules --format json > rules.json",
        "```",
        "",
        "`catchball rules CODE --format markdown` prints one rule's section of this page.",
        "",
        local_table,
    ]
    for family in FAMILIES:
        out.append(f"## {FAMILY_TITLES[family]}")
        out.append("")
        for r in rules.values():
            if r.family == family:
                out.append(markdown(r))
    return "\n".join(out).rstrip("\n") + "\n"


def record(rule: Rule) -> dict:
    """One rule as JSON (`catchball rules --format json`)."""
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity,
        "family": rule.family,
        "summary": rule.summary,
        "what_it_checks": prose(rule.sections["What it checks"]),
        "why_it_matters": prose(rule.sections["Why it matters"]),
        "example": example(rule),
        "how_to_fix": prose(rule.sections["How to fix"]),
        "url": rule_url(rule.code, rule.name),
    }


if __name__ == "__main__":
    sys.stdout.write(rules_page())
