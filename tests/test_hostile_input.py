"""Hostile and broken goals files: a finding, never a crash, never a loss.

Each case checks behaviour only (findings, exit codes, what still loads), so
the tests hold whichever YAML parser backend reads the files. Cases that
could kill the process (deep nesting) or hang it (an alias bomb) run the CLI
in a subprocess, so a regression fails the test instead of the test run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from catchball.load.limits import MAX_DEPTH, MAX_FILE_BYTES
from tests.conftest import HEALTHY

PEOPLE_FILE = "objectives/people/ward-7.yaml"
DANGLING = HEALTHY[PEOPLE_FILE].replace("supports: [W7-1]", "supports: [W7-9]")


def run_cli(*args, timeout: int = 120) -> subprocess.CompletedProcess:
    """The CLI in its own process: a crash is an exit code here, not a dead test run."""
    return subprocess.run(
        [sys.executable, "-m", "catchball", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "120"},
    )


def findings_in(result, file_suffix: str) -> list[tuple[str, int, int]]:
    return [(f.code, f.line, f.column) for f in result.findings if f.file.endswith(file_suffix)]


def only_finding(result, file_suffix: str):
    found = [f for f in result.findings if f.file.endswith(file_suffix)]
    assert len(found) == 1, found
    return found[0]


# --- syntax -----------------------------------------------------------------

SYNTAX = {
    "unclosed bracket": (b"aims: [{id: A, title: T}\nteams: []\n", 2, 1),
    "unclosed brace": (b"aims:\n  - {id: A, title: T\n", 2, 21),  # the parser said 3:1, past the end
    "bad indentation": (b"aims:\n  - id: A\n   title: T\n", 3, 4),
    "tab indentation": (b"aims:\n\t- id: A\n", 2, 1),
    "two documents": (b"aims: []\n---\nteams: []\n", 2, 1),
    "cut off in a quote": (b'aims:\n  - id: A\n    title: "Zero avoid', 3, 23),
    "cut off in a flow": (b"aims:\n  - id: A\n    measures: [{name: m, base", 3, 30),  # the parser said 4:1, past the end
}


@pytest.mark.parametrize("case", SYNTAX, ids=list(SYNTAX))
def test_syntax_error_is_cb101_where_the_parser_stops_and_other_files_are_still_checked(check_repo, case):
    raw, line, column = SYNTAX[case]
    result = check_repo({"broken.yaml": raw, PEOPLE_FILE: DANGLING})
    assert findings_in(result, "broken.yaml") == [("CB101", line, column)]
    # every other file still loads and is checked: the dangling link is still found
    assert ("CB202", "P-SN-1") in [(f.code, f.id) for f in result.findings]
    assert result.summary()["objectives"] == 3 and result.exit_code() == 1


def test_a_tab_says_it_is_a_tab(check_repo):
    f = only_finding(check_repo({"broken.yaml": b"aims:\n\t- id: A\n"}), "broken.yaml")
    assert f.message.endswith(": a tab here; YAML indents with spaces only")
    # libyaml's own words already name it here: no second mention
    g = only_finding(check_repo({"broken.yaml": b"aims:\n  - id: A\n\ttitle: T\n"}), "broken.yaml")
    assert "tab character" in g.message and "a tab here" not in g.message


def test_two_documents_say_so(check_repo):
    f = only_finding(check_repo({"broken.yaml": b"aims: []\n---\nteams: []\n"}), "broken.yaml")
    assert "more than one YAML document" in f.message


# --- encoding -----------------------------------------------------------------

TEAM = "teams:\n  - {id: quality, name: Qualité et sécurité, parent: board}\n"


def test_utf8_bom_is_accepted(check_repo):
    result = check_repo({"quality.yaml": b"\xef\xbb\xbf" + TEAM.encode("utf-8")})
    assert findings_in(result, "quality.yaml") == [] or {c for c, _, _ in findings_in(result, "quality.yaml")} == {"CB302"}
    assert result.goals.teams["quality"].name == "Qualité et sécurité"


ENCODINGS = {
    "UTF-16 with BOM": (TEAM.encode("utf-16"), "UTF-16", (1, 1)),
    "UTF-16 without BOM": (TEAM.encode("utf-16-le"), "UTF-16", (1, 1)),
    "UTF-32": (TEAM.encode("utf-32"), "UTF-32", (1, 1)),
    "Latin-1": (TEAM.encode("latin-1"), "not UTF-8 text (byte 0xe9)", (2, 31)),
    "NUL byte": (b"teams:\n  - {id: q\x00, name: Q}\n", "NUL byte", (2, 11)),
    "PNG named .yaml": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "not UTF-8", (1, 1)),
}


@pytest.mark.parametrize("case", ENCODINGS, ids=list(ENCODINGS))
def test_what_is_not_utf8_text_is_cb101(check_repo, case):
    raw, words, (line, column) = ENCODINGS[case]
    result = check_repo({"quality.yaml": raw})
    f = only_finding(result, "quality.yaml")
    assert (f.code, f.line, f.column) == ("CB101", line, column) and words in f.message
    assert "quality" not in result.goals.teams and result.summary()["teams"] == 3


HIDDEN_BREAKS = {
    "line separator": ("aims:\n  - id: A\n    title: Fine\u2028supports: [X]\n", "U+2028", (3, 16)),
    "paragraph separator": ("aims:\n  - {id: A, title: \"a\u2029b\"}\n", "U+2029", (2, 22)),
    "next line": ("aims:\n  - id: A\x85\n", "U+0085", (2, 10)),
    "lone carriage return": ("aims:\n  - id: A\r    title: T\n", "carriage return without a line feed", (2, 10)),
}


@pytest.mark.parametrize("case", HIDDEN_BREAKS, ids=list(HIDDEN_BREAKS))
def test_line_breaks_that_reviews_do_not_show_are_cb101_where_an_editor_shows_them(check_repo, case):
    text, words, (line, column) = HIDDEN_BREAKS[case]
    f = only_finding(check_repo({"hidden.yaml": text.encode("utf-8")}), "hidden.yaml")
    assert (f.code, f.line, f.column) == ("CB101", line, column) and words in f.message


def test_crlf_line_endings_are_fine(check_repo):
    files = {path: text.replace("\n", "\r\n").encode() for path, text in HEALTHY.items()}
    result = check_repo(files)
    assert result.findings == [] and result.summary()["objectives"] == 3


def test_random_binary_files_never_crash(check_repo):
    blobs = {f"blob-{n}.yaml": bytes((n * 37 + i * i) % 256 for i in range(4096)) for n in range(8)}
    result = check_repo(blobs)
    for name in blobs:
        assert {code for code, _, _ in findings_in(result, name)} == {"CB101"}  # not silently skipped
    assert result.summary()["objectives"] == 3


# --- unsafe YAML ---------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        '!!python/object/apply:os.system ["touch {marker}"]',
        "!!python/object/apply:subprocess.check_call [[touch, {marker}]]",
        '!!python/object/new:os.system ["touch {marker}"]',
        "!!python/name:os.system",
        "!!python/module:os",
        '!goal {{id: X, title: "touch {marker}"}}',
        "!!binary aGVsbG8=",
        "!!set {{a, b}}",
    ],
)
def test_unsafe_tags_are_cb101_and_nothing_runs(check_repo, tmp_path, value):
    marker = tmp_path / "pwned"
    text = f"aims:\n  - id: X\n    title: {value.format(marker=marker)}\n"
    result = check_repo({"evil.yaml": text})
    f = only_finding(result, "evil.yaml")
    assert (f.code, f.line) == ("CB101", 3) and "is not allowed" in f.message
    assert not marker.exists()
    assert "X" not in result.goals.aims


def test_unsafe_tag_in_settings_is_exit_2_and_nothing_runs(cli, make_repo, tmp_path):
    marker = tmp_path / "pwned"
    root = make_repo({"catchball.yaml": f'organisation: !!python/object/apply:os.system ["touch {marker}"]\n'})
    result = cli("check", root)
    assert result.exit_code == 2 and "is not allowed" in result.stderr
    assert not marker.exists()


# --- alias bombs ---------------------------------------------------------------


def merge_bomb(levels: int = 9, width: int = 10) -> str:
    """Billion laughs with merge keys: reading `aims` would visit width**levels keys."""
    lines = ["lol:", "  l0: &l0 {" + ", ".join(f"k{i}: lol" for i in range(width)) + "}"]
    for level in range(1, levels):
        refs = ", ".join(f"*l{level - 1}" for _ in range(width))
        lines.append(f"  l{level}: &l{level} {{<<: [{refs}]}}")
    lines += ["aims:", f"  - <<: *l{levels - 1}", "    id: BOMB", "    title: Boom"]
    return "\n".join(lines) + "\n"


def list_bomb(levels: int = 9, width: int = 10) -> str:
    """Billion laughs with nested lists, used where the format expects lists."""
    lines = ["lol:", "  l0: &l0 [" + ", ".join("lol" for _ in range(width)) + "]"]
    for level in range(1, levels):
        lines.append(f"  l{level}: &l{level} [" + ", ".join(f"*l{level - 1}" for _ in range(width)) + "]")
    top = f"*l{levels - 1}"
    lines += ["team: surgery", "objectives:", f"  - {{id: B, title: T, supports: {top}, measures: {top}}}"]
    lines += [f"aims: {top}", f"people: {top}"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("bomb", [merge_bomb, list_bomb], ids=["merge keys", "lists"])
def test_alias_bomb_is_refused_or_read_without_expanding(make_repo, bomb):
    root = make_repo({"bomb.yaml": bomb()})
    done = run_cli("check", "--format", "json", root, timeout=300)
    assert done.returncode == 1, done.stderr
    document = json.loads(done.stdout)
    loader_codes = {f["code"] for f in document["findings"] if f["file"].endswith("bomb.yaml") and f["code"] < "CB2"}
    assert loader_codes and loader_codes <= {"CB101", "CB102", "CB103"}
    assert document["summary"]["objectives"] <= 4  # the healthy three, at most one more


def test_merge_alias_bomb_is_cb101(make_repo):
    done = run_cli("check", "--format", "json", make_repo({"bomb.yaml": merge_bomb()}), timeout=300)
    [finding] = [f for f in json.loads(done.stdout)["findings"] if f["file"].endswith("bomb.yaml")]
    assert finding["code"] == "CB101" and "alias bomb" in finding["message"]
    assert '"BOMB"' not in done.stdout


def test_ordinary_anchors_and_aliases_still_work(check_repo):
    result = check_repo(
        {
            "objectives/ward-7.yaml": """
                team: ward-7
                objectives:
                  - &base
                    id: W7-1
                    title: Falls risk assessment for every admission
                    supports: SURG-1
                    owner: wm
                    due: 2027-01-31
                    measures: &m
                      - {name: Admissions assessed, unit: "%", baseline: 62, target: 95}
                  - <<: *base
                    id: W7-2
                    title: Lying and standing blood pressure for every fall
                    measures: *m
            """
        }
    )
    assert [(f.code, f.id) for f in result.findings] == []
    w72 = result.goals.objectives["W7-2"]
    assert (w72.owner, w72.supports, w72.measures[0].name) == ("wm", ("SURG-1",), "Admissions assessed")


# --- size ----------------------------------------------------------------------------


def test_file_over_the_size_limit_is_cb101_and_not_read(make_repo):
    root = make_repo()
    huge = root / "huge.yaml"
    with open(huge, "wb") as handle:  # sparse: 50 MB long, no disk used, never read
        handle.truncate(50 * 1024 * 1024)
    from catchball.check import run_check

    result = run_check(str(root))
    f = only_finding(result, "huge.yaml")
    assert (f.code, f.line) == ("CB101", 1)
    assert "too large (50.0 MB > 20.0 MB)" in f.message
    assert result.summary()["objectives"] == 3


def test_a_file_just_within_the_size_limit_is_read(make_repo):
    from catchball.check import run_check

    root = make_repo()
    header = b"aims:\n  - id: BIG\n    title: Big\n    description: "
    filler = MAX_FILE_BYTES - len(header) - 1
    (root / "big.yaml").write_bytes(header + b"x" * filler + b"\n")
    result = run_check(str(root))
    assert [f.code for f in result.findings if f.file.endswith("big.yaml")] == ["CB301", "CB401"]  # read and checked
    assert len(result.goals.aims["BIG"].description) == filler


def test_one_megabyte_line_is_read(check_repo):
    long_title = "Improve " + "patient flow " * 80_000
    result = check_repo({"long.yaml": f"aims:\n  - id: LONG\n    title: {long_title}\n"})
    assert [f.code for f in result.findings if f.file.endswith("long.yaml")] == ["CB301", "CB401"]
    assert result.goals.aims["LONG"].title == long_title.strip()


def test_one_megabyte_flow_line_is_read(check_repo):
    ids = ", ".join(f"TN-{n}" for n in range(100_000))
    result = check_repo({"objectives/wide.yaml": f"team: surgery\nobjectives:\n  - {{id: WIDE, title: T, supports: [{ids}]}}\n"})
    [dangling] = [f for f in result.findings if f.code == "CB202"]
    assert dangling.id == "WIDE" and len(result.goals.objectives["WIDE"].supports) == 100_000


DEEP = {
    "flow sequences": ("aims: " + "[" * 10_000 + "]" * 10_000 + "\n", 1, 7 + MAX_DEPTH - 1),
    "flow mappings": ("aims: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n", 1, 7 + 4 * (MAX_DEPTH - 1)),
    "block sequences on one line": ("aims:\n" + "- " * 10_000 + "x\n", 2, 2 * MAX_DEPTH - 1),
    "indented mappings": ("aims:\n" + "".join(" " * n + "k:\n" for n in range(1, 500)), MAX_DEPTH + 1, MAX_DEPTH + 1),
    "brackets hidden behind quotes": ("aims: " + '["]", ' * 10_000 + "x" + "]" * 10_000 + "\n", 1, 7 + 6 * (MAX_DEPTH - 1)),
}


@pytest.mark.parametrize("case", DEEP, ids=list(DEEP))
def test_deep_nesting_is_cb101_at_the_level_past_the_limit(check_repo, case):
    text, line, column = DEEP[case]
    result = check_repo({"deep.yaml": text})
    f = only_finding(result, "deep.yaml")
    assert (f.code, f.line, f.column) == ("CB101", line, column)
    assert f"more than {MAX_DEPTH} levels" in f.message
    assert result.summary()["objectives"] == 3


@pytest.mark.parametrize("depth", [30_000, 1_000_000])
def test_nesting_that_would_overflow_libyaml_is_refused_in_a_live_process(make_repo, depth):
    root = make_repo({"deep.yaml": "aims: " + "[" * depth + "]" * depth + "\n", "deeper.yaml": "aims:\n" + "- " * depth + "x\n"})
    done = run_cli("check", "--format", "json", root)
    assert done.returncode == 1, (done.returncode, done.stderr[-500:])
    codes = {(f["file"].rsplit("/", 1)[-1], f["code"]) for f in json.loads(done.stdout)["findings"]}
    assert {("deep.yaml", "CB101"), ("deeper.yaml", "CB101")} <= codes


def test_deep_settings_file_is_exit_2(cli, make_repo):
    root = make_repo({"catchball.yaml": "rules: " + "[" * 50_000 + "]" * 50_000 + "\n"})
    result = cli("check", root)
    assert result.exit_code == 2 and f"more than {MAX_DEPTH} levels" in result.stderr


# --- wrong shapes ---------------------------------------------------------------------

SHAPES = {
    "empty file": ("", []),
    "only comments": ("# nothing here yet\n\n# still nothing\n", []),
    "only a document marker": ("---\n", []),
    "null document": ("~\n", []),
    "a list at the top": ("- aims\n- teams\n", [("CB102", None, 1)]),
    "a number at the top": ("42\n", [("CB102", None, 1)]),
    "a string at the top": ("just some text\n", [("CB102", None, 1)]),
    "null sections": ("aims: ~\nteams: null\npeople:\nobjectives: ~\n", []),
    "a mapping where a list goes": ("aims: {id: A, title: T}\n", [("CB102", None, 1)]),
    "a number where a list goes": ("teams: 5\n", [("CB102", None, 1)]),
    "a string where a list goes": ("people: everyone\n", [("CB102", None, 1)]),
    "null entries": ("aims:\n  - ~\n  -\n", []),
    "lists as entries": ("aims:\n  - [a, b]\n  - 3\n", [("CB102", None, 2), ("CB102", None, 3)]),
    "null fields": (
        "aims:\n  - {id: A, title: ~, status: ~, measures: ~, owner: ~, dimension: ~, description: ~}\n",
        [("CB102", "A", 2)],
    ),
    "null id": ("aims:\n  - {id: ~, title: T}\n", [("CB102", None, 2)]),
    "wrong types in fields": (
        "team: surgery\nobjectives:\n  - id: X\n    title: [a, list]\n    supports: {a: b}\n"
        "    due: [2027]\n    status: 7\n    measures: 7\n",
        [("CB102", "X", 3)],
    ),
    "wrong types in a measure": (
        "aims:\n  - id: A\n    title: T\n    measures:\n      - 7\n      - {name: [x]}\n"
        "      - {name: m, baseline: lots, target: {}, by: soon, direction: sideways}\n",
        [("CB102", "A", 2)],
    ),
    "a mapping as a key": ("? {a: b}\n: c\naims: []\n", [("CB103", None, 1)]),
    "numbers and booleans as keys": ("1: a\ntrue: b\nnull: c\n", [("CB103", None, 1), ("CB103", None, 2), ("CB103", None, 3)]),
    "a list as the default team": ("team: [a, b]\nobjectives: []\n", [("CB102", None, 1)]),
}


@pytest.mark.parametrize("case", SHAPES, ids=list(SHAPES))
def test_wrong_shapes_are_cb102_or_nothing(check_repo, case):
    text, expected = SHAPES[case]
    result = check_repo({"shape.yaml": text})
    loader = [(f.code, f.id, f.line) for f in result.findings if f.file.endswith("shape.yaml") and f.code < "CB2"]
    assert loader == expected
    assert result.summary()["objectives"] >= 3


def test_an_entry_that_is_not_a_mapping_says_what_it_should_be(check_repo):
    result = check_repo({"shape.yaml": "teams: [3]\naims: [x]\npeople: [[]]\n"})
    messages = [f.message for f in result.findings if f.file.endswith("shape.yaml")]
    assert messages == [
        "each entry of `teams` must be a mapping (a team with `id`)",
        "each entry of `aims` must be a mapping (an aim with `id`)",
        "each entry of `people` must be a mapping (a person with `id`)",
    ]


def test_an_invalid_id_is_one_cb102_with_the_element_s_other_faults(check_repo):
    result = check_repo({"objectives/odd.yaml": "objectives:\n  - id: équipe 🚑\n    supports: [TN-SAFE]\n"})
    [finding] = [f for f in result.findings if f.code == "CB102"]
    assert finding.id == "équipe 🚑" and finding.message.startswith("`id` 'équipe 🚑' is not a valid id")
    assert "has no `title`" in finding.message and "has no `team` or `person`" in finding.message


def test_an_id_with_an_accented_letter_is_told_that_ids_take_ascii_letters(check_repo):
    # `é` is a letter, so "letters, digits, ..." alone would not say what is wrong with `café`.
    result = check_repo({"objectives/odd.yaml": "team: surgery\nobjectives:\n  - id: café\n    title: Coffee\n"})
    [finding] = [f for f in result.findings if f.code == "CB102"]
    assert "'café' is not a valid id (ASCII letters" in finding.message


def test_null_everywhere_in_a_whole_repository(check_repo):
    nulls = {
        "catchball.yaml": "organisation: ~\nperiod: ~\nrules: ~\n",
        "true-north.yaml": "aims:\n  - id: TN\n    title: ~\n    measures:\n      - {name: ~, baseline: ~, target: ~}\n",
        "org.yaml": "teams:\n  - {id: board, name: Board, parent: ~, lead: ~, headcount: ~}\n",
        "people.yaml": "people: ~\n",
        "objectives/a.yaml": "team: ~\nperson: ~\nobjectives:\n  - {id: O, title: ~, supports: ~, team: ~, due: ~}\n  - ~\n",
    }
    result = check_repo(nulls, base={})
    assert {f.code for f in result.findings} <= {"CB102", "CB201", "CB301", "CB401"}
    assert ("CB102", "O") in [(f.code, f.id) for f in result.findings]  # no owner and no title


# --- costs that grow with hostile content ---------------------------------------------


def test_did_you_mean_hints_stop_after_a_budget(check_repo):
    from catchball.spelling import LOOKUPS

    letters = "abcdefghijklmnopqrstuvwxyz"
    typos = ", ".join(f"W7-1{a}{b}{c}" for a in letters for b in letters for c in letters[: (LOOKUPS + 50) // 676 + 1])
    typos = ", ".join(typos.split(", ")[: LOOKUPS + 50])  # each close to W7-1
    result = check_repo({"objectives/typos.yaml": f"team: surgery\nobjectives:\n  - {{id: T, title: T, supports: [{typos}]}}\n"})
    [dangling] = [f for f in result.findings if f.code == "CB202"]
    assert dangling.message.count("which is not defined") == LOOKUPS + 50
    assert dangling.message.count("did you mean") == LOOKUPS


def test_no_hint_is_searched_for_an_absurdly_long_word(check_repo):
    key = "owner" + "x" * 1_000  # past any id, within libyaml's 1,024 characters for a key
    result = check_repo({"true-north.yaml": f"aims:\n  - id: TN\n    title: T\n    {key}: 1\n"})
    [unknown] = [f for f in result.findings if f.code == "CB103"]
    assert "did you mean" not in unknown.message and key in unknown.message
