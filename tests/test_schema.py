"""`catchball schema`: the JSON Schema of goals files, checked with real validators.

The schema must accept everything catchball's reader accepts (or editors
would flag good files) and reject wrong types, unknown keys and missing
required fields (which catchball reports as CB102 and CB103).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import textwrap
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml

from catchball.check import run_check
from catchball.jsonschema_export import DESCRIPTIONS, build_schema, schema_text
from catchball.load import fields as F
from catchball.settings import RULE_KEYS, TOP_KEYS
from tests.conftest import HEALTHY, write_repo

PROJECT = Path(__file__).resolve().parent.parent
SHIPPED = PROJECT / "catchball" / "schema" / "goals.schema.json"


def plain(value):
    """YAML as an editor's JSON view sees it: dates as the ISO text that was written."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def validator(draft: str = "2020-12"):
    schema = build_schema(draft)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def errors(text: str, draft: str = "2020-12") -> list[str]:
    data = plain(yaml.safe_load(textwrap.dedent(text)))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(draft).iter_errors(data)]


def yaml_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.y*ml") if not any(part.startswith(".") for part in p.parts))


# -- the shipped file -----------------------------------------------------------


def test_shipped_schema_equals_the_generated_one():
    assert SHIPPED.read_text(encoding="utf-8") == schema_text(), "regenerate: catchball schema > " + str(SHIPPED)


def test_shipped_schema_is_package_data():
    text = resources.files("catchball").joinpath("schema/goals.schema.json").read_text(encoding="utf-8")
    assert json.loads(text)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_a_build_of_the_package_holds_the_schema_and_the_templates(tmp_path):
    # The editable install reads the source tree, so the test above passes
    # whatever pyproject.toml says; setuptools' own build_py, on a clean copy
    # (no egg-info whose SOURCES.txt would list every file), shows what a
    # wheel built from a fresh checkout holds.
    source = tmp_path / "source"
    for folder in ("catchball", "templates"):
        shutil.copytree(PROJECT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(PROJECT / name, source / name)
    done = subprocess.run(
        [sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "build_py", "--build-lib", str(tmp_path / "lib")],
        cwd=source, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr
    built = tmp_path / "lib" / "catchball"
    assert (built / "schema" / "goals.schema.json").read_text(encoding="utf-8") == SHIPPED.read_text(encoding="utf-8")
    assert (built / "templates" / "report.md.j2").is_file()


@pytest.mark.parametrize("draft, meta, defs", [("2020-12", jsonschema.Draft202012Validator, "$defs"),
                                               ("7", jsonschema.Draft7Validator, "definitions")])
def test_both_drafts_are_valid_schemas_of_their_draft(draft, meta, defs):
    schema = build_schema(draft)
    assert jsonschema.validators.validator_for(schema) is meta
    meta.check_schema(schema)
    assert defs in schema and all(ref.startswith(f"#/{defs}/") for ref in _refs(schema))


def _refs(node) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if "$ref" in node else []
        return found + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_every_field_of_the_format_has_a_description_and_nothing_else_does():
    expected = {("measure", k) for k in F.MEASURE_FIELDS}
    for section, table in F.SECTIONS.items():
        expected |= {(F.ELEMENT_NOUN[section], k) for k in table}
    expected |= {("file", k) for k in F.TOP_LEVEL_KEYS}
    expected |= {("settings", k) for k in TOP_KEYS} | {("rules", k) for k in RULE_KEYS}
    assert set(DESCRIPTIONS) == expected


def test_properties_follow_the_field_table():
    defs = build_schema()["$defs"]
    assert list(defs["objective"]["properties"]) == list(F.OBJECTIVE_FIELDS)
    assert defs["objective"]["required"] == ["id", "title"]
    assert defs["person"]["required"] == ["id", "name", "team"]
    assert defs["aim"]["properties"]["status"]["enum"] == ["active", "retired", None, ""]


# -- files that must validate ---------------------------------------------------


@pytest.mark.parametrize("draft", ["2020-12", "7"])
def test_every_file_in_the_example_goals_validates(draft):
    files = yaml_files(PROJECT / "goals")
    assert len(files) > 20
    for path in files:
        assert errors(path.read_text(encoding="utf-8"), draft) == [], path


def test_the_healthy_test_repository_and_init_scaffold_validate(cli, tmp_path):
    for text in HEALTHY.values():
        assert errors(text) == []
    assert cli("init", tmp_path / "fresh").exit_code == 0
    for path in yaml_files(tmp_path / "fresh"):
        assert errors(path.read_text(encoding="utf-8")) == [], path


def test_check_jsonschema_accepts_the_example_goals_and_rejects_a_bad_file(tmp_path):
    """The validator people run in pre-commit, on the shipped file."""
    files = [str(p) for p in yaml_files(PROJECT / "goals")]
    command = [sys.executable, "-m", "check_jsonschema", "--schemafile", str(SHIPPED)]
    done = subprocess.run(command + files, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("teams:\n  - {id: board, name: Board, headcount: lots}\n")
    done = subprocess.run(command + [str(bad)], capture_output=True, text=True)
    assert done.returncode == 1 and "headcount" in done.stdout


# What catchball's reader accepts, in forms an editor must not flag.
ACCEPTED = {
    "ids YAML reads as numbers, booleans or dates": """
        aims:
          - {id: 2027, title: yes, measures: [{name: m, baseline: 1, target: 2}]}
          - {id: 1.10, title: 3}
          - {id: no, title: Off}
          - {id: 2026-01-01, title: New year}
    """,
    "numbers written with commas, dates, a single supports id, empty values": """
        team: surgery
        objectives:
          - id: SURG-1
            title: Falls
            supports: TN-SAFE
            due: 2027-03-31
            owner:
            status: ""
            measures:
              - {name: Bed days, baseline: "1,200", target: 900.5, by: 2027-03-31, direction: down}
          -
          - {id: SURG-2, title: x, team: surgery, person: ~, measures: ""}
    """,
    "an empty file": "",
    "settings": """
        organisation: Test Trust
        period: 2026/27
        rules:
          max-aims: 4
          ignore: [CB302, silent-team, CB5, all]
          severity: {CB206: error, CB502: warning}
    """,
    "settings with one ignore word": "rules: {ignore: CB3}\n",
}


@pytest.mark.parametrize("name", ACCEPTED)
def test_what_catchball_accepts_validates(name, tmp_path):
    text = textwrap.dedent(ACCEPTED[name])
    assert errors(text) == []
    assert errors(text, "7") == []
    if name.startswith("settings"):
        files = {**HEALTHY, "catchball.yaml": text}
    else:
        files = {**HEALTHY, "extra/extra.yaml": text}
    result = run_check(str(write_repo(tmp_path / "goals", files)))
    assert [f for f in result.findings if f.code in ("CB102", "CB103")] == []


# Faults catchball reports as CB102 or CB103, and the path the schema blames.
REJECTED = {
    "title is a list": ("aims:\n  - {id: A, title: [x]}\n", "aims/0/title", "CB102"),
    "missing title": ("aims:\n  - {id: A}\n", "aims/0", "CB102"),
    "empty required name": ("teams:\n  - {id: t, name: ''}\n", "teams/0/name", "CB102"),
    "bad id": ("aims:\n  - {id: 'T N', title: x}\n", "aims/0/id", "CB102"),
    "unknown status": ("team: t\nobjectives:\n  - {id: O, title: x, status: agred}\n", "objectives/0/status", "CB102"),
    "date as text": ("team: t\nobjectives:\n  - {id: O, title: x, due: end of March}\n", "objectives/0/due", "CB102"),
    "number as text": ("aims:\n  - {id: A, title: x, measures: [{name: m, baseline: lots}]}\n",
                       "aims/0/measures/0/baseline", "CB102"),
    "negative headcount": ("teams:\n  - {id: t, name: T, headcount: -3}\n", "teams/0/headcount", "CB102"),
    "measures as a mapping": ("aims:\n  - {id: A, title: x, measures: {name: m}}\n", "aims/0/measures", "CB102"),
    "measure without a name": ("aims:\n  - {id: A, title: x, measures: [{unit: '%'}]}\n", "aims/0/measures/0", "CB102"),
    "supports holds a mapping": ("team: t\nobjectives:\n  - {id: O, title: x, supports: {a: b}}\n",
                                 "objectives/0/supports", "CB102"),
    "team and person": ("objectives:\n  - {id: O, title: x, team: t, person: p}\n", "objectives/0", "CB102"),
    "file defaults team and person": ("team: t\nperson: p\nobjectives: []\n", "", "CB102"),
    "objectives is a mapping": ("objectives: {id: O}\n", "objectives", "CB102"),
    "misspelt key": ("team: t\nobjectives:\n  - {id: O, title: x, suports: [A]}\n", "objectives/0", "CB103"),
    "unknown top-level key": ("objectivs: []\n", "", "CB103"),
    "unknown measure key": ("aims:\n  - {id: A, title: x, measures: [{name: m, targt: 3}]}\n", "aims/0/measures/0",
                            "CB103"),
}


@pytest.mark.parametrize("name", REJECTED)
def test_wrong_files_do_not_validate(name, tmp_path):
    text, path, code = REJECTED[name]
    for draft in ("2020-12", "7"):
        found = errors(text, draft)
        assert found, f"{name}: the schema accepted it"
        assert any(e.startswith(f"{path}: ") for e in found), found
    files = {**HEALTHY, "extra/extra.yaml": text}
    result = run_check(str(write_repo(tmp_path / "goals", files)))
    assert code in {f.code for f in result.findings if f.file and f.file.endswith("extra.yaml")}


@pytest.mark.parametrize(
    "text, path",
    [
        ("rules: {max-aims: zero}\n", "rules/max-aims"),
        ("rules: {severity: {CB999: error}}\n", "rules/severity"),
        ("rules: {severity: {CB206: fatal}}\n", "rules/severity/CB206"),
        ("rules: {ignore: [CB9]}\n", "rules/ignore"),
        ("organisation: x\nrules: {maxaims: 3}\n", "rules"),
    ],
)
def test_wrong_settings_do_not_validate(text, path):
    assert any(e.startswith(f"{path}: ") for e in errors(text)), errors(text)


# -- the command ------------------------------------------------------------------


def test_schema_command_prints_the_shipped_schema(cli):
    result = cli("schema")
    assert result.exit_code == 0 and result.stdout == SHIPPED.read_text(encoding="utf-8")


def test_schema_command_draft_7_and_output_file(cli, tmp_path):
    target = tmp_path / "goals.schema.json"
    result = cli("schema", "--draft", "7", "--output", target)
    assert result.exit_code == 0 and result.stdout == ""
    schema = json.loads(target.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#" and "definitions" in schema


def test_schema_command_unknown_draft_exits_2(cli):
    result = cli("schema", "--draft", "4")
    assert result.exit_code == 2
    assert result.stderr == "catchball: error: unknown JSON Schema draft '4': choose 2020-12 or 7\n"
