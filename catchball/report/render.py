"""Rendering the report's context with Jinja2, in a sandbox.

Every template, ours or the user's, renders in Jinja2's
ImmutableSandboxedEnvironment with StrictUndefined: no attribute starting
with `_`, no method that changes data, and a clear error for a misspelt
variable. Autoescaping is off (this is Markdown, not HTML); text is escaped
where it lands with the `md` and `cell` filters.

The sandbox bounds what a template may touch, not how much work it does, so
a user's template (`--template`) renders in a separate Python process with
limits (see `Limits`): a wall-clock time limit, a memory limit (POSIX), and
a cap on the size of the output. Our own templates render in this process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from catchball.errors import CatchballError

DEFAULT_TEMPLATE = "report.md.j2"
PACKAGE_PREFIX = "catchball"  # {% extends "catchball/report.md.j2" %} always means ours
ERROR_EXIT = 3  # the worker's exit code for a template error (its message is on stderr)


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on a user template's rendering (documented in docs/templates.md)."""

    seconds: float = 10.0  # wall-clock time, start of the worker to the end of the output
    memory_mb: int = 1024  # address space of the worker process (POSIX only)
    output_chars: int = 20_000_000  # characters of output
    repeat_chars: int = 1_000_000  # the longest string or list `*` may build in one step


def make_environment(user_folder: Path | None = None, limits: Limits | None = None):
    """The sandboxed environment: the user's folder first (if any), then our packaged templates."""
    from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader, StrictUndefined, TemplateNotFound
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from catchball.report.markdown import cell, md, number, percent

    limits = limits or Limits()

    class ReportEnvironment(ImmutableSandboxedEnvironment):
        # `"x" * 10**9` would allocate before any output limit is reached.
        intercepted_binops = frozenset(["*", "**"])

        def call_binop(self, context, operator, left, right):
            if operator == "**":
                _check_power(left, right)
            elif operator == "*":
                _check_repeat(left, right, limits.repeat_chars)
            return super().call_binop(context, operator, left, right)

    class FolderLoader(FileSystemLoader):
        """Template files in the user's folder only.

        A symbolic link may not lead out of it, and hidden files and
        folders (`.git/config`, where actions/checkout keeps its token, or
        `.env`) and files that are not templates are never found, however
        they are named or linked to.
        """

        def get_source(self, environment, template):
            if not is_template_name(template):
                raise TemplateNotFound(template)
            folder = Path(self.searchpath[0]).resolve()
            source, filename, uptodate = super().get_source(environment, template)
            real = Path(filename).resolve()
            if folder not in real.parents or not is_template_name(real.relative_to(folder).as_posix()):
                raise TemplateNotFound(template)
            return source, filename, uptodate

    packaged = PackageLoader("catchball.templates", ".")  # the top-level templates/ (pyproject.toml)
    loaders = [PrefixLoader({PACKAGE_PREFIX: packaged})]
    if user_folder is not None:
        loaders.append(FolderLoader(str(user_folder)))
    loaders.append(packaged)
    env = ReportEnvironment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update({"md": md, "cell": cell, "number": number, "percent": percent})
    env.globals.pop("lipsum", None)  # generates text; of no use in a report
    return env


TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2")


def is_template_name(name: str) -> bool:
    """A name a template may load: a template file, and no hidden file or folder on the way."""
    parts = name.replace("\\", "/").split("/")
    return name.endswith(TEMPLATE_SUFFIXES) and not any(part.startswith(".") for part in parts if part)


def _check_power(left, right) -> None:
    from jinja2.exceptions import SecurityError

    if isinstance(right, (int, float)) and abs(right) > 1000:
        raise SecurityError("the exponent of ** is too large (more than 1000)")
    if isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0:
        if abs(left).bit_length() * right > 100_000:
            raise SecurityError("the result of ** would be too large")


def _check_repeat(left, right, limit: int) -> None:
    from jinja2.exceptions import SecurityError

    for sequence, times in ((left, right), (right, left)):
        if isinstance(sequence, (str, list, tuple)) and isinstance(times, int) and not isinstance(times, bool):
            if len(sequence) * times > limit:
                raise SecurityError(f"`*` would build a value of more than {limit:,} items")


def render_default(context: dict, template: str = DEFAULT_TEMPLATE) -> str:
    """Render one of our packaged templates, in this process."""
    env = make_environment()
    try:
        return env.get_template(template).render(context)
    except Exception as exc:  # a bug in our template: still one clear line, never a traceback
        raise CatchballError(f"the packaged template {template} failed: {describe(exc)}") from None


def render_stream(env, name: str, context: dict, max_chars: int) -> str:
    """Render template `name`, stopping as soon as the output passes `max_chars` characters."""
    parts, size = [], 0
    for chunk in env.get_template(name).generate(context):
        size += len(chunk)
        if size > max_chars:
            raise OutputTooLarge(f"the output is larger than the limit of {max_chars:,} characters")
        parts.append(chunk)
    return "".join(parts)


class OutputTooLarge(Exception):
    pass


def render_user_template(context: dict, template: str | os.PathLike, limits: Limits | None = None) -> str:
    """Render the user's template file in a worker process with `limits`; CatchballError on any failure."""
    limits = limits or Limits()
    path = Path(template)
    if not path.is_file():
        raise CatchballError(f"no such template file: {template}")
    resolved = path.resolve()  # the file you name may be a link; its own folder is the one searched
    try:
        payload = json.dumps(
            {"context": context, "folder": str(resolved.parent), "name": resolved.name, "limits": limits_record(limits)}
        )
    except (TypeError, ValueError) as exc:  # the context must be plain data; this is our bug, not the user's
        raise CatchballError(f"the report context is not plain data: {exc}") from None
    package_parent = str(Path(__file__).resolve().parents[2])
    command = [sys.executable, "-I", "-c", _WORKER_BOOT, package_parent]
    try:
        done = subprocess.run(
            command,
            input=payload.encode("utf-8"),
            capture_output=True,
            timeout=limits.seconds,
        )
    except subprocess.TimeoutExpired:
        raise CatchballError(
            f"template {path.name} took longer than {limits.seconds:g} s to render (the limit for templates)"
        ) from None
    except OSError as exc:
        raise CatchballError(f"could not start the template renderer: {exc}") from None
    if done.returncode == 0:
        return done.stdout.decode("utf-8")
    message = done.stderr.decode("utf-8", "replace").strip().splitlines()
    if done.returncode == ERROR_EXIT and message:
        raise CatchballError(f"cannot render the template: {message[-1]}")
    raise CatchballError(f"template {path.name}: {_worker_end(done.returncode, message, limits)}")


def _worker_end(code: int, message: list[str], limits: Limits) -> str:
    """What happened to a renderer that neither rendered nor reported a template error."""
    import signal

    last = f": {message[-1]}" if message else ""
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        if name == "SIGXCPU":
            return f"the renderer passed the CPU time limit of {int(limits.seconds) + 1} s and was stopped"
        return f"the renderer crashed (killed by {name}){last}"
    if any("MemoryError" in line for line in message):
        return f"the renderer passed the memory limit of {limits.memory_mb} MB{last}"
    return f"the renderer crashed (exit {code}){last}"


# -I (isolated) ignores PYTHON* variables and the current folder; the package's
# own folder is put back first so the worker runs the same catchball.
_WORKER_BOOT = "import sys; sys.path.insert(0, sys.argv[1]); from catchball.report.worker import main; main()"


def limits_record(limits: Limits) -> dict:
    return {
        "seconds": limits.seconds,
        "memory_mb": limits.memory_mb,
        "output_chars": limits.output_chars,
        "repeat_chars": limits.repeat_chars,
    }


def describe(exc: BaseException) -> str:
    """One line for a template failure: where (template:line) and what."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError, TemplatesNotFound

    if isinstance(exc, TemplateSyntaxError):
        return f"{exc.name or exc.filename or 'template'}:{exc.lineno}: syntax error: {exc.message}"
    if isinstance(exc, TemplatesNotFound):
        return f"template not found: {', '.join(str(n) for n in exc.templates)}"
    if isinstance(exc, TemplateNotFound):
        return f"template not found: {exc.name}"
    if isinstance(exc, RecursionError):
        return "the template calls, includes or extends itself too deeply"
    if isinstance(exc, MemoryError):
        return "the template used too much memory"
    if isinstance(exc, OutputTooLarge):
        return str(exc)
    where = _template_line(exc)
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    kind = {"SecurityError": "not allowed", "UndefinedError": "undefined"}.get(type(exc).__name__, type(exc).__name__)
    return f"{where + ': ' if where else ''}{kind}: {text}"


def _template_line(exc: BaseException) -> str:
    """`name:line` of the innermost template frame in the traceback, if any."""
    where = ""
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or tb.tb_frame.f_globals.get("__jinja_template__"):
            where = f"{Path(filename).name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where
