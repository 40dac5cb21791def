"""The alignment report: a documented context, rendered by a sandboxed Jinja2 template.

    from catchball.check import run_check
    from catchball.report import ReportOptions, build_context, render_report
    context = build_context(run_check("goals"), ReportOptions(team="surgery"))
    print(render_report(context))

`context` builds the plain data a template sees (docs/templates.md), `render`
runs the templates, `markdown` and `mermaid` make text safe for where it lands.
"""

from __future__ import annotations

from catchball.report.context import ReportOptions, build_context, report_date
from catchball.report.render import DEFAULT_TEMPLATE, HTML_TEMPLATE, Limits, render_default, render_user_template

__all__ = ["chart_files", "FORMATS", "ReportOptions", "Limits", "build_context", "render_report", "report_date"]


FORMATS = {"markdown": DEFAULT_TEMPLATE, "html": HTML_TEMPLATE}  # --format: our template for each


def render_report(
    context: dict,
    template: str | None = None,
    limits: Limits | None = None,
    format: str = "markdown",
    section: str | None = None,
) -> str:
    """The report: our template for `format` (Markdown, or the HTML board pack), or the user's
    template file under `limits`; `section` renders one block of it alone (`--section xmatrix`)."""
    if template is None:
        return render_default(context, FORMATS[format], section)
    return render_user_template(context, template, limits, section)


def chart_files(context: dict) -> dict[str, str]:
    """{path relative to the report: SVG text} of the charts a Markdown report links (ReportOptions.chart_folder)."""
    files = {}
    for aim in context["aims"]:
        for measure in aim["measures_below"]:
            if measure["chart_path"] and measure["svg"]:
                files[measure["chart_path"]] = measure["svg"]
    return files
