"""Golden tests of every `catchball check` output format, and `--output` for each.

Every format's output for the small fixed repository tests/repos/ci-sample
(a few findings of each severity, a YAML error, a file name with a space and
a comma, a key with `%`, `:`, `,`, `<`, `&` and quotes) is compared with
tests/golden/<format>.<ext>, run from the project root as CI would.

After a deliberate change to a format, regenerate the golden files with

    CATCHBALL_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_formats.py

and read the diff before committing it.
"""

from __future__ import annotations

import io
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from catchball import __version__
from catchball.check import run_check
from catchball.formats import FORMAT_NAMES, emitter
from tests.conftest import HEALTHY

HEALTHY_WARD = HEALTHY["objectives/ward-7.yaml"]

PROJECT = Path(__file__).resolve().parent.parent
SAMPLE = "tests/repos/ci-sample"
GOLDEN = PROJECT / "tests" / "golden"
EXTENSION = {
    "text": "txt",
    "json": "json",
    "github": "txt",
    "sarif": "json",
    "junit": "xml",
    "gitlab": "json",
    "markdown": "md",
}
UPDATE = os.environ.get("CATCHBALL_UPDATE_GOLDEN") == "1"


@pytest.fixture
def at_project(monkeypatch):
    monkeypatch.chdir(PROJECT)
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("FORCE_COLOR", raising=False)


def render(name: str, path: str = SAMPLE) -> str:
    buffer = io.StringIO()
    emitter(name)(run_check(path), buffer)
    return buffer.getvalue()


def stable(name: str, text: str) -> str:
    """The output with the version (which changes on every release) replaced."""
    return text.replace(f'"{__version__}"', '"<version>"') if name == "sarif" else text


def test_every_format_has_a_golden_file():
    assert set(EXTENSION) == set(FORMAT_NAMES)


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_format_matches_its_golden_file(at_project, name):
    golden = GOLDEN / f"{name}.{EXTENSION[name]}"
    text = stable(name, render(name))
    if UPDATE:
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert golden.exists(), f"no golden file {golden.name}: run with CATCHBALL_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_output_option_writes_the_same_text_atomically_and_logs_text(at_project, cli, tmp_path, name):
    target = tmp_path / f"out.{EXTENSION[name]}"
    target.write_text("old contents that must be replaced whole\n")
    result = cli("check", "--format", name, "--output", target, SAMPLE)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == render(name)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "temporary file left behind"
    if name == "text":
        assert result.stderr == ""
    else:  # one run: the file for the tool, the text report for the CI log
        assert "tests/repos/ci-sample/objectives/surgery.yaml:9:5 CB201" in result.stderr
        assert "4 errors, 3 warnings, 1 info" in result.stderr


def test_output_into_a_missing_folder_exits_2(at_project, cli, tmp_path):
    result = cli("check", "--format", "sarif", "--output", tmp_path / "no" / "x.sarif", SAMPLE)
    assert result.exit_code == 2
    assert "folder" in result.stderr and "does not exist" in result.stderr


# -- GitHub annotations ------------------------------------------------------


def test_github_escapes_properties_and_messages(at_project):
    lines = render("github").splitlines()
    unknown = next(line for line in lines if line.startswith("::warning") and "CB103" in line)
    # In properties `,` and `:` are escaped (the file name holds a comma); in the message only `%`, CR, LF.
    assert unknown.startswith(
        "::warning file=tests/repos/ci-sample/objectives/ward 7%2C nights.yaml,line=3,col=5,title=CB103 unknown-key::"
    )
    assert '::unknown key `review: 50%25, <done> & "checked"` in objective W7-1 (known keys: `id`, ' in unknown
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == 8 and all("\n" not in c and "\r" not in c for c in commands)


# -- SARIF --------------------------------------------------------------------


def sarif_validator():
    import jsonschema

    schema = json.loads((PROJECT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def assert_valid_sarif(document: dict) -> None:
    from rfc3986_validator import validate_rfc3986

    errors = [f"{list(e.absolute_path)}: {e.message}" for e in sarif_validator().iter_errors(document)]
    assert errors == []
    for result in document["runs"][0]["results"]:
        for location in result.get("locations", []):
            uri = location["physicalLocation"]["artifactLocation"]["uri"]
            assert validate_rfc3986(uri, rule="URI_reference"), uri


def test_sarif_validates_against_the_official_schema(at_project):
    assert_valid_sarif(json.loads(render("sarif")))


def test_the_schema_check_would_catch_a_broken_document(at_project):
    document = json.loads(render("sarif"))
    document["runs"][0]["results"][0]["level"] = "fatal"
    del document["runs"][0]["tool"]["driver"]["name"]
    assert len(list(sarif_validator().iter_errors(document))) == 2


def test_sarif_lists_every_rule_with_its_documentation(at_project):
    from catchball.rules.registry import all_rules

    driver = json.loads(render("sarif"))["runs"][0]["tool"]["driver"]
    assert driver["name"] == "catchball" and driver["version"] == __version__
    assert [r["id"] for r in driver["rules"]] == list(all_rules())
    orphan = driver["rules"][[r["id"] for r in driver["rules"]].index("CB201")]
    assert orphan["name"] == "orphan"
    assert orphan["shortDescription"]["text"] == "An active objective does not trace to an active True North aim."
    assert orphan["fullDescription"]["text"].startswith("Following `supports` links upwards")
    for section in ("What it checks:", "Why it matters:", "Example:", "How to fix:"):
        assert section in orphan["help"]["text"]
    assert "```yaml" in orphan["help"]["markdown"]
    assert orphan["helpUri"].endswith("docs/rules.md#cb201-orphan")
    assert orphan["defaultConfiguration"] == {"level": "error"}
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in driver["rules"]}
    assert (levels["CB402"], levels["CB502"]) == ("warning", "note")


def test_sarif_results_point_at_the_element_with_a_relative_uri(at_project):
    run = json.loads(render("sarif"))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert len(results) == 8
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    dangling = next(r for r in results if r["ruleId"] == "CB202")
    assert dangling["level"] == "error"
    assert dangling["message"]["text"].startswith("objective W7-1 supports `SURG-9`")
    location = dangling["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "tests/repos/ci-sample/objectives/ward%207%2C%20nights.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    assert location["region"] == {"startLine": 3, "startColumn": 5}
    assert next(r for r in results if r["ruleId"] == "CB502")["level"] == "note"


def test_sarif_uses_the_severity_set_in_catchball_yaml(make_repo):
    from catchball.formats.sarif import document

    surgery = (
        "team: surgery\nobjectives:\n"
        "  - {id: SURG-1, title: x, supports: TN-SAFE, measures: [{name: m, baseline: 1, target: 2}]}\n"
    )
    root = make_repo({"catchball.yaml": "rules: {severity: {CB402: error}}\n", "objectives/surgery.yaml": surgery})
    run = document(run_check(str(root)))["runs"][0]
    unowned = [r for r in run["results"] if r["ruleId"] == "CB402"]
    assert [r["level"] for r in unowned] == ["error"]
    rule = run["tool"]["driver"]["rules"][unowned[0]["ruleIndex"]]
    assert rule["defaultConfiguration"]["level"] == "warning"


def test_sarif_places_a_finding_without_a_file_at_catchball_yaml(make_repo):
    from catchball.formats.sarif import document

    files = {
        "catchball.yaml": "organisation: No Teams Trust\n",
        "true-north.yaml": "aims:\n  - {id: TN-1, title: Safe, measures: [{name: m, baseline: 1, target: 2}]}\n",
    }
    result = run_check(str(make_repo(files, base={})))
    assert any(f.code == "CB108" and f.file is None for f in result.findings)
    doc = document(result)
    assert_valid_sarif(doc)
    no_teams = next(r for r in doc["runs"][0]["results"] if r["ruleId"] == "CB108")
    location = no_teams["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("/catchball.yaml")
    assert location["region"] == {"startLine": 1, "startColumn": 1}


def test_sarif_uses_a_file_uri_for_an_absolute_path(make_repo):
    from catchball.formats.sarif import artifact_location, document

    root = make_repo({"objectives/ward-7.yaml": "team: ward-7\nobjectives:\n  - {id: W7-1, title: x}\n"})
    doc = document(run_check(str(root)))
    assert_valid_sarif(doc)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}
    assert uris and all(u.startswith("file:///") for u in uris)
    assert artifact_location("/a b/c.yaml") == {"uri": "file:///a%20b/c.yaml"}


def test_sarif_of_a_clean_repository_has_no_results(make_repo):
    from catchball.formats.sarif import document

    doc = document(run_check(str(make_repo())))
    assert_valid_sarif(doc)
    assert doc["runs"][0]["results"] == []


# -- JUnit --------------------------------------------------------------------


def test_junit_is_well_formed_with_one_suite_per_file(at_project):
    root = ET.fromstring(render("junit"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    names = [s.get("name") for s in suites]
    assert names == sorted(names) and "tests/repos/ci-sample/org.yaml" in names
    assert int(root.get("tests")) == sum(int(s.get("tests")) for s in suites)
    # the 4 errors fail; the 3 warnings do not (the run exits 1 for the errors alone)
    assert int(root.get("failures")) == sum(len(s.findall("testcase/failure")) for s in suites) == 4
    assert {f.get("type") for f in root.iter("failure")} == {"error"}
    ward = next(s for s in suites if s.get("name").endswith("ward 7, nights.yaml"))
    outputs = [c.find("system-out").text for c in ward.findall("testcase") if c.find("system-out") is not None]
    assert any('unknown key `review: 50%, <done> & "checked"` in objective W7-1 (known keys:' in o for o in outputs)
    org = next(s for s in suites if s.get("name").endswith("org.yaml"))
    assert [c.get("name") for c in org.findall("testcase")] == ["no findings"]
    proposed = root.find(".//testcase[@name='CB502 proposed (SURG-3)']")
    assert proposed.find("failure") is None and "CB502 [info]" in proposed.find("system-out").text


def test_junit_failures_follow_the_exit_code(make_repo):
    """Warnings only: exit 0 and no failed test; with --strict, exit 1 and each warning a failure."""
    from catchball.formats.junit import document

    warned = make_repo({"objectives/ward-7.yaml": HEALTHY_WARD.replace("    owner: wm\n", "")})  # CB402, a warning
    result = run_check(str(warned))
    assert [f.code for f in result.findings] == ["CB402"] and result.exit_code() == 0
    assert document(result).get("failures") == "0" and document(result).findall(".//failure") == []
    result.strict = True
    assert result.exit_code() == 1
    assert [f.get("type") for f in document(result).iter("failure")] == ["warning"]
    assert document(result).get("failures") == "1"


def test_junit_of_a_clean_repository_passes(make_repo):
    from catchball.formats.junit import document

    root = document(run_check(str(make_repo())))
    assert root.get("failures") == "0" and int(root.get("tests")) >= 1
    assert root.findall(".//failure") == []


def test_junit_replaces_characters_xml_cannot_hold(make_repo):
    import dataclasses

    from catchball.formats.junit import emit

    result = run_check(str(make_repo({"objectives/ward-7.yaml": "team: ward-7\nobjectives:\n  - {id: W7-1, title: x}\n"})))
    result.findings[0] = dataclasses.replace(result.findings[0], message="bell \x07 and \x1b escape")
    buffer = io.StringIO()
    emit(result, buffer)
    failure = ET.fromstring(buffer.getvalue()).find(".//failure")
    assert failure.get("message") == "bell \ufffd and \ufffd escape"


# -- GitLab Code Quality ------------------------------------------------------


def test_gitlab_report_has_the_fields_gitlab_requires(at_project):
    issues = json.loads(render("gitlab"))
    assert len(issues) == 8
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert set(issue["location"]) == {"path", "lines"} and issue["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    severities = {i["check_name"]: i["severity"] for i in issues}
    assert (severities["CB201"], severities["CB402"], severities["CB502"]) == ("major", "minor", "info")


def test_gitlab_fingerprints_survive_moved_lines_and_renamed_files(make_repo, tmp_path):
    from catchball.formats.gitlab import issues

    surgery = (
        "team: surgery\nobjectives:\n"
        "  - {id: SURG-1, title: x, supports: TN-SAFE, owner: dd, measures: [{name: m, baseline: 1, target: 2}]}\n"
        "  - {id: SURG-2, title: y, owner: dd, measures: [{name: m, baseline: 1, target: 2}]}\n"
    )
    before = issues(run_check(str(make_repo({"objectives/surgery.yaml": surgery}))))
    moved = {"objectives/surgery.yaml": None, "objectives/surgical-division.yaml": "\n\n# moved\n" + surgery}
    after = issues(run_check(str(make_repo(moved))))
    assert [i["fingerprint"] for i in after] == [i["fingerprint"] for i in before]
    assert [i["location"]["lines"]["begin"] for i in after] != [i["location"]["lines"]["begin"] for i in before]


def test_gitlab_fingerprints_differ_for_the_same_rule_and_id_twice(make_repo):
    from catchball.formats.gitlab import issues

    twice = "team: surgery\nobjectives:\n  - {id: SURG-1, title: again}\n"
    result = run_check(str(make_repo({"objectives/a.yaml": twice, "objectives/b.yaml": twice})))
    duplicates = [i for i in issues(result) if i["check_name"] == "CB104"]
    assert len(duplicates) == 2
    assert duplicates[0]["fingerprint"] != duplicates[1]["fingerprint"]


# -- Markdown -----------------------------------------------------------------


def test_markdown_escapes_text_from_the_goals(at_project):
    from markdown_it import MarkdownIt

    text = render("markdown")
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    rows = [t for t in tokens if t.type == "tr_open"]
    assert len(rows) == 1 + 8  # header and one row per finding: no row was split by a `|`
    assert "&lt;done&gt; &amp;" in text
    assert not any(t.type.startswith("html") for t in tokens)


def _many_findings_repo(make_repo, warned: int, orphaned: int):
    """ward-7 with `warned` objectives that have no measures (CB401 warnings) in objectives/a.yaml and
    `orphaned` that support nothing (CB201 errors) in objectives/b.yaml, which sorts after it."""
    warned_text = "".join(
        f"  - {{id: W-{i}, title: Warned {i}, supports: W7-1, owner: wm, due: 2027-01-31}}\n" for i in range(warned)
    )
    orphan_text = "".join(
        f"  - {{id: O-{i}, title: Orphan {i}, owner: wm, due: 2027-01-31,"
        f" measures: [{{name: m, baseline: 1, target: 2}}]}}\n" for i in range(orphaned)
    )
    return make_repo({
        "objectives/a.yaml": "team: ward-7\nobjectives:\n" + warned_text,
        "objectives/b.yaml": "team: ward-7\nobjectives:\n" + orphan_text,
    })


def _table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| severity")]


def test_markdown_of_many_findings_fits_a_github_comment_errors_first(make_repo, cli):
    root = _many_findings_repo(make_repo, warned=500, orphaned=500)
    result = run_check(str(root))
    assert [f.code for f in result.findings].count("CB201") == 500 and len(result.findings) > 1000
    text = cli("check", "--format", "markdown", str(root)).stdout
    assert len(text) <= 65_536  # GitHub refuses a longer comment, and a job summary over 1 MiB
    rows = _table_rows(text)
    assert 100 < len(rows) < 500
    assert all(row.startswith("| error | CB201 orphan | objective O-") for row in rows)  # errors first
    assert [row.split()[7] for row in rows] == [f"O-{i}" for i in range(len(rows))]  # in file order
    assert (
        f"*The first {len(rows)} of {len(result.findings)} findings are listed here, errors first, to keep within"
        " what GitHub shows of a summary or comment: `catchball check` lists them all.*"
    ) in text
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    assert sum(t.type == "tr_open" for t in tokens) == 1 + len(rows)


def test_markdown_lists_every_finding_in_file_order_when_they_fit(make_repo, cli):
    from catchball.formats import markdown

    root = _many_findings_repo(make_repo, warned=3, orphaned=3)
    text = cli("check", "--format", "markdown", str(root)).stdout
    rows = _table_rows(text)
    assert rows == [markdown._finding_row(f) for f in run_check(str(root)).findings]
    codes = [row.split("|")[2].split()[0] for row in rows]
    assert codes.index("CB401") < codes.index("CB201")  # a.yaml's warnings before b.yaml's errors
    assert "listed here" not in text


def test_markdown_room_is_shared_and_a_row_too_long_for_it_is_counted(make_repo, monkeypatch):
    from catchball.formats import markdown

    root = _many_findings_repo(make_repo, warned=2, orphaned=2)
    result = run_check(str(root))
    rows = [markdown._finding_row(f) for f in result.findings]
    errors_first = sorted(result.findings, key=lambda f: f.severity != "error")
    monkeypatch.setattr(markdown, "TABLE_CHARACTERS", len(markdown._finding_row(errors_first[0])) + 1)
    text = render_result("markdown", result)
    assert _table_rows(text) == [markdown._finding_row(errors_first[0])]
    assert "*The first 1 of 4 findings are listed here" in text
    monkeypatch.setattr(markdown, "TABLE_CHARACTERS", min(map(len, rows)))  # one character short of any row
    text = render_result("markdown", result)
    assert _table_rows(text) == [] and "| severity |" not in text
    assert "*None of these 4 findings is listed here, to keep within" in text


def test_counts_are_in_the_right_number():
    from catchball.metrics import scope_text, severity_counts

    assert severity_counts(1, 0, 2) == "1 error, 0 warnings, 2 infos"
    assert severity_counts(2, 1, 1) == "2 errors, 1 warning, 1 info"
    summary = {"files": 1, "aims": 1, "teams": 2, "people": 1, "objectives": 0}
    assert scope_text(summary) == "1 file, 1 aim, 2 teams, 1 person, 0 objectives"


# -- CI paths: from the repository root, wherever catchball ran ---------------------------


@pytest.fixture
def in_git_subfolder(tmp_path, monkeypatch):
    """A repository `repo/` whose goals are in `repo/strategy/goals`, and the working folder `repo/strategy`."""
    import subprocess

    top = tmp_path / "repo"
    top.mkdir()
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    subprocess.run(["git", "init", "-q"], cwd=top, check=True)
    from tests.conftest import write_repo

    write_repo(top / "strategy" / "goals", {**HEALTHY, "objectives/ward-7.yaml": HEALTHY_WARD.replace("    owner: wm\n", "")})
    monkeypatch.chdir(top / "strategy")
    return top


@pytest.mark.parametrize("given", ["goals", "ABSOLUTE"])
def test_ci_formats_name_files_from_the_git_top_level(in_git_subfolder, given):
    path = str(in_git_subfolder / "strategy" / "goals") if given == "ABSOLUTE" else given
    result = run_check(path)
    assert [f.file for f in result.findings] == [f"{path}/objectives/ward-7.yaml"]  # the text formats: as given
    expected = "strategy/goals/objectives/ward-7.yaml"
    sarif = json.loads(render_result("sarif", result))
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": expected, "uriBaseId": "%SRCROOT%"}
    assert json.loads(render_result("gitlab", result))[0]["location"]["path"] == expected
    assert render_result("github", result).startswith(f"::warning file={expected},line=3,col=5,")


def test_ci_formats_outside_git_keep_the_path_as_given(make_repo, monkeypatch):
    root = make_repo({"objectives/ward-7.yaml": HEALTHY_WARD.replace("    owner: wm\n", "")})
    monkeypatch.chdir(root.parent)
    result = run_check("goals")
    sarif = json.loads(render_result("sarif", result))
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "goals/objectives/ward-7.yaml", "uriBaseId": "%SRCROOT%"}
    assert json.loads(render_result("gitlab", result))[0]["location"]["path"] == "goals/objectives/ward-7.yaml"


def render_result(name: str, result) -> str:
    buffer = io.StringIO()
    emitter(name)(result, buffer)
    return buffer.getvalue()


# -- text without colour: written directly, the same characters rich would print ----------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.text import Text  # noqa: E402

from catchball.formats import text as text_format  # noqa: E402


@given(st.lists(st.tuples(st.text(alphabet=st.sampled_from("ab [/]:\\\t\x07\x1b\r\x0c漢é😀-fire:smile"), max_size=12),
                          st.sampled_from(["", "bold", "dim", "red"])), max_size=4))
def test_a_plain_line_is_what_rich_prints_without_colour(parts):
    console = Console(file=io.StringIO(), highlight=False, soft_wrap=True, emoji=False, color_system=None)
    with console.capture() as captured:
        console.print(Text.assemble(*parts))
    assert text_format._plain(console, parts) == captured.get()


def test_text_to_a_pipe_has_no_escape_codes_and_shows_emoji_codes_as_written(make_repo, monkeypatch):
    files = {"objectives/:fire:.yaml": "objectives:\n  - id: A-1\n    title: Fix it\n    supports: NOPE\n"}
    monkeypatch.chdir(make_repo(files, base={}))
    out = io.StringIO()
    emitter("text")(run_check("."), out)
    assert "\x1b" not in out.getvalue()
    assert out.getvalue().splitlines()[3:5] == [
        "objectives/:fire:.yaml",
        "  objectives/:fire:.yaml:2:5 CB102 objective A-1 has no `team` or `person`, and the file sets no default"
        " (invalid-field)",
    ]


# -- the JSON writer: json.dump(indent=2)'s layout, at any depth ------------------------------

from catchball.formats import json as json_format  # noqa: E402

_json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6)
_json_values = st.recursive(
    _json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=30,
)


def _written(doc) -> str:
    out = io.StringIO()
    json_format.write(doc, out)
    return out.getvalue()


@given(_json_values)
def test_json_is_written_as_json_dump_with_indent_2_writes_it(doc):
    assert _written(doc) == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("levels", [json_format.RECURSION_LEVELS - 1, json_format.RECURSION_LEVELS + 1, 3000])
def test_json_past_the_recursion_levels_keeps_the_layout(levels):
    # Past RECURSION_LEVELS the writer keeps a stack of its own; the text must not change where it does.
    doc = inner = {}
    for depth in range(levels):
        inner["up"] = [depth, {"id": f"O-{depth}", "none": None, "empty": [], "no": {}}]
        inner = inner["up"][1]
    text = _written(doc)
    lines = text.splitlines()
    assert lines[-2:] == ["  ]", "}"]
    if levels < 400:  # deeper, the standard library's own encoder and decoder reach the recursion limit
        assert text == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    assert len(lines) == 9 * levels + 2
    deepest = max(len(line) - len(line.lstrip(" ")) for line in lines)
    assert deepest == 2 * (2 * levels + 1)


def test_json_writes_a_long_list_out_in_pieces(monkeypatch):
    writes = []

    class Out(io.StringIO):
        def write(self, text):
            writes.append(text)
            return super().write(text)

    out = Out()
    doc = {"findings": [{"code": "CB201", "line": i} for i in range(3000)]}
    json_format.write(doc, out)
    assert len(writes) > 1
    assert out.getvalue() == json.dumps(doc, indent=2) + "\n"
