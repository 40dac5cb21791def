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
from catchball.report.render import Limits, render_default, render_user_template

__all__ = ["ReportOptions", "Limits", "build_context", "render_report", "report_date"]


def render_report(context: dict, template: str | None = None, limits: Limits | None = None) -> str:
    """The report as Markdown: our default template, or the user's template file under `limits`."""
    if template is None:
        return render_default(context)
    return render_user_template(context, template, limits)
