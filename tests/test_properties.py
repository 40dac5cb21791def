"""Property-based tests: random goals repositories, randomly broken, never break catchball.

Hypothesis builds valid goals repositories (an org tree, people, aims and
objectives linked upwards, spread over files in one of several layouts),
then applies random mutations: deleted links, renamed ids, moved teams,
duplicated keys and ids, swapped value types, retired and dropped
elements, cut-off and corrupted files. For every result:

- no exception escapes, in any output format or view (cascade, status,
  trace, report), and the JSON, SARIF, GitLab and JUnit outputs parse;
- every finding has a known code, and a file, a line and a column inside
  that file;
- findings are identical across two runs and whatever order the files were
  created in;
- an objective reported as an orphan (CB201) has no path to an active aim,
  and one not reported has one, by a simple search written here, not
  catchball's graph code.

`make test` runs the bounded "ci" profile; `make fuzz` runs "fuzz"
(HYPOTHESIS_PROFILE=fuzz) for many more examples.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import datetime as dt
import xml.etree.ElementTree as ET

from catchball.check import run_check
from catchball.findings import one_line
from catchball.formats import FORMAT_NAMES, emitter
from catchball.formats.json import write as write_json
from catchball.report import ReportOptions, build_context, render_report
from catchball.rules.catalog import CODES
from catchball.status import round_status, status_document
from catchball.trace import line_of_sight, trace_document
from catchball.views.cascade import CascadeOptions, CascadeView
from catchball.views.status import StatusView
from catchball.views.trace import TraceView


# Ids YAML would read as something else, written plain on purpose.
TRICKY_IDS = ["no", "yes", "on", "off", "y", "1e3", "2026-01-01", "1.10", "007", "0x1F", "true", ".5", "12_000"]
plain_id = st.from_regex(r"[A-Za-z][A-Za-z0-9_.-]{0,8}", fullmatch=True)
some_id = st.one_of(plain_id, plain_id, plain_id, st.sampled_from(TRICKY_IDS))
words = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(list(" %:#,[]{}'\"|<>&*!-?\\🚑é\u200f")),
    min_size=1,
    max_size=30,
)
MISSING = object()  # a key left out of an element


# --- a repository as data ----------------------------------------------------------
#
# Each element is a list of [key, value] pairs (a list, so that a key can be
# repeated). Values are str, int, float, bool, None, lists and dicts; ids and
# `supports` are written plain so that YAML's typing is exercised.


@st.composite
def repositories(draw):
    ids = draw(st.lists(some_id, min_size=40, max_size=40, unique=True))
    take = iter(ids).__next__
    teams = []
    for n in range(draw(st.integers(1, 6))):
        team = [["id", take()], ["name", draw(words)]]
        if n:
            team.append(["parent", teams[draw(st.integers(0, n - 1))][0][1]])
        teams.append(team)
    people = [
        [["id", take()], ["name", draw(words)], ["team", draw(st.sampled_from(teams))[0][1]]]
        for _ in range(draw(st.integers(0, 4)))
    ]
    aims = []
    for _ in range(draw(st.integers(1, 4))):
        aim = [["id", take()], ["title", draw(words)]]
        if draw(st.booleans()):
            aim.append(["measures", [{"name": draw(words), "baseline": 1, "target": draw(st.integers(2, 9))}]])
        aims.append(aim)
    objectives = []
    for _ in range(draw(st.integers(0, 10))):
        owner = draw(st.sampled_from([("team", t[0][1]) for t in teams] + [("person", p[0][1]) for p in people]))
        targets = [a[0][1] for a in aims] + [o[0][1] for o in objectives]
        supports = draw(st.lists(st.sampled_from(targets), max_size=3, unique=True))
        objective = [["id", take()], ["title", draw(words)], [owner[0], owner[1]]]
        if supports or draw(st.booleans()):
            objective.append(["supports", supports if len(supports) != 1 or draw(st.booleans()) else supports[0]])
        if owner[0] == "team" and people and draw(st.booleans()):
            objective.append(["owner", draw(st.sampled_from(people))[0][1]])
        objectives.append(objective)
    deep = draw(st.sampled_from(["none", "none", "chain", "org tree"]))
    if deep != "none":
        add_deep_part(deep, draw(st.integers(200, 800)), teams, aims, objectives)
    return {"aims": aims, "teams": teams, "people": people, "objectives": objectives}


def add_deep_part(kind: str, depth: int, teams, aims, objectives) -> None:
    """A long same-team `supports` chain, or an org tree `depth` teams deep with one objective a team.

    Both are legal; hundreds of levels once crashed cascade, trace and report
    with RecursionError. Ids start with `deep-`, which the drawn ids (at most
    9 characters, no prefix) can be: they are made unique here by length.
    """
    aim = aims[0][0][1]
    if kind == "chain":
        team = teams[0][0][1]
        previous = aim
        for n in range(depth):
            objective_id = f"deep-chain-objective-{n}"
            objectives.append([["id", objective_id], ["title", f"step {n}"], ["team", team], ["supports", previous]])
            previous = objective_id
        return
    parent, previous = teams[0][0][1], aim
    for n in range(depth):
        team_id, objective_id = f"deep-org-team-{n}", f"deep-org-objective-{n}"
        teams.append([["id", team_id], ["name", f"team {n}"], ["parent", parent]])
        objectives.append([["id", objective_id], ["title", f"step {n}"], ["team", team_id], ["supports", previous]])
        parent, previous = team_id, objective_id


def find(element, key):
    for pair in reversed(element):
        if pair[0] == key:
            return pair
    return None


def all_elements(repo):
    return [e for section in ("aims", "teams", "people", "objectives") for e in repo[section]]


@st.composite
def mutated(draw):
    repo = draw(repositories())
    log = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(MUTATIONS))
        log.append(kind(draw, repo))
    return repo, log


def delete_link(draw, repo):
    linked = [o for o in repo["objectives"] if find(o, "supports") and isinstance(find(o, "supports")[1], list)]
    if linked:
        pair = find(draw(st.sampled_from(linked)), "supports")
        if pair[1]:
            pair[1].pop(draw(st.integers(0, len(pair[1]) - 1)))
    return "delete link"


def rename_id(draw, repo):
    if not all_elements(repo):
        return "rename id (nothing)"
    element = draw(st.sampled_from(all_elements(repo)))
    if find(element, "id") is not None:
        find(element, "id")[1] = draw(some_id)  # references to the old id now dangle
    return "rename id"


def move_team(draw, repo):
    if not repo["teams"]:
        return "move team (no teams)"
    team = draw(st.sampled_from(repo["teams"]))
    choice = draw(st.sampled_from(["other", "none", "unknown", "self"]))
    team[:] = [p for p in team if p[0] != "parent"]
    if choice == "other":
        team.append(["parent", draw(st.sampled_from(repo["teams"]))[0][1]])  # may make a cycle
    elif choice == "unknown":
        team.append(["parent", "no-such-team"])
    elif choice == "self":
        team.append(["parent", team[0][1]])
    return f"move team ({choice})"


def duplicate_key(draw, repo):
    if not all_elements(repo):
        return "duplicate key (nothing)"
    element = draw(st.sampled_from(all_elements(repo)))
    if not element:
        return "duplicate key (empty element)"
    key, value = draw(st.sampled_from(element))
    element.append([key, draw(st.one_of(st.just(value), words))])
    return "duplicate key"


def duplicate_element(draw, repo):
    sections = [s for s in ("aims", "teams", "people", "objectives") if repo[s]]
    if not sections:
        return "duplicate id (nothing)"
    section = draw(st.sampled_from(sections))
    repo[section].append([list(pair) for pair in draw(st.sampled_from(repo[section]))])
    return "duplicate id"


def swap_type(draw, repo):
    if not all_elements(repo):
        return "swap type (nothing)"
    element = draw(st.sampled_from(all_elements(repo)))
    if not element:
        return "swap type (empty element)"
    pair = draw(st.sampled_from(element))
    pair[1] = draw(
        st.sampled_from([None, 42, 3.5, True, "", [], {}, ["a", ["b"]], {"k": "v"}, [{"name": None}], "2027-02-30", MISSING])
    )
    if pair[1] is MISSING:
        element.remove(pair)
    return "swap type"


def change_status(draw, repo):
    sections = [s for s in ("aims", "objectives") if repo[s]]
    if not sections:
        return "status (nothing)"
    section = draw(st.sampled_from(sections))
    element = draw(st.sampled_from(repo[section]))
    choices = ["active", "retired", "bogus"] if section == "aims" else ["proposed", "challenged", "agreed", "dropped"]
    element.append(["status", draw(st.sampled_from(choices))])
    return "status"


def delete_element(draw, repo):
    sections = [s for s in ("aims", "teams", "people", "objectives") if repo[s]]
    if not sections:
        return "delete element (nothing)"
    section = draw(st.sampled_from(sections))
    repo[section].pop(draw(st.integers(0, len(repo[section]) - 1)))
    return "delete element"


def corrupt_file(draw, repo):
    repo.setdefault("corrupt", []).append(
        (draw(st.integers(0, 10**6)), draw(st.sampled_from(["cut", "tab", "byte", "nul", "bracket", "document"])))
    )
    return "corrupt file"


MUTATIONS = [
    delete_link, rename_id, move_team, duplicate_key, duplicate_element, swap_type,
    change_status, delete_element, corrupt_file,
]


# --- writing it as YAML --------------------------------------------------------------


def scalar(key: str, value) -> str:
    if isinstance(value, str) and key in ("id", "parent", "team", "person", "owner", "lead", "supports"):
        if value and all(c.isalnum() or c in "_.-" for c in value) and value[0] not in "-.":
            return value  # plain, as people write ids
    return json.dumps(value, ensure_ascii=False)  # JSON is YAML: lists, mappings, quoted text


def element_yaml(element) -> str:
    lines = []
    for n, (key, value) in enumerate(element):
        if isinstance(value, list) and key == "supports":
            text = "[" + ", ".join(scalar("supports", v) if isinstance(v, str) else json.dumps(v) for v in value) + "]"
        else:
            text = scalar(key, value)
        lines.append(f"{'  - ' if n == 0 else '    '}{key}: {text}")
    return "\n".join(lines) + "\n" if lines else "  - {}\n"


def layout(repo, draw_layout: str) -> dict[str, str]:
    """{relative path: text}: one file, or the conventional split by section and owner."""
    sections = {s: "".join(element_yaml(e) for e in repo[s]) for s in ("aims", "teams", "people")}
    if draw_layout == "one file":
        text = "".join(f"{s}:\n{body}" for s, body in sections.items() if body)
        if repo["objectives"]:
            text += "objectives:\n" + "".join(element_yaml(e) for e in repo["objectives"])
        return {"goals.yaml": text}
    files = {"true-north.yaml": f"aims:\n{sections['aims']}", "org.yaml": f"teams:\n{sections['teams']}"}
    if sections["people"]:
        files["people.yaml"] = f"people:\n{sections['people']}"
    by_owner: dict[str, list] = {}
    for objective in repo["objectives"]:
        owner = find(objective, "team") or find(objective, "person")
        name = str(owner[1]) if owner else "unowned"
        by_owner.setdefault(name, []).append(objective)
    for n, (owner, objectives) in enumerate(sorted(by_owner.items())):
        files[f"objectives/{n:02d}-{''.join(c for c in owner if c.isalnum()) or 'x'}.yaml"] = (
            "objectives:\n" + "".join(element_yaml(e) for e in objectives)
        )
    return files


def corrupt(files: dict[str, str], corruptions) -> dict[str, bytes]:
    data = {path: text.encode("utf-8") for path, text in files.items()}
    names = sorted(data)
    for seed, how in corruptions:
        path = names[seed % len(names)]
        raw = data[path]
        at = seed % (len(raw) + 1)
        data[path] = {
            "cut": raw[:at],
            "tab": raw[:at] + b"\t" + raw[at:],
            "byte": raw[:at] + b"\xff" + raw[at:],
            "nul": raw[:at] + b"\x00" + raw[at:],
            "bracket": raw[:at] + b"[" + raw[at:],
            "document": raw + b"---\naims: []\n",
        }[how]
    return data


def write(root: Path, data: dict[str, bytes], order: list[str]) -> Path:
    for relative in order:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data[relative])
    return root


# --- the invariants -----------------------------------------------------------------


def relative_findings(result, root: Path) -> list[tuple]:
    prefix = str(root) + "/"
    return [
        (f.code, f.severity, f.message.replace(prefix, ""), f.id, f.file[len(prefix):] if f.file else None, f.line, f.column)
        for f in result.findings
    ]


def traces(goals, start: str) -> bool:
    """Whether `start` reaches an active aim through active targets: a plain depth-first search."""
    seen, stack = {start}, [start]
    while stack:
        objective = goals.objectives[stack.pop()]
        for target in objective.supports:
            aim = goals.aims.get(target)
            if aim is not None:
                if aim.status != "retired":
                    return True
                continue
            follow = goals.objectives.get(target)
            if follow is not None and follow.status != "dropped" and target not in seen:
                seen.add(target)
                stack.append(target)
    return False


def lines_in(path: Path) -> int:
    return path.read_bytes().count(b"\n") + 1


def line_of(path: Path, number: int) -> str:
    """Line `number` (from 1) as an editor shows it: characters, bytes that are not UTF-8 one each."""
    return path.read_bytes().split(b"\n")[number - 1].decode("utf-8", "replace")


@given(mutated(), st.sampled_from(["one file", "split"]), st.randoms(use_true_random=False))
def test_random_broken_repositories_keep_every_invariant(case, file_layout, rnd: random.Random):
    repo, _log = case
    data = corrupt(layout(repo, file_layout), repo.get("corrupt", []))
    if rnd.random() < 0.5:
        data["catchball.yaml"] = f"rules:\n  max-aims: {rnd.randint(1, 5)}\n  max-objectives: {rnd.randint(1, 5)}\n".encode()
    workdir = Path(tempfile.mkdtemp(prefix="catchball-prop-"))
    try:
        order = sorted(data)
        first = write(workdir / "a" / "goals", data, order)
        shuffled = list(order)
        rnd.shuffle(shuffled)
        second = write(workdir / "b" / "goals", data, list(reversed(shuffled)))

        result = run_check(str(first))
        again = run_check(str(first))
        other = run_check(str(second))

        # identical across runs and whatever order the files were created in
        assert relative_findings(result, first) == relative_findings(again, first)
        assert relative_findings(result, first) == relative_findings(other, second)

        # known codes, placed inside real files
        for f in result.findings:
            assert f.code in CODES and CODES[f.code][0] == f.name, f
            if f.file is None:  # the spec's repository-wide case: no element to point at
                assert (f.code, f.id, f.line, f.column) == ("CB108", None, None, None), f
                continue
            assert f.file.startswith(str(first) + "/"), f
            path = Path(f.file)
            assert path.is_file(), f
            assert 1 <= f.line <= lines_in(path) and 1 <= f.column <= len(line_of(path, f.line)) + 1, f

        # every format renders; JSON parses and says the same; SARIF, GitLab and JUnit parse too
        for name in FORMAT_NAMES:
            buffer = io.StringIO()
            emitter(name)(result, buffer)
            if name == "json":
                document = json.loads(buffer.getvalue())
                assert [x["message"] for x in document["findings"]] == [f.message for f in result.findings]
            elif name in ("sarif", "gitlab"):
                json.loads(buffer.getvalue())
            elif name == "junit":
                ET.fromstring(buffer.getvalue())

        # the other commands that read goals render the same result: cascade, status, trace, report
        # the cascade shows every active objective (under its aims or as not connected) and every finding
        shown = "\n".join(line.text for line in CascadeView(result, CascadeOptions()).lines())
        for objective in result.goals.objectives.values():
            if objective.active:
                assert one_line(objective.id) in shown, objective.id
        for f in result.findings:
            assert one_line(f": {f.message}") in shown, f
        state = round_status(result.cascade)
        list(StatusView(result, state).lines())
        write_json(status_document(result, state), io.StringIO())
        goal_ids = sorted([*result.goals.aims, *result.goals.objectives])
        for goal_id in goal_ids[:5] + goal_ids[-2:]:  # the deep parts' ids sort last
            sight = line_of_sight(result.cascade, goal_id)
            list(TraceView(result, sight).lines())
            write_json(trace_document(result, sight), io.StringIO())
        options = ReportOptions(date=dt.date(2026, 6, 1), revision=False)
        render_report(build_context(result, options))
        for team_id in [*result.goals.teams][:1] + [*result.goals.teams][-1:]:
            render_report(build_context(result, replace(options, team=team_id)))

        # orphans, checked by an independent search over what was loaded
        goals = result.goals
        orphans = {f.id for f in result.findings if f.code == "CB201"}
        for objective_id, objective in goals.objectives.items():
            if objective.status == "dropped":
                assert objective_id not in orphans
            else:
                assert (objective_id in orphans) == (not traces(goals, objective_id)), objective_id
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# --- hostile YAML features (issue 11): merge keys, core tags with any value --------------------
#
# Kept as their own strategies and tests, so that other generators (deep
# chains, deep org trees) can be added beside them without touching these.

CORE_TAGS = ["str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge", "binary", "set"]
tag_values = st.one_of(
    st.sampled_from(["_", "", "garbage", "1:8", "010", ".inf", "-.inf", ".nan", "9" * 30, "2027-13-45", "0x", "~", "yes"]),
    st.from_regex(r"[A-Za-z0-9_.:+-]{0,12}", fullmatch=True),
)
FIELDS = ["due", "by", "baseline", "target", "headcount", "title", "id", "status", "supports", "owner"]


@st.composite
def tagged_scalars(draw) -> str:
    """`!!tag value`, the value plain or quoted."""
    value = draw(tag_values)
    if draw(st.booleans()):
        value = json.dumps(value)
    return f"!!{draw(st.sampled_from(CORE_TAGS))} {value}".rstrip()


@st.composite
def merge_files(draw) -> str:
    """A goals file whose elements merge anchored mappings: in chains, in lists, into themselves, in loops."""
    anchors = draw(st.integers(1, 4))
    lines = ["defaults:"]
    for n in range(anchors):
        lines.append(f"  d{n}: &d{n}")
        lines.append(f"    due: {draw(st.sampled_from(['2027-03-31', '!!timestamp x', '1:8', 'soon']))}")
        for _ in range(draw(st.integers(0, 2))):  # a merge of an earlier anchor, this one (a loop), or a later one
            target = draw(st.integers(0, anchors - 1))
            if target <= n or draw(st.booleans()):
                lines.append(f"    <<: *d{target}" if target <= n else f"    owner: d{target}")
    lines += ["team: ward-7", "objectives:"]
    for n in range(draw(st.integers(1, 3))):
        lines.append(f"  - &o{n}")
        lines.append(f"    id: M-{n}")
        lines.append("    title: Merged")
        lines.append("    supports: W7-1")
        refs = draw(st.lists(st.integers(0, anchors - 1), min_size=1, max_size=3))
        merged = ", ".join(f"*d{r}" for r in refs)
        lines.append(f"    <<: [{merged}]" if len(refs) > 1 else f"    <<: {merged}")
        if draw(st.booleans()):
            lines.append(f"    <<: *o{n}")  # the mapping merges itself
        if draw(st.booleans()):
            lines.append(f"    {draw(st.sampled_from(FIELDS))}: {draw(tagged_scalars())}")
    return "\n".join(lines) + "\n"


@st.composite
def tagged_files(draw) -> str:
    """A goals file whose fields hold core tags with arbitrary values, in block and flow style."""
    lines = ["team: ward-7", "objectives:"]
    for n in range(draw(st.integers(1, 3))):
        lines += [f"  - id: T-{n}", "    title: Tagged", "    supports: W7-1"]
        for field in draw(st.lists(st.sampled_from(FIELDS[:5]), max_size=3, unique=True)):
            if field in ("by", "baseline", "target"):
                lines.append(f"    measures:\n      - {{name: m, {field}: {draw(tagged_scalars())}}}")
            else:
                lines.append(f"    {field}: {draw(tagged_scalars())}")
    lines += ["teams:", f"  - {{id: t-x, name: X, parent: board, headcount: {draw(tagged_scalars())}}}"]
    return "\n".join(lines) + "\n"


def assert_read_cleanly(text: str) -> None:
    """Read serially and as a worker process sends it back: no exception, known codes, same result."""
    from catchball.load.parallel import pack, unpack
    from catchball.load.reader import read_goals_file

    part = read_goals_file(text.encode("utf-8"), "goals/hostile.yaml")
    for f in part.findings:
        assert f.code in CODES and f.file == "goals/hostile.yaml" and f.line >= 1 and f.column >= 1, f
    again = unpack(pack(part))
    assert (again.objectives, again.teams, again.findings) == (part.objectives, part.teams, part.findings)
    for objective in part.objectives:
        for measure in objective.measures:
            for number in (measure.baseline, measure.target):
                assert number is None or number == number and abs(number) != float("inf"), measure


@given(merge_files())
def test_merge_keys_in_any_arrangement_are_read_or_refused_never_a_crash(text):
    assert_read_cleanly(text)


@given(tagged_files())
def test_core_tags_with_any_value_are_findings_never_a_crash(text):
    assert_read_cleanly(text)


# --- every command with a stdout that is not UTF-8 (issue 11) --------------------------------------

NON_UTF8 = ["cp1252", "latin-1", "ascii"]


def run_with_stdout(args: list[str], encoding: str) -> tuple[int, bytes]:
    """Run the CLI in this process with sys.stdout a strict `encoding` stream, as a Windows redirect gives."""
    import sys

    from catchball.cli import app

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding, errors="strict", write_through=True)
    saved, sys.stdout = sys.stdout, stream
    saved_err, sys.stderr = sys.stderr, io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict")
    try:
        code = app(args=args, prog_name="catchball", standalone_mode=False)
    except SystemExit as exc:  # typer.Exit ends in SystemExit outside standalone mode for some paths
        code = exc.code
    finally:
        sys.stdout, sys.stderr = saved, saved_err
    stream.flush()
    return (0 if code is None else code), raw.getvalue()


@settings(max_examples=10)
@given(repositories(), st.sampled_from(NON_UTF8))
def test_every_command_runs_with_a_stdout_that_is_not_utf8(repo, encoding):
    workdir = Path(tempfile.mkdtemp(prefix="catchball-enc-"))
    try:
        root = write(workdir / "goals", {p: t.encode() for p, t in layout(repo, "split").items()},
                     sorted(layout(repo, "split")))
        first_aim = repo["aims"][0][0][1]
        commands = [["check", "-f", name] for name in FORMAT_NAMES] + [
            ["cascade"], ["status"], ["status", "-f", "json"], ["report"],
            ["trace", str(first_aim)], ["trace", str(first_aim), "-f", "json"],
        ]
        for command in commands:
            code, out = run_with_stdout([*command, str(root)], encoding)
            assert code in (0, 1), (command, code)
            text = out.decode(encoding)
            if command[-1] in ("json", "sarif", "gitlab"):
                json.loads(text)
            elif command[-1] == "junit":
                ET.fromstring(out)
        for command in (["rules"], ["rules", "-f", "json"], ["schema"]):
            code, out = run_with_stdout(command, encoding)
            assert code == 0 and out.decode(encoding)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@given(st.text(), st.sampled_from(NON_UTF8))
def test_escaped_documents_mean_the_same_in_any_encoding(text, encoding):
    from catchball.cli.streams import JSON, TEXT, XML, escape_for

    document = json.dumps({"t": text}, ensure_ascii=False)
    assert json.loads(escape_for(document, JSON, encoding).encode(encoding)) == {"t": text}
    for kind in (TEXT, XML):
        escape_for(text, kind, encoding).encode(encoding)  # never raises


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_one_line_takes_its_fast_path_only_where_nothing_needs_escaping(text):
    # str.isprintable is the fast test; the regex is what one_line escapes.
    from catchball.findings import _BREAKS, _UNSAFE, visible

    expected = text if _UNSAFE.search(text) is None else visible(_BREAKS.sub(" ", text))
    assert one_line(text) == expected
    if text.isprintable():
        assert _UNSAFE.search(text) is None
