"""Headless Chromium for the tests: screenshots, PDFs, the DOM after scripts ran, and the network log.

No DevTools protocol: each call is one `chromium --headless` run with flags
that keep it off the network (--disable-background-networking,
--disable-component-update, --no-first-run) and a fresh profile. The
network log (--log-net-log) lists every URL the page asked for; console
messages come on stderr with --enable-logging=stderr.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
OUTPUT = Path(os.environ.get("CATCHBALL_TEST_PICTURES", tempfile.gettempdir())) / "catchball-pictures"
MERMAID_JS = Path(os.environ.get("CATCHBALL_MERMAID_JS", PROJECT / ".venv/node/node_modules/mermaid/dist/mermaid.min.js"))
FLAGS = [
    "--headless",
    "--no-sandbox",  # as root (CI containers)
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
]


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


needs_chromium = pytest.mark.skipif(
    chromium() is None, reason="no Chromium on this machine (.ci/run installs Debian's chromium)"
)
needs_mermaid = pytest.mark.skipif(
    not MERMAID_JS.is_file(), reason=f"Mermaid is not installed for the tests ({MERMAID_JS}; run `make browser-test-deps`)"
)


def pictures() -> Path:
    """The folder the tests write their screenshots to (CATCHBALL_TEST_PICTURES, else the temp folder)."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT


def run(page: Path, *flags: str, timeout: float = 120) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        command = [chromium(), *FLAGS, f"--user-data-dir={profile}", *flags, page.resolve().as_uri()]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def screenshot(page: Path, png: Path, width: int = 1000, height: int = 2400) -> Path:
    done = run(page, f"--screenshot={png}", f"--window-size={width},{height}")
    assert png.is_file(), done.stderr[-2000:]
    return png


def print_pdf(page: Path, pdf: Path) -> Path:
    done = run(page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", "--virtual-time-budget=5000")
    assert pdf.is_file(), done.stderr[-2000:]
    return pdf


def dump_dom(page: Path, budget_ms: int = 20000) -> str:
    """The DOM after the page's scripts ran for `budget_ms` of virtual time."""
    done = run(page, "--dump-dom", f"--virtual-time-budget={budget_ms}")
    return done.stdout


CONSOLE = re.compile(r":CONSOLE[:(]\d+|Refused to|Uncaught")  # "INFO:CONSOLE:1] "boom", source: file://…"


def load(page: Path, log_dir: Path) -> tuple[list[str], list[str]]:
    """Open `page`; (the URLs it requested other than itself, its console messages)."""
    net_log = log_dir / "net-log.json"
    done = run(page, "--dump-dom", "--enable-logging=stderr", "--v=0", f"--log-net-log={net_log}",
               "--virtual-time-budget=3000")
    console = [line for line in done.stderr.splitlines() if CONSOLE.search(line)]
    urls = requested_urls(net_log, page)
    return urls, console


def requested_urls(net_log: Path, page: Path) -> list[str]:
    """Every URL the page itself asked for, other than its own file.

    Chromium's own background requests (its clock, updates, the spelling
    dictionary) are in the log too, however it is started; a request of the
    page's is the one whose network isolation key is the page's origin.
    """
    text = net_log.read_text(encoding="utf-8", errors="replace")
    try:
        log = json.loads(text)
    except json.JSONDecodeError:  # cut short when Chromium exits: close the list and read what is there
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    types = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    own = page.resolve().as_uri()
    urls = set()
    for event in log.get("events", []):
        params = event.get("params") or {}
        if types.get(event["type"]) != "URL_REQUEST_START_JOB" or "url" not in params:
            continue
        if params.get("network_isolation_key", "").startswith("file://") and params["url"] != own:
            urls.add(params["url"])
    return sorted(urls)


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page (pdftotext when present, else only the page count as empty strings)."""
    tool = shutil.which("pdftotext")
    if tool:
        text = subprocess.run([tool, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
    data = pdf.read_bytes()
    return [""] * len(re.findall(rb"/Type\s*/Page(?!s)", data))


def pdf_page_size(pdf: Path) -> str | None:
    tool = shutil.which("pdfinfo")
    if not tool:
        return None
    info = subprocess.run([tool, str(pdf)], capture_output=True, text=True, check=True).stdout
    match = re.search(r"^Page size:\s*(.*)$", info, re.M)
    return match.group(1) if match else None
