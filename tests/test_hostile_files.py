"""The file system under a goals root: odd entries give a finding or a note, never a crash.

CI runs as root, who can read everything, so a permission fault is made in
ways that hold for root too: a socket (which nobody can open), and a
patched os.open that refuses one file. The chmod tests run only as a user.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import subprocess
import sys

import pytest

from catchball.check import run_check

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
EXTRA_AIM = "aims:\n  - {id: TN-EXTRA, title: Extra, measures: [{name: m, baseline: 1, target: 2}]}\n"


def notes_and_codes(root):
    result = run_check(str(root))
    return result, result.notes, [(f.code, f.file.rsplit("/", 1)[-1]) for f in result.findings]


def test_a_folder_named_like_a_goals_file_is_a_folder(make_repo):
    root = make_repo({"x.yaml/inside.yaml": EXTRA_AIM})
    (root / "empty.yml").mkdir()
    result, notes, codes = notes_and_codes(root)
    assert "TN-EXTRA" in result.goals.aims  # read as the folder it is
    assert codes == [("CB301", "inside.yaml")] and notes == []


def test_symlink_loops_are_noted_and_skipped(make_repo):
    root = make_repo()
    os.symlink("b.yaml", root / "a.yaml")
    os.symlink("a.yaml", root / "b.yaml")
    os.symlink("self.yaml", root / "self.yaml")
    os.symlink(".", root / "loop")  # a folder that contains itself
    result, notes, codes = notes_and_codes(root)
    assert codes == []
    assert sorted(notes) == [
        "a.yaml: a symlink loop, not read",
        "b.yaml: a symlink loop, not read",
        "loop: a symlinked folder, not followed",
        "self.yaml: a symlink loop, not read",
    ]


def test_notes_come_in_path_order_whatever_order_the_folder_lists(make_repo, monkeypatch):
    root = make_repo()
    for name in ("a.yaml", "b.yaml", "c.yaml"):
        os.symlink(name, root / name)  # each a loop
    real_walk = os.walk

    def walk_backwards(*args, **kwargs):  # a file system that lists the newest entry first
        for folder, dirs, files in real_walk(*args, **kwargs):
            files.reverse()
            yield folder, dirs, files

    monkeypatch.setattr(os, "walk", walk_backwards)
    notes = run_check(str(root)).notes
    assert notes == sorted(notes) and len(notes) == 3


def test_symlinks_out_of_the_goals_root_are_not_followed(make_repo, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(EXTRA_AIM)
    root = make_repo()
    os.symlink(outside / "secret.yaml", root / "secret.yaml")
    os.symlink("../outside/secret.yaml", root / "relative.yaml")
    os.symlink(outside, root / "elsewhere")
    os.symlink("/etc/passwd", root / "passwd.yaml")
    result, notes, codes = notes_and_codes(root)
    assert "TN-EXTRA" not in result.goals.aims and codes == []
    assert sorted(notes) == [
        "elsewhere: a symlinked folder, not followed",
        "passwd.yaml: a symlink to outside the goals root, not followed",
        "relative.yaml: a symlink to outside the goals root, not followed",
        "secret.yaml: a symlink to outside the goals root, not followed",
    ]


def test_settings_symlinked_out_of_the_goals_root_are_refused(cli, make_repo, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("rules: {max-aims: hunter2-the-ci-token}\n")
    root = make_repo({"catchball.yaml": None})
    os.symlink(secret, root / "catchball.yaml")
    result = cli("check", root)
    assert result.exit_code == 2
    assert "a symlink to outside the goals root, not followed" in result.stderr
    assert "hunter2" not in result.stderr + result.stdout  # nothing of the file reaches the log
    inside = make_repo({"catchball.yaml": None, "shared/settings.yml": "rules: {max-aims: 3}\n"}, name="inside")
    os.symlink("shared/settings.yml", inside / "catchball.yaml")
    assert cli("check", inside).exit_code in (0, 1)  # a link inside the root is read


def test_symlink_inside_the_root_is_read_and_a_dangling_one_is_noted(make_repo):
    root = make_repo({"shared/extra.yaml": EXTRA_AIM})
    os.symlink("shared/extra.yaml", root / "link.yaml")
    os.symlink("nowhere.yaml", root / "dangling.yaml")
    result, notes, codes = notes_and_codes(root)
    assert "TN-EXTRA" in result.goals.aims  # the link is a file of the repository, read first (l < s)
    assert ("CB104", "extra.yaml") in codes  # so the real file is the second definition
    assert notes == ["dangling.yaml: a symlink that points to no file, not read"]


def test_notes_reach_stderr_and_keep_json_clean(cli, make_repo, tmp_path):
    root = make_repo()
    os.symlink(tmp_path, root / "out")
    result = cli("check", "--format", "json", root)
    assert result.exit_code == 0
    assert "catchball: out: a symlinked folder, not followed" in result.stderr
    json.loads(result.stdout)


def test_a_socket_named_yaml_is_cb101_even_for_root(make_repo):
    root = make_repo()
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(root / "sock.yaml"))
        result, notes, codes = notes_and_codes(root)
    finally:
        server.close()
    [finding] = [f for f in result.findings if f.file.endswith("sock.yaml")]
    assert finding.code == "CB101" and finding.message.startswith("cannot be read") and finding.line == 1
    assert result.summary()["objectives"] == 3


def test_a_fifo_named_yaml_does_not_hang_the_run(make_repo):
    root = make_repo()
    os.mkfifo(root / "pipe.yaml")
    done = subprocess.run(
        [sys.executable, "-m", "catchball", "check", "--format", "json", str(root)],
        capture_output=True, text=True, timeout=60,
    )
    [finding] = [f for f in json.loads(done.stdout)["findings"] if f["file"].endswith("pipe.yaml")]
    assert finding["code"] == "CB101" and "not a regular file" in finding["message"]
    assert done.returncode == 1


def refuse(monkeypatch, name: str, call: str = "open", error: int = errno.EACCES):
    """Make os.<call> fail with `error` for paths ending in `name`, as a locked file would."""
    real = getattr(os, call)

    def locked(path, *args, **kwargs):
        if os.fspath(path).endswith(name):
            raise PermissionError(error, os.strerror(error), os.fspath(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, call, locked)


def test_permission_denied_is_cb101_and_the_rest_is_checked(make_repo, monkeypatch):
    root = make_repo({"locked.yaml": EXTRA_AIM})
    refuse(monkeypatch, "locked.yaml")
    result = run_check(str(root))
    [finding] = [f for f in result.findings if f.file.endswith("locked.yaml")]
    assert (finding.code, finding.message, finding.line) == ("CB101", "cannot be read: Permission denied", 1)
    assert "TN-EXTRA" not in result.goals.aims and result.summary()["objectives"] == 3


def test_a_folder_that_cannot_be_listed_is_noted(make_repo, monkeypatch):
    root = make_repo({"private/extra.yaml": EXTRA_AIM})
    refuse(monkeypatch, "private", call="scandir")
    result = run_check(str(root))
    assert result.notes == ["private: cannot be listed (Permission denied)"]
    assert "TN-EXTRA" not in result.goals.aims and result.exit_code() == 0


def test_unreadable_settings_file_is_exit_2(cli, make_repo, monkeypatch):
    root = make_repo()
    refuse(monkeypatch, "catchball.yaml")
    result = cli("check", root)
    assert result.exit_code == 2
    assert result.stderr == f"catchball: error: {root}/catchball.yaml: cannot be read (Permission denied)\n"


def test_a_settings_file_that_is_a_pipe_is_exit_2_not_ignored(cli, make_repo):
    root = make_repo({"catchball.yaml": None})
    os.mkfifo(root / "catchball.yaml")
    result = cli("check", root)
    assert result.exit_code == 2
    assert result.stderr == f"catchball: error: {root}/catchball.yaml: not a regular file (a pipe, socket or device): not read\n"


@pytest.mark.skipif(AS_ROOT, reason="root reads files whatever their mode; the patched tests above cover root")
def test_chmod_000_file_and_folder(make_repo):
    root = make_repo({"locked.yaml": EXTRA_AIM, "private/extra.yaml": EXTRA_AIM})
    (root / "locked.yaml").chmod(0)
    (root / "private").chmod(0)
    try:
        result = run_check(str(root))
    finally:
        (root / "locked.yaml").chmod(0o644)
        (root / "private").chmod(0o755)
    [finding] = [f for f in result.findings if f.file.endswith("locked.yaml")]
    assert (finding.code, finding.message) == ("CB101", "cannot be read: Permission denied")
    assert result.notes == ["private: cannot be listed (Permission denied)"]


def test_a_file_given_as_the_goals_root_is_exit_2(cli, make_repo):
    root = make_repo()
    result = cli("check", root / "org.yaml")
    assert result.exit_code == 2 and "not a folder" in result.stderr
