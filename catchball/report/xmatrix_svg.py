"""The X-matrix (xmatrix.x_matrix) as an SVG for the HTML board pack.

The classic layout: a square with its diagonals in the middle; the
improvement priorities as rows above it, the True North aims as rows below
it, the annual objectives as columns to its left and the measures (with
their owners) as columns to its right. The four corner grids hold the marks:
● strong (one `supports` link), ○ weak (through one objective between).
"""

from __future__ import annotations

from catchball.report.aim_tree import wrap_title
from catchball.report.tree_svg import _text

CELL = 18  # one row or column of the matrix
FONT_PX = 12
CENTRE_WIDTH = 340  # the square's width: room for a row's text
BAND = 280  # the square's height: room for a column's text, turned
ROW_CHARS = 50  # characters of a row label (it ends at a word with …)
COLUMN_CHARS = 40  # characters of a turned column label
MARK = {"strong": "●", "weak": "○"}


def xmatrix_svg(matrix: dict) -> str:
    """The SVG text of one X-matrix."""
    annual, priorities = matrix["annual"], matrix["priorities"]
    aims, measures = matrix["aims"], matrix["measures"]
    left = len(annual) * CELL
    top = len(priorities) * CELL
    right = len(measures) * CELL
    bottom = len(aims) * CELL
    width, height = left + CENTRE_WIDTH + right, top + BAND + bottom
    cx, cy = left, top  # the square's top-left corner
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="xmatrix" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="Arial, Helvetica, sans-serif" font-size="{FONT_PX}">',
        f"<title>X-matrix: {_text(matrix['title'])}</title>",
        f"<desc>{len(aims)} aims, {len(annual)} annual objectives, {len(priorities)} improvement priorities "
        f"and {len(measures)} measures; a filled circle is a direct link, an open circle a link through one "
        "objective between</desc>",
        f'<rect x="{cx}" y="{cy}" width="{CENTRE_WIDTH}" height="{BAND}" fill="#fafafa" stroke="#616161"/>',
        f'<path d="M{cx},{cy} L{cx + CENTRE_WIDTH},{cy + BAND} M{cx + CENTRE_WIDTH},{cy} L{cx},{cy + BAND}" '
        'stroke="#9e9e9e" fill="none"/>',
    ]
    middle_x, middle_y = cx + CENTRE_WIDTH / 2, cy + BAND / 2
    for text, x, y in (
        ("Improvement priorities", middle_x, cy + 40),
        ("True North aims", middle_x, cy + BAND - 32),
        ("Annual objectives", cx + 70, middle_y + 4),
        ("Measures", cx + CENTRE_WIDTH - 50, middle_y + 4),
    ):
        out.append(f'<text x="{x:g}" y="{y:g}" text-anchor="middle" font-weight="bold" fill="#37474f">{text}</text>')

    def row_label(y: float, item_id: str, title: str | None) -> None:
        words = " ".join(wrap_title(f"{item_id} {title or ''}", ROW_CHARS, 1))
        out.append(f'<text x="{cx + 4}" y="{y + CELL - 6}" fill="#212121">{_text(words)}</text>')

    def column_label(x: float, text: str) -> None:
        words = " ".join(wrap_title(text, COLUMN_CHARS, 1))
        out.append(
            f'<text transform="translate({x + CELL - 6},{cy + BAND - 4}) rotate(-90)" fill="#212121">{_text(words)}</text>'
        )

    def grid(x0: float, y0: float, columns: int, rows: int) -> None:
        out.append(
            f'<rect x="{x0}" y="{y0}" width="{columns * CELL}" height="{rows * CELL}" fill="#ffffff" stroke="#bdbdbd"/>'
        )
        for i in range(1, columns):
            out.append(f'<path d="M{x0 + i * CELL},{y0} v{rows * CELL}" stroke="#e0e0e0"/>')
        for j in range(1, rows):
            out.append(f'<path d="M{x0},{y0 + j * CELL} h{columns * CELL}" stroke="#e0e0e0"/>')

    def mark(x: float, y: float, kind: str | None) -> None:
        if kind:
            out.append(f'<text x="{x + CELL / 2}" y="{y + CELL - 6}" text-anchor="middle" fill="#1a237e">{MARK[kind]}</text>')

    for j, item in enumerate(priorities):  # top rows, top-down: the nearest the square first
        row_label(cy - (j + 1) * CELL, item["id"], item["title"])
    for j, aim in enumerate(aims):  # bottom rows
        row_label(cy + BAND + j * CELL, aim["id"], aim["title"])
    for i, item in enumerate(annual):  # left columns, right to left from the square
        x = cx - (i + 1) * CELL
        column_label(x, f"{item['id']} {item['title'] or ''}")
    for i, item in enumerate(measures):  # right columns
        owner = f" ({item['owner']})" if item["owner"] else ""
        column_label(cx + CENTRE_WIDTH + i * CELL, f"{item['name']}{owner}")
    # Corner grids
    grid(0, 0, len(annual), len(priorities))
    grid(0, cy + BAND, len(annual), len(aims))
    grid(cx + CENTRE_WIDTH, 0, len(measures), len(priorities))
    grid(cx + CENTRE_WIDTH, cy + BAND, len(measures), len(aims))
    for j, row in enumerate(matrix["annual_priorities"]):  # priority j against annual i
        for i, kind in enumerate(row):
            mark(cx - (i + 1) * CELL, cy - (j + 1) * CELL, kind)
    for i, row in enumerate(matrix["aim_annual"]):  # annual i against aim j
        for j, kind in enumerate(row):
            mark(cx - (i + 1) * CELL, cy + BAND + j * CELL, kind)
    for j, row in enumerate(matrix["priority_measures"]):
        for i, kind in enumerate(row):
            mark(cx + CENTRE_WIDTH + i * CELL, cy - (j + 1) * CELL, kind)
    for j, row in enumerate(matrix["aim_measures"]):
        for i, kind in enumerate(row):
            mark(cx + CENTRE_WIDTH + i * CELL, cy + BAND + j * CELL, kind)
    out.append("</svg>")
    return "\n".join(out)
