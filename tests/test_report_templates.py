"""Templates: ours ship in the package, and a user's template is sandboxed and bounded."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from catchball.check import run_check
from catchball.errors import CatchballError
from catchball.report import Limits, ReportOptions, build_context, render_report

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture
def context(make_repo):
    return build_context(run_check(str(make_repo())), ReportOptions(revision=False))


@pytest.fixture
def template(tmp_path):
    """template(text, name="custom.md.j2") -> path of a template file in its own folder."""

    def write(text: str | bytes, name: str = "custom.md.j2") -> Path:
        folder = tmp_path / "templates"
        folder.mkdir(exist_ok=True)
        path = folder / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write


# -- our templates ----------------------------------------------------------------------------


def test_the_package_reads_the_top_level_templates_folder():
    """templates/ is the one copy: the package finds its default template there, not in a copy."""
    from importlib.resources import files

    assert not (PROJECT / "catchball" / "templates").exists()
    shipped = files("catchball.templates") / "report.md.j2"
    assert shipped.read_bytes() == (PROJECT / "templates" / "report.md.j2").read_bytes()


def render_from(site: Path, goals: Path, cwd: Path) -> tuple[str, str]:
    """Import catchball from `site` only, in a fresh process elsewhere; (catchball's file, report)."""
    script = (
        "import catchball, sys\n"
        "from catchball.check import run_check\n"
        "from catchball.report import ReportOptions, build_context, render_report\n"
        "print(catchball.__file__)\n"
        "print(render_report(build_context(run_check(sys.argv[1]), ReportOptions(revision=False))))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run(
        [sys.executable, "-c", script, str(goals)], cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    where, text = done.stdout.split("\n", 1)
    return where, text


def test_the_package_data_globs_ship_the_templates(tmp_path, make_repo):
    """Lay out the package as setuptools builds it, from a clean copy, and render from there."""
    site = build_lib(tmp_path)
    assert (site / "catchball" / "templates" / "report.md.j2").is_file()
    assert (site / "catchball" / "templates" / "macros.md.j2").is_file()
    where, text = render_from(site, make_repo(), tmp_path)
    assert where.startswith(str(site))
    assert text.startswith("# Alignment report: Test Trust")


def clean_copy(tmp_path: Path) -> Path:
    """The files a fresh checkout gives setuptools: the package, templates/ and the project files."""
    source = tmp_path / "source"
    for folder in ("catchball", "templates"):
        shutil.copytree(PROJECT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(PROJECT / name, source / name)
    return source


def build_lib(tmp_path: Path) -> Path:
    """setuptools' build_py on a clean copy (no egg-info listing files): what a wheel holds."""
    source = clean_copy(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "build_py", "--build-lib", str(tmp_path / "lib")],
        cwd=source, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return tmp_path / "lib"


def can_build_wheels() -> bool:
    try:
        import setuptools
    except ImportError:
        return False
    if importlib.util.find_spec("wheel") is not None:
        return True
    major, minor = (int(x) for x in setuptools.__version__.split(".")[:2])
    return (major, minor) >= (70, 1)  # setuptools has its own bdist_wheel since 70.1


@pytest.mark.skipif(not can_build_wheels(), reason="needs setuptools with bdist_wheel (setuptools>=70.1, or wheel)")
def test_an_installed_wheel_finds_its_default_template(tmp_path, make_repo):
    """Build a wheel from a copy of the project, install it alone, render a report from elsewhere."""
    source = clean_copy(tmp_path)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist"), str(source)],
        check=True, capture_output=True, timeout=300,
    )
    (wheel,) = (tmp_path / "dist").glob("catchball-*.whl")
    assert "catchball/templates/report.md.j2" in zipfile.ZipFile(wheel).namelist()
    site = tmp_path / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True, capture_output=True)
    where, text = render_from(site, make_repo(), tmp_path)
    assert where.startswith(str(site))
    assert text.startswith("# Alignment report: Test Trust")


# -- a user's template --------------------------------------------------------------------------


def test_a_user_template_sees_the_context_and_the_filters(context, template):
    path = template(
        "{{ organisation | md }}: {{ headline.traced_objectives }}/{{ headline.active_objectives }}"
        " ({{ headline.traced_share | percent }})\n"
        "{% for aim in aims %}| {{ aim.title | cell }} | {{ aim.measures[0].baseline | number }} |\n{% endfor %}"
    )
    assert render_report(context, str(path)) == "Test Trust: 3/3 (100%)\n| Zero avoidable harm | 0.19 |\n"


def test_a_user_template_can_extend_ours_and_include_its_neighbours(context, template):
    template("Our own words.\n", name="words.md.j2")
    path = template(
        '{% extends "catchball/report.md.j2" %}\n'
        "{% block diagram %}{% include 'words.md.j2' %}\n{% endblock %}\n"
        "{% block footer %}{% endblock %}\n"
    )
    text = render_report(context, str(path))
    assert text.startswith("# Alignment report: Test Trust")
    assert "Our own words.\n" in text and "```mermaid" not in text and "Made with catchball" not in text


def test_a_user_template_named_like_ours_can_still_extend_ours(context, template):
    path = template('{% extends "catchball/report.md.j2" %}{% block header %}# Mine\n{% endblock %}', name="report.md.j2")
    assert render_report(context, str(path)).startswith("# Mine\n## Headline")


@pytest.mark.parametrize(
    "text, message",
    [
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "not allowed: access to attribute '__class__'"),
        ("{{ cycler.__init__.__globals__.os }}", "not allowed: access to attribute '__init__'"),
        ("{{ self._TemplateReference__context }}", "not allowed"),
        ("{{ aims.pop() }}", "not allowed: access to attribute 'pop'"),
        ("{% set x = [] %}{{ x.append(1) }}", "not allowed: access to attribute 'append'"),
        ("{{ lipsum(1000) }}", "undefined: 'lipsum' is undefined"),
        ("{% include '/etc/passwd' %}", "template not found: /etc/passwd"),
        ("{% include '../../../../../../etc/passwd' %}", "template not found: ../../../../../../etc/passwd"),
        ("{% import 'os' as os %}", "template not found: os"),
        ("{{ headline.nope }}", "custom.md.j2:1: undefined: 'dict object' has no attribute 'nope'"),
        ("line one\n{{ nope }}", "custom.md.j2:2: undefined: 'nope' is undefined"),
        ("{% for a in aims %}", "custom.md.j2:1: syntax error: Unexpected end of template"),
        ("{{ 'x' * 10**9 }}", "not allowed: `*` would build a value of more than 1,000,000 items"),
        ("{{ 2 ** 100000000 }}", "not allowed: the exponent of ** is too large"),
        ("{{ (10 ** 100) ** 999 }}", "not allowed: the result of ** would be too large"),
        ("{{ range(10**9) | list }}", "Range too big"),
        ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "calls, includes or extends itself too deeply"),
    ],
)
def test_a_hostile_template_fails_with_one_clear_line(context, template, text, message):
    with pytest.raises(CatchballError) as caught:
        render_report(context, str(template(text)))
    error = str(caught.value)
    assert message in error
    assert "\n" not in error and "Traceback" not in error
    assert "root:" not in error and "<class" not in error  # nothing leaks into the message


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_symbolic_link_cannot_lead_out_of_the_template_folder(context, template, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the password is swordfish")
    path = template("{% include 'key.j2' %}")
    (path.parent / "key.j2").symlink_to(secret)
    with pytest.raises(CatchballError, match="template not found: key.j2") as caught:
        render_report(context, str(path))
    assert "swordfish" not in str(caught.value)
    (path.parent / "inside.j2").write_text("fine")
    (path.parent / "link.j2").symlink_to(path.parent / "inside.j2")
    assert render_report(context, str(template("{% include 'link.j2' %}"))) == "fine"


def test_output_size_is_capped(context, template):
    path = template("{% for i in range(100000) %}{{ 'line of text' }}\n{% endfor %}")
    with pytest.raises(CatchballError, match="the output is larger than the limit of 1,000 characters"):
        render_report(context, str(path), Limits(output_chars=1000))
    assert render_report(context, str(path)).count("line of text") == 100000  # fine at the default limit


def test_render_time_is_capped(context, template):
    path = template("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    with pytest.raises(CatchballError, match="took longer than 1 s to render"):
        render_report(context, str(path), Limits(seconds=1))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="memory limits need POSIX resource limits")
def test_memory_is_capped(context, template):
    path = template("{{ 'x' | center(4000000000) }}")
    with pytest.raises(CatchballError, match="memory"):
        render_report(context, str(path), Limits(memory_mb=300))


def test_a_template_that_is_not_utf8_or_not_a_file(context, template, tmp_path):
    with pytest.raises(CatchballError, match="UnicodeDecodeError"):
        render_report(context, str(template(b"caf\xe9 {{ date }}")))
    with pytest.raises(CatchballError, match="no such template file"):
        render_report(context, str(tmp_path))


def test_the_command_with_a_user_template(cli, make_repo, template):
    good = template("{{ scope.people }} {{ headline.people }} {{ date }}\n", name="good.md.j2")
    result = cli("report", "--template", good, "--no-people", "--date", "2026-01-02", make_repo())
    assert result.exit_code == 0 and result.stdout == "False 4 2026-01-02\n"
    evil = template("{{ ''.__class__ }}", name="evil.md.j2")
    result = cli("report", "--template", evil, make_repo())
    assert result.exit_code == 2
    assert result.stderr == (
        "catchball: error: cannot render the template: "
        "evil.md.j2:1: not allowed: access to attribute '__class__' of 'str' object is unsafe.\n"
    )
