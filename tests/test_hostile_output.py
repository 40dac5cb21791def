"""Hostile text in every output, broken settings, and output files that cannot be written.

Unicode (accents, right-to-left text, emoji), ids YAML would read as
booleans, numbers or dates, very long titles, and text built to break each
format (`%`, CR and LF for GitHub, pipes and HTML for Markdown, markup for
the terminal, characters XML cannot hold) must come out intact and valid in
every format of FORMAT_NAMES, new ones included as they land.
"""

from __future__ import annotations

import errno
import io
import json
import os
import stat
import sys
import tempfile
import threading
import xml.etree.ElementTree as ET

import pytest

from catchball.formats import FORMAT_NAMES, emitter
from tests.conftest import HEALTHY

LONG_TITLE = "Cut waiting times in every outpatient clinic " * 250  # about 11,000 characters
INJECTION = "W7-9\r\n::error file=x,line=1::injected 100%"
INJECTION_YAML = INJECTION.replace("\r", "\\r").replace("\n", "\\n")  # as written in a double-quoted scalar

HOSTILE = {
    "true-north.yaml": HEALTHY["true-north.yaml"] + "\n".join(
        [
            "  - id: no",  # YAML 1.1 reads `no` as false
            "    title: تقليل السقوط بنسبة ٣٠٪ — שיפור הבטיחות (safety) 🚑",
            "    measures: [{name: Chutes évitées ✅, baseline: 1, target: 2}]",
            "  - id: 1e3",  # a float
            f"    title: {LONG_TITLE.strip()}",
            "    measures: [{name: m, baseline: 1, target: 2}]",
            "  - id: 2026-01-01",  # a date
            '    title: "<script>alert(1)</script> | **bold** [x](http://e) `c` {{ jinja }} ```\\n# heading"',
            "    measures: [{name: m, baseline: 1, target: 2}]",
            "",
        ]
    ),
    "org.yaml": HEALTHY["org.yaml"] + "  - {id: équipe-🚑, name: Équipe 🚑, parent: board}\n",
    "objectives/équipe ünï %2C, a:b #1.yaml": f"""
        team: surgery
        objectives:
          - id: on
            title: "Réduire les chutes 👩‍⚕️\\u200f RTL mark, tab\\there, bell\\a, escape \\e[31mred\\e[0m, nel\\N ls\\L"
            supports: [no, 1e3, 2026-01-01, "{INJECTION_YAML}"]
            owner: dd
            measures: [{{name: m, baseline: 1, target: 2}}]
            "[bold red]markup[/] | pipe <b>html</b> 50% \\r\\n::warning::injected \\e[31mred\\e[0m \\a": 1
            status: "agreed\\n::error::x"
    """,
}


@pytest.fixture
def hostile(check_repo):
    return check_repo(HOSTILE)


def emit(name: str, result) -> str:
    buffer = io.StringIO()
    emitter(name)(result, buffer)
    return buffer.getvalue()


def test_the_hostile_repository_reads_as_intended(hostile):
    goals = hostile.goals
    assert {"no", "1e3", "2026-01-01"} <= set(goals.aims) and "on" in goals.objectives
    assert goals.aims["no"].title.startswith("تقليل السقوط")
    assert goals.aims["1e3"].title == LONG_TITLE.strip()
    assert goals.objectives["on"].supports == ("no", "1e3", "2026-01-01", INJECTION)
    found = {(f.code, f.id) for f in hostile.findings}
    assert {("CB102", "on"), ("CB103", "on"), ("CB202", "on")} <= found
    assert any(f.code == "CB102" and "'équipe-🚑' is not a valid id" in f.message for f in hostile.findings)
    # the links to aims with tricky ids count: only the injected id dangles
    dangling = next(f for f in hostile.findings if f.code == "CB202")
    assert INJECTION in dangling.message and "`no`" not in dangling.message


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_every_format_renders_hostile_text(hostile, name):
    text = emit(name, hostile)
    assert text.endswith("\n")
    CHECKS[name](hostile, text)


def check_text(result, text):
    # rich markup in the goals is printed as written, not interpreted
    assert "[bold red]markup[/]" in text
    assert "\x1b" not in text and "\\x1b[31mred" in text  # escape sequences are shown, not sent
    assert "équipe ünï %2C, a:b #1.yaml" in text
    # The text report goes to CI logs: a line break in an id must not start a
    # line there, where `::error ...` would be a GitHub workflow command.
    assert not any(line.lstrip().startswith("::") for line in text.splitlines())
    assert "W7-9 ::error file=x,line=1::injected 100%" in text
    # one line per finding: a line break in a message cannot split it or fake a finding line
    lines = text.split("\n")
    assert len([line for line in lines if line.startswith("  ")]) == len(result.findings)
    assert not [line for line in lines if line.startswith("::")] and "\r" not in text


def check_json(result, text):
    document = json.loads(text)
    assert [f["message"] for f in document["findings"]] == [f.message for f in result.findings]
    assert [f["file"] for f in document["findings"]] == [f.file for f in result.findings]


def check_github(result, text):
    lines = text.split("\n")[:-1]
    assert len(lines) == 2 * len(result.findings) + 1  # no message broke a line
    commands = lines[: len(result.findings)]
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in commands)
    assert not any("\r" in line or "\x1b" in line for line in lines)
    dangling = next(line for line in commands if "CB202" in line)
    assert "%0D%0A::error file=x,line=1::injected 100%25" in dangling
    assert "file=" in dangling and "%C3" not in dangling  # unicode is kept, only % , : CR LF escaped
    assert "équipe ünï %252C%2C a%3Ab #1.yaml,line=" in dangling


def check_sarif(result, text):
    from tests.test_formats import assert_valid_sarif

    document = json.loads(text)
    assert_valid_sarif(document)
    assert sorted(r["message"]["text"] for r in document["runs"][0]["results"]) == sorted(
        f.message for f in result.findings
    )


def check_junit(result, text):
    root = ET.fromstring(text)
    messages = [failure.get("message") for failure in root.iter("failure")]
    assert sorted(messages) == sorted(f.message for f in result.findings if f.severity == "error")
    passing = [case for case in root.iter("testcase") if case.find("system-out") is not None]
    assert len(passing) == sum(1 for f in result.findings if f.severity != "error")  # warnings pass without --strict


def check_gitlab(result, text):
    issues = json.loads(text)
    assert len(issues) == len(result.findings)
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    descriptions = [issue["description"] for issue in issues]
    assert all(any(d.endswith(f.message) for d in descriptions) for f in result.findings)


def markdown_tables(text: str) -> list[list[list[str]]]:
    """Each table as rows of cell texts, parsed by markdown-it (GitHub's table rules)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    tables, rows, row = [], None, None
    for token in tokens:
        if token.type == "table_open":
            rows = []
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(token.content)
        elif token.type == "tr_close":
            rows.append(row)
            row = None
        elif token.type == "table_close":
            tables.append(rows)
    return tables


def check_markdown(result, text):
    [table] = markdown_tables(text)
    header, *rows = table
    assert len(rows) == len(result.findings)  # no message broke out of its row
    assert all(len(row) == len(header) for row in rows)
    assert "<script>" not in text and "<b>html</b>" not in text


CHECKS = {
    "text": check_text,
    "json": check_json,
    "github": check_github,
    "sarif": check_sarif,
    "junit": check_junit,
    "gitlab": check_gitlab,
    "markdown": check_markdown,
}


def test_every_format_has_a_hostile_check():
    assert set(FORMAT_NAMES) <= set(CHECKS), "add a check for the new format to CHECKS"


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_every_format_through_the_cli_with_odd_file_names(cli, make_repo, name):
    root = make_repo(HOSTILE)
    for name_bytes in (b"bad-\xff\xfe.yaml", b"line\nbreak\x1b[8m.yaml"):
        with open(os.path.join(os.fsencode(root), name_bytes), "wb") as handle:
            handle.write(b"aims:\n  - {id: Q, title: T}\nbad key: 1\n")
    result = cli("check", "--format", name, root)
    assert result.exit_code == 1, result.stderr
    if name == "sarif":  # SARIF holds file names as URIs
        assert "bad-%EF%BF%BD%EF%BF%BD.yaml" in result.stdout and "line%5Cx0abreak%5Cx1b%5B8m.yaml" in result.stdout
    else:
        assert "bad-\ufffd\ufffd.yaml" in result.stdout and "\x1b" not in result.stdout
        assert "x0abreak" in result.stdout and "line\nbreak" not in result.stdout  # escaped however the format escapes
    result.stdout.encode("utf-8")  # every character can be written as UTF-8


def test_report_keeps_hostile_titles_in_their_place(cli, make_repo):
    result = cli("report", "--date", "2026-06-01", make_repo(HOSTILE))
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    for table in markdown_tables(text):
        header, *rows = table
        assert all(len(row) == len(header) for row in rows), table
    assert "<script>" not in text
    assert text.count("```") % 2 == 0  # a title cannot close a code block early
    assert "تقليل السقوط" in text and "🚑" in text
    # an RTL mark is shown, not sent (diagram labels wrap after "RTL", tables write the backslash as &#92;)
    assert not [c for c in RAW_CONTROLS if c in text] and "\u200f" not in text and "\\u200f RTL" in text


RAW_CONTROLS = ["\x1b", "\x07", "\r", "\x85", "\u2028", "\u200f"]


@pytest.mark.parametrize("command", [["cascade"], ["status"], ["trace", "on"], ["trace", "no"]])
def test_terminal_views_show_hostile_text_on_one_line_and_send_no_control_characters(cli, make_repo, command):
    hostile_team = '  - {id: odd, name: "Odd\\e[8m hidden\\nteam", parent: surgery}\n'
    root = make_repo({**HOSTILE, "org.yaml": HOSTILE["org.yaml"] + hostile_team})
    result = cli(*command, root)
    assert result.exit_code == 0, result.stderr
    assert not [c for c in RAW_CONTROLS if c in result.stdout]
    if command[0] == "status":
        assert "Odd\\x1b[8m hidden team (odd)" in result.stdout
        return
    lines = [line for line in result.stdout.splitlines() if "RTL mark, tab here" in line]
    assert lines and all("bell\\x07, escape \\x1b[31mred\\x1b[0m, nel  ls" in line for line in lines)


# --- settings ------------------------------------------------------------------------

SETTINGS = {
    "not YAML": ("rules: [max-aims: 3\n", "catchball.yaml:1:20: did not find expected ',' or ']'"),
    "two documents": ("period: x\n---\nperiod: y\n", "more than one YAML document"),
    "a list": ("- rules\n", "catchball.yaml:1:1: catchball.yaml must be a mapping"),
    "not UTF-8": (b"organisation: Caf\xe9\n", "catchball.yaml:1:18: file is not UTF-8 text"),
    "rules a list": ("rules: [max-aims]\n", "catchball.yaml:1:8: `rules` must be a mapping"),
    "unknown code in ignore": ("rules:\n  ignore: [CB999]\n", "unknown rule 'CB999'"),
    "unknown code in severity": ("rules:\n  severity: {CB9: error}\n", "severity: unknown rule code 'CB9'"),
    "unknown severity": ("rules:\n  severity: {CB201: fatal}\n", "severity of CB201 must be error, warning or info"),
    "negative limit": ("rules:\n  max-aims: -3\n", "catchball.yaml:2:13: `max-aims` must be 1 or more, not -3"),
    "zero limit": ("rules:\n  max-objectives: 0\n", "`max-objectives` must be 1 or more, not 0"),
    "text limit": ("rules:\n  max-aims: many\n", "`max-aims` must be a whole number, not 'many'"),
    "float limit": ("rules:\n  max-aims: 2.5\n", "`max-aims` must be a whole number, not '2.5'"),
    "huge limit": ("rules:\n  max-aims: 1" + "0" * 400 + "\n", "`max-aims` must be a whole number of at most 18 digits"),
    "limit as a list": ("rules:\n  max-aims: [3]\n", "`max-aims` must be a whole number, not '…'"),
    "severity key a list": ("rules:\n  severity: {[CB201]: error}\n", "2:14: `severity` must map rule codes to"),
    "severity a list": ("rules:\n  severity: {CB201: [error]}\n", "severity of CB201 must be error, warning or info, not '…'"),
    "organisation a mapping": ("organisation: {name: x}\n", "`organisation` must be text"),
    "ignore a mapping": ("rules:\n  ignore: {CB201: true}\n", "`ignore` must be a list of rule codes"),
    "unsafe tag": ("period: !!python/name:os.system\n", "is not allowed"),
}


@pytest.mark.parametrize("case", SETTINGS, ids=list(SETTINGS))
def test_broken_settings_are_one_line_and_exit_2(cli, make_repo, case):
    content, message = SETTINGS[case]
    root = make_repo({"catchball.yaml": content})
    result = cli("check", root)
    if message is None:  # a valid if silly setting
        assert result.exit_code in (0, 1), result.stderr
        return
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("catchball: error: ")
    assert message in result.stderr and "Traceback" not in result.output


def test_unknown_key_in_settings_is_cb103_not_exit_2(check_repo):
    result = check_repo({"catchball.yaml": "organisation: T\nrulez: {}\n"})
    assert [(f.code, f.line) for f in result.findings] == [("CB103", 2)]


# --- writing output files ----------------------------------------------------------


@pytest.fixture
def previous(tmp_path):
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "findings.json"
    target.write_text("previous findings\n")
    return target


def assert_untouched(target, result, words):
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and words in result.stderr
    assert target.read_text() == "previous findings\n"
    assert [p.name for p in target.parent.iterdir()] == [target.name], "a temporary file was left behind"


def test_output_into_a_missing_folder(cli, make_repo, tmp_path):
    result = cli("check", "-f", "json", "-o", tmp_path / "missing" / "out.json", make_repo())
    assert result.exit_code == 2 and "folder" in result.stderr and "does not exist" in result.stderr
    assert not (tmp_path / "missing").exists()


def test_output_onto_a_folder(cli, make_repo, tmp_path):
    (tmp_path / "out.json").mkdir()
    result = cli("check", "-f", "json", "-o", tmp_path / "out.json", make_repo())
    assert result.exit_code == 2 and "is a folder" in result.stderr


@pytest.mark.parametrize("command", [["check", "-f", "json"], ["report"]])
def test_output_onto_a_read_only_file(cli, make_repo, previous, command):
    """chmod a-w protects a file from root too, who may write anything: CI often runs as root."""
    previous.chmod(0o444)
    assert_untouched(previous, cli(*command, "-o", previous, make_repo()), "read-only")


def test_output_onto_a_read_only_file_as_anyone(cli, make_repo, previous, monkeypatch):
    real = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if str(path) == str(previous) else real(path, mode, **kw))
    assert_untouched(previous, cli("check", "-f", "json", "-o", previous, make_repo()), "read-only")


@pytest.mark.parametrize("failing", ["mkstemp", "fsync", "replace"])
def test_output_on_a_full_disk_keeps_the_previous_file(cli, make_repo, previous, monkeypatch, failing):
    """The disk fills when the temporary file is made, flushed or renamed."""
    root = make_repo()
    module = tempfile if failing == "mkstemp" else os

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(module, failing, full)
    result = cli("check", "-f", "json", "-o", previous, root)
    monkeypatch.undo()
    assert_untouched(previous, result, "No space left on device")


@pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX resource limits")
def test_output_write_that_fails_half_way_keeps_the_previous_file(make_repo, previous):
    """A real failing write(): the file size limit stops it after 100 bytes, as a full disk would."""
    import resource
    import signal
    import subprocess

    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write instead of killing the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))

    done = subprocess.run(
        [sys.executable, "-m", "catchball", "check", "-f", "json", "-o", str(previous), str(make_repo())],
        capture_output=True, text=True, timeout=120, preexec_fn=small_files,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"catchball: error: cannot write {previous}: File too large\n"
    assert previous.read_text() == "previous findings\n"
    assert [p.name for p in previous.parent.iterdir()] == [previous.name]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() != 0, reason="making a device node needs root")
def test_output_onto_a_device_writes_to_it_and_never_replaces_it(cli, make_repo, tmp_path):
    full = tmp_path / "full"  # our own /dev/full: a regression replaces this node, not the real one
    os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    result = cli("check", "-f", "json", "-o", full, make_repo())
    assert result.exit_code == 2 and result.stderr == f"catchball: error: cannot write {full}: No space left on device\n"
    assert stat.S_ISCHR(os.stat(full).st_mode)
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    assert cli("check", "-f", "json", "-o", null, make_repo()).exit_code == 0
    assert stat.S_ISCHR(os.stat(null).st_mode)


def test_output_into_a_fifo_is_written_to_it(cli, make_repo, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()), daemon=True)
    reader.start()
    result = cli("check", "-f", "json", "-o", fifo, make_repo())
    reader.join(timeout=60)
    assert result.exit_code == 0 and json.loads(received[0])["version"] == 1
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_output_through_a_symlink_keeps_the_link(cli, make_repo, tmp_path):
    (tmp_path / "reports").mkdir()
    real = tmp_path / "reports" / "findings.json"
    real.write_text("old\n")
    link = tmp_path / "latest.json"
    os.symlink(real, link)
    assert cli("check", "-f", "json", "-o", link, make_repo()).exit_code == 0
    assert link.is_symlink() and json.loads(real.read_text())["version"] == 1
