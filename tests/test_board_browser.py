"""The board pack and the diagrams in a real browser: headless Chromium, and Mermaid's own code.

Skipped, with the reason, where Chromium (or Mermaid, for the Markdown
diagrams) is not installed; .ci/run installs Chromium and Mermaid. The
screenshots are written to tests.browser.pictures() for people to look at.
"""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import pytest

from catchball.check import run_check
from catchball.report import ReportOptions, build_context, render_report
from catchball.report.tree_svg import PAGE_PX
from catchball.views.cascade import CascadeOptions, CascadeView
from tests import browser
from tests.browser import needs_chromium, needs_mermaid

EXAMPLE = Path(__file__).resolve().parent.parent / "goals"
MIN_TEXT_PX = 10


@pytest.fixture(scope="module")
def trust_1000(tmp_path_factory):
    generate = pytest.importorskip("benchmarks.generate").generate
    root = tmp_path_factory.mktemp("trust") / "goals"
    generate(root, 1000, seed=7, defect_rate=0.02)
    return root


def repositories(trust_1000):
    return {"example": EXAMPLE, "trust-1000": trust_1000}


def context_of(root, **options):
    options.setdefault("revision", False)
    return build_context(run_check(str(root)), ReportOptions(**options))


def write_pack(root, folder: Path, name: str, **options) -> Path:
    page = folder / f"{name}.html"
    page.write_text(render_report(context_of(root, **options), format="html"), encoding="utf-8")
    return page


# -- the detector itself can fail ------------------------------------------------------------


@needs_chromium
def test_the_browser_checks_see_a_request_and_a_console_message(tmp_path):
    page = tmp_path / "leaky.html"
    page.write_text('<img src="https://example.com/x.png"><script>console.error("boom")</script>', encoding="utf-8")
    urls, console = browser.load(page, tmp_path)
    assert urls == ["https://example.com/x.png"]
    assert any('"boom"' in line for line in console)
    guarded = tmp_path / "guarded.html"
    guarded.write_text(
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
        '<img src="https://example.com/x.png">',
        encoding="utf-8",
    )
    urls, console = browser.load(guarded, tmp_path)
    assert urls == [] and any("Content Security Policy" in line for line in console)


# -- the board pack ----------------------------------------------------------------------------


@needs_chromium
@pytest.mark.parametrize("name", ["example", "trust-1000"])
def test_the_board_pack_makes_no_request_and_no_console_message(name, trust_1000, tmp_path):
    page = write_pack(repositories(trust_1000)[name], tmp_path, name)
    text = page.read_text(encoding="utf-8")
    assert "<script" not in text and "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    urls, console = browser.load(page, tmp_path)
    assert urls == [] and console == []


@needs_chromium
@pytest.mark.parametrize("name", ["example", "trust-1000"])
def test_the_board_pack_prints_on_a4_with_each_aim_starting_a_page(name, trust_1000, tmp_path):
    root = repositories(trust_1000)[name]
    context = context_of(root)
    page = write_pack(root, tmp_path, name)
    pdf = browser.print_pdf(page, browser.pictures() / f"board-{name}.pdf")
    pages = browser.pdf_pages(pdf)
    aims = context["aims"]
    assert len(pages) >= len(aims) + 1  # the headline, then at least a page per aim
    size = browser.pdf_page_size(pdf)
    if size is not None:
        assert size.endswith("(A4)"), size  # the first page; the X-matrix pages are A4 landscape
    if any(pages):  # pdftotext present: each aim's heading opens a page of its own
        firsts = [next((line.strip() for line in p.splitlines() if line.strip()), "") for p in pages]
        for aim in aims:
            assert any(first.startswith(f"{aim['id']}:") for first in firsts), (aim["id"], firsts)


@needs_chromium
@pytest.mark.parametrize("name", ["example", "trust-1000"])
def test_screenshots_of_the_board_pack(name, trust_1000, tmp_path):
    page = write_pack(repositories(trust_1000)[name], tmp_path, name)
    top = browser.screenshot(page, browser.pictures() / f"board-{name}.png", 1000, 2600)
    assert top.stat().st_size > 20_000  # a page with text and pictures, not a blank one


@needs_chromium
def test_screenshot_of_the_cascade_at_80_columns(tmp_path):
    from rich.console import Console
    from rich.terminal_theme import DEFAULT_TERMINAL_THEME, MONOKAI

    from catchball.views.terminal import print_styled

    result = run_check(str(EXAMPLE))
    console = Console(file=io.StringIO(), record=True, force_terminal=True, width=80, color_system="truecolor")
    print_styled(console, CascadeView(result, CascadeOptions()).lines(), 80)
    for theme, name in ((MONOKAI, "dark"), (DEFAULT_TERMINAL_THEME, "light")):
        page = tmp_path / f"cascade-{name}.html"
        page.write_text(console.export_html(theme=theme, inline_styles=True, clear=False), encoding="utf-8")
        browser.screenshot(page, browser.pictures() / f"cascade-80-{name}.png", 900, 1400)
    lines = console.export_text(clear=False).splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "👤" not in "\n".join(lines)


# -- every diagram readable at 900 px -----------------------------------------------------------

MEASURE_SCRIPT = """
<script>
function measure(svg) {
  const box = svg.getBoundingClientRect();
  const natural = svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width ? svg.viewBox.baseVal.width : box.width;
  const scale = box.width / natural;
  let smallest = 1e9, cut = [];
  svg.querySelectorAll("text, foreignObject div, foreignObject span").forEach(el => {
    if (!el.textContent.trim()) return;
    const px = parseFloat(getComputedStyle(el).fontSize) * scale;
    smallest = Math.min(smallest, px);
    if (el.tagName.toLowerCase() !== "text" && el.scrollWidth > el.clientWidth + 1) cut.push(el.textContent.slice(0, 60));
  });
  svg.querySelectorAll("g.box").forEach(g => {
    const rect = g.querySelector("rect").getBBox();
    g.querySelectorAll("text").forEach(t => {
      const b = t.getBBox();
      if (b.x + b.width > rect.x + rect.width + 0.5) cut.push(t.textContent.slice(0, 60));
    });
  });
  return {natural: natural, width: box.width, smallest: smallest, cut: cut};
}
</script>
"""


def measured(dom: str) -> list[dict]:
    found = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
    assert found, dom[-3000:]
    return json.loads(html.unescape(found.group(1)))


@needs_chromium
@pytest.mark.parametrize("name", ["example", "trust-1000"])
def test_every_board_pack_diagram_reads_at_900_px(name, trust_1000, tmp_path):
    """Our SVG (the pack needs no JavaScript; the test page measures it with some)."""
    context = context_of(repositories(trust_1000)[name])
    svgs = [a["diagram"]["svg"] for a in context["aims"] if a["objectives"]]
    svgs += [x["svg"] for x in context["xmatrix"]["matrices"] if x["annual"]]
    page = tmp_path / "measure.html"
    scaled = [svg.replace("<svg ", '<svg style="max-width:100%;height:auto" ', 1) for svg in svgs]
    page.write_text(
        f"<!DOCTYPE html><html><body style='margin:0'>{MEASURE_SCRIPT}"
        + "".join(f"<div class='d' style='width:{PAGE_PX}px'>{svg}</div>" for svg in scaled)
        + "<pre id='result'></pre><script>document.getElementById('result').textContent = "
        "JSON.stringify([...document.querySelectorAll('div.d svg')].map(measure));</script></body></html>",
        encoding="utf-8",
    )
    results = measured(browser.dump_dom(page, 3000))
    assert len(results) == len(svgs)
    for result in results:
        assert result["smallest"] >= MIN_TEXT_PX, result
        assert result["cut"] == [], result


@needs_chromium
@needs_mermaid
@pytest.mark.parametrize("name", ["example", "trust-1000"])
def test_every_markdown_diagram_renders_with_mermaid_and_reads_at_900_px(name, trust_1000, tmp_path):
    """Mermaid 11's own code draws each aim's flowchart, as GitHub does, in a 900 px column."""
    context = context_of(repositories(trust_1000)[name])
    diagrams = [a["diagram"]["mermaid"] for a in context["aims"] if a["objectives"]]
    page = tmp_path / "mermaid.html"
    page.write_text(
        "<!DOCTYPE html><html><body style='margin:0'>"
        f"<script src='{browser.MERMAID_JS.resolve().as_uri()}'></script>{MEASURE_SCRIPT}"
        + "".join(f"<div class='d' style='width:{PAGE_PX}px'></div>" for _ in diagrams)
        + "<pre id='result'></pre><script>\n"
        f"const sources = {json.dumps(diagrams)};\n"
        "mermaid.initialize({startOnLoad: false, securityLevel: 'strict'});\n"
        "(async () => { const out = []; const boxes = document.querySelectorAll('div.d');\n"
        "  for (let i = 0; i < sources.length; i++) {\n"
        "    try { const {svg} = await mermaid.render('m' + i, sources[i]); boxes[i].innerHTML = svg;\n"
        "      const el = boxes[i].querySelector('svg'); el.style.maxWidth = '100%'; el.removeAttribute('height');\n"
        "      out.push(measure(el)); } catch (e) { out.push({error: String(e)}); } }\n"
        "  document.getElementById('result').textContent = JSON.stringify(out); })();\n"
        "</script></body></html>",
        encoding="utf-8",
    )
    results = measured(browser.dump_dom(page, 30000))
    assert len(results) == len(diagrams)
    for source, result in zip(diagrams, results):
        assert "error" not in result, (result, source[:300])
        assert result["smallest"] >= MIN_TEXT_PX, (result, source[:300])
        assert result["cut"] == [], result
