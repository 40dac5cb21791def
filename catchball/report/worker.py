"""The process that renders a user's template, under limits (see catchball.report.render).

Reads one JSON document on stdin: {"context", "folder", "name", "limits"}.
Writes the report on stdout and exits 0, or writes one line on stderr and
exits ERROR_EXIT. It imports nothing from the goals: it sees only the context.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _limit_resources(limits: dict) -> None:
    """Memory and CPU time for this process, where the platform allows it (POSIX)."""
    try:
        import resource
    except ImportError:  # Windows: the parent's wall-clock timeout still applies
        return
    memory = int(limits["memory_mb"]) * 1024 * 1024
    cpu = int(limits["seconds"]) + 1
    for name, value in (("RLIMIT_AS", memory), ("RLIMIT_CPU", cpu)):
        which = getattr(resource, name, None)
        if which is None:
            continue
        soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        try:
            resource.setrlimit(which, (value, hard))
        except (ValueError, OSError):
            pass


def main() -> None:
    from catchball.report.render import ERROR_EXIT, Limits, describe, make_environment, render_stream

    try:
        request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
        limits = Limits(**request["limits"])
    except (ValueError, KeyError, TypeError) as exc:
        sys.stderr.write(f"bad request to the template renderer: {exc}\n")
        sys.exit(ERROR_EXIT)
    sys.setrecursionlimit(2000)
    _limit_resources(request["limits"])
    try:
        env = make_environment(Path(request["folder"]), limits)
        text = render_stream(env, request["name"], request["context"], limits.output_chars, request.get("section"))
    except Exception as exc:  # every failure of a user's template is one line for the user
        sys.stderr.write(describe(exc) + "\n")
        sys.exit(ERROR_EXIT)
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
