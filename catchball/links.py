"""Where catchball's documentation lives on the web.

SARIF help links, the JSON Schema's `$id` and the rule pages all point here,
so a fork that publishes its docs elsewhere changes one line.
"""

from __future__ import annotations

REPOSITORY_URL = "https://github.com/catchball-dev/catchball"
DOCS_URL = f"{REPOSITORY_URL}/blob/main/docs"
RULES_URL = f"{DOCS_URL}/rules.md"
SCHEMA_URL = f"{REPOSITORY_URL}/raw/main/catchball/schema/goals.schema.json"


def rule_anchor(code: str, name: str) -> str:
    """The heading anchor GitHub gives `### CB201 orphan` in docs/rules.md."""
    return f"{code.lower()}-{name}"


def rule_url(code: str, name: str) -> str:
    """The rule's section of docs/rules.md."""
    return f"{RULES_URL}#{rule_anchor(code, name)}"
