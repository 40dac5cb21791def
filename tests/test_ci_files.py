"""The integration files: the pre-commit hook, the CI examples, and the commands in the docs.

The example workflow and job are validated against GitHub's and GitLab's
schemas (vendored by check-jsonschema, so no network), the hook manifest by
pre-commit itself, and every `catchball ...` command in them and in the
docs is parsed by the real command line, so a renamed option cannot leave a
stale example behind.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
import yaml

from catchball.cli import app
from catchball.cli.rules import RULES_FORMATS
from catchball.formats import FORMAT_NAMES
from catchball.jsonschema_export import normalise_draft

PROJECT = Path(__file__).resolve().parent.parent
WORKFLOW = PROJECT / "docs" / "examples" / "github-workflow.yml"
GITLAB = PROJECT / "docs" / "examples" / "gitlab-ci.yml"
HOOKS = PROJECT / ".pre-commit-hooks.yaml"
DOCS = [PROJECT / "docs" / name for name in ("ci.md", "editors.md", "rules.md")]


# -- finding and checking catchball commands ------------------------------------

_START = re.compile(r"(?<![\w./-])catchball (?=[a-z-])")
_END = re.compile(r"\s(\|\||&&|>>|>|\||#)\s|;")


def commands_in(text: str) -> list[str]:
    """Every `catchball ...` command line in a script, YAML file or code block (comments skipped)."""
    found = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            continue
        match = _START.search(line)
        if match is None:
            continue
        rest = line[match.start():]
        end = _END.search(rest)
        found.append((rest[: end.start()] if end else rest).strip())
    return found


def commands_in_markdown(path: Path) -> list[str]:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(path.read_text(encoding="utf-8"))
    found = []
    for token in tokens:
        if token.type == "fence":
            found += commands_in("\n".join(line.removeprefix("$ ") for line in token.content.splitlines()))
    return found


def parse_command(line: str) -> tuple[str, dict]:
    """(command, params) as the real CLI parses `line`; raises on unknown commands, options or values."""
    words = shlex.split(line)
    assert words[0] == "catchball", line
    group = typer.main.get_command(app)
    name, args = words[1], words[2:]
    if name not in group.commands:
        raise ValueError(f"no command {name!r}: {line}")
    context = group.commands[name].make_context(name, list(args))
    params = context.params
    if name == "check":
        if params["format"] not in FORMAT_NAMES:
            raise ValueError(f"unknown format in {line}")
        if params["new_only"] and params["diff"] is None:
            raise ValueError(f"--new-only without --diff in {line}")
    if name == "rules" and params["format"] not in RULES_FORMATS:
        raise ValueError(f"unknown format in {line}")
    if name == "schema":
        normalise_draft(params["draft"])
    return name, params


def test_the_command_checker_finds_commands_and_rejects_bad_ones():
    script = 'echo start\n# catchball as a comment\nrun: catchball check goals --format github >> "$X" || [ $? -eq 1 ]\n'
    assert commands_in(script) == ["catchball check goals --format github"]
    assert commands_in("- id: catchball-check\nfile: catchball.yaml\n") == []
    for bad in (
        "catchball check --formt sarif goals",
        "catchball check --format xml goals",
        "catchball check --new-only goals",
        "catchball chek goals",
        "catchball schema --draft 4",
        "catchball rules CB201 CB202",
    ):
        with pytest.raises(Exception):
            parse_command(bad)
    assert parse_command("catchball check goals --diff origin/main --new-only")[1]["new_only"] is True


@pytest.mark.parametrize("path", [WORKFLOW, GITLAB, HOOKS, *DOCS], ids=lambda p: p.name)
def test_every_catchball_command_uses_existing_options(path):
    if path.suffix == ".md":
        lines = commands_in_markdown(path)
    else:
        lines = commands_in(path.read_text(encoding="utf-8"))
    assert lines, f"no catchball command found in {path.name}"
    for line in lines:
        parse_command(line)


def test_the_docs_show_every_format_and_command():
    lines = [line for p in DOCS for line in commands_in_markdown(p)]
    parsed = [parse_command(line) for line in lines]
    formats = {params["format"] for name, params in parsed if name == "check"}
    assert formats == set(FORMAT_NAMES)
    assert {name for name, _ in parsed} >= {"check", "rules", "schema"}
    assert any(params["diff"] for name, params in parsed if name == "check")
    assert any(params["output"] for name, params in parsed if name == "check")


# -- the example CI files -------------------------------------------------------


@pytest.mark.parametrize("path", [WORKFLOW, GITLAB], ids=lambda p: p.name)
def test_examples_are_included_verbatim_in_ci_md(path):
    docs = (PROJECT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert f"```yaml\n{path.read_text(encoding='utf-8')}```\n" in docs


def check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)]
    return subprocess.run(command, capture_output=True, text=True)


@pytest.mark.parametrize(
    "path, schema, breakage",
    [
        (WORKFLOW, "vendor.github-workflows", ("runs-on:", "runs_on:")),
        (GITLAB, "vendor.gitlab-ci", ("artifacts:", "artefacts:")),
    ],
    ids=["github", "gitlab"],
)
def test_examples_validate_against_the_ci_schemas(path, schema, breakage, tmp_path):
    done = check_jsonschema(schema, path)
    assert done.returncode == 0, done.stdout + done.stderr
    broken = tmp_path / path.name
    broken.write_text(path.read_text(encoding="utf-8").replace(*breakage), encoding="utf-8")
    assert check_jsonschema(schema, broken).returncode == 1  # the schema would notice a mistake


def test_github_workflow_uploads_the_sarif_file_it_writes():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    job = workflow["jobs"]["check"]
    assert job["permissions"]["security-events"] == "write"
    steps = job["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # --diff needs the base branch
    outputs = {}
    for step in steps:
        for line in commands_in(step.get("run", "")):
            _, params = parse_command(line)
            if params["output"]:
                outputs[params["format"]] = params["output"]
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == outputs["sarif"]
    gate = next(s for s in steps if s.get("if") == "github.event_name == 'pull_request'" and "run" in s)
    _, params = parse_command(commands_in(gate["run"])[0])
    assert params["format"] == "github" and params["new_only"] and params["diff"]


def test_gitlab_job_reports_the_files_it_writes():
    job = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))["catchball"]
    outputs = {}
    for line in job["script"]:
        for command in commands_in(line):
            _, params = parse_command(command)
            outputs[params["format"]] = params["output"]
    reports = job["artifacts"]["reports"]
    assert reports == {"codequality": outputs["gitlab"], "junit": outputs["junit"]}
    assert job["artifacts"]["when"] == "always"


# -- the pre-commit hook --------------------------------------------------------


def test_pre_commit_manifest_is_valid_for_pre_commit():
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(HOOKS)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_pre_commit_hook_checks_the_whole_repository_when_yaml_changes():
    (hook,) = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert hook["id"] == "catchball-check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False and hook["require_serial"] is True
    assert hook["types"] == ["yaml"]
    files = re.compile(hook["files"])
    assert files.search("goals/objectives/surgery.yaml") and files.search("goals/catchball.yml")
    assert not files.search("README.md")
    assert parse_command(hook["entry"])[0] == "check"
    assert parse_command(hook["entry"] + " strategy/goals --strict")[1]["strict"] is True  # args as docs/ci.md shows


def test_pre_commit_hook_entry_is_the_installed_command():
    # pre-commit installs the project with pip and runs `entry`: the console script must exist.
    pyproject = (PROJECT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^catchball = "catchball\.cli:entry"$', pyproject, re.M)
