"""Both reading routes give the same records: the one-pass reader and the exact route.

A goals file is read by catchball/load/plain.py (the one-pass reader: clean
files in the plain part of YAML, straight from lines to the model) or, when
it refuses, by libyaml and reader.py (the exact route, which reports every
fault). For every file the one-pass reader accepts, its aims, teams, people
and objectives must equal the exact route's, field by field and span by
span, and the exact route must find nothing to report: a file with any
finding is never read the fast way. Checked on the example goals, the
tests' repositories, generated repositories, hand-picked edge cases and
generated YAML; the route tests check that the fast route is taken where it
should be (so that a reader refusing everything cannot pass) and refused on
each unusual construct.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catchball.load import fields as F
from catchball.load import load_goals, reader
from catchball.load import yaml_nodes as Y
from catchball.load.plain import NotPlain, read_plain
from catchball.load.reader import FileGoals
from catchball.load.values import resolve_plain

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import generate  # noqa: E402


def read_both(raw: bytes, name: str = "f.yaml") -> tuple[FileGoals, FileGoals]:
    """What read_goals_file gives (either route), and what the exact route alone gives."""
    return reader.read_goals_file(raw, name), reader.read_goals_file(raw, name, fast=False)


def fast_route_takes(text: str, name: str = "f.yaml") -> bool:
    """True when the one-pass reader accepts `text`; it then asserts the exact route agrees, findings too.

    The only finding the fast route may read is CB103 (an unknown key on an element).
    """
    try:
        records = read_plain(text, name)
    except NotPlain:
        return False
    exact = reader.read_goals_file(text.encode("utf-8"), name, fast=False)
    assert all(f.code == "CB103" for f in exact.findings), f"the fast route read a file with findings: {exact.findings}"
    assert FileGoals(name, *records) == exact
    return True


def check_both_ways(text: str, name: str = "f.yaml") -> bool:
    """The routes agree on `text` (whichever is taken); True when the fast one took it."""
    taken = fast_route_takes(text, name)
    fast, exact = read_both(text.encode("utf-8"), name)
    assert fast == exact
    return taken


def yaml_files(*roots: Path) -> list[Path]:
    return sorted(p for root in roots for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def goals_files(*roots: Path) -> list[Path]:
    return [p for p in yaml_files(*roots) if p.name != "catchball.yaml"]  # settings, not goals


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("generated") / "goals"
    generate(repo, 800, seed=7, defect_rate=0.05)
    return repo


@pytest.fixture(scope="module")
def generated_clean(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("clean") / "goals"
    generate(repo, 800, seed=11, defect_rate=0.0)
    return repo


# -- real and generated repositories ---------------------------------------------------


def test_every_repository_file_reads_the_same_both_ways(generated):
    files = goals_files(ROOT / "goals", ROOT / "tests" / "repos", generated)
    assert len(files) > 50
    taken = 0
    for path in files:
        raw = path.read_bytes()
        fast, exact = read_both(raw, str(path))
        assert fast == exact, path
        text = Y.decode(raw)
        if fast_route_takes(text, str(path)):
            taken += 1
        elif not exact.findings:
            # A clean file is refused only for what the one-pass reader does not read: block
            # scalars (`description: >`), flow mappings (`- {name: x}`) and inline data points
            # (`data:` with its points below).
            assert any(mark in text for mark in (": >", ": |", "- {", "data:  ", "data:\n")), path
    assert taken >= 0.75 * len(files), (taken, len(files))


def test_a_clean_generated_repository_takes_the_fast_route_for_every_file(generated_clean):
    files = goals_files(generated_clean)
    assert len(files) > 40
    for path in files:
        assert fast_route_takes(path.read_text(encoding="utf-8"), str(path)), path


def test_the_fast_route_gives_the_same_goals_and_findings_for_a_repository(generated, monkeypatch):
    monkeypatch.setenv("CATCHBALL_WORKERS", "1")
    monkeypatch.setenv("CATCHBALL_NO_CACHE", "1")
    fast = load_goals(str(generated))
    exact_read = reader.read_goals_file
    monkeypatch.setattr(reader, "read_goals_file", lambda raw, name, fast=True: exact_read(raw, name, fast=False))
    import catchball.load as load

    monkeypatch.setattr(load, "read_goals_file", reader.read_goals_file)
    exact = load_goals(str(generated))
    for table in ("aims", "teams", "people", "objectives"):
        assert list(getattr(fast.goals, table).items()) == list(getattr(exact.goals, table).items())
    assert fast.findings == exact.findings and fast.findings


def test_ids_and_data_paths_are_interned_as_the_exact_route_interns_them():
    text = GOALS_CASES[0]
    aims, teams, people, objectives, findings = read_plain(text, "f.yaml")
    written = [o.id for o in objectives] + [s for o in objectives for s in o.supports] + [o.team for o in objectives]
    written += [m.data_file for o in objectives for m in o.measures if m.data_file]
    assert written and all(sys.intern(x) is x for x in written)
    statuses = [o.status for o in objectives]
    assert all(s is F.OBJECTIVE_FIELDS["status"].choices[F.OBJECTIVE_FIELDS["status"].choices.index(s)] for s in statuses)


# -- hand-picked goals files -------------------------------------------------------------

GOALS_CASES = [
    # a file like the generated ones: a file default, objectives, measures with a CSV path
    "team: ward-7\nobjectives:\n  - id: W7-1\n    title: Cut falls\n    supports: [TN-SAFE, TN-FLOW]\n"
    "    owner: p00002\n    due: 2027-03-31\n    status: agreed\n    measures:\n      - name: Falls\n"
    "        unit: falls a month\n        baseline: 12\n        target: 6\n        by: 2027-03-31\n"
    "        direction: down\n        data: data/falls.csv\n  - id: W7-2\n    title: Hand hygiene\n"
    "    supports: TN-SAFE\n    status: proposed\n",
    # every section, every field
    "aims:\n  - id: TN-SAFE\n    title: Zero harm\n    dimension: safe\n    owner: p1\n    description: No harm.\n"
    "    status: retired\n    measures:\n      - id: M-1\n        name: Falls with harm\n        unit: per 1,000 bed days\n"
    "        baseline: 0.19\n        target: 0.11\n        by: 2029-03-31\n        direction: down\n"
    "teams:\n  - id: board\n    name: Board\n    lead: p1\n    headcount: 12\n    description: The board.\n"
    "  - id: ward-7\n    name: Ward 7\n    parent: board\n"
    "people:\n  - id: p1\n    name: Sarah Martin\n    team: board\n    role: Chief Executive\n"
    "    improvement-level: champion\n"
    "objectives:\n  - id: B-1\n    title: Board objective\n    team: board\n    description: d\n    status: done\n"
    "  - id: P-1\n    title: Mine\n    person: p1\n    status: dropped\n  - id: P-2\n    title: Mine too\n"
    "    person: p1\n    status: challenged\n",
    # a document start, comments everywhere, blank lines with spaces, trailing spaces
    "--- \n# the board\naims:   # the aims\n\n  # first\n  - id: TN-1   # an id\n    title: One  \n   \n"
    "# at column 0 inside an element\n    owner: p1 # who\n  - id: TN-2\n    title: Two\n",
    "---\naims:\n  - id: TN-1\n    title: One\n",
    # comments and blank lines before the document start; `#` ending the first line of an entry
    "# c\n  # indented\n\n   \n---\naims:\n- title: C#\n  id: A\n  measures:\n  - name: C#\n",
    # compact lists: sections and measures at their key's column
    "aims:\n- id: TN-1\n  title: One\n  measures:\n  - name: m\n    baseline: 1\n    target: 2\n  - name: n\n"
    "- id: TN-2\n  title: Two\n",
    # wide indents, several spaces after a dash and after a colon
    "aims:\n    -   id: TN-1\n        title:    One\n        measures:\n            -  name: m\n               unit:   u\n",
    # CRLF line endings, and no newline at the end
    "aims:\r\n  - id: TN-1\r\n    title: One\r\n",
    "aims:\n  - id: TN-1\n    title: One",
    # quoted scalars
    "aims:\n  - id: TN-1\n    title: 'it''s'\n    owner: \"q: x # y\"\n    description: '' # c\n    dimension: \"\"\n"
    "    measures:\n      - name: \"#1 measure\"\n        unit: '%'\n        baseline: '1,000'\n        target: \"12\"\n"
    "        by: '2027-03-31'\n        direction: 'up'\n        data: 'data/x y.csv'\n",
    # plain text with what YAML reads specially elsewhere
    "aims:\n  - id: TN-1\n    title: http://x.org/a#b\n    owner: C# and F#\n    dimension: 50%\n    description: a ,b\n"
    "  - id: TN-2\n    title: Reach 95% [sic] {not} flow, here\n    owner: a#b\n    dimension: x & y, a *b, a!b\n"
    "    description: a -\n  - id: TN-3\n    title: caf\u00e9 \u2603 \U0001f600\n    owner: \ufffd x\n"
    "    description: a:b, and:no\n",
    # text that YAML types: kept as written
    "aims:\n  - id: TN-1\n    title: 123\n    owner: yes\n    dimension: 2027-03-31\n    description: 1.10\n"
    "  - id: no\n    title: ~x\n  - id: '2027'\n    title: .inf\n",
    # ids YAML types
    "objectives:\n  - id: 1.10\n    title: t\n    team: 2027-03-31\n    supports: [1.10, no, 2027-03-31, 0x1F, 1_000]\n"
    "  - id: yes\n    title: t\n    team: _x\n    supports: .5\n",
    # numbers and dates in every form the exact route accepts
    "aims:\n  - id: TN-1\n    title: t\n    measures:\n      - name: a\n        baseline: -0.5\n        target: 1e3\n"
    "      - name: b\n        baseline: +12\n        target: 1_000\n        by: 2027-03-31 10:00:00\n"
    "      - name: c\n        baseline: 0x1F\n        target: .5\n        by: 2027-03-31T10:00:00Z\n"
    "      - name: d\n        baseline: -3\n        target: 1.10\n      - name: e\n        baseline: 07\n        target: 0\n"
    "      - name: f\n        baseline: 5\n        target: 5\n        direction: up\n"
    "teams:\n  - id: t\n    name: T\n    headcount: 12.0\n  - id: u\n    name: U\n    headcount: 0\n"
    "  - id: v\n    name: V\n    headcount: '7'\n",
    # empty optional values: absent
    "aims:\n  - id: TN-1\n    title: t\n    owner: ~\n    dimension: null\n    description: Null\n    status: NULL\n"
    "    measures:\n      - name: m\n        unit: ~\n        baseline: ~\n        by: null\n        direction: ~\n",
    # supports in every form
    "team: w\nobjectives:\n  - id: O-1\n    title: t\n    supports: [A, B,C ,  D] # c\n  - id: O-2\n    title: t\n"
    "    supports: []\n  - id: O-3\n    title: t\n    supports: [ ]\n  - id: O-4\n    title: t\n    supports: A\n"
    "  - id: O-5\n    title: t\n    supports:\n      - A\n      - B # c\n      - C  \n  - id: O-6\n    title: t\n"
    "    supports:\n    - A\n    - -12\n    - -.5\n  - id: O-7\n    title: t\n    supports: [A, null, Null]\n"
    "  - id: O-8\n    title: t\n    supports: ~\n  - id: O-9\n    title: t\n    supports:\n      - ~\n      - ''\n"
    "  - id: O-10\n    title: t\n    supports: 'A'\n  - id: O-11\n    title: t\n    supports: ''\n",
    # file defaults, before and after the objectives, and owners given on the objective
    "objectives:\n  - id: O-1\n    title: t\n  - id: O-2\n    title: t\n    person: p1\nperson: p2\n",
    "team: ~\nobjectives:\n  - id: O-1\n    title: t\n    team: w\n",
    "team: w\nobjectives:\n  - id: O-1\n    title: t\n    person: p1\n  - id: O-2\n    title: t\n    team: v\n",
    "person: 'p1'\nobjectives:\n  - id: O-1\n    title: t\n",
    # the sections in any order, a default between them
    "objectives:\n  - id: O-1\n    title: t\n    team: w\nteams:\n  - id: w\n    name: W\nteam: w\naims:\n  - id: A\n    title: t\n",
    # every status and direction, every improvement level
    "people:\n" + "".join(
        f"  - id: p{i}\n    name: N\n    team: w\n    improvement-level: {level}\n"
        for i, level in enumerate(("foundation", "champion", "practitioner", "advanced", "expert"))
    ),
    # measures: a data path beside other keys, in any order; an id of their own
    "aims:\n  - id: A\n    measures:\n      - data: data/a.csv\n        name: m\n        id: M-1\n    title: t\n",
]


@pytest.mark.parametrize("text", GOALS_CASES)
def test_plain_goals_take_the_fast_route_and_agree_with_the_exact_route(text):
    assert check_both_ways(text)


# Goals files the one-pass reader must refuse: each holds a finding (the exact
# route reports it) or something it does not read.
FINDING_CASES = [
    "notes: x\naims:\n  - id: A\n    title: t\n",  # an unknown key at the top (CB103)
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n        note: x\n",
    "aims:\n  - id: A\n    title: t\n    title: u\n",  # a key given twice (CB105)
    "aims:\n  - id: A\n    title: t\naims:\n  - id: B\n    title: t\n",
    "team: w\nteam: v\nobjectives:\n  - id: A\n    title: t\n",
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n        name: n\n",
    "aims:\n  - id: a b\n    title: t\n",  # an id that is not valid (CB102)
    "aims:\n  - id: 'A/B'\n    title: t\n",
    "objectives:\n  - id: A\n    title: t\n    team: x/y\n",
    "team: a b\nobjectives:\n  - id: A\n    title: t\n",
    "objectives:\n  - id: A\n    title: t\n    team: w\n    supports: a b\n",
    "objectives:\n  - id: A\n    title: t\n    team: w\n    supports:\n      - a b\n",
    "objectives:\n  - id: A\n    title: t\n    team: w\n    supports: [A, -x/]\n",
    "aims:\n  - id: A\n    title: t\n    status: agreed\n",  # not one of the statuses
    "objectives:\n  - id: A\n    title: t\n    team: w\n    status: agred\n",
    "objectives:\n  - id: A\n    title: t\n    team: w\n    status: 'Agreed'\n",
    "people:\n  - id: p\n    name: n\n    team: w\n    improvement-level: master\n",
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n        direction: Up\n",
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n        baseline: lots\n",  # not a number
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n        baseline: 012\n",  # octal
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n        target: 1:30\n",  # base 60
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n        target: .inf\n",
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n        target: yes\n",
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n        target: 2027-03-31\n",
    "teams:\n  - id: t\n    name: T\n    headcount: -1\n",
    "teams:\n  - id: t\n    name: T\n    headcount: 1.5\n",
    "teams:\n  - id: t\n    name: T\n    headcount: many\n",
    "objectives:\n  - id: A\n    title: t\n    team: w\n    due: 2027-02-30\n",  # not a date
    "objectives:\n  - id: A\n    title: t\n    team: w\n    due: soon\n",
    "objectives:\n  - id: A\n    title: t\n    team: w\n    due: 12\n",
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n        by: 2027-13-01\n",
    "aims:\n  - id: A\n", "aims:\n  - title: t\n",  # a required field missing, null or empty
    "aims:\n  - id: A\n    title: ~\n", "aims:\n  - id: A\n    title: ''\n", "aims:\n  - id: ~\n    title: t\n",
    "teams:\n  - id: t\n", "people:\n  - id: p\n    name: n\n", "people:\n  - id: p\n    team: w\n",
    "objectives:\n  - id: A\n    title: t\n    team: w\n    person: p\n",  # two owners
    "objectives:\n  - id: A\n    title: t\n",  # no owner and no default
    "person: ~\nobjectives:\n  - id: A\n    title: t\n",
    "team: w\nperson: p\n",  # both defaults, even with no objectives
    "team: w\nperson: p\nobjectives:\n  - id: A\n    title: t\n    team: w\n",
    "aims:\n  - id: A\n    title: t\n    measures:\n      - unit: u\n",  # a measure with no name
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: ~\n",
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n        baseline: 5\n        target: 5\n",
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n        baseline: 5\n        target: 5.0\n",
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n        data: 12\n",  # data not a path
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n        data: [a]\n",
    "aims:\n  - id: A\n    title: t\n    measures: x\n",  # measures not a list of mappings
    "aims:\n  - id: A\n    title: t\n    measures:\n      - m\n",
    "aims:\n  - id: A\n    title: t\n    measures:\n      - [m]\n",
    "aims:\n  - id: A\n    title: [t]\n",  # a list where text should be
    "aims:\n  - x\n",  # an entry that is no mapping
    "aims: x\n",
    "- id: A\n  title: t\n",  # a file that is no mapping
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: - not a list\n",  # a YAML error (CB101)
    "aims:\n  - id: A\n    title: t\n    description: a: b\n",
    "aims:\n  - id: A\n    title: \"x\\\"\n",  # the closing quote is escaped: the scalar never ends
    "aims:\n  - id: A\n    title: t\n---\n",  # a second document, empty
    "aims:\n- id: A\n  title: t\n  - id: B\n    title: t\n",  # an entry right of a compact list's dashes
    "aims: x\n  - id: A\n    title: t\n",  # a list below a key that has a value
    "aims: []\n  - id: A\n    title: t\n",
    "aims:\n  - id: A\n    title: t\n    description:\n      - name: x\n",  # a list where text should be
]

UNREAD_CASES = [
    "", "# only a comment\n", "---\n", "aims:\n", "aims: []\n", "aims: ~\n",  # nothing, or no list
    "aims:\n  -\n    id: A\n    title: t\n", "aims:\n  - # c\n    id: A\n    title: t\n", "aims:\n  - ~\n",
    "team:\nobjectives:\n  - id: A\n    title: t\n",  # a default with nothing after it
    "aims:\n  - id: A\n    title: t\n    description:\n",  # an empty key: null
    "aims:\n  - id: A\n    title: t\n    measures:\n",
    "aims:\n  - id: A\n    title: t\n    measures: []\n",
    "aims:\n  - id: A\n    title: t\n    measures: ~\n",
    "objectives:\n  - id: A\n    title: t\n    team: w\n    supports:\n",
    "objectives:\n  - id: A\n    title: t\n    team: w\n    supports:\n  - id: B\n    title: t\n    team: w\n",
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n        data:\n          2026-01: 3\n",  # inline points
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n        data: ''\n",
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n        data: ~\n",
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n        unit:\n",
    "aims:\n  - id: A\n    title: &t t\n", "aims:\n  - id: A\n    title: *t\n",  # anchors, aliases, tags, merges
    "aims:\n  - &a\n    id: A\n    title: t\n", "aims:\n  - id: A\n    title: !!str t\n",
    "aims:\n  - id: A\n    title: !x t\n", "aims:\n  - <<: {id: A}\n    title: t\n", "aims:\n  - id: A\n    title: <<\n",
    "aims:\n  - id: A\n    title: |\n      t\n", "aims:\n  - id: A\n    title: >\n      t\n",  # block scalars
    "aims:\n  - {id: A, title: t}\n", "aims:\n  - id: A\n    title: {t: 1}\n",  # flow mappings
    "aims:\n  - id: A\n    title: \"t\\n\"\n", "aims:\n  - id: A\n    title: \"\\tt\"\n",  # escapes
    "aims:\n  - id: A\n    title: 'multi\n      line'\n", "aims:\n  - id: A\n    title: \"multi\n      line\"\n",
    "aims:\n  - id: A\n    title: plain\n      continued\n",  # a plain scalar over two lines
    "aims:\n  - id: A\n    title: plain\n     continued\n",
    "aims:\n  - id: A\n    title:\n      t\n",
    "aims:\n  - id: A\n    title: t\n---\nteams: []\n", "aims:\n  - id: A\n    title: t\n...\n",  # documents
    "%YAML 1.1\n---\naims:\n  - id: A\n    title: t\n", "--- # c\naims:\n  - id: A\n    title: t\n",
    "--- aims\n", "aims:\n  - id: A\n    title:\tt\n",  # a tab
    "aims:\n  - id: A\n    title: t\x85\n",
    "aims:\n  - id: A\n    ? title\n    : t\n",  # a complex key
    "aims:\n  - id: A\n    title: a: b\n", "aims:\n  - id: A\n    title: b:\n", "aims:\n  - id: A\n    title: - b\n",
    "aims:\n  - id: A\n    title: =\n", "aims:\n  - id: A\n    title: @x\n", "aims:\n  - id: A\n    title: `x`\n",
    "aims:\n  - id: A\n    title: %x\n", "aims:\n  - id: A\n    title: ?x\n", "aims:\n  - id: A\n    title: ,x\n",
    "aims:\n  - id: A\n    title: --x\n", "aims:\n  - id: A\n    title: :x\n",
    "aims:\n  - id: A\n    title:t\n", "aims:\n  - id: A\n    title : t\n", "aims:\n  - id: A\n    'title': t\n",
    "aims:\n  - id: A\n    \"title\": t\n", "aims:\n  - id: A\n    title: \"t\"x\n", "aims:\n  - id: A\n    title: 't'x\n",
    "aims:\n  - id: A\n    title: \"t\" x\n", "aims:\n  - id: A\n    title: \"t\n",
    "aims:\n  - id: A\n    title: 't\n",
    "objectives:\n  - id: A\n    title: t\n    team: w\n    supports: [B]x\n",  # flow lists past the plain part
    "objectives:\n  - id: A\n    title: t\n    team: w\n    supports: [B, 'C']\n",
    "objectives:\n  - id: A\n    title: t\n    team: w\n    supports: [B, [C]]\n",
    "objectives:\n  - id: A\n    title: t\n    team: w\n    supports: [B, C,]\n",
    "objectives:\n  - id: A\n    title: t\n    team: w\n    supports: [B\n",
    "objectives:\n  - id: A\n    title: t\n    team: w\n    supports: [B, <<]\n",
    "objectives:\n  - id: A\n    title: t\n    team: w\n    supports:\n      - [B]\n",
    "objectives:\n  - id: A\n    title: t\n    team: w\n    supports:\n      -\n",
    "objectives:\n  - id: A\n    title: t\n    team: w\n    supports:\n      - # c\n",
    "objectives:\n  - id: A\n    title: t\n    team: w\n    supports:\n      -A\n",  # the id `-A` on the next line
    "aims:\n  - - id: A\n", "- - a\n",
    "  aims:\n    - id: A\n      title: t\n",  # an indented root
    "aims:\n  - id: A\n     title: t\n", "aims:\n  - id: A\n   title: t\n",  # keys off their column
    "aims:\n  - id: A\n    title: t\n   - id: B\n    title: t\n", "aims:\n  - id: A\n    title: t\n - id: B\n",
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n         unit: u\n",
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n       unit: u\n",
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n     - name: n\n",
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n    - name: n\n",
    "aims:\n  - id: A\n    title: t\n    measures:\n   - name: m\n",  # a list left of its key
    "aims:\n  - id: A\n    title: t\n    measures:\n      name: m\n",  # a mapping, not a list
    "objectives:\n  - id: A\n    title: t\n    team: w\n    supports:\n      - B\n     - C\n",
    "objectives:\n  - id: A\n    title: t\n    team: w\n    supports:\n      - B\n        C\n",
    "objectives:\n  - id: A\n    title: t\n    team: w\n    supports:\n      - B\n    - C\n",
    "aims:\n  - id: A\n    title: t\n  x\n", "aims:\n  - id: A\n    title: t\n x: 1\n",
    "aims:\n  - id: A\n    title: t\n- id: B\n", "aims:\n- id: A\n  title: t\n  - id: B\n",
    "aims:\n  - id: A\n    title: t\n    - x\n", "aims:\n  - id: A\n    title: t\n  measures:\n",
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n        - x\n",
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n      unit: u\n",
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n        unit: u\n    - id: B\n",
    "aims:\n  - id: A\n    title: t\n    measures:\n    - name: m\n      unit: u\n   - id: B\n",
    "aims:\n  - id: A\n    title: t\n" + "x" * 1025 + ": 1\n",
]


# Unknown keys with a one-line value on an element: the one finding the fast
# route reads (CB103), worded, placed and merged as the exact route does it.
UNKNOWN_KEY_CASES = [
    "aims:\n  - id: A\n    title: t\n    notes: x\n",
    "aims:\n  - notes: x\n    id: A\n    title: t\n",  # before the id: the message still names it
    "objectives:\n  - id: O-1\n    title: t\n    team: w\n    rag: green\n    priority: 'high'\n",  # one finding, two faults
    "team: w\nobjectives:\n  - id: O-1\n    title: t\n    descripton: Typo # a comment\n  - id: O-2\n    title: u\n"
    "    suports: [O-1]\n",  # close to a known key: did you mean
    "people:\n  - id: p\n    name: P\n    team: w\n    grade: 7\n    start: 2026-04-01\n"
    "teams:\n  - id: w\n    name: W\n    cost-centre: \"C 12\"\n",  # numbers, dates, quotes; two sections
    "aims:\n  - id: A\n    title: t\n    Title: x\n",  # another case is another key
    "aims:\n  - id: A\n    title: t\n    notes: [x, y]\n",  # a flow list of words
    "aims:\n  - id: A\n    title: t\n    supports: [B]\n",  # a key of another kind of element
    "teams:\n  - id: t\n    name: T\n    team: w\n",
]


UNKNOWN_KEY_CASES += [
    "aims:\n  - id: A\n    title: t\n" + "".join(f"    k{i}: v\n" for i in range(20)),  # an element's most
    "aims:\n" + "".join(f"  - id: A{i}\n    title: t\n" + "".join(f"    k{j}: v\n" for j in range(20))
                   for i in range(50)),  # a file's most: 1,000, each listed
    "aims:\n- id: A\n  title: t\n  k: v\nteams:\n- id: w\n  name: W\n",  # lists at column 0, then a section
]


@pytest.mark.parametrize("text", UNKNOWN_KEY_CASES)
def test_unknown_keys_are_read_by_the_fast_route_with_the_exact_routes_finding(text):
    assert fast_route_takes(text)
    fast, exact = read_both(text.encode("utf-8"))
    assert fast == exact and exact.findings and {f.code for f in exact.findings} == {"CB103"}


# An unknown key the fast route leaves to the exact route: in a measure, at the
# top, given twice, with its value below or not one line, not a word, and more
# than a file's worth of them.
UNKNOWN_KEY_REFUSED = [
    "aims:\n  - id: A\n    title: t\n    measures:\n      - name: m\n        note: x\n",
    "aims:\n  - id: A\n    title: t\n    notes: x\n    notes: y\n",
    "aims:\n  - id: A\n    title: t\n    notes:\n      - x\n",
    "aims:\n  - id: A\n    title: t\n    notes:\n",
    "aims:\n  - id: A\n    title: t\n    notes: [x, 'y z']\n",
    "aims:\n  - id: A\n    title: t\n    notes: {a: 1}\n",
    "aims:\n  - id: A\n    title: t\n    notes: &x y\n",
    "aims:\n  - id: A\n    title: t\n    my notes: x\n",
    "aims:\n  - id: A\n    title: t\n    '1,000': x\n",
    "aims:\n" + "".join(f"  - id: A{i}\n    title: t\n    k: v\n" for i in range(1001)),
    "aims:\n  - id: A\n    title: t\n" + "".join(f"    k{i}: v\n" for i in range(21)),
]


@pytest.mark.parametrize("text", UNKNOWN_KEY_REFUSED)
def test_unknown_keys_the_fast_route_does_not_read_are_refused(text):
    with pytest.raises(NotPlain):
        read_plain(text, "f.yaml")
    fast, exact = read_both(text.encode("utf-8"))
    assert fast == exact and exact.findings


@pytest.mark.parametrize("text", FINDING_CASES)
def test_a_file_with_a_finding_is_refused_by_the_fast_route(text):
    with pytest.raises(NotPlain):
        read_plain(text, "f.yaml")
    fast, exact = read_both(text.encode("utf-8"))
    assert fast == exact and exact.findings  # the exact route reports it


@pytest.mark.parametrize("text", UNREAD_CASES)
def test_what_the_fast_route_does_not_read_is_refused(text):
    with pytest.raises(NotPlain):
        read_plain(text, "f.yaml")


# -- hand-picked YAML -------------------------------------------------------------------
#
# The cases that held the old node-building reader to libyaml (each line of
# YAML it read or refused): no goals file among them, so the one-pass reader
# refuses them all, and whatever it did with them must agree with the exact route.

YAML_CASES = [
    "a: 1\n",
    "---\na: 1\n",
    "a:\nb: 1\n",
    "a:   \nb: ~\nc: null\nd: Null\n",
    "a: # nothing\nb: 1 # one\n",
    "a:\n- x\n- y\nb: 2\n",
    "a:\n  - x\n  - y\n",
    "- a\n- b\n",
    "- id: A\n  title: x\n- id: B\n",
    "objectives:\n  - id: X\n    supports: [A, B,C ,  D]\n    measures:\n      - name: m\n        baseline: -0.5\n",
    "a: []\nb: [ ]\nc: [1.10, no, 2027-03-31, 0x1F, 1_000]\n",
    "a: 'it''s'\nb: \"q: x # y\"\nc: '' # c\nd: \"\"\n",
    "a: http://x.org/a#b\nb: C# and F#\nc: 50%\nd: a ,b\n",
    "id: 1.10\nno: yes\nOn: off\n2027: x\n",
    "a: 2027-03-31 10:00:00\nb: 1e3\nc: .inf\nd: -.NaN\ne: +12\nf: 012\ng: 0b101\nh: 190:20:30\n",
    "a: Reach 95% [sic] {not} flow, here\n",
    "a: x\n\n\n# comment\n   # indented comment\nb: y\n",
    "a:\n    b:\n        c: 1\n    d: 2\n",
    "a: x\na: y\n",
    "a: \ufffd x\nb: caf\u00e9 \u2603 \U0001f600\n",
    "a: x\r\nb: y\r\n",
    "  a: 1\n  b: 2\n",
    "- - a\n",
    # Each of these killed a surviving mutant of plain.py (docs/architecture.md, "Fencing the fast reader"):
    "a: <<\n",  # the merge tag is a plain tag
    "- 50%\n- -12\n- -.5\n",  # a line at column 0 that starts with `-` and ends with `%` is no directive
    "--- \na: 1\n",  # `--- ` with a space after it still starts the document
    "- x # c\n- xy # c\n- x  # c\n- y \n",  # a comment and spaces after a list entry
    "- a#\n- a -\n",  # `#` and `-` inside a list entry
    "- a:\n- b:\n  c: 1\n",  # list entries that are mappings, a key with nothing after it first
]
FALLBACK_CASES = [
    "",
    "# only a comment\n",
    "a: &x 1\nb: *x\n",
    "<<: {a: 1}\n",
    "a: !!str 1\n",
    "a: !custom x\n",
    "a: |\n  text\n",
    "a: >\n  text\n",
    "a: {b: 1}\n",
    "a: [b, [c]]\n",
    "a: ['b']\n",
    "a: \"esc\\n\"\n",
    "a: 'multi\n  line'\n",
    "a: plain\n  continued\n",
    "a: 1\n---\nb: 2\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: 1\n...\n",
    "a:\tb\n",
    "a: b\rc: d\n",
    "? a\n: b\n",
    "a: b: c\n",
    "a: b:\n",
    "a: - b\n",
    "a: =\n",
    "-\n  a: 1\n",
    "- # c\n  a: 1\n",
    "a: 1\n b: 2\n",
    "a:\n  b: 1\n c: 2\n",
    "a: 1\n- b\n",
    "scalar\n",
    "a: @x\n",
    "a: `x`\n",
    "'a': 1\n",
    "a b: 1\n",
    "a: 1\n\x00",
    "a: \x85x\n",
    "a: \"\\tx\"\n",  # an escape at the start of a double-quoted scalar
    "- =\n",  # PyYAML's `value` tag in a list entry
    "- a:b: c\n",  # a mapping in a list entry whose key holds a colon
    "- a:b:\n",
]

REFUSED_CASES = [
    "a:\n  - x\n  b: 1\n",  # a key level with the list items under `a`
    "a:\n    - x\n  b: 1\n",  # a key between `a` and its list
    "a:\n  b: 1\n   c: 2\n",  # a key deeper than its sibling
    "- a\nb: 1\n",  # a mapping after a top-level list
    "a:\n- x\n  b: 1\n",
    "a: \"x\\\"\n",  # the closing quote is escaped: the scalar never ends
    "a: \"x\"y\n",  # text straight after a quoted scalar
    "a: \"x\" y\n",
    "a: 'x'y\n",
    "a: [A]x\n",  # text straight after a flow list
    "  a: 1\nb: 2\n",  # a key left of the root mapping
]


@pytest.mark.parametrize("text", YAML_CASES + FALLBACK_CASES)
def test_yaml_that_is_no_goals_file_is_refused_and_read_the_exact_way(text):
    with pytest.raises(NotPlain):
        read_plain(text, "f.yaml")
    fast, exact = read_both(text.encode("utf-8"))
    assert fast == exact


# Text libyaml refuses that looks nearly plain: the fast route must give up on it
# (NotPlain), so the file gets libyaml's CB101 with its position.
@pytest.mark.parametrize("text", REFUSED_CASES)
def test_text_libyaml_refuses_is_refused_by_the_fast_route(text):
    with pytest.raises(yaml.YAMLError):
        yaml.compose(text, Loader=yaml.CSafeLoader)
    with pytest.raises(NotPlain):
        read_plain(text, "f.yaml")
    assert [f.code for f in reader.read_goals_file(text.encode("utf-8"), "f.yaml").findings] == ["CB101"]


def test_a_key_longer_than_libyaml_allows_is_cb101_on_both_routes():
    """libyaml refuses an implicit key longer than 1,024 characters; no such key is a goals key."""
    text = "aims:\n  - id: A\n    title: t\n    " + "k" * 1025 + ": 1\n"
    with pytest.raises(NotPlain):
        read_plain(text, "f.yaml")
    assert [f.code for f in reader.read_goals_file(text.encode(), "f.yaml").findings] == ["CB101"]


def test_resolve_plain_reads_the_empty_scalar_as_null():
    assert resolve_plain("") == "tag:yaml.org,2002:null"
    assert [resolve_plain(v) for v in ("~", "no", "1.10", "x")] == [
        "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:float", "tag:yaml.org,2002:str"
    ]


def test_depth_past_the_limit_goes_to_libyaml_and_its_guard():
    text = "".join(" " * i + f"k{i}:\n" for i in range(150)) + " " * 150 + "x: 1\n"
    with pytest.raises(NotPlain):
        read_plain(text, "f.yaml")
    fast, exact = read_both(text.encode("utf-8"))
    assert fast == exact and [f.code for f in fast.findings] == ["CB101"]


# -- generated goals files ----------------------------------------------------------------
#
# Goals-shaped documents: the four sections and the file defaults, elements
# with their own keys and values drawn mostly from the forms the exact route
# reads without a finding, sometimes from odd ones, sometimes with a key of
# another element or one that is no key at all, sometimes with one line's
# indent moved (often invalid YAML). One generator, driven by random (a large
# fixed sample) or by hypothesis (shrinking).

TEXT_GOOD = ["Reduce falls", "x", "'it''s'", "\"q: x # y\"", "http://x.org/a#b", "C# and F#", "50%", "a ,b",
             "caf\u00e9 \u2603", "123", "yes", "a#b", "x  ", "x # c", "Reach 95% [sic] {not}, here", "-5 a", "''", "~"]
ID_GOOD = ["A-1", "TN-SAFE", "1.10", "no", "2027", "ward-7", "_x", ".5", "'B'", "\"C\"", "p00001"]
NUMBER_GOOD = ["1", "-0.5", "1.10", "1e3", "+12", "1_000", "'1,000'", "0x1F", "12.0", "-3", ".5", "07", "0", "~"]
COUNT_GOOD = ["0", "12", "12.0", "1_000", "'7'", "~"]
DATE_GOOD = ["2027-03-31", "'2027-03-31'", "2027-03-31 10:00:00", "2028-02-29", "~"]
ODD = ["012", "1:30", ".inf", "lots", "2027-02-30", "soon", "a b", "x/y", "a: b", "b:", "- x", "&a x", "*a",
       "!!str x", "|", ">", "=", "<<", "@x", "%x", "?x", "[A, B]", "[]", "{a: 1}", "'q", "\"q", "\"a\\tb\"",
       "'x'y", "\"x\" y", "null", "", "-", ":x", "#c", "x\t", "Up", "agred", "-1", "1.5"]
SUPPORTS_GOOD = ["[A, B]", "[A,B ,  C]", "[]", "[ ]", "A", "[A, null]", "~", "[1.10, no, 0x1F]"]
SUPPORTS_ODD = ["[A, 'B']", "[A, [B]]", "[A", "[A, B,]", "a b", "[A]x", "[a b]", "[<<]"]
GOOD = {F.TEXT: TEXT_GOOD, F.ID: ID_GOOD, F.NUMBER: NUMBER_GOOD, F.COUNT: COUNT_GOOD, F.DATE: DATE_GOOD}
DATA_GOOD = ["data/x.csv", "'data/x y.csv'", "x.csv # c"]
DATA_ODD = ["12", "\"\"", "~", "[a]", "yes"]


class RandomPick:
    """The generator's choices from random.Random."""

    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)

    def choice(self, items):
        return self.rnd.choice(items)

    def integer(self, low: int, high: int) -> int:
        return self.rnd.randint(low, high)

    def chance(self, percent: int) -> bool:
        return self.rnd.randrange(100) < percent


class DrawPick:
    """The generator's choices from hypothesis's draw."""

    def __init__(self, draw) -> None:
        self.draw = draw

    def choice(self, items):
        return self.draw(st.sampled_from(items))

    def integer(self, low: int, high: int) -> int:
        return self.draw(st.integers(low, high))

    def chance(self, percent: int) -> bool:
        return self.draw(st.integers(0, 99)) < percent


def field_value(pick, spec: F.Field, odd: int) -> str:
    if pick.chance(odd):
        return pick.choice(ODD)
    if spec.kind == F.CHOICE:
        return pick.choice(spec.choices + ("~",))
    return pick.choice(GOOD[spec.kind])


def goals_document(pick, odd: int = 3) -> str:
    """A goals-shaped document; `odd` is the per cent of values and keys that are off."""
    lines: list[str] = []
    if pick.chance(10):
        lines.append(pick.choice(["---", "--- ", "# a comment"]))
    if pick.chance(60):
        lines.append(f"{pick.choice(['team', 'person'])}: {pick.choice(ID_GOOD[:6])}")
    sections = ["aims", "teams", "people", "objectives"]
    for _ in range(pick.integer(1, 2)):
        section = pick.choice(sections)
        fields = F.SECTIONS[section]
        lines.append(f"{section}:")
        dash = pick.choice([0, 2, 2, 4])
        gap = pick.choice([1, 1, 1, 3])
        for _ in range(pick.integer(1, 3)):
            keys = [k for k in fields if fields[k].required or pick.chance(50)]
            if pick.chance(odd):
                keys.append(pick.choice(["notes", "supports", "person", "name", "title", "id"]))
            for position, key in enumerate(keys):
                column = dash + 1 + gap
                prefix = " " * dash + "-" + " " * gap if position == 0 else " " * column
                spec = fields.get(key)
                kind = spec.kind if spec is not None else F.TEXT
                if kind == F.MEASURES:
                    lines.append(f"{prefix}{key}:")
                    lines.extend(measure_lines(pick, column + pick.choice([0, 2, 2]), odd))
                elif kind == F.ID_LIST:
                    if pick.chance(70):
                        value = pick.choice(SUPPORTS_ODD if pick.chance(odd) else SUPPORTS_GOOD)
                        lines.append(f"{prefix}{key}: {value}")
                    else:
                        lines.append(f"{prefix}{key}:")
                        step = column + pick.choice([0, 2])
                        for _ in range(pick.integer(1, 3)):
                            lines.append(f"{' ' * step}- {pick.choice(ID_GOOD + (ODD if pick.chance(odd) else []))}")
                else:
                    lines.append(f"{prefix}{key}: {field_value(pick, spec or F.Field(F.TEXT), odd)}")
                if pick.chance(5):
                    lines.append(pick.choice(["", "# c", "  # c", "   "]))
    if pick.chance(20) and len(lines) > 1:
        where = pick.integer(1, len(lines) - 1)
        shift = pick.choice([-2, -1, 1, 2])
        line = lines[where]
        lines[where] = line[-shift:] if shift < 0 and line.startswith(" " * -shift) else " " * max(shift, 0) + line
    return "\n".join(lines) + pick.choice(["\n", "\n", "", "\n\n"])


def measure_lines(pick, dash: int, odd: int) -> list[str]:
    lines = []
    for _ in range(pick.integer(1, 2)):
        keys = ["name"] + [k for k in F.MEASURE_FIELDS if k != "name" and pick.chance(40)]
        if pick.chance(odd):
            keys.append(pick.choice(["note", "name", "data"]))
        for position, key in enumerate(keys):
            prefix = " " * dash + "- " if position == 0 else " " * (dash + 2)
            spec = F.MEASURE_FIELDS.get(key, F.Field(F.TEXT))
            if spec.kind == F.DATA:
                value = pick.choice(DATA_ODD if pick.chance(odd) else DATA_GOOD)
            else:
                value = field_value(pick, spec, odd)
            lines.append(f"{prefix}{key}: {value}")
    return lines


def test_generated_goals_agree_and_the_clean_ones_take_the_fast_route():
    """The differential test proper, on a large fixed sample.

    Every document the fast route takes must read the same the exact way,
    with no finding; the routes must agree on all of them; and the clean
    documents (no finding on the exact route) must mostly take the fast
    route, so that a reader that gives up on everything cannot pass.
    """
    pick = RandomPick(20261201)
    taken = clean = refused_with_findings = invalid_yaml = 0
    for _ in range(2500):
        text = goals_document(pick)
        took = check_both_ways(text)
        findings = reader.read_goals_file(text.encode("utf-8"), "f.yaml", fast=False).findings
        taken += took
        clean += not findings
        refused_with_findings += bool(findings)
        invalid_yaml += any(f.code == "CB101" for f in findings)
    assert refused_with_findings > 1000 and invalid_yaml > 300  # the odd values and shifted lines do make faults
    assert clean > 500 and taken > 0.9 * clean, (taken, clean)


# 300 examples, except in the mutation run, which takes its profile's fixed few (tests/conftest.py).
MUTATION_RUN = os.environ.get("HYPOTHESIS_PROFILE") == "mutation"


@st.composite
def goals_documents(draw):
    return goals_document(DrawPick(draw), odd=draw(st.sampled_from([0, 8, 30])))


@settings(max_examples=settings.default.max_examples if MUTATION_RUN else 300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(goals_documents())
def test_generated_goals_read_the_same_both_ways(text):
    check_both_ways(text)


KEYS = st.sampled_from(
    ["id", "title", "team", "person", "supports", "status", "due", "measures", "name", "baseline", "target",
     "by", "direction", "owner", "notes", "aims", "teams", "objectives", "people", "parent", "1", "no", "x.y"]
)
SCALARS = st.one_of(
    st.sampled_from(
        ["A-1", "1.10", "no", "yes", "~", "null", "", "2027-03-31", "2027-02-30", "12", "-3", "-.5", "0x1F",
         "1_000", "1,000", "agreed", "dropped", "=", "<<", ".inf", "a b", "a #b", "a# b", "a: b", "a:b", "x:",
         "- x", "-x", "'q'", "\"q\"", "'it''s'", "[A, B]", "[A,B]", "[]", "[ A ]", "[A, 'B']", "{a: 1}",
         "&a x", "*a", "!!str x", "|", ">", "@x", "%x", "?x", "? x", "#c", "caf\u00e9", "x  ", "\ttab"]
    ),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
)


@st.composite
def documents(draw):
    """Any block-style YAML of goals keys and odd scalars (most of it no goals file)."""
    lines = []

    def block(indent: int, level: int) -> None:
        for _ in range(draw(st.integers(1, 4))):
            pad = " " * indent
            if draw(st.booleans()) and level < 4:
                lines.append(f"{pad}{draw(KEYS)}:")
                if draw(st.booleans()):
                    step = draw(st.sampled_from([0, 2, 4]))
                    for _ in range(draw(st.integers(1, 3))):
                        lines.append(f"{pad}{' ' * step}- {draw(KEYS)}: {draw(SCALARS)}")
                        for _ in range(draw(st.integers(0, 2))):
                            lines.append(f"{pad}{' ' * (step + 2)}{draw(KEYS)}: {draw(SCALARS)}")
                else:
                    block(indent + draw(st.sampled_from([1, 2, 4])), level + 1)
            else:
                sep = draw(st.sampled_from([": ", ":  ", ":", ": # c\n" + pad + "  - ", " : "]))
                lines.append(f"{pad}{draw(KEYS)}{sep}{draw(SCALARS)}")
            if draw(st.integers(0, 9)) == 0:
                lines.append(draw(st.sampled_from(["", "# c", "  # c", "---", "..."])))

    block(0, 0)
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


@settings(max_examples=settings.default.max_examples if MUTATION_RUN else 300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_yaml_reads_the_same_both_ways(text):
    check_both_ways(text)


# -- parallel reading --------------------------------------------------------------


def test_parallel_workers_give_what_one_process_gives(generated, monkeypatch):
    monkeypatch.setenv("CATCHBALL_WORKERS", "1")
    serial = load_goals(str(generated))
    monkeypatch.setenv("CATCHBALL_WORKERS", "2")
    parallel = load_goals(str(generated))
    assert parallel.goals.files == serial.goals.files
    for table in ("aims", "teams", "people", "objectives"):
        assert list(getattr(parallel.goals, table).items()) == list(getattr(serial.goals, table).items())
    assert parallel.findings == serial.findings
    assert parallel.notes == serial.notes


def test_small_repositories_are_read_in_this_process(tmp_path, monkeypatch):
    from catchball.load.discover import discover
    from catchball.load.parallel import worker_count

    monkeypatch.delenv("CATCHBALL_WORKERS", raising=False)
    (tmp_path / "a.yaml").write_text("teams:\n  - {id: board, name: Board}\n")
    root = discover(str(tmp_path))
    assert worker_count(root, root.files) == 1


def test_packed_records_round_trip(generated):
    from catchball.load.parallel import pack, unpack

    for path in yaml_files(generated)[:40]:
        part = reader.read_goals_file(path.read_bytes(), str(path))
        assert unpack(pack(part)) == part
